import {
  applicableBoundaries, blocking, canApproveBoundary, checkTightening, effectiveRules, isInForce, ruleOfKind, validateBoundary,
  validatePersonScope, warnings, type Boundary, type BoundaryFinding, type BoundaryRule, type BoundaryScope,
} from "./boundaries";

const TENANT: BoundaryScope = { level: "tenant" };
const TEAM_A: BoundaryScope = { level: "team", teamId: "team-a" };
const TEAM_B: BoundaryScope = { level: "team", teamId: "team-b" };
const ADELE: BoundaryScope = { level: "person", personId: "adele" };

let seq = 0;
function boundary(rule: BoundaryRule, over: Partial<Boundary> = {}): Boundary {
  seq += 1;
  return {
    id: `b${seq}`,
    name: `${rule.kind} ${seq}`,
    version: 1,
    scope: TENANT,
    enforcement: "block",
    rule,
    effectiveFrom: "2025-01-01T00:00:00Z",
    effectiveTo: null,
    expiresAt: null,
    reason: null,
    state: "active",
    ...over,
  };
}

const cadence = (minDays: number, maxDays: number): BoundaryRule => ({ kind: "checkin_cadence", minDays, maxDays });
const personal = (rule: BoundaryRule, over: Partial<Boundary> = {}) =>
  boundary(rule, { scope: ADELE, reason: "Agreed support plan", expiresAt: "2025-04-01T00:00:00Z", ...over });

describe("isInForce", () => {
  const b = boundary(cadence(1, 14), { effectiveFrom: "2025-02-01T00:00:00Z", effectiveTo: "2025-03-01T00:00:00Z" });

  it("starts at effectiveFrom inclusive and ends at effectiveTo exclusive", () => {
    expect(isInForce(b, "2025-01-31T23:59:59Z")).toBe(false);
    expect(isInForce(b, "2025-02-01T00:00:00Z")).toBe(true);
    expect(isInForce(b, "2025-02-28T23:59:59Z")).toBe(true);
    expect(isInForce(b, "2025-03-01T00:00:00Z")).toBe(false);
  });

  it("without an end stays in force", () => {
    expect(isInForce(boundary(cadence(1, 14)), "2099-01-01T00:00:00Z")).toBe(true);
  });

  it("a person-level tightening lapses by itself at its expiry", () => {
    const p = personal(cadence(2, 7));
    expect(isInForce(p, "2025-03-31T23:59:59Z")).toBe(true);
    expect(isInForce(p, "2025-04-01T00:00:00Z")).toBe(false);
  });

  it("reads bare dates as 00:00 UTC", () => {
    const d = boundary(cadence(1, 14), { effectiveFrom: "2025-02-01", expiresAt: "2025-02-10" });
    expect(isInForce(d, "2025-02-01T00:00:00Z")).toBe(true);
    expect(isInForce(d, "2025-02-09T23:00:00Z")).toBe(true);
    expect(isInForce(d, "2025-02-10T00:00:00Z")).toBe(false);
  });

  it.each(["pending_approval", "rejected", "superseded"] as const)("a %s boundary is never in force", (state) => {
    expect(isInForce(boundary(cadence(1, 14), { state }), "2025-06-01T00:00:00Z")).toBe(false);
  });

  it("unreadable dates are never in force", () => {
    expect(isInForce(boundary(cadence(1, 14), { effectiveFrom: "soon" }), "2025-06-01T00:00:00Z")).toBe(false);
    expect(isInForce(boundary(cadence(1, 14), { expiresAt: "later" }), "2025-06-01T00:00:00Z")).toBe(false);
    expect(isInForce(boundary(cadence(1, 14)), "now")).toBe(false);
  });
});

