import { createDataSource, runMigrations } from "../../server/src/store/data-source";
import { inDays, outcomeBody, people } from "../support/client";
import { startTestServer, type TestServer } from "../support/harness";
import { undoThrough } from "../support/migrations";

interface Row {
  outcome_id: string;
  version: number;
  state: string;
  reason: string | null;
  decided_at: string | null;
}

describe("the agreement-decisions migration on a trail that already has history", () => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_HOUSEKEEPING: "false" });
  });
  afterAll(() => s.close());

  it("keeps every agreement record through down and up; the older schema reads a decline as withdrawn, and the upgrade finds it in the audit trail again", async () => {
    const p = await people(s, ["adele", "megan"]);
    const o = (await p.adele.post("/api/v1/outcomes", outcomeBody(p.adele.id, p.adele.teams[0]!.id, { deadline: inDays(60) })).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    await p.adele.patch(`/api/v1/outcomes/${o.id}`, { deadline: inDays(90), reason: "The vendor slipped" }, '"v2"').expect(200);
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement/withdraw`, { version: 3, reason: "Talk first" }).expect(200);
    await p.adele.patch(`/api/v1/outcomes/${o.id}`, { deadline: inDays(80), reason: "A smaller slip" }, '"v4"').expect(200);
    await p.adele.post(`/api/v1/outcomes/${o.id}/agreement/withdraw`, { version: 5, reason: "Not yet" }).expect(200);

    const owner = createDataSource(s.config, "migrations");
    await owner.initialize();
    try {
      const rows = async () => (await owner.query("SELECT outcome_id, version, state, reason, decided_at FROM outcome_agreement ORDER BY outcome_id, version")) as Row[];
      const before = await rows();
      // The demo history adds its own agreements, so this runs on more than the one outcome.
      expect(before.length).toBeGreaterThan(10);
      expect(before.filter((r) => r.state === "declined")).toEqual([expect.objectContaining({ outcome_id: o.id, version: 3, reason: "The vendor slipped" })]);

      const undone = await undoThrough(owner, "AgreementDecisions1764800000000");
      const down = await rows();
      expect(down).toEqual(before.map((r) => (r.state === "declined" ? { ...r, state: "withdrawn" } : r)));
      await expect(owner.query("SELECT decided_by FROM outcome_agreement")).rejects.toThrow();
      // The older schema's check still holds: it takes no declined state.
      await expect(owner.query("UPDATE outcome_agreement SET state = 'declined' WHERE version = 3 AND outcome_id = '" + o.id + "'")).rejects.toThrow();

      await owner.destroy();
      await expect(runMigrations(s.config)).resolves.toEqual([...undone].reverse());
      await owner.initialize();
      // Who took it back, and whether it was declined, come back from the audit trail.
      expect(await rows()).toEqual(before);
      // And the new one refuses a state it does not know.
      await expect(owner.query("UPDATE outcome_agreement SET state = 'lost' WHERE version = 3 AND outcome_id = '" + o.id + "'")).rejects.toThrow();
    } finally {
      if (owner.isInitialized) await owner.destroy();
    }

    // The server, running on the migrated database, records decisions again.
    await p.adele.patch(`/api/v1/outcomes/${o.id}`, { deadline: inDays(75), reason: "Half the slip" }, '"v6"').expect(200);
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement/withdraw`, { version: 7, reason: "Still talk first" }).expect(200);
    const history = (await p.adele.get(`/api/v1/outcomes/${o.id}/agreement`).expect(200)).body.items as { version: number; state: string; decidedBy: string | null; decisionReason: string | null }[];
    expect(history.map((h) => [h.version, h.state, h.decidedBy, h.decisionReason])).toEqual([
      [1, "agreed", null, null],
      [3, "declined", p.megan.id, "Talk first"],
      [5, "withdrawn", p.adele.id, "Not yet"],
      [7, "declined", p.megan.id, "Still talk first"],
    ]);
  });
});
