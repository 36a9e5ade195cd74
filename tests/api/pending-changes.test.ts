import { people, outcomeBody, inDays, type As, type Who } from "../support/client";
import { buildBoundary } from "../support/factories";
import { passDeadline, startTestServer, type TestServer } from "../support/harness";

describe("taking back a proposed change, and changes that cannot or need not be made", () => {
  let s: TestServer;
  let p: Record<Who, As>;
  let team: string;

  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_HOUSEKEEPING: "false" });
    p = await people(s);
    team = p.adele.teams[0]!.id;
  });
  afterAll(() => s.close());

  /** An outcome of Adele's that Megan, her manager, has agreed: version 2. */
  async function agreed(): Promise<string> {
    const o = (await p.adele.post("/api/v1/outcomes", outcomeBody(p.adele.id, team, { deadline: inDays(60) })).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    return o.id as string;
  }

  const events = async (id: string): Promise<string[]> => {
    const pg = s.db.engine === "postgres";
    const rows = (await s.leeway.context.dataSource.query(`SELECT action FROM audit_event WHERE entity_id = ${pg ? "$1" : "?"} ORDER BY seq`, [id])) as { action: string }[];
    return rows.map((r) => r.action);
  };

  type Step = { kind: string; state: string; proposedBy: string; reason: string | null; decidedAt: string | null; decidedBy: string | null; decisionReason: string | null };
  const historyOf = async (id: string): Promise<Step[]> => (await p.adele.get(`/api/v1/outcomes/${id}/agreement`).expect(200)).body.items as Step[];

  it("lets the proposer withdraw a change: the agreed what stays in force and the history says so", async () => {
    const id = await agreed();
    await p.megan.patch(`/api/v1/outcomes/${id}`, { measure: { target: 3 }, reason: "Audit asked for 3 days" }, '"v2"').expect(200);

    const withdrawn = await p.megan.post(`/api/v1/outcomes/${id}/agreement/withdraw`, { version: 3, reason: "Audit agreed 5 is fine" }).expect(200);
    expect(withdrawn.headers.etag).toBe('"v4"');
    expect(withdrawn.body).toMatchObject({ status: "agreed", version: 4, agreement: { pending: null } });
    expect(withdrawn.body.measure.target).toBe(5);

    // Nothing is left to accept.
    const late = await p.adele.post(`/api/v1/outcomes/${id}/agreement`, { version: 3 });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("nothing_pending");
    const history = await historyOf(id);
    expect(history.map((h) => `${h.kind}:${h.state}`)).toEqual(["create:agreed", "change:withdrawn"]);
    expect(history[1]).toMatchObject({ reason: "Audit asked for 3 days", decidedBy: p.megan.id, decisionReason: "Audit agreed 5 is fine", decidedAt: expect.any(String) });
    // The first version was agreed when Megan, the manager, accepted Adele's proposal.
    expect(history[0]).toMatchObject({ decidedBy: p.megan.id, decisionReason: null });
    expect((await events(id)).at(-1)).toBe("outcome.change_withdrawn");
  });

  it("lets the other side decline a change, audited as declined with its reason", async () => {
    const id = await agreed();
    await p.adele.patch(`/api/v1/outcomes/${id}`, { deadline: inDays(120), reason: "The vendor slipped" }, '"v2"').expect(200);

    const declined = await p.megan.post(`/api/v1/outcomes/${id}/agreement/withdraw`, { version: 3, reason: "Let us talk about the vendor first" }).expect(200);
    expect(declined.body.deadline).toBe(inDays(60));
    expect(declined.body.agreement.pending).toBeNull();

    const pg = s.db.engine === "postgres";
    const [last] = (await s.leeway.context.dataSource.query(`SELECT action, actor_id AS "actorId", reason FROM audit_event WHERE entity_id = ${pg ? "$1" : "?"} ORDER BY seq DESC LIMIT 1`, [id])) as { action: string; actorId: string; reason: string }[];
    expect(last).toEqual({ action: "outcome.change_declined", actorId: p.megan.id, reason: "Let us talk about the vendor first" });
    // The history tells a decline from a withdrawal, and keeps both people's reasons.
    expect((await historyOf(id)).at(-1)).toMatchObject({
      kind: "change",
      state: "declined",
      proposedBy: p.adele.id,
      reason: "The vendor slipped",
      decidedBy: p.megan.id,
      decisionReason: "Let us talk about the vendor first",
    });
  });

  it("says who replaced a proposal with a counter-proposal, and who completed the agreement", async () => {
    const id = await agreed();
    await p.megan.patch(`/api/v1/outcomes/${id}`, { measure: { target: 3 }, reason: "Audit asked for 3 days" }, '"v2"').expect(200);
    await p.adele.patch(`/api/v1/outcomes/${id}`, { measure: { target: 4 }, reason: "4 is what the team can do" }, '"v3"').expect(200);
    await p.megan.post(`/api/v1/outcomes/${id}/agreement`, { version: 4 }).expect(200);

    const history = await historyOf(id);
    expect(history.map((h) => [h.state, h.proposedBy, h.decidedBy])).toEqual([
      ["agreed", p.adele.id, p.megan.id],
      ["superseded", p.megan.id, p.adele.id],
      ["agreed", p.adele.id, p.megan.id],
    ]);
  });

  it("refuses to take back a version other than the one on the table, someone who is not a party, and an outcome with nothing pending", async () => {
    const id = await agreed();
    const nothing = await p.adele.post(`/api/v1/outcomes/${id}/agreement/withdraw`, { version: 2 });
    expect(nothing.status).toBe(409);
    expect(nothing.body.code).toBe("nothing_pending");

    await p.adele.patch(`/api/v1/outcomes/${id}`, { title: "Close audit findings in 4 days", reason: "Clearer" }, '"v2"').expect(200);
    // A newer proposal replaced the one the caller saw: it is not taken back unseen.
    await p.adele.patch(`/api/v1/outcomes/${id}`, { title: "Close audit findings within 4 days", reason: "Clearer still" }, '"v3"').expect(200);
    const stale = await p.megan.post(`/api/v1/outcomes/${id}/agreement/withdraw`, { version: 3 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: "stale_version", path: "version", details: { pendingVersion: 4 } });

    const teammate = await p.alex.post(`/api/v1/outcomes/${id}/agreement/withdraw`, { version: 4 });
    expect(teammate.status).toBe(403);
    const compliance = await p.lidia.post(`/api/v1/outcomes/${id}/agreement/withdraw`, { version: 4 });
    expect(compliance.status).toBe(403);

    const current = await p.adele.get(`/api/v1/outcomes/${id}`).expect(200);
    expect(current.headers.etag).toBe('"v4"');
    expect(current.body.agreement.pending).toMatchObject({ version: 4, what: { title: "Close audit findings within 4 days" } });
  });

  it("does not withdraw the first proposal: before any agreement it is the outcome itself", async () => {
    const o = (await p.adele.post("/api/v1/outcomes", outcomeBody(p.adele.id, team, { deadline: inDays(60) })).expect(201)).body;
    const res = await p.adele.post(`/api/v1/outcomes/${o.id}/agreement/withdraw`, { version: 1 });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("not_allowed");
    expect((await p.adele.get(`/api/v1/outcomes/${o.id}`).expect(200)).body.agreement.pending).toMatchObject({ version: 1 });
  });

  it("answers a change to nothing with the outcome as it is: no new version, no audit event", async () => {
    const id = await agreed();
    const before = await events(id);
    const same = await p.adele.patch(`/api/v1/outcomes/${id}`, { measure: { target: 5 }, visibility: "team", approach: {} }, '"v2"').expect(200);
    expect(same.headers.etag).toBe('"v2"');
    expect(same.body.version).toBe(2);
    expect(await events(id)).toEqual(before);
    // The same delegates in another order are the same delegates.
    const withDelegates = await p.adele.patch(`/api/v1/outcomes/${id}`, { delegateIds: [p.alex.id, p.diego.id] }, '"v2"').expect(200);
    expect(withDelegates.headers.etag).toBe('"v3"');
    const reordered = await p.adele.patch(`/api/v1/outcomes/${id}`, { delegateIds: [p.diego.id, p.alex.id] }, '"v3"').expect(200);
    expect(reordered.headers.etag).toBe('"v3"');
    // Someone without the right is refused even when the change is to nothing.
    expect((await p.megan.patch(`/api/v1/outcomes/${id}`, { visibility: "team" }, '"v3"')).status).toBe(403);
    const before2 = await events(id);
    // A stale version is still a stale version.
    expect((await p.adele.patch(`/api/v1/outcomes/${id}`, { visibility: "team" }, '"v1"')).status).toBe(412);
    expect(await events(id)).toEqual(before2);
    // And a real change still makes one.
    const changed = await p.adele.patch(`/api/v1/outcomes/${id}`, { approach: { plan: "Triage daily" } }, '"v3"').expect(200);
    expect(changed.headers.etag).toBe('"v4"');
  });

  it("keeps a closed outcome as it was: only who may see it can change", async () => {
    const id = await agreed();
    const v = (await p.adele.patch(`/api/v1/outcomes/${id}`, { delegateIds: [p.alex.id, p.diego.id] }, '"v2"').expect(200)).body.version as number;
    expect(v).toBe(3);
    await p.adele.post(`/api/v1/outcomes/${id}/check-ins`, { status: "done", confidence: 5, progress: 5, mode: "async" }).expect(201);
    const done = await p.adele.get(`/api/v1/outcomes/${id}`).expect(200);
    expect(done.body.status).toBe("done");
    const etag = done.headers.etag as string;

    for (const [body, path] of [
      [{ measure: { current: 1 } }, "measure.current"],
      [{ approach: { plan: "Rewrite history" } }, "approach.plan"],
      [{ title: "A different outcome", reason: "Hindsight" }, "title"],
      [{ delegateIds: [p.alex.id, p.diego.id, p.megan.id] }, "delegateIds"],
    ] as const) {
      const res = await p.adele.patch(`/api/v1/outcomes/${id}`, body, etag);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: "closed", path, errors: [{ path }] });
    }
    expect((await p.adele.get(`/api/v1/outcomes/${id}`).expect(200)).headers.etag).toBe(etag);
    const shared = await p.adele.patch(`/api/v1/outcomes/${id}`, { visibility: "public" }, etag).expect(200);
    expect(shared.body).toMatchObject({ status: "done", visibility: "public" });
    // Taking a delegate off is part of who may see it.
    const fewer = await p.adele.patch(`/api/v1/outcomes/${id}`, { delegateIds: [p.diego.id] }, shared.headers.etag).expect(200);
    expect(fewer.body.delegateIds).toEqual([p.diego.id]);
  });

  it("treats an outcome whose deadline has passed as closed to changes, before the sweep records it", async () => {
    const id = await agreed();
    await passDeadline(s.db, id);
    const res = await p.adele.patch(`/api/v1/outcomes/${id}`, { deadline: inDays(30), reason: "Too late to ask" }, '"v2"');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "closed", path: "deadline" });
  });

  it("does not let a change on the table be accepted or declined once the deadline has passed, before the sweep records it", async () => {
    const id = await agreed();
    await p.adele.patch(`/api/v1/outcomes/${id}`, { deadline: inDays(90), reason: "The vendor slipped" }, '"v2"').expect(200);
    // The agreed deadline (the one in force) passes while the extension waits.
    await passDeadline(s.db, id);
    for (const res of [await p.megan.post(`/api/v1/outcomes/${id}/agreement`, { version: 3 }), await p.megan.post(`/api/v1/outcomes/${id}/agreement/withdraw`, { version: 3 })]) {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("closed");
    }
    const missed = (await p.adele.get(`/api/v1/outcomes/${id}`).expect(200)).body;
    expect(missed).toMatchObject({ status: "missed", version: 3 });
    // The extension that was on the table stays readable for the review, and waits for nobody.
    expect(missed.agreement.pending).toMatchObject({ kind: "change", reason: "The vendor slipped", waitingFor: [] });
  });

  it("waits for nobody on a change left on the table when the owner checks in done", async () => {
    const id = await agreed();
    await p.adele.patch(`/api/v1/outcomes/${id}`, { deadline: inDays(90), reason: "More time for the last branch" }, '"v2"').expect(200);
    expect((await p.megan.get(`/api/v1/outcomes/${id}`).expect(200)).body.agreement.pending.waitingFor).toEqual(["manager"]);
    await p.adele.post(`/api/v1/outcomes/${id}/check-ins`, { status: "done", confidence: 5, progress: 100, mode: "async" }).expect(201);
    const done = (await p.megan.get(`/api/v1/outcomes/${id}`).expect(200)).body;
    expect(done).toMatchObject({ status: "done" });
    expect(done.agreement.pending.waitingFor).toEqual([]);
    const mine = (await p.megan.get("/api/v1/dashboards/me").expect(200)).body;
    expect(mine.pendingAgreements.map((x: { outcomeId?: string; id?: string }) => x.outcomeId ?? x.id)).not.toContain(id);
    const owners = (await p.adele.get("/api/v1/dashboards/me").expect(200)).body;
    expect(owners.outcomes.find((x: { id: string }) => x.id === id)).toMatchObject({ status: "done", waitingFor: [] });
  });

  it("records a proposal taken back by someone other than its proposer as declined", async () => {
    const id = await agreed();
    await p.megan.patch(`/api/v1/outcomes/${id}`, { ifMissed: "We look at staffing together", reason: "Clearer consequence" }, '"v2"').expect(200);
    await p.adele.post(`/api/v1/outcomes/${id}/agreement/withdraw`, { version: 3 }).expect(200);
    expect((await events(id)).at(-1)).toBe("outcome.change_declined");
    expect((await historyOf(id)).at(-1)).toMatchObject({ state: "declined", decidedBy: p.adele.id, decisionReason: null });
  });

  it("does not let a content rule made later lock a closed outcome: who may see it still changes", async () => {
    const plan = { approach: { plan: "Chase supplier ticket PRJ-482913 daily" } };
    const open = await agreed();
    const closed = await agreed();
    for (const id of [open, closed]) await p.adele.patch(`/api/v1/outcomes/${id}`, plan, '"v2"').expect(200);
    await p.adele.post(`/api/v1/outcomes/${closed}/check-ins`, { status: "done", confidence: 5, progress: 5, mode: "async" }).expect(201);
    // Adele's team only, so no other test meets the rule.
    await buildBoundary(s, { name: "No supplier ticket numbers", rule: { kind: "content_pattern", patterns: [{ name: "Supplier ticket", regex: "PRJ-\\d{6}" }] }, scope: { level: "team", teamId: team } });

    // On an open outcome the kept text is judged again with any change.
    const refused = await p.adele.patch(`/api/v1/outcomes/${open}`, { visibility: "public" }, '"v3"');
    expect(refused.status).toBe(422);
    expect(refused.body.findings).toEqual([expect.objectContaining({ boundaryName: "No supplier ticket numbers", path: "approach.plan" })]);
    // A closed outcome's text is its record: it is not judged again, so its visibility can still change.
    const etag = (await p.adele.get(`/api/v1/outcomes/${closed}`).expect(200)).headers.etag as string;
    const shared = await p.adele.patch(`/api/v1/outcomes/${closed}`, { visibility: "public" }, etag).expect(200);
    expect(shared.body).toMatchObject({ status: "done", visibility: "public", approach: plan.approach });
  });
});