describe("applicableBoundaries", () => {
  const tenant = boundary(cadence(1, 21), { name: "Tenant cadence" });
  const teamA = boundary(cadence(2, 14), { scope: TEAM_A, name: "Team A cadence" });
  const teamB = boundary(cadence(3, 10), { scope: TEAM_B, name: "Team B cadence" });
  const adele = personal(cadence(4, 7), { name: "Adele cadence" });
  const alex = boundary(cadence(4, 7), { scope: { level: "person", personId: "alex" }, reason: "x", expiresAt: "2025-04-01T00:00:00Z" });
  const future = boundary(cadence(1, 5), { effectiveFrom: "2026-01-01T00:00:00Z" });
  const all = [adele, teamB, alex, future, teamA, tenant];

  it("keeps tenant, the person's teams and the person's own, widest first", () => {
    expect(applicableBoundaries(all, { teamIds: ["team-a"], personId: "adele" }, "2025-03-01T00:00:00Z").map((b) => b.name)).toEqual(["Tenant cadence", "Team A cadence", "Adele cadence"]);
  });

  it("covers every team a person belongs to", () => {
    expect(applicableBoundaries(all, { teamIds: ["team-a", "team-b"] }, "2025-03-01T00:00:00Z").map((b) => b.id)).toEqual([tenant.id, teamA.id, teamB.id]);
  });

  it("drops the person-level one once it lapsed", () => {
    expect(applicableBoundaries(all, { teamIds: ["team-a"], personId: "adele" }, "2025-05-01T00:00:00Z").map((b) => b.id)).toEqual([tenant.id, teamA.id]);
  });

  it("uses the highest version when several versions are in force", () => {
    const v1 = boundary(cadence(1, 14), { id: "same", version: 1 });
    const v2 = { ...v1, version: 2, rule: cadence(1, 10) };
    expect(applicableBoundaries([v2, v1], { teamIds: [] }, "2025-03-01T00:00:00Z")).toEqual([v2]);
  });
});

describe("effectiveRules", () => {
  it("merges several scopes per kind with the strictest value and enforcement", () => {
    const tenant = boundary(cadence(1, 21), { enforcement: "warn" });
    const team = boundary(cadence(2, 14), { scope: TEAM_A, enforcement: "block" });
    const limit = boundary({ kind: "nudge_limit", perOutcomePerWeek: 2 }, { enforcement: "warn" });
    const rules = effectiveRules([team, limit, tenant]);
    expect(rules.map((r) => r.kind)).toEqual(["checkin_cadence", "nudge_limit"]);
    const c = ruleOfKind(rules, "checkin_cadence");
    expect(c?.rule).toEqual({ kind: "checkin_cadence", minDays: 2, maxDays: 14 });
    expect(c?.enforcement).toBe("block");
    expect(c?.text).toBe("Check in at least every 14 days and no more often than every 2 days.");
    expect(c?.sources.map((s) => s.boundaryId)).toEqual([tenant.id, team.id]);
    expect(ruleOfKind(rules, "nudge_limit")?.enforcement).toBe("warn");
    expect(ruleOfKind(rules, "retention")).toBeUndefined();
  });

  it("is empty without boundaries", () => {
    expect(effectiveRules([])).toEqual([]);
  });
});

