import { createDataSource, runMigrations } from "../../server/src/store/data-source";
import { startTestServer, type TestServer } from "../support/harness";
import { undoThrough } from "../support/migrations";

describe("the check-in facts migration on a store that already has check-ins", () => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_HOUSEKEEPING: "false" });
  });
  afterAll(() => s.close());

  it("counts the ideas and asks for support of every check-in written before it, as the service counts them since", async () => {
    const owner = createDataSource(s.config, "migrations");
    await owner.initialize();
    const facts = async () =>
      (await owner.query("SELECT id, ideas_count AS ideas, support_asked AS support FROM check_in ORDER BY tenant_id, id")).map((r: { id: string; ideas: unknown; support: unknown }) => ({
        id: r.id,
        ideas: Number(r.ideas),
        support: Boolean(r.support),
      }));
    try {
      // As the demo history wrote them, through the same counting the service uses.
      const written = await facts();
      expect(written.filter((f: { ideas: number }) => f.ideas > 0).length).toBeGreaterThan(5);
      expect(written.filter((f: { support: boolean }) => f.support).length).toBeGreaterThan(2);

      const undone = await undoThrough(owner, "CheckInFacts1764900000000");
      await expect(owner.query("SELECT ideas_count FROM check_in")).rejects.toThrow();
      await owner.destroy();
      await expect(runMigrations(s.config)).resolves.toEqual([...undone].reverse());
      await owner.initialize();
      expect(await facts()).toEqual(written);
    } finally {
      if (owner.isInitialized) await owner.destroy();
    }
  });
});
