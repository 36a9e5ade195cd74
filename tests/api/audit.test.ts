import { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import request from "supertest";
import type { DataSource } from "typeorm";
import { verifyCheckpoint } from "../../server/src/audit/signing";
import { verifyExport } from "../../server/src/audit/verify-export";
import { DEMO } from "../../server/src/local-m365/demo-directory";
import { CONTOSO, FABRIKAM, ownerConnection, startTestServer, type TestServer } from "../support/harness";

describe("audit access for compliance", () => {
  let s: TestServer;
  let lidia: string;
  let adele: string;
  let miriam: string;
  let nestor: string;
  let pem: string;
  const lidiaId = DEMO.contoso.lidia;

  const get = (path: string, token: string) => request(s.baseUrl).get(path).set("Authorization", `Bearer ${token}`);
  const raw = (path: string, token: string) => fetch(`${s.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

  /** Writes one audited change the way services do, so the trail has something recognisable. */
  const write = (tenantId: string, entityId: string, changes: Record<string, { before?: unknown; after?: unknown }>, userId = "tester", reason = "because") =>
    s.leeway.context.uow.run({ tenantId, actor: { tenantId, userId }, requestId: `req-${entityId}` }, async (tx) => {
      tx.audit({ action: "test.changed", entity: "test_thing", entityId, changes, reason });
    });

  beforeAll(async () => {
    s = await startTestServer();
    lidia = await s.token("lidia.holloway@contoso.test");
    adele = await s.token("adele.vance@contoso.test");
    miriam = await s.token("miriam.graham@contoso.test");
    nestor = await s.token("nestor.wilke@fabrikam.test");
    pem = await fetch(`${s.baseUrl}/.well-known/leeway/audit-signing-key.pem`).then((r) => r.text());
    for (let i = 1; i <= 5; i++) await write(CONTOSO, `thing-${i}`, { title: { before: `t${i - 1}`, after: `t${i}` } });
    await write(FABRIKAM, "fabrikam-only", { title: { after: "secret" } });
  });
  afterAll(() => s.close());

  const routes: [string, string][] = [
    ["get", "/api/v1/audit/events"],
    ["get", "/api/v1/audit/events/1"],
    ["get", "/api/v1/audit/export?format=jsonl"],
    ["get", "/api/v1/audit/verify"],
    ["get", "/api/v1/audit/checkpoints"],
    ["post", "/api/v1/audit/checkpoints"],
  ];

  it("answers 401 without a token and 403 problem+json to callers without the compliance role, admins included", async () => {
    for (const [method, path] of routes) {
      const anon = await (method === "get" ? request(s.baseUrl).get(path) : request(s.baseUrl).post(path));
      expect(anon.status).toBe(401);
      for (const token of [adele, miriam, nestor]) {
        const res = await (method === "get" ? get(path, token) : request(s.baseUrl).post(path).set("Authorization", `Bearer ${token}`));
        expect(res.status).toBe(403);
        expect(res.headers["content-type"]).toContain("application/problem+json");
        expect(res.body.detail).toContain("Leeway.Compliance");
      }
    }
  });

  it("lists events newest first with parsed before/after changes, actor, request id and hashes", async () => {
    const res = await get("/api/v1/audit/events?entity=test_thing&limit=10", lidia).expect(200);
    const ids = res.body.items.map((e: { entityId: string }) => e.entityId);
    expect(ids).toEqual(["thing-5", "thing-4", "thing-3", "thing-2", "thing-1"]);
    const [latest, older] = res.body.items;
    expect(latest).toMatchObject({
      action: "test.changed",
      entity: "test_thing",
      changes: { title: { before: "t4", after: "t5" } },
      reason: "because",
      requestId: "req-thing-5",
      actor: { id: "tester", tenantId: CONTOSO, displayName: null },
      prevHash: older.hash,
    });
    expect(latest.seq).toBe(older.seq + 1);
    expect(latest.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.nextCursor).toBeNull();
  });

  it("pages with an opaque cursor until nextCursor is null", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await get(`/api/v1/audit/events?entity=test_thing&limit=2${cursor ? `&cursor=${cursor}` : ""}`, lidia).expect(200);
      seen.push(...res.body.items.map((e: { entityId: string }) => e.entityId));
      cursor = res.body.nextCursor;
      if (cursor) expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    } while (cursor);
    expect(seen).toEqual(["thing-5", "thing-4", "thing-3", "thing-2", "thing-1"]);
  });

  it("filters by entity id, actor, action and time, and names actors it knows", async () => {
    const one = await get("/api/v1/audit/events?entityId=thing-3", lidia).expect(200);
    expect(one.body.items).toHaveLength(1);
    const byActor = await get("/api/v1/audit/events?actorId=tester&action=test.changed", lidia).expect(200);
    expect(byActor.body.items).toHaveLength(5);
    const seeded = await get(`/api/v1/audit/events?entityId=${DEMO.contoso.lidia}&action=person.recorded`, lidia).expect(200);
    expect(seeded.body.items[0].actor).toMatchObject({ id: "system" });
    const at = one.body.items[0].occurredAt as string;
    const inside = await get(`/api/v1/audit/events?entityId=thing-3&from=${encodeURIComponent(at)}&to=${encodeURIComponent(at)}`, lidia).expect(200);
    expect(inside.body.items).toHaveLength(1);
    const after = new Date(Date.parse(at) + 1).toISOString();
    await get(`/api/v1/audit/events?entityId=thing-3&from=${after}`, lidia).expect(200, { items: [], nextCursor: null });
    const day = at.slice(0, 10);
    expect((await get(`/api/v1/audit/events?entityId=thing-3&from=${day}&to=${day}`, lidia).expect(200)).body.items).toHaveLength(1);
  });

  it("names the caller's own events by display name", async () => {
    await get("/api/v1/audit/events?limit=1", lidia).expect(200);
    const own = await get(`/api/v1/audit/events?actorId=${lidiaId}`, lidia).expect(200);
    for (const e of own.body.items) expect(e.actor.displayName).toBe("Lidia Holloway");
  });

  it("never shows another tenant's events", async () => {
    await get("/api/v1/audit/events?entityId=fabrikam-only", lidia).expect(200, { items: [], nextCursor: null });
    const all = await get("/api/v1/audit/events?limit=500", lidia).expect(200);
    expect(all.body.items.every((e: { entityId: string }) => e.entityId !== "fabrikam-only")).toBe(true);
  });

  it("refuses bad queries with 400 and the field paths", async () => {
    const cases: [string, string][] = [
      ["limit=0", "limit"],
      ["limit=501", "limit"],
      ["from=yesterday", "from"],
      ["from=2026-02-30", "from"],
      ["from=2026-03-02&to=2026-03-01", "to"],
      ["cursor=not*a*cursor", "cursor"],
      ["cursor=abc", "cursor"],
      ["colour=blue", "colour"],
    ];
    for (const [query, path] of cases) {
      const res = await get(`/api/v1/audit/events?${query}`, lidia);
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const seq = await get("/api/v1/audit/events/abc", lidia).expect(400);
    expect(seq.body.errors[0].path).toBe("seq");
    const fmt = await get("/api/v1/audit/export?format=xml", lidia).expect(400);
    expect(fmt.body.errors[0].path).toBe("format");
    const ranged = await get("/api/v1/audit/export?format=jsonl&from=2026-01-01", lidia).expect(400);
    expect(ranged.body.errors.map((e: { path: string }) => e.path)).toEqual(["from"]);
  });

  it("names the period field the caller sent when refusing a period for the JSONL export", async () => {
    const until = await get("/api/v1/audit/export?format=jsonl&to=2026-01-01", lidia).expect(400);
    expect(until.headers["content-type"]).toContain("application/problem+json");
    expect(until.body.errors.map((e: { path: string }) => e.path)).toEqual(["to"]);
    const both = await get("/api/v1/audit/export?format=jsonl&from=2026-01-01&to=2026-01-02", lidia).expect(400);
    expect(both.body.errors.map((e: { path: string }) => e.path)).toEqual(["from", "to"]);
  });

  it("refuses a time that falls outside the years 0000-9999 once converted to UTC, naming the field", async () => {
    const cases: [string, string][] = [
      ["from=9999-12-31T23:00:00-05:00", "from"],
      ["to=0000-01-01T00:30:00%2B01:00", "to"],
    ];
    for (const [query, path] of cases) {
      const res = await get(`/api/v1/audit/events?${query}`, lidia);
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
    const csv = await get("/api/v1/audit/export?format=csv&from=9999-12-31T23:00:00-05:00", lidia).expect(400);
    expect(csv.body.errors.map((e: { path: string }) => e.path)).toEqual(["from"]);
    // The last instant of year 9999 and the first of year 0000 are still times a filter can name.
    await get("/api/v1/audit/events?from=9999-12-31T23:59:59.999Z", lidia).expect(200, { items: [], nextCursor: null });
    const all = await get("/api/v1/audit/events?to=9999-12-31T18:59:59.999-05:00&limit=1", lidia).expect(200);
    expect(all.body.items).toHaveLength(1);
    await get("/api/v1/audit/events?to=0000-01-01T00:00:00Z", lidia).expect(200, { items: [], nextCursor: null });
  });

  it("reads one event by sequence number, and 404 beyond the tenant's chain", async () => {
    const list = await get("/api/v1/audit/events?entityId=thing-2", lidia).expect(200);
    const seq = list.body.items[0].seq as number;
    const one = await get(`/api/v1/audit/events/${seq}`, lidia).expect(200);
    expect(one.body).toEqual(list.body.items[0]);
    const missing = await get("/api/v1/audit/events/99999999", lidia).expect(404);
    expect(missing.body.type).toContain("not-found");
  });

  it("answers 404 for a sequence number beyond what the store can hold, and 400 for a cursor past it, on every engine", async () => {
    for (const seq of ["2147483648", "9007199254740991"]) {
      const res = await get(`/api/v1/audit/events/${seq}`, lidia);
      expect(res.status).toBe(404);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.body.type).toContain("not-found");
    }
    await request(s.baseUrl).post("/api/v1/audit/checkpoints").set("Authorization", `Bearer ${lidia}`).expect(201);
    const beyond = Buffer.from("s:2147483648").toString("base64url");
    expect(beyond).toBe("czoyMTQ3NDgzNjQ4");
    for (const path of ["/api/v1/audit/events", "/api/v1/audit/checkpoints"]) {
      const res = await get(`${path}?cursor=${beyond}`, lidia);
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["cursor"]);
      // The largest sequence the store holds is still a cursor: everything before it.
      const last = await get(`${path}?cursor=${Buffer.from("s:2147483647").toString("base64url")}&limit=1`, lidia).expect(200);
      expect(last.body.items).toHaveLength(1);
    }
  });

  it("streams a JSONL export that verifies offline against the published key and contains its own audit event", async () => {
    const res = await raw("/api/v1/audit/export?format=jsonl", lidia);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="leeway-audit-.+\.jsonl"$/);
    expect(res.headers.get("transfer-encoding")).toBe("chunked");
    const total = Number(res.headers.get("x-total-count"));
    const text = await res.text();
    const report = await verifyExport(Readable.from([text]), pem);
    expect(report).toMatchObject({ ok: true, tenantId: CONTOSO });
    expect(report.events).toBeGreaterThanOrEqual(total);
    const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const exported = lines.filter((l) => l.type === "event" && l.action === "audit.exported");
    expect(exported.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(exported[exported.length - 1]!.changes as string)).toEqual({ format: { after: "jsonl" }, from: { after: null }, to: { after: null } });
    expect(lines.some((l) => l.entityId === "fabrikam-only")).toBe(false);

    const trail = await get("/api/v1/audit/events?action=audit.exported&limit=1", lidia).expect(200);
    expect(trail.body.items[0]).toMatchObject({ actor: { id: lidiaId }, entity: "audit_trail", entityId: CONTOSO, changes: { format: { after: "jsonl" } } });
  });

  it("answers HEAD on the export with 405, recording and signing nothing", async () => {
    const count = async () => (await get("/api/v1/audit/events?action=audit.exported&limit=100", lidia).expect(200)).body.items.length;
    const before = await count();
    const head = await fetch(`${s.baseUrl}/api/v1/audit/export?format=jsonl`, { method: "HEAD", headers: { authorization: `Bearer ${lidia}` } });
    expect(head.status).toBe(405);
    expect(head.headers.get("allow")).toBe("GET");
    expect(head.headers.get("content-type")).toContain("application/problem+json");
    expect(await count()).toBe(before);
  });

  it("streams a CSV export with the stored columns, limited to a period, and audits it with the range", async () => {
    const res = await raw("/api/v1/audit/export?format=csv", lidia);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toMatch(/filename="leeway-audit-.+\.csv"$/);
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(["tenant_id", "seq", "occurred_at", "actor_tenant_id", "actor_id", "action", "entity", "entity_id", "changes", "reason", "request_id", "prev_hash", "hash"]);
    expect(rows).toHaveLength(Number(res.headers.get("x-total-count")));
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    const thing = rows.find((r) => r.entity_id === "thing-4")!;
    expect(JSON.parse(thing.changes!)).toEqual({ title: { before: "t3", after: "t4" } });
    expect(rows[rows.length - 1]).toMatchObject({ action: "audit.exported", actor_id: lidiaId });
    expect(rows.every((r) => r.tenant_id === CONTOSO)).toBe(true);

    const from = thing.occurred_at!;
    const to = rows.find((r) => r.entity_id === "thing-5")!.occurred_at!;
    const ranged = await raw(`/api/v1/audit/export?format=csv&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, lidia);
    const inRange = parse(await ranged.text(), { columns: true }) as Record<string, string>[];
    expect(inRange.length).toBe(Number(ranged.headers.get("x-total-count")));
    expect(inRange.every((r) => r.occurred_at! >= from && r.occurred_at! <= to)).toBe(true);
    expect(inRange.map((r) => r.entity_id)).toEqual(expect.arrayContaining(["thing-4", "thing-5"]));
    const trail = await get("/api/v1/audit/events?action=audit.exported&limit=1", lidia).expect(200);
    expect(trail.body.items[0].changes).toEqual({ format: { after: "csv" }, from: { after: from }, to: { after: to } });
  });

  it("keeps a spreadsheet from running text in the CSV export as a formula", async () => {
    await write(CONTOSO, "formula-reason", { title: { after: "x" } }, "tester", '=HYPERLINK("https://example.invalid","open")');
    const rows = parse(await (await raw("/api/v1/audit/export?format=csv", lidia)).text(), { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.entity_id === "formula-reason")!.reason).toBe(`'=HYPERLINK("https://example.invalid","open")`);
    expect(rows.find((r) => r.entity_id === "thing-4")!.reason).toBe("because");
  });

  it("verifies the chain: ok, the event count, and the head hash of the newest event", async () => {
    const res = await get("/api/v1/audit/verify", lidia).expect(200);
    const newest = (await get("/api/v1/audit/events?limit=1", lidia).expect(200)).body.items[0];
    expect(res.body).toMatchObject({ ok: true, events: newest.seq, headHash: newest.hash });
    expect(res.body.firstBadSeq).toBeUndefined();
  });

  it("stays verifiable when a request carries text the database cannot store as sent (a lone surrogate)", async () => {
    // JSON allows "\ud800" on its own; UTF-8 storage cannot hold it and keeps U+FFFD instead.
    const body = `{"name":"Lone \\ud800 surrogate","scope":{"level":"tenant"},"enforcement":"warn","rule":{"kind":"nudge_limit","perOutcomePerWeek":9},"reason":"Odd \\udc00 text"}`;
    const created = await request(s.baseUrl).post("/api/v1/boundaries").set("Authorization", `Bearer ${miriam}`).set("Content-Type", "application/json").send(body);
    expect(created.status).toBe(201);
    const event = (await get(`/api/v1/audit/events?entityId=${created.body.id}`, lidia).expect(200)).body.items[0];
    expect(event.reason).toBe("Odd \ufffd text");
    expect((await get("/api/v1/audit/verify", lidia).expect(200)).body).toMatchObject({ ok: true });
  });

  it("signs a checkpoint on request, lists it, verifies it with the published key and reports it in verify", async () => {
    const made = await request(s.baseUrl).post("/api/v1/audit/checkpoints").set("Authorization", `Bearer ${lidia}`).expect(201);
    const newest = (await get("/api/v1/audit/events?limit=1", lidia).expect(200)).body.items[0];
    expect(newest).toMatchObject({ action: "audit.checkpoint_requested", seq: made.body.seq, hash: made.body.headHash });
    expect(verifyCheckpoint({ tenantId: CONTOSO, seq: made.body.seq, headHash: made.body.headHash, signedAt: made.body.signedAt }, made.body.signature, pem)).toBe(true);
    const list = await get("/api/v1/audit/checkpoints?limit=1", lidia).expect(200);
    expect(list.body.items[0]).toEqual(made.body);
    expect(list.body).toMatchObject({ publicKeyUrl: "/.well-known/leeway/audit-signing-key.pem" });
    const report = await get("/api/v1/audit/verify", lidia).expect(200);
    expect(report.body).toMatchObject({ ok: true, checkpoints: { latest: { ...made.body, signatureValid: true, matchesChain: true } } });
    expect(report.body.checkpoints.checked).toBeGreaterThanOrEqual(1);
  });

  it("pages checkpoints by cursor", async () => {
    await request(s.baseUrl).post("/api/v1/audit/checkpoints").set("Authorization", `Bearer ${lidia}`).expect(201);
    const first = await get("/api/v1/audit/checkpoints?limit=1", lidia).expect(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(`/api/v1/audit/checkpoints?limit=1&cursor=${first.body.nextCursor}`, lidia).expect(200);
    expect(second.body.items[0].seq).toBeLessThan(first.body.items[0].seq);
  });

  it("reports the first bad sequence once a row is changed behind the database's back", async () => {
    const target = (await get("/api/v1/audit/events?entityId=thing-3", lidia).expect(200)).body.items[0].seq as number;
    const owner: DataSource = await ownerConnection(s.db);
    try {
      if (s.db.engine === "postgres") {
        await owner.query("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
        await owner.query("UPDATE audit_event SET reason = 'edited' WHERE tenant_id = $1 AND seq = $2", [CONTOSO, target]);
        await owner.query("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
      } else {
        await owner.query("DROP TRIGGER audit_event_no_update");
        await owner.query("UPDATE audit_event SET reason = 'edited' WHERE tenant_id = ? AND seq = ?", [CONTOSO, target]);
      }
    } finally {
      await owner.destroy();
    }
    const res = await get("/api/v1/audit/verify", lidia).expect(200);
    expect(res.body).toMatchObject({ ok: false, firstBadSeq: target, events: target - 1 });
    expect(res.body.problem).toEqual(expect.any(String));
  });
});
