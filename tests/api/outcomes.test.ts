import { people, outcomeBody, inDays, type As, type Who } from "../support/client";
import { ownerConnection, startTestServer, type TestServer } from "../support/harness";

describe("outcomes and agreement", () => {
  let s: TestServer;
  let p: Record<Who, As>;
  let team: string;

  beforeAll(async () => {
    // The sweeps run when the tests call them, not on the server's own timer as well.
    s = await startTestServer({ LEEWAY_HOUSEKEEPING: "false" });
    p = await people(s);
    team = p.adele.teams[0]!.id;
  });
  afterAll(() => s.close());

  const create = (who: As, over: Record<string, unknown> = {}) => who.post("/api/v1/outcomes", outcomeBody(p.adele.id, team, over));

  it("lets the owner propose an outcome and the manager agree to that version", async () => {
    const created = await create(p.adele).expect(201);
    expect(created.headers.etag).toBe('"v1"');
    expect(created.body).toMatchObject({ status: "proposed", version: 1, ownerId: p.adele.id, managerId: p.megan.id });
    expect(created.body.agreement.pending).toMatchObject({ version: 1, proposedBy: "owner", waitingFor: ["manager"] });

    const agreed = await p.megan.post(`/api/v1/outcomes/${created.body.id}/agreement`, { version: 1 }).expect(200);
    expect(agreed.body).toMatchObject({ status: "agreed", version: 2, agreement: { pending: null } });
    expect(agreed.body.agreement.agreedWhat.measure.target).toBe(5);
    expect(agreed.body.agreedAt).not.toBeNull();

    // Accepting again is a conflict, not a silent success.
    const again = await p.megan.post(`/api/v1/outcomes/${created.body.id}/agreement`, { version: 2 });
    expect(again.status).toBe(409);
  });

  it("refuses agreement from someone who is not the owner or the owner's manager", async () => {
    const o = (await create(p.adele).expect(201)).body;
    const res = await p.alex.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 });
    expect(res.status).toBe(403);
    expect(res.body.status).toBe(403);
  });

  it("validates what a user would expect, with field paths", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "ab" }, "title"],
      [{ measure: { metric: "Days", unit: "days", baseline: 5, target: 5 } }, "measure.target"],
      [{ deadline: "2026-02-30" }, "deadline"],
      [{ deadline: inDays(-3) }, "deadline"],
      [{ visibility: "secret" }, "visibility"],
      [{ tenantId: "fabf0000-0000-4000-8000-000000000002" }, "tenantId"],
      [{ status: "agreed" }, "status"],
      [{ version: 7 }, "version"],
      [{ measure: { metric: "x", unit: "y", baseline: 1, target: 2, current: 9 } }, "measure.current"],
    ];
    for (const [over, path] of cases) {
      const res = await create(p.adele, over);
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it("takes a title of up to 200 characters, and no longer", async () => {
    await create(p.adele, { title: "T".repeat(200) }).expect(201);
    const long = await create(p.adele, { title: "T".repeat(201) }).expect(400);
    expect(long.body.errors.map((e: { path: string }) => e.path)).toEqual(["title"]);
  });

  it("refuses a changed target equal to the baseline, as on create, and leaves the outcome as it was", async () => {
    const o = (await create(p.adele).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    for (const measure of [{ target: 10 }, { baseline: 5 }]) {
      const res = await p.adele.patch(`/api/v1/outcomes/${o.id}`, { measure, reason: "Rethought the measure" }, '"v2"').expect(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["measure.target"]);
    }
    const after = (await p.adele.get(`/api/v1/outcomes/${o.id}`).expect(200)).body;
    expect(after).toMatchObject({ version: 2, status: "agreed", measure: { baseline: 10, target: 5 }, agreement: { pending: null } });
  });

  it("filters the list by team", async () => {
    const o = (await create(p.adele, { title: "Listed by its team" }).expect(201)).body;
    const ids = async (q: string) => (await p.megan.get(`/api/v1/outcomes?${q}&limit=200`).expect(200)).body.items.map((x: { id: string; teamId: string }) => x);
    const mine = await ids(`teamId=${team}`);
    expect(mine.map((x: { id: string }) => x.id)).toContain(o.id);
    expect(mine.every((x: { teamId: string }) => x.teamId === team)).toBe(true);
    const other = p.miriam.teams.find((t) => t.id !== team)!.id;
    expect((await ids(`teamId=${other}`)).map((x: { id: string }) => x.id)).not.toContain(o.id);
  });

  it("lets a delegate the owner names record check-ins on a private outcome, and nobody else; naming no one ends it", async () => {
    const o = (await create(p.adele, { title: "Delegated check-ins", visibility: "private" }).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    const named = await p.adele.patch(`/api/v1/outcomes/${o.id}`, { delegateIds: [p.alex.id] }, '"v2"').expect(200);
    const checkIn = { status: "on_track", confidence: 4, progress: 6, mode: "async" };
    // Alex, named, sees the private outcome in lists and records for Adele.
    expect((await p.alex.get(`/api/v1/outcomes?ownerId=${p.adele.id}&limit=200`).expect(200)).body.items.map((x: { id: string }) => x.id)).toContain(o.id);
    const recorded = await p.alex.post(`/api/v1/outcomes/${o.id}/check-ins`, checkIn).expect(201);
    expect(recorded.body).toMatchObject({ authorId: p.alex.id, outcomeStatus: "agreed" });
    // Diego, a teammate not named, neither sees it nor records.
    expect((await p.diego.get(`/api/v1/outcomes?ownerId=${p.adele.id}&limit=200`).expect(200)).body.items.map((x: { id: string }) => x.id)).not.toContain(o.id);
    await p.diego.post(`/api/v1/outcomes/${o.id}/check-ins`, checkIn).expect(404);
    // Adele names no one: Alex loses both.
    await p.adele.patch(`/api/v1/outcomes/${o.id}`, { delegateIds: [] }, `"v${named.body.version + 1}"`).expect(200);
    await p.alex.post(`/api/v1/outcomes/${o.id}/check-ins`, checkIn).expect(404);
    const list = (await p.adele.get(`/api/v1/outcomes/${o.id}/check-ins`).expect(200)).body.items;
    expect(list.map((c: { authorId: string }) => c.authorId)).toEqual([p.alex.id]);
  });

  it("refuses __proto__ and constructor keys without polluting anything", async () => {
    const raw = JSON.stringify(outcomeBody(p.adele.id, team)).replace(/^\{/, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},');
    const res = await p.adele.post("/api/v1/outcomes").set("content-type", "application/json").send(raw);
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("keeps the how with the owner: a manager's approach change is refused with the reason", async () => {
    const o = (await create(p.adele).expect(201)).body;
    const refused = await p.megan.patch(`/api/v1/outcomes/${o.id}`, { approach: { plan: "Do it my way" } }, '"v1"');
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/belongs to the owner/);
    const ok = await p.adele.patch(`/api/v1/outcomes/${o.id}`, { approach: { plan: "Pilot with two branches", tools: ["Power BI"] } }, '"v1"').expect(200);
    expect(ok.body.approach).toEqual({ plan: "Pilot with two branches", tools: ["Power BI"] });
    expect(ok.headers.etag).toBe('"v2"');
  });

  it("keeps the how with the owner from the first version: a manager proposes the what only", async () => {
    const refused = await create(p.megan, { approach: { plan: "Do it my way" } });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/belongs to the owner/);
    const proposed = await create(p.megan).expect(201);
    expect(proposed.body.approach).toEqual({});
  });

  it("refuses any change from someone who only sees the outcome, even one that changes nothing", async () => {
    const o = (await create(p.adele).expect(201)).body;
    const res = await p.alex.patch(`/api/v1/outcomes/${o.id}`, { measure: {} }, '"v1"');
    expect(res.status).toBe(403);
    const after = await p.adele.get(`/api/v1/outcomes/${o.id}`).expect(200);
    expect(after.headers.etag).toBe('"v1"');
  });

  it("refuses the NUL character with the field's path, in a body or a query, never a 5xx", async () => {
    const o = (await create(p.adele).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    const body = await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, { status: "on_track", confidence: 4, progress: 6, mode: "async", note: "half\u0000way" });
    expect(body.status).toBe(400);
    expect(body.body.errors).toEqual([expect.objectContaining({ path: "note" })]);
    const query = await p.lidia.get("/api/v1/audit/events?entityId=%00");
    expect(query.status).toBe(400);
    expect(query.body.errors).toEqual([expect.objectContaining({ path: "entityId" })]);
    expect((await p.adele.get(`/api/v1/outcomes/${o.id}/check-ins`).expect(200)).body.items).toEqual([]);
  });

  it("needs If-Match on PATCH and answers 412 when stale", async () => {
    const o = (await create(p.adele).expect(201)).body;
    const missing = await p.adele.patch(`/api/v1/outcomes/${o.id}`, { approach: { plan: "x" } });
    expect(missing.status).toBe(428);
    await p.adele.patch(`/api/v1/outcomes/${o.id}`, { approach: { plan: "first" } }, '"v1"').expect(200);
    const stale = await p.adele.patch(`/api/v1/outcomes/${o.id}`, { approach: { plan: "second" } }, '"v1"');
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(2);
    const current = await p.adele.get(`/api/v1/outcomes/${o.id}`).expect(200);
    expect(current.body.approach.plan).toBe("first");
  });

  it("lets one of several changes sent at once with the same If-Match through and answers the others 412", async () => {
    const o = (await create(p.adele).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    // A double click, or owner and manager at the same moment: each proposes a change of the what.
    const sent = await Promise.all([
      ...[1, 2, 3].map((i) => p.adele.patch(`/api/v1/outcomes/${o.id}`, { title: `Faster decisions, take ${i}`, reason: "Clearer wording" }, '"v2"')),
      ...[4, 5].map((i) => p.megan.patch(`/api/v1/outcomes/${o.id}`, { title: `Faster decisions, take ${i}`, reason: "Clearer wording" }, '"v2"')),
    ]);
    expect(sent.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412]);
    const history = (await p.adele.get(`/api/v1/outcomes/${o.id}/agreement`).expect(200)).body;
    const winner = sent.find((r) => r.status === 200)!.body;
    expect(history.items.filter((h: { version: number }) => h.version === 3)).toEqual([expect.objectContaining({ state: "pending", what: expect.objectContaining({ title: winner.agreement.pending.what.title }) })]);
  });

  it("keeps the agreed what in force while a change is pending, until the other side accepts", async () => {
    const o = (await create(p.adele).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    const noReason = await p.megan.patch(`/api/v1/outcomes/${o.id}`, { measure: { target: 4 } }, '"v2"');
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe("reason");

    const proposed = await p.megan.patch(`/api/v1/outcomes/${o.id}`, { measure: { target: 4 }, reason: "The regulator expects 4 days" }, '"v2"').expect(200);
    expect(proposed.body.measure.target).toBe(5);
    expect(proposed.body.status).toBe("agreed");
    expect(proposed.body.agreement.pending).toMatchObject({ version: 3, proposedBy: "manager", reason: "The regulator expects 4 days", waitingFor: ["owner"] });

    const accepted = await p.adele.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 3 }).expect(200);
    expect(accepted.body.measure.target).toBe(4);
    expect(accepted.body.agreement.pending).toBeNull();

    const history = await p.megan.get(`/api/v1/outcomes/${o.id}/agreement`).expect(200);
    expect(history.body.items.map((h: { kind: string; state: string }) => `${h.kind}:${h.state}`)).toEqual(["create:agreed", "change:agreed"]);
  });

  it("answers 404 for what the caller may not see, in lists too", async () => {
    const priv = (await create(p.adele, { visibility: "private", title: "Private development goal" }).expect(201)).body;
    const teamOnly = (await create(p.adele, { visibility: "team", title: "Team visible goal" }).expect(201)).body;
    await p.megan.get(`/api/v1/outcomes/${priv.id}`).expect(200);
    await p.lidia.get(`/api/v1/outcomes/${priv.id}`).expect(200);
    await p.alex.get(`/api/v1/outcomes/${priv.id}`).expect(404);
    await p.miriam.get(`/api/v1/outcomes/${priv.id}`).expect(404);
    await p.nestor.get(`/api/v1/outcomes/${priv.id}`).expect(404);
    await p.alex.get(`/api/v1/outcomes/${teamOnly.id}`).expect(200);
    await p.miriam.get(`/api/v1/outcomes/${teamOnly.id}`).expect(404);

    const alexList = await p.alex.get(`/api/v1/outcomes?ownerId=${p.adele.id}&limit=200`).expect(200);
    const ids = alexList.body.items.map((o: { id: string }) => o.id);
    expect(ids).toContain(teamOnly.id);
    expect(ids).not.toContain(priv.id);
    const nestorList = await p.nestor.get("/api/v1/outcomes").expect(200);
    expect(nestorList.body.items.every((o: { ownerId: string }) => o.ownerId !== p.adele.id)).toBe(true);
  });

  it("pages lists by cursor without repeats", async () => {
    for (let i = 0; i < 5; i++) await create(p.adele, { title: `Paged outcome ${i}` }).expect(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await p.adele.get(`/api/v1/outcomes?ownerId=${p.adele.id}&limit=3${cursor ? `&cursor=${cursor}` : ""}`).expect(200);
      seen.push(...res.body.items.map((o) => o.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    await p.adele.get("/api/v1/outcomes?cursor=bm90LWEtY3Vyc29y").expect(400);
    // Filters left empty, as in the contract's own example, are not used: the first page of everything.
    const blank = await p.adele.get("/api/v1/outcomes?teamId=&ownerId=&status=&cursor=").expect(200);
    const plain = await p.adele.get("/api/v1/outcomes").expect(200);
    expect(blank.body.items.map((o: { id: string }) => o.id)).toEqual(plain.body.items.map((o: { id: string }) => o.id));
  });

  it("records check-ins from the owner with coaching questions, and status follows them", async () => {
    const o = (await create(p.adele).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    const body = { status: "at_risk", confidence: 2, progress: 9, note: "Vendor delay", supportNeeded: "An intro to procurement", mode: "async", ideas: ["Batch approvals"] };
    await p.megan.post(`/api/v1/outcomes/${o.id}/check-ins`, body).expect(403);
    const ci = await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, body).expect(201);
    expect(ci.body.outcomeStatus).toBe("at_risk");
    expect(ci.body.coachingQuestions.map((q: { text: string }) => q.text)).toEqual(
      expect.arrayContaining(["What's your plan?", "What do you need to succeed?", "What's your next step?"]),
    );
    const comment = await p.megan.post(`/api/v1/check-ins/${ci.body.id}/comments`, { text: "What would help most this week?" }).expect(201);
    expect(comment.body.kind).toBe("coaching");
    const list = await p.megan.get(`/api/v1/outcomes/${o.id}/check-ins`).expect(200);
    expect(list.body.items[0].comments).toHaveLength(1);
    const outcome = await p.adele.get(`/api/v1/outcomes/${o.id}`).expect(200);
    expect(outcome.body).toMatchObject({ status: "at_risk", measure: { current: 9 } });

    const done = await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, { ...body, status: "done", progress: 5, ideas: [] }).expect(201);
    expect(done.body.outcomeStatus).toBe("done");
    await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, body).expect(409);
  });

  it("escalates a run at risk once, even one that passed the threshold before the outcome was agreed", async () => {
    // The demo tenant escalates after three at-risk check-ins in a row.
    const o = (await create(p.adele).expect(201)).body;
    const atRisk = { status: "at_risk", confidence: 2, progress: 3, mode: "async" };
    for (let i = 0; i < 3; i++) expect((await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, atRisk).expect(201)).body).toMatchObject({ outcomeStatus: "proposed", escalated: false });
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    const first = await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, atRisk).expect(201);
    expect(first.body).toMatchObject({ outcomeStatus: "at_risk", escalated: true });
    expect((await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, atRisk).expect(201)).body.escalated).toBe(false);
    const nudges = (await p.adele.get(`/api/v1/outcomes/${o.id}/nudges`).expect(200)).body.items;
    const escalations = nudges.filter((n: { kind: string }) => n.kind === "escalation");
    expect(escalations).toHaveLength(1);
    expect(escalations[0].message).toMatch(/^At risk for 4 check-ins in a row/);
    // The system escalated, on Adele's check-in: the trail names the system, and the request id links the two.
    const trail = async (entityId: string) => (await p.lidia.get(`/api/v1/audit/events?entityId=${entityId}`).expect(200)).body.items;
    const [checkIn] = await trail(first.body.id);
    expect(checkIn).toMatchObject({ action: "checkin.recorded", actor: { id: p.adele.id } });
    expect(await trail(escalations[0].id)).toEqual([expect.objectContaining({ action: "nudge.escalation", actor: expect.objectContaining({ id: "system" }), requestId: checkIn.requestId })]);

    // Back on track, then at risk again: a new run, escalated when it reaches the threshold.
    await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, { ...atRisk, status: "on_track" }).expect(201);
    const again = [];
    for (let i = 0; i < 3; i++) again.push((await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, atRisk).expect(201)).body.escalated);
    expect(again).toEqual([false, false, true]);
  });

  it("records nudges and refuses self-nudges", async () => {
    const o = (await create(p.adele).expect(201)).body;
    await p.adele.post(`/api/v1/outcomes/${o.id}/nudges`, {}).expect(403);
    const n = await p.megan.post(`/api/v1/outcomes/${o.id}/nudges`, { message: "Friendly reminder" }).expect(201);
    expect(n.body).toMatchObject({ kind: "nudge", senderId: p.megan.id, nudgesThisWeek: 1 });
    const list = await p.adele.get(`/api/v1/outcomes/${o.id}/nudges`).expect(200);
    expect(list.body.items).toHaveLength(1);
  });

  it("lets an owner whose manager left while their proposal waited agree it themself", async () => {
    const o = (await create(p.adele, { title: "Proposal outliving a manager" }).expect(201)).body;
    expect(o.agreement.pending.waitingFor).toEqual(["manager"]);
    // The directory drops Adele's manager, as the people sync would after a reorganisation.
    const owner = await ownerConnection(s.db);
    const $ = (n: number) => (s.db.engine === "postgres" ? `$${n}` : "?");
    const setManager = (managerId: string | null) => owner.query(`UPDATE person SET manager_id = ${$(1)} WHERE id = ${$(2)}`, [managerId, p.adele.id]);
    try {
      await setManager(null);
      const read = (await p.adele.get(`/api/v1/outcomes/${o.id}`).expect(200)).body;
      expect(read).toMatchObject({ managerId: null, agreement: { pending: { waitingFor: ["owner"] } } });
      const board = (await p.adele.get("/api/v1/dashboards/me").expect(200)).body;
      expect(board.outcomes.find((x: { id: string }) => x.id === o.id).waitingFor).toEqual(["owner"]);
      expect(board.pendingAgreements).toEqual(expect.arrayContaining([expect.objectContaining({ outcomeId: o.id, as: "owner" })]));
      const agreed = await p.adele.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
      expect(agreed.body).toMatchObject({ status: "agreed", agreement: { pending: null } });
      const [first] = (await p.adele.get(`/api/v1/outcomes/${o.id}/agreement`).expect(200)).body.items;
      expect(first).toMatchObject({ state: "agreed", decidedBy: p.adele.id });
    } finally {
      await setManager(p.megan.id);
      await owner.destroy();
    }
  });

  it("asks the owner's new manager to agree what their former manager accepted", async () => {
    // Megan proposes an outcome for Adele: the manager's side has accepted it.
    const o = (await create(p.megan, { title: "Proposal across a reorganisation" }).expect(201)).body;
    expect(o.agreement.pending).toMatchObject({ acceptedBy: ["manager"], waitingFor: ["owner"] });
    const owner = await ownerConnection(s.db);
    const $ = (n: number) => (s.db.engine === "postgres" ? `$${n}` : "?");
    const setManager = (managerId: string) => owner.query(`UPDATE person SET manager_id = ${$(1)} WHERE id = ${$(2)}`, [managerId, p.adele.id]);
    try {
      // A reorganisation moves Adele under Miriam before she accepts.
      await setManager(p.miriam.id);
      expect((await p.adele.get(`/api/v1/outcomes/${o.id}`).expect(200)).body.agreement.pending).toMatchObject({ acceptedBy: [], waitingFor: ["owner", "manager"] });
      // A change of the how alone leaves the proposal as stored: moved back, Megan's acceptance counts again.
      await p.adele.patch(`/api/v1/outcomes/${o.id}`, { approach: { plan: "Start with the intake desk" } }, '"v1"').expect(200);
      await setManager(p.megan.id);
      expect((await p.adele.get(`/api/v1/outcomes/${o.id}`).expect(200)).body.agreement.pending).toMatchObject({ acceptedBy: ["manager"], waitingFor: ["owner"] });
      await setManager(p.miriam.id);
      const accepted = await p.adele.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 2 }).expect(200);
      expect(accepted.body).toMatchObject({ status: "proposed", managerId: p.miriam.id, agreement: { pending: { acceptedBy: ["owner"], waitingFor: ["manager"] } } });
      // The history no longer credits Megan with an acceptance of the manager's side.
      const history = async () => (await p.adele.get(`/api/v1/outcomes/${o.id}/agreement`).expect(200)).body.items[0];
      expect(await history()).toMatchObject({ state: "pending", managerAcceptedAt: null, managerId: p.miriam.id });
      const mine = (await p.miriam.get("/api/v1/dashboards/me").expect(200)).body;
      expect(mine.pendingAgreements).toEqual(expect.arrayContaining([expect.objectContaining({ outcomeId: o.id, as: "manager" })]));
      expect(mine.asManager.attention).toEqual(expect.arrayContaining([expect.objectContaining({ outcomeId: o.id, reasons: expect.arrayContaining(["awaiting_my_agreement"]) })]));
      // Megan no longer speaks for the manager's side; Miriam agrees it.
      expect((await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 3 })).status).toBe(403);
      const agreed = await p.miriam.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 3 }).expect(200);
      expect(agreed.body).toMatchObject({ status: "agreed", agreement: { pending: null } });
      expect(await history()).toMatchObject({ state: "agreed", managerAcceptedAt: expect.any(String), managerId: p.miriam.id, decidedBy: p.miriam.id });
    } finally {
      await setManager(p.megan.id);
      await owner.destroy();
    }
  });

  it("describes every outcome route in the OpenAPI document", async () => {
    const doc = (await p.adele.get("/api/openapi.json").expect(200)).body;
    for (const path of ["/api/v1/outcomes", "/api/v1/outcomes/{id}", "/api/v1/outcomes/{id}/agreement", "/api/v1/outcomes/{id}/check-ins", "/api/v1/outcomes/{id}/reviews", "/api/v1/check-ins/{id}/comments"]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.paths["/api/v1/outcomes"].post.requestBody.content["application/json"].schema).toBeDefined();
  });
});

describe("concurrent check-ins", () => {
  let s: TestServer;
  let p: Record<Who, As>;
  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_RATE_LIMIT_PER_MINUTE: "100000" });
    p = await people(s, ["adele", "megan"]);
  });
  afterAll(() => s.close());

  it("records every one of many check-ins sent at once, none refused for racing the others", async () => {
    const o = (await p.adele.post("/api/v1/outcomes", outcomeBody(p.adele.id, p.adele.teams[0]!.id)).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, { status: "on_track", confidence: 4, progress: i, mode: "async" }).then((r) => r.status)),
    );
    expect(statuses).toEqual(Array(12).fill(201));
    const list = await p.adele.get(`/api/v1/outcomes/${o.id}/check-ins`).expect(200);
    expect(list.body.items).toHaveLength(12);
    const after = await p.adele.get(`/api/v1/outcomes/${o.id}`).expect(200);
    expect(after.body.version).toBe(2 + 12);
  });
});
