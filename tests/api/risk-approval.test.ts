import { DEMO } from "../../server/src/local-m365/demo-directory";
import { sweepMissed } from "../../server/src/services/deadline-sweeper";
import { outcomeBody } from "../support/client";
import { ownerConnection, passDeadline, startTestServer, type TestServer } from "../support/harness";
import { activeBoundary, actors, agreedOutcome, CONTOSO_UPN, type Actor } from "../reliability/support/actors";

const C = DEMO.contoso;

describe("approval for a risk class", () => {
  let s: TestServer;
  let a: Record<"adele" | "megan" | "miriam" | "lidia" | "isaiah" | "lee" | "johanna" | "diego", Actor>;
  let boundaryId: string;

  beforeAll(async () => {
    s = await startTestServer();
    a = await actors(s.baseUrl, (upn) => s.token(upn), {
      adele: CONTOSO_UPN("adele.vance"),
      megan: CONTOSO_UPN("megan.bowen"),
      miriam: CONTOSO_UPN("miriam.graham"),
      lidia: CONTOSO_UPN("lidia.holloway"),
      isaiah: CONTOSO_UPN("isaiah.langer"),
      lee: CONTOSO_UPN("lee.gu"),
      johanna: CONTOSO_UPN("johanna.lorenz"),
      diego: CONTOSO_UPN("diego.siciliani"),
    });
    boundaryId = await activeBoundary(a.miriam, a.lidia, {
      name: "High-risk outcomes need compliance approval",
      scope: { level: "team", teamId: C.teams.retailLending },
      enforcement: "block",
      rule: { kind: "approval_for_risk_class", riskClasses: ["High"] },
    });
  });
  afterAll(() => s.close());

  const propose = async (riskClass?: string) =>
    (await a.adele.post("/api/v1/outcomes", outcomeBody(a.adele.id, C.teams.retailLending, riskClass ? { riskClass } : {})).expect(201)).body;

  it("holds agreement back until compliance approves, then lets it through", async () => {
    const o = await propose("high");
    expect(o.agreement.approval).toEqual({ required: true, state: "pending", approvedBy: null });
    const refused = await a.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 });
    expect(refused.status).toBe(422);
    expect(refused.body.findings).toEqual([expect.objectContaining({ boundaryId, kind: "approval_for_risk_class", path: "riskClass" })]);

    // Compliance finds what waits for it.
    const waiting = async () => ((await a.lidia.get("/api/v1/outcomes?approval=pending&limit=200").expect(200)).body.items as { id: string; agreement: { approval: { state: string } } }[]);
    expect((await waiting()).map((x) => x.id)).toContain(o.id);
    expect((await waiting()).every((x) => x.agreement.approval.state === "pending")).toBe(true);
    expect((await a.lidia.get("/api/v1/outcomes?approval=bogus")).status).toBe(400);
    // A party to the outcome cannot approve it; compliance can.
    expect((await a.megan.post(`/api/v1/outcomes/${o.id}/approval`, {})).status).toBe(403);
    // Compliance approves the class it read: a version that moved on is refused, and nothing is approved.
    const stale = await a.lidia.post(`/api/v1/outcomes/${o.id}/approval`, { version: o.version + 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: "stale_version", path: "version" });
    const approved = await a.lidia.post(`/api/v1/outcomes/${o.id}/approval`, { note: "Checked against the credit risk policy", version: o.version }).expect(200);
    expect(approved.body.agreement.approval).toEqual({ required: true, state: "approved", approvedBy: a.lidia.id });
    expect((await waiting()).map((x) => x.id)).not.toContain(o.id);

    // A closed outcome's class is not approved any more.
    const missed = await propose("high");
    await passDeadline(s.db, missed.id);
    const late = await a.lidia.post(`/api/v1/outcomes/${missed.id}/approval`, {});
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("closed");
    // Nor is it among what waits for compliance, once recorded as missed.
    await sweepMissed(s.leeway.context.uow);
    expect((await waiting()).map((x) => x.id)).not.toContain(missed.id);
    const again = await a.lidia.post(`/api/v1/outcomes/${o.id}/approval`, {});
    expect(again.status).toBe(409);
    const trail = await a.lidia.get(`/api/v1/audit/events?entityId=${o.id}&action=outcome.risk_approved`).expect(200);
    expect(trail.body.items).toEqual([expect.objectContaining({ reason: "Checked against the credit risk policy" })]);
    const agreed = await a.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    expect(agreed.body.status).toBe("agreed");
  });

  it("judges a risk class set later: pending approval while proposed, refused once agreed", async () => {
    const proposed = await propose();
    expect(proposed.agreement.approval.state).toBe("not_required");
    const raised = await a.adele.patch(`/api/v1/outcomes/${proposed.id}`, { riskClass: "High" }).set("If-Match", '"v1"').expect(200);
    expect(raised.body.agreement.approval).toEqual({ required: true, state: "pending", approvedBy: null });
    expect(raised.body.warnings).toEqual([expect.objectContaining({ boundaryId, kind: "approval_for_risk_class", path: "riskClass" })]);
    expect((await a.megan.post(`/api/v1/outcomes/${proposed.id}/agreement`, { version: 1 })).status).toBe(422);

    const agreed = await agreedOutcome(a.adele, C.teams.retailLending, a.megan, "Agreed without a risk class");
    const current = await a.adele.get(`/api/v1/outcomes/${agreed.id}`).expect(200);
    const late = await a.adele.patch(`/api/v1/outcomes/${agreed.id}`, { riskClass: "high" }).set("If-Match", current.headers.etag!);
    expect(late.status).toBe(422);
    expect(late.body.findings).toEqual([expect.objectContaining({ boundaryId, kind: "approval_for_risk_class", path: "riskClass" })]);
    const after = await a.adele.get(`/api/v1/outcomes/${agreed.id}`).expect(200);
    expect(after.body).toMatchObject({ riskClass: null, agreement: { approval: { state: "not_required" } } });
  });

  it("does not carry an approval over to another risk class", async () => {
    const o = await propose("High");
    await a.lidia.post(`/api/v1/outcomes/${o.id}/approval`, {}).expect(200);
    const lowered = await a.adele.patch(`/api/v1/outcomes/${o.id}`, { riskClass: "Low" }).set("If-Match", '"v2"').expect(200);
    expect(lowered.body.agreement.approval).toEqual({ required: false, state: "not_required", approvedBy: null });
    const raised = await a.adele.patch(`/api/v1/outcomes/${o.id}`, { riskClass: "High" }).set("If-Match", '"v3"').expect(200);
    expect(raised.body.agreement.approval).toEqual({ required: true, state: "pending", approvedBy: null });
  });

  it("lets someone without a manager agree with themself only once the risk class is approved", async () => {
    await activeBoundary(a.miriam, a.lidia, {
      name: "Executive outcomes of high risk need approval",
      scope: { level: "team", teamId: C.teams.executiveLeadership },
      enforcement: "block",
      rule: { kind: "approval_for_risk_class", riskClasses: ["High"] },
    });
    const body = outcomeBody(a.isaiah.id, C.teams.executiveLeadership, { title: "Open the Manchester hub" });
    // Without a risk class, the proposal is the agreement at once, as before.
    expect((await a.isaiah.post("/api/v1/outcomes", body).expect(201)).body.status).toBe("agreed");

    const risky = (await a.isaiah.post("/api/v1/outcomes", { ...body, riskClass: "High" }).expect(201)).body;
    // It waits for the approval alone: there is no manager to wait for, here or on the dashboard.
    expect(risky).toMatchObject({ status: "proposed", managerId: null, agreement: { pending: { waitingFor: [] }, approval: { state: "pending" } } });
    const mine = (await a.isaiah.get("/api/v1/dashboards/me").expect(200)).body.outcomes.find((x: { id: string }) => x.id === risky.id);
    expect(mine.waitingFor).toEqual([]);
    const approved = await a.lidia.post(`/api/v1/outcomes/${risky.id}/approval`, {}).expect(200);
    expect(approved.body).toMatchObject({ status: "agreed", agreement: { pending: null, approval: { state: "approved" } } });
    expect(approved.body.agreement.agreedWhat.title).toBe(body.title);
    // The history names the owner, who agreed with themself, as the one who completed it; the approval is Lidia's.
    const [first] = (await a.isaiah.get(`/api/v1/outcomes/${risky.id}/agreement`).expect(200)).body.items;
    expect(first).toMatchObject({ state: "agreed", decidedBy: a.isaiah.id });
    expect(approved.body.agreement.approval).toMatchObject({ approvedBy: a.lidia.id });
  });

  it("lets someone without a manager change and drop their own outcome at once, as they agree it on create", async () => {
    const body = outcomeBody(a.isaiah.id, C.teams.executiveLeadership, { title: "Publish the annual report early" });
    const o = (await a.isaiah.post("/api/v1/outcomes", body).expect(201)).body;
    expect(o.status).toBe("agreed");
    const changed = await a.isaiah.patch(`/api/v1/outcomes/${o.id}`, { title: "Publish the annual report in 60 days", reason: "Board asked for a sharper title" }, '"v1"').expect(200);
    expect(changed.body).toMatchObject({ status: "agreed", title: "Publish the annual report in 60 days", agreement: { pending: null, agreedWhat: { title: "Publish the annual report in 60 days" } } });
    const history = (await a.isaiah.get(`/api/v1/outcomes/${o.id}/agreement`).expect(200)).body.items;
    expect(history.map((h: { state: string }) => h.state)).toEqual(["agreed", "agreed"]);
    const dropped = await a.isaiah.post(`/api/v1/outcomes/${o.id}/drop`, { reason: "Merged into the reporting programme" }).expect(200);
    expect(dropped.body.status).toBe("dropped");
  });

  it("refuses a proposed deadline in the past, as on create", async () => {
    const o = await propose();
    const res = await a.adele.patch(`/api/v1/outcomes/${o.id}`, { deadline: "2020-01-01", reason: "Backdating" }).set("If-Match", '"v1"');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "deadline" })]);
  });

  it("holds back an outcome whose class came to need approval after it was set, and lets compliance approve it", async () => {
    // Public, so that an admin outside the team may see it and approve it.
    const body = { ...outcomeBody(a.lee.id, C.teams.paymentsOperations, { title: "Move the cut-off reconciliation to noon", riskClass: "High" }), visibility: "public" };
    const o = (await a.lee.post("/api/v1/outcomes", body).expect(201)).body;
    expect(o.agreement.approval).toEqual({ required: false, state: "not_required", approvedBy: null });
    // Agreed before the rule: it keeps its agreement until its what changes.
    const settled = (await a.lee.post("/api/v1/outcomes", { ...body, title: "Publish the payments cut-off calendar" }).expect(201)).body;
    await a.johanna.post(`/api/v1/outcomes/${settled.id}/agreement`, { version: 1 }).expect(200);
    const low = (await a.lee.post("/api/v1/outcomes", { ...body, title: "Retire the old payments dashboard", riskClass: "low" }).expect(201)).body;
    const rule = await activeBoundary(a.miriam, a.lidia, {
      name: "High-risk payments outcomes need approval",
      scope: { level: "team", teamId: C.teams.paymentsOperations },
      enforcement: "block",
      rule: { kind: "approval_for_risk_class", riskClasses: ["High"] },
    });

    // Every read shows it waiting from the moment the rule is in force, and the queue lists it.
    const approvalOf = async (id: string) => (await a.lee.get(`/api/v1/outcomes/${id}`).expect(200)).body.agreement.approval;
    expect(await approvalOf(o.id)).toEqual({ required: true, state: "pending", approvedBy: null });
    expect(await approvalOf(settled.id)).toEqual({ required: false, state: "not_required", approvedBy: null });
    expect(await approvalOf(low.id)).toEqual({ required: false, state: "not_required", approvedBy: null });
    const listed = async (approval: string) => ((await a.miriam.get(`/api/v1/outcomes?approval=${approval}&teamId=${C.teams.paymentsOperations}&limit=200`).expect(200)).body.items as { id: string; agreement: { approval: { state: string } } }[]);
    expect((await listed("pending")).map((x) => [x.id, x.agreement.approval.state])).toEqual([[o.id, "pending"]]);
    expect((await listed("not_required")).map((x) => x.id)).toEqual(expect.arrayContaining([settled.id, low.id]));
    expect((await listed("not_required")).map((x) => x.id)).not.toContain(o.id);
    const inList = (await a.lee.get(`/api/v1/outcomes?teamId=${C.teams.paymentsOperations}&limit=200`).expect(200)).body.items.find((x: { id: string }) => x.id === o.id);
    expect(inList.agreement.approval.state).toBe("pending");
    // Once its what changes, the agreed outcome waits too.
    const changed = await a.lee.patch(`/api/v1/outcomes/${settled.id}`, { measure: { target: 4 }, reason: "The calendar moves to quarterly" }, '"v2"').expect(200);
    expect(changed.body.agreement.approval).toEqual({ required: true, state: "pending", approvedBy: null });
    expect(await approvalOf(settled.id)).toEqual({ required: true, state: "pending", approvedBy: null });
    expect((await listed("pending")).map((x) => x.id).sort()).toEqual([o.id, settled.id].sort());

    const refused = await a.johanna.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 });
    expect(refused.status).toBe(422);
    expect(refused.body.findings).toEqual([expect.objectContaining({ boundaryId: rule, kind: "approval_for_risk_class", path: "riskClass" })]);
    // Someone the owner named to act for them has a stake in it, compliance role or not.
    await a.lee.patch(`/api/v1/outcomes/${o.id}`, { delegateIds: [a.lidia.id] }, '"v1"').expect(200);
    const delegate = await a.lidia.post(`/api/v1/outcomes/${o.id}/approval`, {});
    expect(delegate.status).toBe(403);
    expect(delegate.body.detail).toMatch(/party to the outcome/);
    await a.miriam.post(`/api/v1/outcomes/${o.id}/approval`, { note: "Checked after the new rule" }).expect(200);
    const agreed = await a.johanna.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 3 }).expect(200);
    expect(agreed.body).toMatchObject({ status: "agreed", agreement: { approval: { state: "approved" } } });
  });

  it("holds back what a rule for the owner's other team or for the owner alone reaches, and nothing else", async () => {
    // Miriam leads Technology Platform and sits on Executive Leadership; Diego and Adele are in Retail Lending.
    const outcome = async (owner: Actor, teamId: string, title: string) =>
      (await owner.post("/api/v1/outcomes", { ...outcomeBody(owner.id, teamId, { title, riskClass: " critical " }), visibility: "public" }).expect(201)).body as { id: string };
    const platform = await outcome(a.miriam, C.teams.technologyPlatform, "Move the workplace platform to the new region");
    const diegos = await outcome(a.diego, C.teams.retailLending, "Replace the mortgage offer letters");
    const adeles = await outcome(a.adele, C.teams.retailLending, "Shorten the remortgage checklist");
    const unclassed = (await a.adele.post("/api/v1/outcomes", { ...outcomeBody(a.adele.id, C.teams.retailLending, { title: "Answer branch emails the same day" }), visibility: "public" }).expect(201)).body as { id: string };
    // Isaiah has no manager, so his outcome is agreed as he proposes it, before the rule.
    const isaiahs = await outcome(a.isaiah, C.teams.executiveLeadership, "Name a deputy for every committee");
    expect((await a.isaiah.get(`/api/v1/outcomes/${isaiahs.id}`).expect(200)).body.status).toBe("agreed");
    await activeBoundary(a.miriam, a.lidia, {
      name: "Critical executive outcomes need approval",
      scope: { level: "team", teamId: C.teams.executiveLeadership },
      enforcement: "block",
      rule: { kind: "approval_for_risk_class", riskClasses: ["Critical"] },
    });
    await activeBoundary(a.miriam, a.lidia, {
      name: "Diego: critical outcomes need approval",
      scope: { level: "person", personId: a.diego.id },
      enforcement: "block",
      reason: "New to mortgage offers this quarter",
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      // A person's rule only tightens their team's, which already holds back High.
      rule: { kind: "approval_for_risk_class", riskClasses: ["High", "CRITICAL"] },
    });

    const state = async (id: string) => (await a.lidia.get(`/api/v1/outcomes/${id}`).expect(200)).body.agreement.approval.state;
    expect([await state(platform.id), await state(diegos.id), await state(adeles.id)]).toEqual(["pending", "pending", "not_required"]);
    const pending = ((await a.lidia.get("/api/v1/outcomes?approval=pending&limit=200").expect(200)).body.items as { id: string }[]).map((x) => x.id);
    expect(pending).toEqual(expect.arrayContaining([platform.id, diegos.id]));
    expect(pending).not.toContain(adeles.id);
    const free = ((await a.lidia.get("/api/v1/outcomes?approval=not_required&limit=200").expect(200)).body.items as { id: string }[]).map((x) => x.id);
    expect(free).toEqual(expect.arrayContaining([adeles.id, unclassed.id, isaiahs.id]));
    expect(free).not.toContain(platform.id);
    expect(free).not.toContain(diegos.id);

    // Agreed before the rule, Isaiah's outcome keeps its agreement. A change he makes now waits for
    // compliance to approve the class, as a first proposal of his would, and the approval agrees it.
    expect(await state(isaiahs.id)).toBe("not_required");
    const waiting = await a.isaiah.patch(`/api/v1/outcomes/${isaiahs.id}`, { measure: { target: 3 }, reason: "Two committees merge" }, '"v1"').expect(200);
    expect(waiting.body).toMatchObject({ status: "agreed", measure: { target: 5 }, agreement: { pending: { what: { measure: { target: 3 } }, waitingFor: [] }, approval: { state: "pending" } } });
    const approved = await a.lidia.post(`/api/v1/outcomes/${isaiahs.id}/approval`, { version: 2 }).expect(200);
    expect(approved.body).toMatchObject({ status: "agreed", measure: { target: 3 }, agreement: { pending: null, approval: { state: "approved", approvedBy: a.lidia.id } } });
    // With the class approved, his next change is agreed as he makes it.
    const changed = await a.isaiah.patch(`/api/v1/outcomes/${isaiahs.id}`, { measure: { target: 4 }, reason: "A third committee joins" }, '"v3"').expect(200);
    expect(changed.body).toMatchObject({ status: "agreed", measure: { target: 4 }, agreement: { pending: null } });

    // His proposal waiting for its approval stays his to correct: the correction waits with it.
    const fresh = await outcome(a.isaiah, C.teams.executiveLeadership, "Rotate the committee chairs");
    expect((await a.lidia.get(`/api/v1/outcomes/${fresh.id}`).expect(200)).body).toMatchObject({ status: "proposed", agreement: { approval: { state: "pending" } } });
    const corrected = await a.isaiah.patch(`/api/v1/outcomes/${fresh.id}`, { title: "Rotate the committee chairs yearly" }, '"v1"').expect(200);
    expect(corrected.body).toMatchObject({ status: "proposed", agreement: { pending: { what: { title: "Rotate the committee chairs yearly" } }, approval: { state: "pending" } } });
    const agreed = await a.lidia.post(`/api/v1/outcomes/${fresh.id}/approval`, {}).expect(200);
    expect(agreed.body).toMatchObject({ status: "agreed", title: "Rotate the committee chairs yearly" });
  });

  it("lets a rule that only warns through: an owner without a manager agrees at once, and is told", async () => {
    await activeBoundary(a.miriam, a.lidia, {
      name: "Medium-risk executive outcomes: approval advised",
      scope: { level: "team", teamId: C.teams.executiveLeadership },
      enforcement: "warn",
      rule: { kind: "approval_for_risk_class", riskClasses: ["Medium"] },
    });
    const body = outcomeBody(a.isaiah.id, C.teams.executiveLeadership, { title: "Review the board pack format", riskClass: "Medium" });
    const created = await a.isaiah.post("/api/v1/outcomes", body).expect(201);
    expect(created.body).toMatchObject({ status: "agreed", agreement: { pending: null, approval: { state: "pending" } } });
    expect(created.body.warnings).toEqual([expect.objectContaining({ kind: "approval_for_risk_class", enforcement: "warn" })]);
    const changed = await a.isaiah.patch(`/api/v1/outcomes/${created.body.id}`, { title: "Review the board pack twice a year", reason: "Twice is enough" }, '"v1"').expect(200);
    expect(changed.body).toMatchObject({ status: "agreed", title: "Review the board pack twice a year", agreement: { pending: null } });
    expect(changed.body.warnings).toEqual([expect.objectContaining({ kind: "approval_for_risk_class", enforcement: "warn" })]);
  });

  it("treats an owner whose manager left as one without: a warning rule lets them agree, a blocking one waits for the approval", async () => {
    const owner = await ownerConnection(s.db);
    const $ = (n: number) => (s.db.engine === "postgres" ? `$${n}` : "?");
    const [row] = (await owner.query(`SELECT manager_id AS "managerId" FROM person WHERE id = ${$(1)}`, [a.miriam.id])) as { managerId: string }[];
    const setManager = (managerId: string | null) => owner.query(`UPDATE person SET manager_id = ${$(1)} WHERE id = ${$(2)}`, [managerId, a.miriam.id]);
    const propose = async (title: string, riskClass: string) =>
      (await a.miriam.post("/api/v1/outcomes", outcomeBody(a.miriam.id, C.teams.executiveLeadership, { title, riskClass })).expect(201)).body as { id: string; version: number };
    try {
      const advised = await propose("Shorter executive minutes", "Medium");
      const held = await propose("Merge the two risk committees", "High");
      await setManager(null);
      // Only a warning stands between Miriam and her agreement: she is the one it waits for, and she agrees.
      expect((await a.miriam.get(`/api/v1/outcomes/${advised.id}`).expect(200)).body.agreement.pending.waitingFor).toEqual(["owner"]);
      const agreed = await a.miriam.post(`/api/v1/outcomes/${advised.id}/agreement`, { version: advised.version }).expect(200);
      expect(agreed.body).toMatchObject({ status: "agreed" });
      // A blocking rule holds the other until compliance approves; the approval agrees it, in her name alone.
      expect((await a.miriam.get(`/api/v1/outcomes/${held.id}`).expect(200)).body.agreement.pending.waitingFor).toEqual([]);
      await a.lidia.post(`/api/v1/outcomes/${held.id}/approval`, {}).expect(200);
      const [first] = (await a.miriam.get(`/api/v1/outcomes/${held.id}/agreement`).expect(200)).body.items;
      expect(first).toMatchObject({ state: "agreed", managerId: null, decidedBy: a.miriam.id });

      // Agreed before a blocking rule for its class came in, her next change waits for the approval;
      // her dashboard says so as the outcome does, and does not offer it to her to accept.
      const earlier = await propose("Publish the committee calendar", "Severe");
      expect((await a.miriam.get(`/api/v1/outcomes/${earlier.id}`).expect(200)).body.status).toBe("agreed");
      await activeBoundary(a.miriam, a.lidia, { name: "Severe executive outcomes need approval", scope: { level: "team", teamId: C.teams.executiveLeadership }, enforcement: "block", rule: { kind: "approval_for_risk_class", riskClasses: ["Severe"] } });
      await a.miriam.patch(`/api/v1/outcomes/${earlier.id}`, { title: "Publish the committee calendar each quarter", reason: "Quarterly is enough" }, '"v1"').expect(200);
      expect((await a.miriam.get(`/api/v1/outcomes/${earlier.id}`).expect(200)).body.agreement).toMatchObject({ approval: { state: "pending" }, pending: { waitingFor: [] } });
      const board = (await a.miriam.get("/api/v1/dashboards/me").expect(200)).body;
      expect(board.outcomes.find((x: { id: string }) => x.id === earlier.id).waitingFor).toEqual([]);
      expect(board.pendingAgreements.map((x: { outcomeId: string }) => x.outcomeId)).not.toContain(earlier.id);
    } finally {
      await setManager(row!.managerId);
      await owner.destroy();
    }
  });

  it("agrees a manager-less owner's proposal with its class's approval only where the other rules in force allow", async () => {
    const o = (await a.isaiah.post("/api/v1/outcomes", outcomeBody(a.isaiah.id, C.teams.executiveLeadership, { title: "Project Osprey: merge the two boards", riskClass: "High" })).expect(201)).body;
    expect(o.status).toBe("proposed");
    // A rule made while the proposal waited forbids its title.
    await activeBoundary(a.miriam, a.lidia, { name: "No code names", scope: { level: "tenant" }, enforcement: "block", rule: { kind: "content_pattern", patterns: [{ name: "Code name", regex: "Project Osprey" }] } });
    const approved = await a.lidia.post(`/api/v1/outcomes/${o.id}/approval`, {}).expect(200);
    expect(approved.body).toMatchObject({ status: "proposed", agreement: { approval: { state: "approved" }, pending: { waitingFor: ["owner"] } } });
    // The approver is told why it still waits, and the refusal is on the compliance record.
    expect(approved.body.warnings).toEqual([expect.objectContaining({ boundaryName: "No code names", path: "title" })]);
    const recorded = (await a.lidia.get(`/api/v1/boundary-findings?enforcement=block`).expect(200)).body.items as { entityId: string; operation: string }[];
    expect(recorded).toEqual(expect.arrayContaining([expect.objectContaining({ entityId: o.id, operation: "outcome.agree" })]));
    // Mended, it is agreed as he makes the change.
    const mended = await a.isaiah.patch(`/api/v1/outcomes/${o.id}`, { title: "Merge the two boards" }, `"v${approved.body.version}"`).expect(200);
    expect(mended.body).toMatchObject({ status: "agreed", title: "Merge the two boards", agreement: { pending: null } });
  });
});