describe("checkTightening", () => {
  const fields = (candidate: Boundary, wider: Boundary[]) => checkTightening(candidate, wider).map((v) => v.field);

  describe("checkin_cadence", () => {
    const tenant = boundary(cadence(2, 14), { name: "Bank cadence" });
    it("accepts a longer minimum and a shorter maximum", () => {
      expect(checkTightening(boundary(cadence(3, 7), { scope: TEAM_A }), [tenant])).toEqual([]);
      expect(checkTightening(boundary(cadence(2, 14), { scope: TEAM_A }), [tenant])).toEqual([]);
    });
    it("refuses a shorter minimum, naming the field and the wider boundary", () => {
      const [v] = checkTightening(boundary(cadence(1, 14), { scope: TEAM_A, name: "Team cadence" }), [tenant]);
      expect(v).toMatchObject({ field: "rule.minDays", boundaryId: tenant.id, boundaryName: "Bank cadence", scope: "tenant", candidateValue: 1, widerValue: 2 });
      expect(v?.message).toBe('"Team cadence" is looser than the tenant boundary "Bank cadence": it allows check-ins every 1 day, more often than the 2 days minimum.');
    });
    it("refuses a longer maximum", () => {
      expect(fields(boundary(cadence(2, 21), { scope: TEAM_A }), [tenant])).toEqual(["rule.maxDays"]);
    });
  });

  it("required_fields: lists add up, so a team asks for more without repeating the tenant's", () => {
    const tenant = boundary({ kind: "required_fields", fields: ["measure", "deadline"] }, { name: "Bank fields" });
    expect(fields(boundary({ kind: "required_fields", fields: ["deadline", "measure", "ifMissed"] }, { scope: TEAM_A }), [tenant])).toEqual([]);
    expect(fields(boundary({ kind: "required_fields", fields: ["approach"] }, { scope: TEAM_A }), [tenant])).toEqual([]);
    // A warning of its own is fine; a warning about a field the tenant requires reads as a loosening.
    expect(fields(boundary({ kind: "required_fields", fields: ["approach"] }, { scope: TEAM_A, enforcement: "warn" }), [tenant])).toEqual([]);
    const [v] = checkTightening(boundary({ kind: "required_fields", fields: ["approach", "deadline"] }, { scope: TEAM_A, enforcement: "warn" }), [tenant]);
    expect(v).toMatchObject({ field: "enforcement", candidateValue: "warn", widerValue: "block" });
    expect(v?.message).toMatch(/only warns about deadline, which "Bank fields" blocks; leave it to "Bank fields"/);
  });

  it("approval_for_risk_class: a class shared with a blocking tenant rule is compared in any case", () => {
    const tenant = boundary({ kind: "approval_for_risk_class", riskClasses: ["High", "critical"] });
    expect(fields(boundary({ kind: "approval_for_risk_class", riskClasses: ["medium"] }, { scope: TEAM_A }), [tenant])).toEqual([]);
    expect(fields(boundary({ kind: "approval_for_risk_class", riskClasses: ["medium"] }, { scope: TEAM_A, enforcement: "warn" }), [tenant])).toEqual([]);
    expect(checkTightening(boundary({ kind: "approval_for_risk_class", riskClasses: ["medium", " HIGH "] }, { scope: TEAM_A, enforcement: "warn" }), [tenant])[0]?.message).toMatch(/only warns about HIGH, which/);
  });

  it("working_hours_only: only the enforcement can loosen it", () => {
    const tenant = boundary({ kind: "working_hours_only" });
    expect(fields(boundary({ kind: "working_hours_only" }, { scope: TEAM_A }), [tenant])).toEqual([]);
    expect(fields(boundary({ kind: "working_hours_only" }, { scope: TEAM_A, enforcement: "warn" }), [tenant])).toEqual(["enforcement"]);
  });

  it("content_pattern: a team adds patterns of its own, warning or blocking, but does not warn about one the tenant blocks", () => {
    const tenant = boundary({ kind: "content_pattern", patterns: [{ name: "IBAN", regex: "[A-Z]{2}\\d{2}" }] });
    expect(fields(boundary({ kind: "content_pattern", patterns: [{ name: "Card", regex: "\\d{16}" }] }, { scope: TEAM_A }), [tenant])).toEqual([]);
    expect(fields(boundary({ kind: "content_pattern", patterns: [{ name: "Card", regex: "\\d{16}" }] }, { scope: TEAM_A, enforcement: "warn" }), [tenant])).toEqual([]);
    // The same expression under another name is the same pattern.
    const [v] = checkTightening(boundary({ kind: "content_pattern", patterns: [{ name: "Account", regex: "[A-Z]{2}\\d{2}" }, { name: "Card", regex: "\\d{16}" }] }, { scope: TEAM_A, enforcement: "warn" }), [tenant]);
    expect(v).toMatchObject({ field: "enforcement" });
    expect(v?.message).toMatch(/only warns about Account, which/);
    // Under a tenant rule that only warns, any team list is tighter or the same.
    expect(fields(boundary({ kind: "content_pattern", patterns: [{ name: "Account", regex: "[A-Z]{2}\\d{2}" }] }, { scope: TEAM_A, enforcement: "warn" }), [boundary({ kind: "content_pattern", patterns: [{ name: "IBAN", regex: "[A-Z]{2}\\d{2}" }] }, { enforcement: "warn" })])).toEqual([]);
  });

  it.each<[string, (n: number) => BoundaryRule, string]>([
    ["nudge_limit", (n) => ({ kind: "nudge_limit", perOutcomePerWeek: n }), "rule.perOutcomePerWeek"],
    ["escalation", (n) => ({ kind: "escalation", atRiskCheckIns: n }), "rule.atRiskCheckIns"],
    ["retention", (n) => ({ kind: "retention", freeTextDays: n }), "rule.freeTextDays"],
  ])("%s: lower or equal tightens, higher loosens", (_kind, make, field) => {
    const tenant = boundary(make(3));
    expect(fields(boundary(make(2), { scope: TEAM_A }), [tenant])).toEqual([]);
    expect(fields(boundary(make(3), { scope: TEAM_A }), [tenant])).toEqual([]);
    expect(fields(boundary(make(4), { scope: TEAM_A }), [tenant])).toEqual([field]);
  });

  it("block is tighter than warn, and a warning is welcome before a block", () => {
    const warnTenant = boundary(cadence(2, 14), { enforcement: "warn" });
    const blockTenant = boundary(cadence(2, 14), { enforcement: "block", name: "Strict" });
    expect(checkTightening(boundary(cadence(2, 14), { scope: TEAM_A, enforcement: "block" }), [warnTenant])).toEqual([]);
    const [v] = checkTightening(boundary(cadence(2, 14), { scope: TEAM_A, enforcement: "warn" }), [blockTenant]);
    expect(v).toMatchObject({ field: "enforcement", candidateValue: "warn", widerValue: "block" });
    expect(v?.message).toMatch(/only warns where "Strict" blocks, and asks for nothing more/);
    // Warning after 7 days where the tenant blocks after 14: a warning first, then the block.
    expect(checkTightening(boundary(cadence(2, 7), { scope: TEAM_A, enforcement: "warn" }), [blockTenant])).toEqual([]);
    const limit = boundary({ kind: "nudge_limit", perOutcomePerWeek: 5 });
    expect(fields(boundary({ kind: "nudge_limit", perOutcomePerWeek: 3 }, { scope: TEAM_A, enforcement: "warn" }), [limit])).toEqual([]);
    expect(fields(boundary({ kind: "nudge_limit", perOutcomePerWeek: 5 }, { scope: TEAM_A, enforcement: "warn" }), [limit])).toEqual(["enforcement"]);
    // A laxer number is refused whatever else the rule asks for.
    expect(fields(boundary(cadence(1, 7), { scope: TEAM_A, enforcement: "warn" }), [blockTenant])).toEqual(["rule.minDays"]);
  });

  it("a person is held to both the team and the tenant, one violation each", () => {
    const tenant = boundary(cadence(2, 21), { name: "Tenant" });
    const team = boundary(cadence(3, 14), { scope: TEAM_A, name: "Team" });
    const violations = checkTightening(personal(cadence(2, 14)), [tenant, team]);
    expect(violations.map((v) => [v.boundaryName, v.field])).toEqual([["Team", "rule.minDays"]]);
    expect(checkTightening(personal(cadence(1, 30)), [tenant, team]).map((v) => `${v.boundaryName}:${v.field}`)).toEqual([
      "Tenant:rule.minDays", "Tenant:rule.maxDays", "Team:rule.minDays", "Team:rule.maxDays",
    ]);
  });

  it("compares only with wider rules in force at some moment the candidate is", () => {
    // Adele's tightening runs from June to mid-July.
    const candidate = personal(cadence(1, 30), { effectiveFrom: "2025-06-01T00:00:00Z", expiresAt: "2025-07-15T00:00:00Z" });
    // A tenant rule that starts in September never applies beside it; one that starts in July does.
    expect(checkTightening(candidate, [boundary(cadence(5, 7), { effectiveFrom: "2025-09-01T00:00:00Z" })])).toEqual([]);
    expect(fields(candidate, [boundary(cadence(5, 7), { effectiveFrom: "2025-07-01T00:00:00Z" })])).toEqual(["rule.minDays", "rule.maxDays"]);
    // A team rule without an end, against a tenant rule that lapsed in May.
    expect(checkTightening(boundary(cadence(1, 30), { scope: TEAM_A, effectiveFrom: "2025-06-01T00:00:00Z" }), [boundary(cadence(5, 7), { expiresAt: "2025-05-01T00:00:00Z" })])).toEqual([]);
  });

  it("ignores same-level, other-kind, inactive, ended and own-id boundaries", () => {
    const candidate = boundary(cadence(1, 30), { scope: TEAM_A, effectiveFrom: "2025-06-01T00:00:00Z" });
    const ignored = [
      boundary(cadence(5, 7), { scope: TEAM_B }),
      boundary({ kind: "nudge_limit", perOutcomePerWeek: 0 }),
      boundary(cadence(5, 7), { state: "pending_approval" }),
      boundary(cadence(5, 7), { effectiveTo: "2025-05-01T00:00:00Z" }),
      boundary(cadence(5, 7), { id: candidate.id }),
    ];
    expect(checkTightening(candidate, ignored)).toEqual([]);
    expect(checkTightening(boundary(cadence(0, 99)), [boundary(cadence(5, 7))])).toEqual([]);
  });
});

