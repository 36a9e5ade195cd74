// The Teams tab's form rules: the checks shown while typing match the server's, and edits send
// only what changed (a change of the what becomes a proposal the other side must accept).
import { boundaryFieldErrors, createBoundaryBody, emptyBoundary, validateBoundary } from "../../tabs/src/pages/admin/boundary-model";
import { changeBody, createBody, emptyValues, fieldForPath, validate, type OutcomeFormValues } from "../../tabs/src/pages/outcome/outcome-form-model";

const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

function filled(overrides: Partial<OutcomeFormValues> = {}): OutcomeFormValues {
  return { ...emptyValues(), title: "Faster decisions", metric: "Median days", unit: "days", baseline: "10", target: "5", deadline: future, ifMissed: "We review together", ...overrides };
}

describe("outcome form", () => {
  test("a complete form has no messages", () => {
    expect(validate(filled(), { creating: true })).toEqual({});
  });

  test("the same rules as the server: title length, target differs from baseline, real dates, no past deadline", () => {
    const errors = validate(filled({ title: "Cu", target: "10", deadline: "2026-02-30" }), { creating: true });
    expect(errors.title).toMatch(/at least 3 characters/);
    expect(errors.target).toMatch(/differ from the baseline/);
    expect(errors.deadline).toMatch(/real date/);
    expect(validate(filled({ deadline: "2000-01-01" }), { creating: true }).deadline).toMatch(/past/);
    // An existing outcome keeps its deadline even when it has passed.
    expect(validate(filled({ deadline: "2000-01-01" }), { creating: false }).deadline).toBeUndefined();
  });

  test("the create body carries numbers and leaves out an empty approach", () => {
    const body = createBody(filled(), "owner-1", "team-1");
    expect(body.measure).toEqual({ metric: "Median days", unit: "days", baseline: 10, target: 5 });
    expect(body.approach).toBeUndefined();
    expect(createBody(filled({ tools: "Excel, Power BI" }), "o", "t").approach).toEqual({ tools: ["Excel", "Power BI"] });
  });

  test("an edit sends only the changed fields, and the reason only with a change", () => {
    const before = filled();
    expect(changeBody(before, filled({ target: "4" }), "benchmarks moved")).toEqual({ measure: { target: 4 }, reason: "benchmarks moved" });
    expect(changeBody(before, filled({ plan: "Automate" }), "")).toEqual({ approach: { plan: "Automate", tools: [], schedule: "" } });
    expect(changeBody(before, before, "why")).toEqual({});
  });

  test("server error paths land on the field that shows them", () => {
    expect(fieldForPath("measure.target")).toBe("target");
    expect(fieldForPath("approach.tools.3")).toBe("tools");
    expect(fieldForPath("ownerId")).toBeNull();
  });
});

describe("boundary form", () => {
  test("a person-level boundary needs a reason and an expiry", () => {
    const v = { ...emptyBoundary(), name: "Tighter for one", level: "person" as const, personId: "p-1", kind: "nudge_limit" as const };
    const errors = validateBoundary(v);
    expect(errors.reason).toBeDefined();
    expect(errors.expiresAt).toBeDefined();
  });

  test("content patterns must be valid regular expressions", () => {
    const v = { ...emptyBoundary(), name: "No IBAN", patterns: [{ name: "IBAN", regex: "([A-Z]", flags: "" }] };
    expect(validateBoundary(v)["patterns.0.regex"]).toMatch(/regular expression/);
  });

  test("the create body has the rule of the chosen kind only", () => {
    const v = { ...emptyBoundary("team-1"), name: "Cadence", kind: "checkin_cadence" as const, level: "team" as const, minDays: "2", maxDays: "10" };
    expect(createBoundaryBody(v)).toEqual({ name: "Cadence", scope: { level: "team", teamId: "team-1" }, enforcement: "block", rule: { kind: "checkin_cadence", minDays: 2, maxDays: 10 } });
  });

  test("server paths of rules and scopes map to the form's keys", () => {
    expect(boundaryFieldErrors({ "rule.patterns.0.regex": "bad", "scope.teamId": "unknown" })).toEqual({ "patterns.0.regex": "bad", teamId: "unknown" });
  });
});
