import { generateKeyPairSync } from "node:crypto";
import request from "supertest";
import { hashEvent } from "../../server/src/audit/canonical";
import { signerFromPem } from "../../server/src/audit/signing";
import { AuditCheckpointEntity, AuditEventEntity } from "../../server/src/store/entities";
import { behindTheTriggers, storedEvent } from "../support/audit-tampering";
import { CONTOSO, startTestServer, type TestServer } from "../support/harness";

/**
 * What compliance officers see once someone with direct access to the database has changed the
 * chain behind the append-only triggers, and what Leeway then refuses to sign.
 */

describe("audit trail tampered with in the database", () => {
  let s: TestServer;
  let lidia: string;

  const get = (path: string) => request(s.baseUrl).get(path).set("Authorization", `Bearer ${lidia}`);
  const signHead = async () => (await request(s.baseUrl).post("/api/v1/audit/checkpoints").set("Authorization", `Bearer ${lidia}`).expect(201)).body as { seq: number; headHash: string };
  const write = (entityId: string) =>
    s.leeway.context.uow.run({ tenantId: CONTOSO, actor: { tenantId: CONTOSO, userId: "tester" }, requestId: `req-${entityId}` }, async (tx) => {
      tx.audit({ action: "test.changed", entity: "test_thing", entityId, changes: { title: { after: entityId } } });
    });
  /** What the database holds of the tenant's trail: its events and checkpoints. */
  const stored = async () => {
    const ds = s.leeway.context.dataSource;
    return {
      events: await ds.getRepository(AuditEventEntity).countBy({ tenantId: CONTOSO }),
      checkpoints: await ds.getRepository(AuditCheckpointEntity).countBy({ tenantId: CONTOSO }),
    };
  };

  /** A careful hand removes the newest events, after `cutAt`, and moves the head row back with them. */
  const cutTail = (cutAt: number) =>
    behindTheTriggers(s, async (q) => {
      await q(`DELETE FROM audit_event WHERE tenant_id = $1 AND seq > $2`, [CONTOSO, cutAt]);
      if (s.db.engine === "postgres") {
        const last = await storedEvent(q, CONTOSO, cutAt);
        await q(`UPDATE audit_head SET seq = $2, hash = $3, occurred_at = $4 WHERE tenant_id = $1`, [CONTOSO, cutAt, last.hash, last.occurredAt]);
      }
    });

  beforeEach(async () => {
    s = await startTestServer();
    lidia = await s.token("lidia.holloway@contoso.test");
  });
  afterEach(() => s.close());

  it("refuses a JSONL export and a checkpoint over a chain whose tail was cut, and leaves no trace of either", async () => {
    for (let i = 1; i <= 3; i++) await write(`before-${i}`);
    const signed = await signHead();
    const cutAt = signed.seq - 2;
    await cutTail(cutAt);
    const before = await stored();

    const res = await get("/api/v1/audit/export?format=jsonl");
    expect(res.status).toBe(409);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.body).toMatchObject({ type: expect.stringMatching(/\/chain-broken$/), status: 409, firstBadSeq: cutAt + 1 });
    expect(res.body.detail).toContain("GET /api/v1/audit/verify");
    expect(res.body.detail).toContain("removed from the end");

    const again = await request(s.baseUrl).post("/api/v1/audit/checkpoints").set("Authorization", `Bearer ${lidia}`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: expect.stringMatching(/\/chain-broken$/), firstBadSeq: cutAt + 1 });

    // Neither the refused export nor the refused checkpoint wrote an event or signed anything.
    expect(await stored()).toEqual(before);
    const verified = await get("/api/v1/audit/verify").expect(200);
    expect(verified.body).toMatchObject({ ok: false, firstBadSeq: cutAt + 1, events: cutAt });

    // A CSV export signs nothing, so it stays open for looking into the break.
    const csv = await get("/api/v1/audit/export?format=csv").expect(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
  });

  it("signs no periodic checkpoint over a chain whose tail was cut, while writes go on", async () => {
    await s.close();
    s = await startTestServer({ LEEWAY_AUDIT_CHECKPOINT_EVERY: "10" });
    lidia = await s.token("lidia.holloway@contoso.test");
    for (let i = 1; i <= 3; i++) await write(`before-${i}`);
    const signed = await signHead();
    const cutAt = signed.seq - 2;
    await cutTail(cutAt);
    // Enough ordinary writes to pass two multiples of ten, where a checkpoint is signed.
    for (let i = 1; i <= 25; i++) await write(`after-${i}`);
    const rows = await s.leeway.context.dataSource.getRepository(AuditCheckpointEntity).findBy({ tenantId: CONTOSO });
    expect(rows.map((r) => Number(r.seq)).filter((seq) => seq > cutAt)).toEqual([signed.seq]);
    expect((await get("/api/v1/audit/verify").expect(200)).body).toMatchObject({ ok: false });
  });

  it("after a key rotation, still takes checkpoints signed with a previous key as evidence", async () => {
    const before = signerFromPem(generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    await s.close();
    s = await startTestServer({ LEEWAY_AUDIT_PREVIOUS_PUBLIC_KEYS: before.publicKeyPem });
    lidia = await s.token("lidia.holloway@contoso.test");
    for (let i = 1; i <= 3; i++) await write(`before-rotation-${i}`);
    let seq = 0;
    await behindTheTriggers(s, async (q) => {
      const [top] = (await q(`SELECT MAX(seq) AS seq FROM audit_event WHERE tenant_id = $1`, [CONTOSO])) as { seq: number | string }[];
      const head = await storedEvent(q, CONTOSO, Number(top!.seq));
      seq = head.seq;
      // Signed with the key in use before the rotation...
      const statement = { tenantId: CONTOSO, seq, headHash: head.hash, signedAt: head.occurredAt };
      await q(`INSERT INTO audit_checkpoint (tenant_id, seq, head_hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)`, [
        CONTOSO, seq, head.hash, head.occurredAt, before.keyId, before.sign(statement),
      ]);
      // ...which shows that the event it covers was later rewritten and hashed again.
      const forged = { ...head, actorId: "mallory" };
      await q(`UPDATE audit_event SET actor_id = $3, hash = $4 WHERE tenant_id = $1 AND seq = $2`, [CONTOSO, seq, forged.actorId, hashEvent(forged)]);
    });
    const res = await get("/api/v1/audit/verify").expect(200);
    expect(res.body).toMatchObject({ ok: false });
    expect(res.body.firstBadSeq).toBeLessThanOrEqual(seq);
    expect(res.body.problem).toContain("rewritten");
    const published = await request(s.baseUrl).get("/.well-known/leeway/audit-signing-key").expect(200);
    expect(published.body.previousKeys).toEqual([{ keyId: before.keyId, publicKeyPem: before.publicKeyPem }]);
  });

  it("names an event rewritten and hashed again, not the intact one after it whose link then breaks", async () => {
    for (let i = 1; i <= 4; i++) await write(`link-${i}`);
    const { events } = (await get("/api/v1/audit/verify").expect(200)).body as { events: number };
    const target = events - 1;
    let lastGood = "";
    await behindTheTriggers(s, async (q) => {
      lastGood = (await storedEvent(q, CONTOSO, target - 1)).hash;
      const e = await storedEvent(q, CONTOSO, target);
      const forged = { ...e, actorId: "mallory" };
      await q(`UPDATE audit_event SET actor_id = $3, hash = $4 WHERE tenant_id = $1 AND seq = $2`, [CONTOSO, target, forged.actorId, hashEvent(forged)]);
    });
    expect((await get("/api/v1/audit/verify").expect(200)).body).toMatchObject({ ok: false, firstBadSeq: target, events: target - 1, headHash: lastGood });
  });

  it("blames the later event at a broken link when a signed checkpoint vouches for the one before it", async () => {
    for (let i = 1; i <= 3; i++) await write(`link-${i}`);
    const signed = await signHead();
    for (let i = 4; i <= 6; i++) await write(`link-${i}`);
    await behindTheTriggers(s, async (q) => {
      // The event after the checkpoint's gets another link, and is hashed again.
      const after = await storedEvent(q, CONTOSO, signed.seq + 1);
      const relinked = { ...after, prevHash: "f".repeat(64) };
      await q(`UPDATE audit_event SET prev_hash = $3, hash = $4 WHERE tenant_id = $1 AND seq = $2`, [CONTOSO, after.seq, relinked.prevHash, hashEvent(relinked)]);
    });
    expect((await get("/api/v1/audit/verify").expect(200)).body).toMatchObject({ ok: false, firstBadSeq: signed.seq + 1, events: signed.seq, headHash: signed.headHash });
  });

  it("counts as verified only the events up to the last checkpoint that still matches when a signed checkpoint's event was rewritten", async () => {
    await write("first");
    const good = await signHead();
    for (let i = 1; i <= 3; i++) await write(`later-${i}`);
    const signed = await signHead();
    expect(signed.seq).toBe(good.seq + 4);
    await behindTheTriggers(s, async (q) => {
      // The head event is rewritten and hashed again, so every link still holds.
      const head = await storedEvent(q, CONTOSO, signed.seq);
      const forged = { ...head, actorId: "mallory" };
      await q(`UPDATE audit_event SET actor_id = $3, hash = $4 WHERE tenant_id = $1 AND seq = $2`, [CONTOSO, head.seq, forged.actorId, hashEvent(forged)]);
      // A checkpoint row that matches the chain just before it, but that nobody signed, vouches for nothing.
      const before = await storedEvent(q, CONTOSO, signed.seq - 1);
      await q(`INSERT INTO audit_checkpoint (tenant_id, seq, head_hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)`, [
        CONTOSO, before.seq, before.hash, before.occurredAt, "forged", Buffer.alloc(64).toString("base64"),
      ]);
    });

    const res = await get("/api/v1/audit/verify").expect(200);
    expect(res.body).toMatchObject({ ok: false, firstBadSeq: good.seq + 1, events: good.seq, headHash: good.headHash });
    expect(res.body.problem).toContain("rewritten");

    // Nor is such a chain exported as signed evidence, and the refusal leaves nothing behind.
    const before = await stored();
    const exported = await get("/api/v1/audit/export?format=jsonl");
    expect(exported.status).toBe(409);
    expect(exported.body).toMatchObject({ type: expect.stringMatching(/\/chain-broken$/), firstBadSeq: good.seq + 1 });
    expect(exported.body.detail).toContain("rewritten");
    expect(await stored()).toEqual(before);
  });
});
