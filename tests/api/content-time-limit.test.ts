import { buildBoundary, buildOutcome } from "../support/factories";
import { people, type As, type Who } from "../support/client";
import { FABRIKAM, startTestServer, type TestServer } from "../support/harness";

describe("forbidden content under the server's time limit", () => {
  let s: TestServer;
  let p: Record<Who, As>;

  beforeAll(async () => {
    s = await startTestServer();
    p = await people(s, ["patti", "nestor"]);
  });
  afterAll(() => s.close());

  it("refuses text a stored pattern cannot get through in time, instead of holding the server, and takes other text", async () => {
    // Stored as it was before boundaries were probed when written: it backtracks without bound on a run of a's.
    await buildBoundary(s, { tenantId: FABRIKAM, name: "Runs of a", rule: { kind: "content_pattern", patterns: [{ name: "Runs", regex: "(a|a)+$" }] } });
    const team = p.patti.teams[0]!.id;
    const o = await buildOutcome(s, { tenantId: FABRIKAM, ownerId: p.patti.id, teamId: team, title: "Inspections on time", status: "agreed" });
    // Matched without a limit, this text would hold the server for seconds and then pass; under the
    // limit it is stopped and refused, as it could not be checked.
    const slow = await p.patti.post(`/api/v1/outcomes/${o.id}/check-ins`, { status: "on_track", confidence: 4, progress: 1, mode: "async", note: "a".repeat(27) + "!" }).expect(422);
    expect(slow.body.findings).toEqual([expect.objectContaining({ boundaryName: "Runs of a", enforcement: "block", message: expect.stringContaining("could not be checked") })]);
    await p.patti.post(`/api/v1/outcomes/${o.id}/check-ins`, { status: "on_track", confidence: 4, progress: 2, mode: "async", note: "All crews booked." }).expect(201);
  });
});
