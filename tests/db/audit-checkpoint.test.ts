import { hashEvent } from "../../server/src/audit/canonical";
import { AuditChainBroken } from "../../server/src/store/audit-chain";
import { behindTheTriggers, storedEvent } from "../support/audit-tampering";
import { CONTOSO, startTestServer, type TestServer } from "../support/harness";

describe("signing the chain head", () => {
  let s: TestServer;

  const write = (entityId: string) =>
    s.leeway.context.uow.run({ tenantId: CONTOSO, actor: { tenantId: CONTOSO, userId: "tester" } }, async (tx) => {
      tx.audit({ action: "test.changed", entity: "test_thing", entityId });
    });
  const sign = () => s.leeway.context.chain.checkpoint((fn) => s.leeway.context.uow.exclusive(fn), CONTOSO);

  beforeEach(async () => {
    s = await startTestServer();
  });
  afterEach(() => s.close());

  it("hands back the checkpoint already signed at the head only while it still carries the head's hash", async () => {
    await write("one");
    const first = (await sign())!;
    expect(await sign()).toEqual(first);

    await behindTheTriggers(s, async (q) => {
      const head = await storedEvent(q, CONTOSO, first.seq);
      const forged = { ...head, entityId: "forged" };
      await q(`UPDATE audit_event SET entity_id = $3, hash = $4 WHERE tenant_id = $1 AND seq = $2`, [CONTOSO, head.seq, forged.entityId, hashEvent(forged)]);
    });
    // No earlier checkpoint still matches, so nothing before it is vouched for either.
    await expect(sign()).rejects.toMatchObject({ problem: expect.stringContaining(`sequence ${first.seq} differs`), firstBadSeq: 1 });
    await expect(sign()).rejects.toBeInstanceOf(AuditChainBroken);
  });

  it("refuses a head whose stored checkpoint does not match it and carries no valid signature", async () => {
    await write("one");
    const { seq, hash } = await s.leeway.context.chain.head(s.leeway.context.dataSource.manager, CONTOSO);
    await behindTheTriggers(s, async (q) => {
      await q(`INSERT INTO audit_checkpoint (tenant_id, seq, head_hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)`, [
        CONTOSO,
        seq,
        "f".repeat(64),
        "2026-01-01T00:00:00.000Z",
        "forged",
        Buffer.alloc(64).toString("base64"),
      ]);
    });
    expect(hash).not.toBe("f".repeat(64));
    await expect(sign()).rejects.toThrow(`the checkpoint stored at sequence ${seq} does not carry the hash of the event there`);
  });
});