describe("validatePersonScope", () => {
  it("passes tenant and team boundaries untouched", () => {
    expect(validatePersonScope(boundary(cadence(1, 7)))).toEqual([]);
    expect(validatePersonScope(boundary(cadence(1, 7), { scope: TEAM_A }))).toEqual([]);
  });

  it("passes a person-level boundary with a reason and a later expiry", () => {
    expect(validatePersonScope(personal(cadence(1, 7)))).toEqual([]);
  });

  it("needs a reason", () => {
    expect(validatePersonScope(personal(cadence(1, 7), { reason: "  " }))).toEqual([expect.objectContaining({ code: "reason_required", path: "reason" })]);
  });

  it("needs an expiry, after the start", () => {
    expect(validatePersonScope(personal(cadence(1, 7), { expiresAt: null }))).toEqual([expect.objectContaining({ code: "expiry_required", path: "expiresAt" })]);
    expect(validatePersonScope(personal(cadence(1, 7), { expiresAt: "2025-01-01T00:00:00Z" }))[0]?.message).toMatch(/after the date/);
  });

  it("needs the person", () => {
    expect(validatePersonScope(personal(cadence(1, 7), { scope: { level: "person", personId: "" } }))[0]?.path).toBe("scope.personId");
  });
});

describe("validateBoundary", () => {
  it("accepts a well-formed boundary", () => {
    expect(validateBoundary(boundary(cadence(1, 7)))).toEqual([]);
  });

  it("collects problems with name, version, dates, rule and person scope", () => {
    const bad = personal(cadence(9, 7), { name: "", version: 0, effectiveFrom: "2025-03-01", effectiveTo: "2025-02-01", reason: null });
    expect(validateBoundary(bad).map((e) => e.path)).toEqual(["name", "version", "effectiveTo", "rule.minDays", "reason"]);
  });

  it("checks unreadable dates and a team-level expiry before the start", () => {
    expect(validateBoundary(boundary(cadence(1, 7), { effectiveFrom: "x" })).map((e) => e.path)).toEqual(["effectiveFrom"]);
    expect(validateBoundary(boundary(cadence(1, 7), { effectiveTo: "y" })).map((e) => e.path)).toEqual(["effectiveTo"]);
    expect(validateBoundary(boundary(cadence(1, 7), { scope: TEAM_A, expiresAt: "2024-01-01" })).map((e) => e.path)).toEqual(["expiresAt"]);
  });
});

