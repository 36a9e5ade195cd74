import { findOne } from "../../server/src/store/entity-sql";
import { NudgeEntity } from "../../server/src/store/entities";
import { CONTOSO, startTestServer, type TestServer } from "../support/harness";

describe("statements on PostgreSQL", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it("are parsed once per connection and then only executed", async () => {
    const counts = await s.leeway.context.dataSource.transaction(async (m) => {
      const prepared = async () => Number((await m.query("SELECT count(*) AS n FROM pg_prepared_statements"))[0].n);
      const before = await prepared();
      await findOne(m, NudgeEntity, { tenantId: CONTOSO, id: "parsed-once-0" });
      const afterFirst = await prepared();
      for (let i = 1; i <= 3; i++) await findOne(m, NudgeEntity, { tenantId: CONTOSO, id: `parsed-once-${i}` });
      return { before, afterFirst, afterMore: await prepared() };
    });
    expect(counts.afterFirst).toBeGreaterThan(0);
    expect(counts.afterFirst).toBeLessThanOrEqual(counts.before + 1);
    expect(counts.afterMore).toBe(counts.afterFirst);
  });
});
