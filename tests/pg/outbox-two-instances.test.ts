import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import type { DataSource } from "typeorm";
import { DEMO } from "../../server/src/local-m365/demo-directory";
import { freshDatabase, ownerConnection, type TestDb } from "../support/harness";
import { actor, agreedOutcome, CONTOSO_UPN, type Actor } from "../reliability/support/actors";
import { freePort, startLocalTenant, startServerProcess, type LocalTenantProcess, type ServerProcess } from "../reliability/support/processes";
import { eventsOf, nextWeekdayAt, waitFor } from "../reliability/support/wait";

const API = "/api/v1/check-in-schedules";
const N = 24;

// Child processes start slowly on a busy machine (TypeScript is compiled on the fly).
jest.setTimeout(300_000);

/** Two server processes on one PostgreSQL database, both draining the same outbox. */
describe("two server instances on one PostgreSQL", () => {
  let dir: string;
  let db: TestDb;
  let owner: DataSource;
  let tenant: LocalTenantProcess;
  const servers: ServerProcess[] = [];
  const as: { adele: Actor; megan: Actor }[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "leeway-two-"));
    db = await freshDatabase(dir);
    tenant = await startLocalTenant(dir);
    // One after the other: the first migrates and seeds, the second finds it done.
    for (let i = 0; i < 2; i++) {
      // No crash here: a long lease, so a delivery slowed by a busy machine is never taken over.
      const server = await startServerProcess({ port: await freePort(), dataDir: dir, tenantBase: tenant.base, dbEnv: db.env, env: { LEEWAY_OUTBOX_LEASE_SECONDS: "60" } });
      servers.push(server);
      as.push({ adele: await actor(server.baseUrl, tenant.token, CONTOSO_UPN("adele.vance")), megan: await actor(server.baseUrl, tenant.token, CONTOSO_UPN("megan.bowen")) });
    }
    owner = await ownerConnection(db);
  });
  afterAll(async () => {
    await owner?.destroy();
    for (const s of servers) await s.child.stop();
    await tenant?.child.stop();
    await db?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const stats = async () => (await request(tenant.base).get("/local-m365/_stats").expect(200)).body.roundTrips as Record<string, number>;
  const settled = (ids: string[], state: string) =>
    waitFor(`${ids.length} schedules ${state}`, async () => {
      const states = await Promise.all(ids.map(async (id) => (await as[0]!.adele.get(`${API}/${id}`)).body.syncState as string));
      return states.every((s) => s === state);
    }, 90_000, 250);

  it("delivers each message exactly once, with both instances taking part", async () => {
    await request(tenant.base).delete("/local-m365/_stats").expect(204);
    // Slow answers keep deliveries in flight long enough for both instances to claim.
    await request(tenant.base).post("/local-m365/_faults").send({ route: "^(POST|PATCH|DELETE) /users/", kind: "slow", count: 10_000, delayMs: 250 }).expect(201);
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const who = as[i % 2]!;
      const o = await agreedOutcome(who.adele, DEMO.contoso.teams.retailLending, who.megan, `Shared outbox ${i}`);
      ids.push((await who.adele.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(1 + (i % 5), 9 + (i % 7)), durationMinutes: 30 }).expect(202)).body.id);
    }
    await settled(ids, "synced");

    const series = (await eventsOf(tenant.base, as[0]!.adele.id)).filter((e) => e.transactionId?.startsWith("leeway:"));
    for (const id of ids) expect(series.filter((e) => e.transactionId === `leeway:${id}:create`)).toHaveLength(1);
    expect((await stats())["POST /users/{id}/events"]).toBe(N);
    const rows: { state: string; attempts: number; delivered_by: string }[] = await owner.query("SELECT state, attempts, delivered_by FROM outbox_message WHERE kind = 'series.create'");
    expect(rows).toHaveLength(N);
    expect(rows.every((r) => r.state === "done" && Number(r.attempts) === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.delivered_by.split(":")[1])).size).toBe(2);

    // Changes and cancellations, asked of either instance, reach Outlook once each.
    const changed = ids.slice(0, 8);
    const cancelled = ids.slice(8, 12);
    await Promise.all(changed.map((id, i) => as[i % 2]!.adele.patch(`${API}/${id}`, { durationMinutes: 45 }, '"v1"').expect(200)));
    await Promise.all(cancelled.map((id, i) => as[(i + 1) % 2]!.megan.post(`${API}/${id}/cancel`).expect(200)));
    await settled(changed, "synced");
    await settled(cancelled, "cancelled");
    const trips = await stats();
    expect(trips["PATCH /users/{id}/events/{eventId}"]).toBe(changed.length);
    expect(trips["DELETE /users/{id}/events/{eventId}"]).toBe(cancelled.length);
    expect(trips["POST /users/{id}/events"]).toBe(N);
    const [{ n }] = await owner.query("SELECT count(*)::int AS n FROM outbox_message WHERE state <> 'done' OR attempts <> 1");
    expect(n).toBe(0);
  });
});