describe("canApproveBoundary", () => {
  it("lets another admin or a compliance officer approve", () => {
    expect(canApproveBoundary({ proposedBy: "miriam" }, { id: "grady", roles: ["Leeway.Admin"] }).ok).toBe(true);
    expect(canApproveBoundary({ proposedBy: "miriam" }, { id: "lidia", roles: ["Leeway.Compliance"] }).ok).toBe(true);
  });

  it("refuses self-approval even to an admin", () => {
    const r = canApproveBoundary({ proposedBy: "miriam" }, { id: "miriam", roles: ["Leeway.Admin", "Leeway.Compliance"] });
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: "not_allowed", message: expect.stringMatching(/own boundary change/) }) });
  });

  it("refuses someone without either role", () => {
    expect(canApproveBoundary({ proposedBy: "miriam" }, { id: "adele", roles: [] }).ok).toBe(false);
  });
});

describe("blocking and warnings", () => {
  it("split findings by enforcement", () => {
    const f = (enforcement: "block" | "warn", code: string): BoundaryFinding => ({ boundaryId: "b", boundaryName: "n", kind: "nudge_limit", rule: "r", enforcement, message: "m", code });
    const all = [f("warn", "a"), f("block", "b"), f("warn", "c")];
    expect(blocking(all).map((x) => x.code)).toEqual(["b"]);
    expect(warnings(all).map((x) => x.code)).toEqual(["a", "c"]);
  });
});
