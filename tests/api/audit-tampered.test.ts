import request from "supertest";
import { hashEvent, type StoredAuditEvent } from "../../server/src/audit/canonical";
import { CONTOSO, ownerConnection, startTestServer, type TestServer } from "../support/harness";

/**
 * What compliance officers see once someone with direct access to the database has changed the
 * chain behind the append-only triggers, and what Leeway then refuses to sign.
 */

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/** Runs statements as the table owner with the append-only triggers out of the way. Placeholders are written $1, $2, ... */
async function behindTheTriggers(s: TestServer, work: (q: Query) => Promise<void>): Promise<void> {
  const owner = await ownerConnection(s.db);
  const pg = s.db.engine === "postgres";
  // SQLite's placeholders are positional: each $n becomes ? and takes its parameter in the order written.
  const q: Query = (sql, params = []) => (pg ? owner.query(sql, params) : owner.query(sql.replace(/\$\d+/g, "?"), [...sql.matchAll(/\$(\d+)/g)].map((m) => params[Number(m[1]) - 1])));
  try {
    if (pg) await q("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
    else {
      await q("DROP TRIGGER IF EXISTS audit_event_no_update");
      await q("DROP TRIGGER IF EXISTS audit_event_no_delete");
    }
    await work(q);
    if (pg) await q("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
  } finally {
    await owner.destroy();
  }
}

async function storedEvent(q: Query, seq: number): Promise<StoredAuditEvent> {
  const [row] = (await q(
    `SELECT tenant_id AS "tenantId", seq, occurred_at AS "occurredAt", actor_tenant_id AS "actorTenantId", actor_id AS "actorId", action, entity,
       entity_id AS "entityId", changes, reason, request_id AS "requestId", prev_hash AS "prevHash", hash
     FROM audit_event WHERE tenant_id = $1 AND seq = $2`,
    [CONTOSO, seq],
  )) as StoredAuditEvent[];
  return { ...row!, seq: Number(row!.seq) };
}

describe("audit trail tampered with in the database", () => {
  let s: TestServer;
  let lidia: string;

  const get = (path: string) => request(s.baseUrl).get(path).set("Authorization", `Bearer ${lidia}`);
  const signHead = async () => (await request(s.baseUrl).post("/api/v1/audit/checkpoints").set("Authorization", `Bearer ${lidia}`).expect(201)).body as { seq: number; headHash: string };
  const write = (entityId: string) =>
    s.leeway.context.uow.run({ tenantId: CONTOSO, actor: { tenantId: CONTOSO, userId: "tester" }, requestId: `req-${entityId}` }, async (tx) => {
      tx.audit({ action: "test.changed", entity: "test_thing", entityId, changes: { title: { after: entityId } } });
    });
  beforeEach(async () => {
    s = await startTestServer();
    lidia = await s.token("lidia.holloway@contoso.test");
  });
  afterEach(() => s.close());

  it("counts as verified only the events up to the last checkpoint that still matches when a signed checkpoint's event was rewritten", async () => {
    await write("first");
    const good = await signHead();
    for (let i = 1; i <= 3; i++) await write(`later-${i}`);
    const signed = await signHead();
    expect(signed.seq).toBe(good.seq + 4);
    await behindTheTriggers(s, async (q) => {
      // The head event is rewritten and hashed again, so every link still holds.
      const head = await storedEvent(q, signed.seq);
      const forged = { ...head, actorId: "mallory" };
      await q(`UPDATE audit_event SET actor_id = $3, hash = $4 WHERE tenant_id = $1 AND seq = $2`, [CONTOSO, head.seq, forged.actorId, hashEvent(forged)]);
    });

    const res = await get("/api/v1/audit/verify").expect(200);
    expect(res.body).toMatchObject({ ok: false, firstBadSeq: good.seq + 1, events: good.seq, headHash: good.headHash });
    expect(res.body.problem).toContain("rewritten");
  });
});
