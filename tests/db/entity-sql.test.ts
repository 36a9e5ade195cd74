import { QueryFailedError } from "typeorm";
import { findOne, findRows, insertRow, updateRow } from "../../server/src/store/entity-sql";
import { NudgeEntity, OutcomeEntity, PersonEntity } from "../../server/src/store/entities";
import { CONTOSO, startTestServer, type TestServer } from "../support/harness";

describe("plain SQL from entity metadata", () => {
  let s: TestServer;
  let outcome: OutcomeEntity;
  beforeAll(async () => {
    s = await startTestServer();
    outcome = await s.leeway.context.dataSource.manager.findOneByOrFail(OutcomeEntity, { tenantId: CONTOSO });
  });
  afterAll(() => s.close());

  // Nudges dated far ahead, so they are the outcome's latest whatever the demo history holds.
  const nudge = (id: string, at: string, message: string | null = null): NudgeEntity => ({
    tenantId: CONTOSO,
    id,
    outcomeId: outcome.id,
    teamId: outcome.teamId,
    ownerId: outcome.ownerId,
    senderId: null,
    kind: "nudge",
    at,
    message,
    redactedAt: null,
  });

  it("inserts every column and reads rows back by key, filtered, ordered and limited", async () => {
    const m = s.leeway.context.dataSource.manager;
    for (let i = 1; i <= 5; i++) await insertRow(m, NudgeEntity, nudge(`n-sql-${i}`, `2099-11-0${i}T09:00:00.000Z`, i === 3 ? "it's “quoted”" : null));
    expect(await findOne(m, NudgeEntity, { tenantId: CONTOSO, id: "n-sql-3" })).toEqual(nudge("n-sql-3", "2099-11-03T09:00:00.000Z", "it's “quoted”"));
    const latest = await findRows(m, NudgeEntity, { tenantId: CONTOSO, outcomeId: outcome.id }, { select: ["id", "at"], orderBy: { property: "at", direction: "DESC" }, limit: 2 });
    expect(latest).toEqual([
      { id: "n-sql-5", at: "2099-11-05T09:00:00.000Z" },
      { id: "n-sql-4", at: "2099-11-04T09:00:00.000Z" },
    ]);
    expect(await findOne(m, NudgeEntity, { tenantId: "another-tenant", id: "n-sql-3" })).toBeNull();
  });

  it("converts values the way TypeORM does (JSON columns parsed on the way out)", async () => {
    const m = s.leeway.context.dataSource.manager;
    const someone = await m.findOneByOrFail(PersonEntity, { tenantId: CONTOSO });
    const read = await findOne(m, PersonEntity, { tenantId: CONTOSO, id: someone.id });
    expect(read).toEqual({ ...someone });
  });

  it("updates only while the guard holds, and reports how many rows changed", async () => {
    const m = s.leeway.context.dataSource.manager;
    const row = nudge("n-sql-guard", "2099-12-10T09:00:00.000Z", "first");
    await insertRow(m, NudgeEntity, row);
    expect(await updateRow(m, NudgeEntity, { ...row, message: "second" }, { message: "first" })).toBe(1);
    expect(await updateRow(m, NudgeEntity, { ...row, message: "third" }, { message: "first" })).toBe(0);
    expect(await updateRow(m, NudgeEntity, { ...row, message: "ignored", kind: "reminder" }, {}, ["kind"])).toBe(1);
    expect(await findOne(m, NudgeEntity, { tenantId: CONTOSO, id: "n-sql-guard" })).toMatchObject({ message: "second", kind: "reminder" });
  });

  it("reports a duplicate key as TypeORM's QueryFailedError, on both engines", async () => {
    const m = s.leeway.context.dataSource.manager;
    await insertRow(m, NudgeEntity, nudge("n-sql-dup", "2099-12-11T09:00:00.000Z"));
    await expect(insertRow(m, NudgeEntity, nudge("n-sql-dup", "2099-12-11T09:00:00.000Z"))).rejects.toBeInstanceOf(QueryFailedError);
  });

  it("runs inside the caller's transaction: what a rolled-back transaction wrote is gone", async () => {
    const ds = s.leeway.context.dataSource;
    await expect(
      ds.transaction(async (m) => {
        await insertRow(m, NudgeEntity, nudge("n-sql-rolled-back", "2099-12-12T09:00:00.000Z"));
        expect(await findOne(m, NudgeEntity, { tenantId: CONTOSO, id: "n-sql-rolled-back" })).not.toBeNull();
        throw new Error("abandon");
      }),
    ).rejects.toThrow("abandon");
    expect(await findOne(ds.manager, NudgeEntity, { tenantId: CONTOSO, id: "n-sql-rolled-back" })).toBeNull();
  });
});
