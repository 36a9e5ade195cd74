import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import request from "supertest";
import type { QueryRunner } from "typeorm";
import { DEMO } from "../../server/src/local-m365/demo-directory";
import { freshDatabase, ownerConnection, type TestDb } from "../support/harness";
import { actor, agreedOutcome, CONTOSO_UPN, type Actor } from "./support/actors";
import { freePort, startLocalTenant, startServerProcess, type LocalTenantProcess, type ServerProcess } from "./support/processes";
import { eventsOf, nextWeekdayAt, waitFor } from "./support/wait";

const API = "/api/v1/check-in-schedules";
const EVENT_POST = "POST /users/.*/events$";

// Child processes start slowly on a busy machine (TypeScript is compiled on the fly).
jest.setTimeout(300_000);

/**
 * The API server in a child process and the local tenant in another (its calendar in a file), so
 * the server can be killed with SIGKILL mid-delivery and started again on the same database.
 */
describe("kill -9 of the server mid-delivery, then a restart", () => {
  let dir: string;
  let db: TestDb;
  let tenant: LocalTenantProcess;
  let server: ServerProcess;
  let port: number;
  let adele: Actor;
  let megan: Actor;

  const startServer = async () => {
    server = await startServerProcess({ port, dataDir: dir, tenantBase: tenant.base, dbEnv: db.env });
  };
  const faults = (body?: object) => (body ? request(tenant.base).post("/local-m365/_faults").send(body).expect(201) : request(tenant.base).delete("/local-m365/_faults").expect(204));
  const held = async () => (await request(tenant.base).get("/local-m365/_faults")).body.held as number;
  const seriesOf = async (ids: string[]) => (await eventsOf(tenant.base, adele.id)).filter((e) => ids.some((id) => e.transactionId === `leeway:${id}:create`));
  const schedule = async (i: number) => {
    const o = await agreedOutcome(adele, DEMO.contoso.teams.retailLending, megan, `Outcome ${i} across a crash`);
    return (await adele.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(2, 8 + i), durationMinutes: 30 }).expect(202)).body.id as string;
  };
  const allSynced = (ids: string[]) =>
    waitFor("every schedule synced after the restart", async () => {
      const states = await Promise.all(ids.map(async (id) => (await adele.get(`${API}/${id}`)).body as { syncState: string; graphEventId: string }));
      return states.every((s) => s.syncState === "synced") ? states : null;
    }, 60_000, 200);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "leeway-kill-"));
    db = await freshDatabase(dir);
    tenant = await startLocalTenant(dir);
    port = await freePort();
    await startServer();
    adele = await actor(server.baseUrl, tenant.token, CONTOSO_UPN("adele.vance"));
    megan = await actor(server.baseUrl, tenant.token, CONTOSO_UPN("megan.bowen"));
  });
  afterAll(async () => {
    await server?.child.stop();
    await tenant?.child.stop();
    await db?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("while Graph is still answering the event POST: after the restart each schedule has exactly one series", async () => {
    await faults({ route: EVENT_POST, kind: "slow", count: 1000, delayMs: 20_000 });
    const ids = [await schedule(1), await schedule(2), await schedule(3)];
    await waitFor("deliveries held by the slow Graph", async () => (await held()) >= ids.length);
    await server.child.kill9();
    await faults();
    expect(await seriesOf(ids)).toEqual([]);

    await startServer();
    const states = await allSynced(ids);
    const series = await seriesOf(ids);
    for (const id of ids) expect(series.filter((e) => e.transactionId === `leeway:${id}:create`)).toHaveLength(1);
    expect(states.map((s) => s.graphEventId).sort()).toEqual(series.map((e) => e.id).sort());
  });

  it("after Graph made the series but before the database recorded it: the re-delivery finds that series", async () => {
    await faults({ route: EVENT_POST, kind: "slow", count: 1000, delayMs: 3000 });
    const ids = [await schedule(4)];
    await waitFor("the delivery under way", async () => (await held()) >= 1, 60_000, 20);
    // Hold the database so the worker cannot record what Graph answers; then crash it.
    const unlock = await lockOutbox(db);
    try {
      await waitFor("Graph to create the series", async () => (await seriesOf(ids)).length === ids.length, 15_000, 20);
      await server.child.kill9();
    } finally {
      await unlock.release();
    }
    await faults();
    const before = await seriesOf(ids);
    expect(before).toHaveLength(1);
    expect(unlock.pendingAtCrash.sort()).toEqual([...ids].sort());

    await startServer();
    const states = await allSynced(ids);
    const after = await seriesOf(ids);
    expect(after.map((e) => e.id).sort()).toEqual(before.map((e) => e.id).sort());
    expect(states.map((s) => s.graphEventId).sort()).toEqual(before.map((e) => e.id).sort());
  });
});

/**
 * Blocks writes to the outbox from another connection: SQLite's single write lock, or on
 * PostgreSQL row locks on the pending messages. Notes which schedules were not yet recorded
 * as synced at the moment it lets go.
 */
async function lockOutbox(db: TestDb): Promise<{ release(): Promise<void>; pendingAtCrash: string[] }> {
  const pendingAtCrash: string[] = [];
  const notSynced = "SELECT id FROM check_in_schedule WHERE sync_state = 'pending' AND graph_event_id IS NULL";
  if (db.engine === "sqlite") {
    const conn = new Database(db.ownerUrl);
    conn.pragma("busy_timeout = 5000");
    conn.exec("BEGIN IMMEDIATE");
    return {
      pendingAtCrash,
      async release() {
        pendingAtCrash.push(...(conn.prepare(notSynced).all() as { id: string }[]).map((r) => r.id));
        conn.exec("ROLLBACK");
        conn.close();
      },
    };
  }
  const ds = await ownerConnection(db);
  const qr: QueryRunner = ds.createQueryRunner();
  await qr.connect();
  await qr.startTransaction();
  await qr.query("SELECT id FROM outbox_message WHERE state = 'pending' FOR UPDATE");
  return {
    pendingAtCrash,
    async release() {
      pendingAtCrash.push(...((await qr.query(notSynced)) as { id: string }[]).map((r) => r.id));
      await qr.rollbackTransaction();
      await qr.release();
      await ds.destroy();
    },
  };
}
