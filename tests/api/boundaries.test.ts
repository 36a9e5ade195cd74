import request from "supertest";
import { evaluateOutcomeWrite } from "../../server/src/domain/boundaries";
import { DEMO } from "../../server/src/local-m365/demo-directory";
import { BoundaryBlockedError } from "../../server/src/services/boundary-enforcement";
import { AuditEventEntity, BoundaryEntity } from "../../server/src/store/entities";
import { CONTOSO, FABRIKAM, startTestServer, type TestServer } from "../support/harness";
import { buildBoundary } from "../support/factories";

const C = DEMO.contoso;
const F = DEMO.fabrikam;
const PROBLEMS = "https://leeway.example/problems/";
const ACCOUNT_NUMBERS = { name: "UK account number", regex: "\\b\\d{8}\\b" };
const IBAN = { name: "IBAN", regex: "\\bGB\\d{2}[A-Z]{4}\\d{14}\\b" };
const SORT_CODE = { name: "Sort code", regex: "\\b\\d{2}-\\d{2}-\\d{2}\\b" };
const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

describe("compliance boundaries API", () => {
  let s: TestServer;
  const tokens: Record<string, string> = {};
  const who = ["miriam.graham", "grady.archie", "lidia.holloway", "adele.vance", "diego.siciliani"];

  beforeAll(async () => {
    // These tests build Contoso's boundaries from nothing, so the demo history (which brings its own) stays out.
    s = await startTestServer({ LEEWAY_DEMO_HISTORY: "false" });
    for (const name of who) tokens[name] = await s.token(`${name}@contoso.test`);
    for (const name of ["nestor.wilke", "patti.fernandez"]) tokens[name] = await s.token(`${name}@fabrikam.test`);
  });
  afterAll(() => s.close());

  const as = (name: string) => {
    const auth = { Authorization: `Bearer ${tokens[name]}` };
    return {
      get: (path: string) => request(s.baseUrl).get(path).set(auth),
      post: (path: string, body: object = {}) => request(s.baseUrl).post(path).set(auth).send(body),
      patch: (path: string, body: object, ifMatch?: string) => {
        const r = request(s.baseUrl).patch(path).set(auth);
        return (ifMatch ? r.set("If-Match", ifMatch) : r).send(body);
      },
    };
  };
  const ds = () => s.leeway.context.dataSource;
  const auditOf = async (tenantId: string, entityId: string) =>
    (await ds().getRepository(AuditEventEntity).find({ where: { tenantId, entityId }, order: { seq: "ASC" } })).map((e) => ({ action: e.action, actorId: e.actorId, reason: e.reason, changes: JSON.parse(e.changes) as Record<string, { before?: unknown; after?: unknown }> }));
  const counts = async () => ({ rows: await ds().getRepository(BoundaryEntity).count(), audit: await ds().getRepository(AuditEventEntity).count() });
  const rulesFor = (tenantId: string, teamIds: string[], personId: string) => s.leeway.context.boundaries.rulesFor(ds().manager, tenantId, { teamIds, personId }, new Date().toISOString());

  const contentBoundary = { name: "No account numbers in free text", scope: { level: "tenant" }, enforcement: "block", rule: { kind: "content_pattern", patterns: [ACCOUNT_NUMBERS] }, reason: "FCA record-keeping" };
  let contentId = "";
  let cadenceId = "";

  it("answers 401 without a token and 403 when a non-admin creates", async () => {
    const anon = await request(s.baseUrl).get("/api/v1/boundaries");
    expect(anon.status).toBe(401);
    expect(anon.headers["content-type"]).toContain("application/problem+json");
    for (const name of ["adele.vance", "lidia.holloway"]) {
      const res = await as(name).post("/api/v1/boundaries", contentBoundary);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ type: `${PROBLEMS}forbidden`, status: 403 });
      expect(res.body.detail).toContain("Leeway.Admin");
    }
  });

  it("refuses invalid bodies with 400 and field paths, writing nothing", async () => {
    const before = await counts();
    const cases: [object, string[]][] = [
      [{ ...contentBoundary, tenantId: FABRIKAM, version: 7 }, ["tenantId", "version"]],
      [{ ...contentBoundary, rule: { kind: "content_pattern", patterns: [ACCOUNT_NUMBERS], extra: 1 } }, ["rule.extra"]],
      [{ ...contentBoundary, rule: { kind: "coffee_breaks" } }, ["rule.kind"]],
      [{ ...contentBoundary, rule: { kind: "checkin_cadence", minDays: 10, maxDays: 7 } }, ["rule.minDays"]],
      [{ ...contentBoundary, rule: { kind: "content_pattern", patterns: [{ name: "Bad", regex: "(a+)+" }] } }, ["rule.patterns.0.regex"]],
      [{ ...contentBoundary, rule: { kind: "content_pattern", patterns: [{ name: "Slow", regex: "(a|a)+$" }] } }, ["rule.patterns.0.regex"]],
      [{ ...contentBoundary, rule: { kind: "content_pattern", patterns: [ACCOUNT_NUMBERS, { name: "Everything", regex: "x*" }] } }, ["rule.patterns.1.regex"]],
      [{ ...contentBoundary, scope: { level: "team", teamId: "no-such-team" } }, ["scope.teamId"]],
      [{ ...contentBoundary, scope: { level: "team", teamId: F.teams.fieldOperations } }, ["scope.teamId"]],
      [{ ...contentBoundary, scope: { level: "person", personId: C.diego }, reason: undefined }, ["reason", "expiresAt"]],
      [{ ...contentBoundary, effectiveFrom: "2026-02-30" }, ["effectiveFrom"]],
      [{ ...contentBoundary, effectiveFrom: "2030-01-02", effectiveTo: "2030-01-01" }, ["effectiveTo"]],
      [{ ...contentBoundary, effectiveFrom: "2020-01-01", effectiveTo: "2020-06-01" }, ["effectiveTo"]],
      [{ ...contentBoundary, enforcement: "shout" }, ["enforcement"]],
    ];
    for (const [body, paths] of cases) {
      const res = await as("miriam.graham").post("/api/v1/boundaries", body);
      expect({ body, status: res.status, type: res.body.type }).toEqual({ body, status: 400, type: `${PROBLEMS}validation` });
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([...paths].sort());
    }
    expect(await counts()).toEqual(before);
  });

  it("keeps a Contoso proposal pending until someone else approves it, and never lets the proposer approve", async () => {
    const created = await as("miriam.graham").post("/api/v1/boundaries", contentBoundary);
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('W/"1"');
    expect(created.body).toMatchObject({
      state: "pending_approval", version: 1, kind: "content_pattern", inForce: false, pendingVersion: 1, change: "create",
      proposedBy: C.miriam, decidedBy: null, ruleText: "Free text must not contain: UK account number.",
    });
    contentId = created.body.id;
    expect((await rulesFor(CONTOSO, [C.teams.retailLending], C.adele)).map((r) => r.kind)).not.toContain("content_pattern");

    const self = await as("miriam.graham").post(`/api/v1/boundaries/${contentId}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.type).toBe(`${PROBLEMS}boundary-self-approval`);
    expect(self.body.detail).toMatch(/own/);
    expect((await as("adele.vance").post(`/api/v1/boundaries/${contentId}/approve`)).status).toBe(403);

    const approved = await as("lidia.holloway").post(`/api/v1/boundaries/${contentId}/approve`, { note: "Checked against policy CP-12" });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ state: "active", inForce: true, pendingVersion: null, decidedBy: C.lidia });
    expect((await rulesFor(CONTOSO, [C.teams.retailLending], C.adele)).map((r) => r.kind)).toContain("content_pattern");

    const again = await as("grady.archie").post(`/api/v1/boundaries/${contentId}/approve`);
    expect(again.status).toBe(409);
    expect((await as("grady.archie").post(`/api/v1/boundaries/${contentId}/reject`)).status).toBe(409);

    const audit = await auditOf(CONTOSO, contentId);
    expect(audit.map((a) => a.action)).toEqual(["boundary.proposed", "boundary.approved"]);
    expect(audit[0]).toMatchObject({ actorId: C.miriam, changes: { name: { after: contentBoundary.name }, state: { after: "pending_approval" } } });
    expect(audit[1]).toMatchObject({ actorId: C.lidia, reason: "Checked against policy CP-12", changes: { state: { before: "pending_approval", after: "active" } } });
  });

  it("makes the enforcement service refuse free text that a blocking content pattern forbids, and lists the finding", async () => {
    const { boundaries, uow } = s.leeway.context;
    const rules = await rulesFor(CONTOSO, [C.teams.retailLending], C.adele);
    const findings = evaluateOutcomeWrite(rules, { title: "Repay account 12345678 early", ifMissed: "We talk." });
    expect(findings).toEqual([expect.objectContaining({ boundaryId: contentId, enforcement: "block", path: "title" })]);
    const attempt = boundaries.guard("req-blocked", () =>
      uow.run({ tenantId: CONTOSO, actor: { tenantId: CONTOSO, userId: C.adele }, requestId: "req-blocked" }, async (tx) => {
        await boundaries.enforce(tx, { operation: "outcome.create", entity: "outcome", entityId: null }, findings);
        tx.audit({ action: "outcome.created", entity: "outcome", entityId: "never" });
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(BoundaryBlockedError);
    expect(await auditOf(CONTOSO, "never")).toEqual([]);

    expect((await as("adele.vance").get("/api/v1/boundary-findings")).status).toBe(403);
    const listed = await as("lidia.holloway").get(`/api/v1/boundary-findings?boundaryId=${contentId}&enforcement=block`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ boundaryId: contentId, boundaryVersion: 1, outcome: "blocked", operation: "outcome.create", actorId: C.adele, path: "title" }),
    ]);
    expect((await as("lidia.holloway").get("/api/v1/boundary-findings?enforcement=warn")).body.items).toEqual([]);
    expect((await as("lidia.holloway").get("/api/v1/boundary-findings?cursor=not!valid")).status).toBe(400);
  });

  it("refuses a team rule looser than the tenant boundary with a 422 naming it, and accepts a tighter one", async () => {
    const before = await counts();
    // Only warning about account numbers, which the tenant blocks, reads as a loosening.
    const looser = await as("miriam.graham").post("/api/v1/boundaries", {
      name: "Lending IBANs", scope: { level: "team", teamId: C.teams.retailLending }, enforcement: "warn", rule: { kind: "content_pattern", patterns: [IBAN, ACCOUNT_NUMBERS] },
    });
    expect(looser.status).toBe(422);
    expect(looser.body).toMatchObject({ type: `${PROBLEMS}boundary-looser`, boundary: { id: contentId, name: contentBoundary.name, scope: "tenant" } });
    expect(looser.body.violations).toEqual([expect.objectContaining({ field: "enforcement", candidateValue: "warn", widerValue: "block" })]);
    expect(looser.body.violations[0].message).toContain(`only warns about ${ACCOUNT_NUMBERS.name}`);
    expect(looser.body.detail).toContain(contentBoundary.name);
    expect(await counts()).toEqual(before);
    // The lists add up: a warning about IBANs of the team's own leaves the tenant's block in force.
    const ownWarning = await as("miriam.graham").post("/api/v1/boundaries", {
      name: "Lending: mind IBANs", scope: { level: "team", teamId: C.teams.retailLending }, enforcement: "warn", rule: { kind: "content_pattern", patterns: [IBAN] },
    });
    expect(ownWarning.status).toBe(201);
    expect((await as("grady.archie").post(`/api/v1/boundaries/${ownWarning.body.id}/reject`, { note: "The blocking rule below covers it." })).status).toBe(200);

    const tighter = await as("miriam.graham").post("/api/v1/boundaries", {
      name: "Lending: no account numbers or IBANs", scope: { level: "team", teamId: C.teams.retailLending }, enforcement: "block", rule: { kind: "content_pattern", patterns: [ACCOUNT_NUMBERS, IBAN] },
    });
    expect(tighter.status).toBe(201);
    expect((await as("grady.archie").post(`/api/v1/boundaries/${tighter.body.id}/approve`)).body.state).toBe("active");
  });

  it("versions a change: the active version governs until the new one is approved, stale If-Match is 412", async () => {
    const base = await as("adele.vance").get(`/api/v1/boundaries/${contentId}`);
    expect(base.status).toBe(200);
    expect(base.headers.etag).toBe('W/"1"');
    const changed = await as("miriam.graham").patch(`/api/v1/boundaries/${contentId}`, { rule: { kind: "content_pattern", patterns: [ACCOUNT_NUMBERS, SORT_CODE] } }, base.headers.etag);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ version: 1, state: "active", inForce: true, pendingVersion: 2, pending: { state: "pending_approval", change: "change" } });
    expect((await as("miriam.graham").patch(`/api/v1/boundaries/${contentId}`, { name: "Other" })).status).toBe(409);
    expect((await as("miriam.graham").patch(`/api/v1/boundaries/${contentId}`, { name: "Other" }, 'W/"1"')).status).toBe(412);
    expect((await as("miriam.graham").patch(`/api/v1/boundaries/${contentId}`, { scope: { level: "tenant" } })).body.errors).toEqual([expect.objectContaining({ path: "scope" })]);

    const approved = await as("grady.archie").post(`/api/v1/boundaries/${contentId}/approve`, {});
    expect(approved.body).toMatchObject({ version: 2, state: "active", pendingVersion: null });
    expect(approved.body.versions.map((v: { state: string }) => v.state)).toEqual(["superseded", "active"]);

    const renamed = await as("miriam.graham").patch(`/api/v1/boundaries/${contentId}`, { name: "Renamed" }, 'W/"2"');
    expect(renamed.body.pendingVersion).toBe(3);
    const rejected = await as("lidia.holloway").post(`/api/v1/boundaries/${contentId}/reject`, { note: "Keep the name people know" });
    expect(rejected.body).toMatchObject({ version: 2, state: "active", name: contentBoundary.name, pendingVersion: null });
    expect(rejected.body.versions.map((v: { state: string }) => v.state)).toEqual(["superseded", "active", "rejected"]);
    const kind = await as("miriam.graham").patch(`/api/v1/boundaries/${contentId}`, { rule: { kind: "retention", freeTextDays: 30 } });
    expect(kind.body.errors).toEqual([expect.objectContaining({ path: "rule.kind" })]);
    // A change that would start next month would leave nothing in force until then.
    const nextMonth = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const later = await as("miriam.graham").patch(`/api/v1/boundaries/${contentId}`, { rule: { kind: "content_pattern", patterns: [ACCOUNT_NUMBERS] }, effectiveFrom: nextMonth });
    expect(later.status).toBe(400);
    expect(later.body.errors).toEqual([expect.objectContaining({ path: "effectiveFrom" })]);
    expect((await as("adele.vance").get(`/api/v1/boundaries/${contentId}`)).body).toMatchObject({ version: 2, inForce: true, pendingVersion: null });

    const actions = (await auditOf(CONTOSO, contentId)).map((a) => a.action);
    expect(actions).toEqual(["boundary.proposed", "boundary.approved", "boundary.proposed", "boundary.approved", "boundary.superseded", "boundary.proposed", "boundary.rejected"]);
    const change = (await auditOf(CONTOSO, contentId))[2]!;
    expect(change.changes.rule).toEqual({ before: contentBoundary.rule, after: expect.objectContaining({ kind: "content_pattern" }) });
  });

  it("checks tightening again at approval, and retires with maker-checker", async () => {
    const tenant = await as("miriam.graham").post("/api/v1/boundaries", { name: "Check-in rhythm", scope: { level: "tenant" }, enforcement: "warn", rule: { kind: "checkin_cadence", minDays: 1, maxDays: 14 } });
    cadenceId = tenant.body.id;
    await as("lidia.holloway").post(`/api/v1/boundaries/${cadenceId}/approve`);
    const team = await as("miriam.graham").post("/api/v1/boundaries", { name: "Payments rhythm", scope: { level: "team", teamId: C.teams.paymentsOperations }, enforcement: "warn", rule: { kind: "checkin_cadence", minDays: 1, maxDays: 10 } });
    expect(team.status).toBe(201);
    await as("miriam.graham").patch(`/api/v1/boundaries/${cadenceId}`, { rule: { kind: "checkin_cadence", minDays: 1, maxDays: 7 } });
    await as("lidia.holloway").post(`/api/v1/boundaries/${cadenceId}/approve`);
    const late = await as("grady.archie").post(`/api/v1/boundaries/${team.body.id}/approve`);
    expect(late.status).toBe(422);
    expect(late.body).toMatchObject({ type: `${PROBLEMS}boundary-looser`, boundary: { id: cadenceId }, violations: [expect.objectContaining({ field: "rule.maxDays", widerValue: 7 })] });
    expect((await as("grady.archie").get(`/api/v1/boundaries/${team.body.id}`)).body.state).toBe("pending_approval");

    expect((await as("miriam.graham").post(`/api/v1/boundaries/${cadenceId}/retire`, {})).body.errors).toEqual([expect.objectContaining({ path: "reason" })]);
    const retiring = await as("miriam.graham").post(`/api/v1/boundaries/${cadenceId}/retire`, { reason: "Teams set their own rhythm" });
    expect(retiring.body).toMatchObject({ state: "active", inForce: true, pending: { change: "retire", state: "pending_approval" } });
    const retired = await as("lidia.holloway").post(`/api/v1/boundaries/${cadenceId}/approve`);
    expect(retired.body).toMatchObject({ state: "retired", inForce: false, change: "retire", reason: "Teams set their own rhythm" });
    expect((await as("miriam.graham").post(`/api/v1/boundaries/${cadenceId}/retire`, { reason: "again" })).status).toBe(409);
    expect((await as("miriam.graham").patch(`/api/v1/boundaries/${cadenceId}`, { name: "Back" })).status).toBe(409);
    expect((await auditOf(CONTOSO, cadenceId)).map((a) => a.action).slice(-4)).toEqual(["boundary.proposed", "boundary.approved", "boundary.superseded", "boundary.retired"]);
    expect((await rulesFor(CONTOSO, [C.teams.paymentsOperations], C.lee)).map((r) => r.kind)).not.toContain("checkin_cadence");
  });

  it("activates Fabrikam boundaries at once, and answers 404 across tenants", async () => {
    const created = await as("nestor.wilke").post("/api/v1/boundaries", { name: "Nudges", scope: { level: "tenant" }, enforcement: "warn", rule: { kind: "nudge_limit", perOutcomePerWeek: 3 } });
    expect(created.body).toMatchObject({ state: "active", inForce: true, decidedBy: null, pendingVersion: null });
    const id = created.body.id;
    const changed = await as("nestor.wilke").patch(`/api/v1/boundaries/${id}`, { rule: { kind: "nudge_limit", perOutcomePerWeek: 2 } }, 'W/"1"');
    expect(changed.body).toMatchObject({ version: 2, state: "active", rule: { perOutcomePerWeek: 2 } });
    expect((await as("nestor.wilke").post(`/api/v1/boundaries/${id}/approve`)).status).toBe(409);
    const retired = await as("nestor.wilke").post(`/api/v1/boundaries/${id}/retire`, { reason: "Replaced by coaching guidance" });
    expect(retired.body.versions.map((v: { state: string }) => v.state)).toEqual(["superseded", "superseded", "retired"]);
    expect((await auditOf(FABRIKAM, id)).map((a) => a.action)).toEqual(["boundary.created", "boundary.changed", "boundary.superseded", "boundary.retired", "boundary.superseded"]);

    for (const res of [
      await as("nestor.wilke").get(`/api/v1/boundaries/${contentId}`),
      await as("nestor.wilke").patch(`/api/v1/boundaries/${contentId}`, { name: "Mine now" }),
      await as("nestor.wilke").post(`/api/v1/boundaries/${contentId}/retire`, { reason: "x" }),
      await as("lidia.holloway").post(`/api/v1/boundaries/${id}/approve`),
    ]) expect(res.status).toBe(404);
    const fabrikamIds = (await as("nestor.wilke").get("/api/v1/boundaries")).body.items.map((b: { id: string }) => b.id);
    expect(fabrikamIds).toEqual([id]);
    expect((await as("lidia.holloway").get("/api/v1/boundaries")).body.items.map((b: { id: string }) => b.id)).not.toContain(id);
  });

  it("lets only one of two concurrent decisions or changes win; the other gets a conflict and writes nothing", async () => {
    const proposed = await as("miriam.graham").post("/api/v1/boundaries", { name: "Keep notes a year", scope: { level: "tenant" }, enforcement: "warn", rule: { kind: "retention", freeTextDays: 365 } });
    const id = proposed.body.id;
    const decisions = await Promise.all([as("grady.archie").post(`/api/v1/boundaries/${id}/approve`), as("lidia.holloway").post(`/api/v1/boundaries/${id}/approve`)]);
    expect(decisions.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await auditOf(CONTOSO, id)).filter((a) => a.action === "boundary.approved")).toHaveLength(1);

    const created = await as("nestor.wilke").post("/api/v1/boundaries", { name: "Retention", scope: { level: "tenant" }, enforcement: "warn", rule: { kind: "retention", freeTextDays: 90 } });
    const edits = await Promise.all([30, 60].map((days) => as("nestor.wilke").patch(`/api/v1/boundaries/${created.body.id}`, { rule: { kind: "retention", freeTextDays: days } }, 'W/"1"')));
    expect(edits.map((r) => r.status).sort()[0]).toBe(200);
    expect([409, 412]).toContain(edits.map((r) => r.status).sort()[1]);
    const after = await as("nestor.wilke").get(`/api/v1/boundaries/${created.body.id}`);
    expect(after.body.versions.map((v: { state: string }) => v.state)).toEqual(["superseded", "active"]);
    expect((await auditOf(FABRIKAM, created.body.id)).map((a) => a.action)).toEqual(["boundary.created", "boundary.changed", "boundary.superseded"]);
  });

  it("lets a person-level tightening lapse by itself, and refuses one looser than the person's team", async () => {
    const team = await as("nestor.wilke").post("/api/v1/boundaries", { name: "Escalate early", scope: { level: "team", teamId: F.teams.fieldOperations }, enforcement: "warn", rule: { kind: "escalation", atRiskCheckIns: 3 } });
    expect(team.status).toBe(201);
    const personal = { name: "Patti: closer look", scope: { level: "person", personId: F.patti }, enforcement: "warn", reason: "Agreed support plan", effectiveFrom: hourAgo() };
    const looser = await as("nestor.wilke").post("/api/v1/boundaries", { ...personal, rule: { kind: "escalation", atRiskCheckIns: 5 }, expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(looser.status).toBe(422);
    expect(looser.body.boundary).toMatchObject({ id: team.body.id, scope: "team" });
    expect((await as("nestor.wilke").post("/api/v1/boundaries", { ...personal, rule: { kind: "escalation", atRiskCheckIns: 2 }, expiresAt: hourAgo() })).body.errors).toEqual([expect.objectContaining({ path: "expiresAt" })]);

    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const created = await as("nestor.wilke").post("/api/v1/boundaries", { ...personal, rule: { kind: "escalation", atRiskCheckIns: 2 }, expiresAt });
    expect(created.body).toMatchObject({ state: "active", inForce: true, expiresAt, reason: "Agreed support plan" });
    const escalation = async () => (await rulesFor(FABRIKAM, [F.teams.fieldOperations], F.patti)).find((r) => r.kind === "escalation")?.rule;
    expect(await escalation()).toEqual({ kind: "escalation", atRiskCheckIns: 2 });
    expect((await as("patti.fernandez").get("/api/v1/boundaries?scope=person")).body.items.map((b: { id: string }) => b.id)).toEqual([created.body.id]);

    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 100));
    expect((await as("patti.fernandez").get(`/api/v1/boundaries/${created.body.id}`)).body).toMatchObject({ state: "active", inForce: false });
    expect(await escalation()).toEqual({ kind: "escalation", atRiskCheckIns: 3 });
  });

  it("applies a team's boundary to its members' outcomes filed under another team, reading their teams only then", async () => {
    const { boundaries } = s.leeway.context;
    const now = new Date().toISOString();
    let reads = 0;
    const pattiTeams = async () => {
      reads++;
      return [F.teams.fieldOperations];
    };
    // "Escalate early" (above) is scoped to Field Operations; the outcome sits in some other team.
    const rules = await boundaries.rulesForPerson(ds().manager, FABRIKAM, F.patti, ["another-team"], pattiTeams, now);
    expect(rules.find((r) => r.kind === "escalation")?.rule).toEqual({ kind: "escalation", atRiskCheckIns: 3 });
    expect(reads).toBe(1);
    const outsider = await boundaries.rulesForPerson(ds().manager, FABRIKAM, F.patti, ["another-team"], async () => [], now);
    expect(outsider.find((r) => r.kind === "escalation")).toBeUndefined();
    // A tenant whose boundaries name no team needs nobody's teams.
    await boundaries.rulesForPerson(ds().manager, "no-such-tenant", F.patti, ["another-team"], pattiTeams, now);
    expect(reads).toBe(1);
  });

  it("shows people the boundaries that apply to them, filtered, and answers 404 for another person's", async () => {
    const diegoOnly = await as("miriam.graham").post("/api/v1/boundaries", {
      name: "Diego: tighter text rule", scope: { level: "person", personId: C.diego }, enforcement: "block", reason: "Handles card data this quarter",
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), rule: { kind: "content_pattern", patterns: [ACCOUNT_NUMBERS, IBAN, SORT_CODE] },
    });
    expect(diegoOnly.status).toBe(201);
    const ids = async (name: string, query = "") => (await as(name).get(`/api/v1/boundaries${query}`)).body.items.map((b: { id: string }) => b.id);
    expect(await ids("diego.siciliani")).toContain(diegoOnly.body.id);
    expect(await ids("adele.vance")).not.toContain(diegoOnly.body.id);
    expect(await ids("adele.vance")).toContain(contentId);
    expect((await as("adele.vance").get(`/api/v1/boundaries/${diegoOnly.body.id}`)).status).toBe(404);

    expect(await ids("lidia.holloway", "?state=pending_approval")).toEqual(expect.arrayContaining([diegoOnly.body.id]));
    expect(await ids("lidia.holloway", "?state=pending_approval")).not.toContain(contentId);
    expect(await ids("lidia.holloway", "?state=retired")).toEqual([cadenceId]);
    const teamKinds = (await as("lidia.holloway").get("/api/v1/boundaries?scope=team&kind=content_pattern")).body.items;
    // The team's blocking list and its rejected warning: team scope and content patterns only.
    expect(teamKinds.map((b: { scope: { level: string }; kind: string; state: string }) => `${b.scope.level}:${b.kind}:${b.state}`).sort()).toEqual(["team:content_pattern:active", "team:content_pattern:rejected"]);
    expect((await as("lidia.holloway").get("/api/v1/boundaries?state=bogus")).body.errors).toEqual([expect.objectContaining({ path: "state" })]);
  });

  it("pages findings newest first and documents every route in OpenAPI", async () => {
    const { boundaries, uow } = s.leeway.context;
    const rules = await rulesFor(CONTOSO, [], C.lidia);
    for (const title of ["first 11111111", "second 22222222"]) {
      const findings = evaluateOutcomeWrite(rules, { title });
      await expect(boundaries.guard(null, () => uow.run({ tenantId: CONTOSO, actor: { tenantId: CONTOSO, userId: C.lidia } }, (tx) => boundaries.enforce(tx, { operation: "outcome.update", entity: "outcome", entityId: title }, findings)))).rejects.toBeInstanceOf(BoundaryBlockedError);
    }
    const first = await as("grady.archie").get("/api/v1/boundary-findings?limit=1");
    expect(first.body.items[0]).toMatchObject({ entityId: "second 22222222" });
    const second = await as("grady.archie").get(`/api/v1/boundary-findings?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0]).toMatchObject({ entityId: "first 11111111" });
    const all = (await as("grady.archie").get(`/api/v1/boundary-findings?from=${encodeURIComponent(hourAgo())}`)).body;
    expect(all.items).toHaveLength(3);
    expect(all.nextCursor).toBeNull();
    expect((await as("grady.archie").get("/api/v1/boundary-findings?from=2999-01-01")).body.items).toEqual([]);

    const doc = (await request(s.baseUrl).get("/api/openapi.json")).body;
    for (const path of ["/api/v1/boundaries", "/api/v1/boundaries/{id}", "/api/v1/boundaries/{id}/approve", "/api/v1/boundaries/{id}/reject", "/api/v1/boundaries/{id}/retire", "/api/v1/boundary-findings"]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.paths["/api/v1/boundaries"].post.responses["422"]).toBeDefined();
    expect((await s.leeway.context.chain.verify(ds().manager, CONTOSO)).ok).toBe(true);
  });
  it("after a wider boundary is tightened, a narrower one can still be renamed or tightened, but not loosened further", async () => {
    const cadence = (maxDays: number) => ({ kind: "checkin_cadence", minDays: 0, maxDays });
    const tenant = await as("nestor.wilke").post("/api/v1/boundaries", { name: "Check in every three weeks", scope: { level: "tenant" }, enforcement: "warn", rule: cadence(21) });
    const team = await as("nestor.wilke").post("/api/v1/boundaries", { name: "Field check-ins", scope: { level: "team", teamId: F.teams.fieldOperations }, enforcement: "warn", rule: cadence(14) });
    expect([tenant.status, team.status]).toEqual([201, 201]);
    expect((await as("nestor.wilke").patch(`/api/v1/boundaries/${tenant.body.id}`, { rule: cadence(10) }, 'W/"1"')).status).toBe(200);

    const renamed = await as("nestor.wilke").patch(`/api/v1/boundaries/${team.body.id}`, { name: "Field operations check-ins" }, 'W/"1"');
    expect(renamed.status).toBe(200);
    const looser = await as("nestor.wilke").patch(`/api/v1/boundaries/${team.body.id}`, { rule: cadence(20) }, 'W/"2"');
    expect(looser.status).toBe(422);
    expect(looser.body.violations).toEqual([expect.objectContaining({ boundaryId: tenant.body.id, field: "rule.maxDays", candidateValue: 20, widerValue: 10 })]);
    expect((await as("nestor.wilke").patch(`/api/v1/boundaries/${team.body.id}`, { rule: cadence(12) }, 'W/"2"')).status).toBe(200);
    expect((await as("nestor.wilke").patch(`/api/v1/boundaries/${team.body.id}`, { rule: cadence(13) }, 'W/"3"')).status).toBe(422);

    for (const id of [team.body.id, tenant.body.id]) expect((await as("nestor.wilke").post(`/api/v1/boundaries/${id}/retire`, { reason: "Test over" })).status).toBe(200);
  });

  it("after a wider list starts blocking what a narrower one warns about, a change may not warn about more of it", async () => {
    const content = (...patterns: { name: string; regex: string }[]) => ({ kind: "content_pattern", patterns });
    const team = await as("nestor.wilke").post("/api/v1/boundaries", { name: "Field: mind IBANs", scope: { level: "team", teamId: F.teams.fieldOperations }, enforcement: "warn", rule: content(IBAN) });
    expect(team.status).toBe(201);
    // Made afterwards: the tenant blocks IBANs and sort codes, so the team's warning about IBANs stays as it was.
    const tenant = await as("nestor.wilke").post("/api/v1/boundaries", { name: "No bank details", scope: { level: "tenant" }, enforcement: "block", rule: content(IBAN, SORT_CODE) });
    expect(tenant.status).toBe(201);
    expect((await as("nestor.wilke").patch(`/api/v1/boundaries/${team.body.id}`, { name: "Field: mind IBANs in notes" }, 'W/"1"')).status).toBe(200);
    const more = await as("nestor.wilke").patch(`/api/v1/boundaries/${team.body.id}`, { rule: content(IBAN, SORT_CODE) }, 'W/"2"');
    expect(more.status).toBe(422);
    expect(more.body.violations).toEqual([expect.objectContaining({ boundaryId: tenant.body.id, field: "enforcement", message: expect.stringContaining(`only warns about ${IBAN.name}, ${SORT_CODE.name}`) })]);
    // A pattern of the team's own is still welcome.
    expect((await as("nestor.wilke").patch(`/api/v1/boundaries/${team.body.id}`, { rule: content(IBAN, ACCOUNT_NUMBERS) }, 'W/"2"')).status).toBe(200);
    for (const id of [team.body.id, tenant.body.id]) expect((await as("nestor.wilke").post(`/api/v1/boundaries/${id}/retire`, { reason: "Test over" })).status).toBe(200);
  });

  it("holds a narrower boundary's change only to the wider rules still in force when it takes effect", async () => {
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    // A tenant limit that ran for a while and lapsed ten days ago, and a team's limit from before it.
    await buildBoundary(s, { tenantId: FABRIKAM, name: "One nudge a week this spring", rule: { kind: "nudge_limit", perOutcomePerWeek: 1 }, effectiveFrom: ago(60), effectiveTo: ago(10) });
    const team = await buildBoundary(s, {
      tenantId: FABRIKAM, name: "Field nudges", rule: { kind: "nudge_limit", perOutcomePerWeek: 3 }, scope: { level: "team", teamId: DEMO.fabrikam.teams.fieldOperations }, effectiveFrom: ago(90),
    });
    const read = await as("nestor.wilke").get(`/api/v1/boundaries/${team}`).expect(200);
    const changed = await as("nestor.wilke").patch(`/api/v1/boundaries/${team}`, { rule: { kind: "nudge_limit", perOutcomePerWeek: 4 } }, read.headers.etag);
    expect(changed.status).not.toBe(422);
    expect(changed.status).toBeLessThan(300);
  });

  it("checks a boundary's reason and a decision's note against the content boundaries, as they stay word for word in the audit trail", async () => {
    // The tenant's account-number boundary, approved above, blocks eight-digit numbers.
    const account = "customer 40-11-22 41234567 asked for it";
    const body = { name: "Keep coaching notes short", scope: { level: "tenant" }, enforcement: "warn", rule: { kind: "retention", freeTextDays: 400 } };
    const before = await counts();
    const refused = await as("miriam.graham").post("/api/v1/boundaries", { ...body, reason: `As ${account}` });
    expect(refused.status).toBe(422);
    expect(refused.body.findings).toEqual(expect.arrayContaining([expect.objectContaining({ path: "reason" })]));
    // Nothing written but the record of the refused attempt.
    expect((await counts()).rows).toBe(before.rows);

    const proposed = await as("miriam.graham").post("/api/v1/boundaries", { ...body, reason: "Less to keep, less to leak" });
    expect(proposed.status).toBe(201);
    const blocked = await as("grady.archie").post(`/api/v1/boundaries/${proposed.body.id}/approve`, { note: `Checked with the ${account}` });
    expect(blocked.status).toBe(422);
    expect(blocked.body.findings).toEqual(expect.arrayContaining([expect.objectContaining({ path: "note" })]));
    expect((await as("grady.archie").get(`/api/v1/boundaries/${proposed.body.id}`)).body.pendingVersion).toBe(1);
    // A decision that could not happen anyway is refused for that, not recorded as blocked.
    const stale = await request(s.baseUrl).post(`/api/v1/boundaries/${proposed.body.id}/approve`).set({ Authorization: `Bearer ${tokens["grady.archie"]}`, "If-Match": 'W/"7"' }).send({ note: account });
    expect(stale.status).toBe(412);
    expect((await as("grady.archie").post(`/api/v1/boundaries/${proposed.body.id}/reject`, { note: "Not now" })).status).toBe(200);
    const named = await as("miriam.graham").post("/api/v1/boundaries", { ...body, name: "Cases like 40-11-22 41234567" });
    expect(named.status).toBe(422);
    expect(named.body.findings).toEqual(expect.arrayContaining([expect.objectContaining({ path: "name" })]));

    // Judged by the rules in force before the change: a new boundary does not judge its own name.
    const marker = await as("nestor.wilke").post("/api/v1/boundaries", {
      name: "Confidential marker", scope: { level: "tenant" }, enforcement: "block", rule: { kind: "content_pattern", patterns: [{ name: "Marker", regex: "confidential" }] },
    });
    expect(marker.status).toBe(201);
    expect((await as("nestor.wilke").post(`/api/v1/boundaries/${marker.body.id}/retire`, { reason: "Test over" })).status).toBe(200);
  });

});
