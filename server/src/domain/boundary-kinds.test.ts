import fc from "fast-check";
import {
  BOUNDARY_KINDS, MAX_PATTERN_LENGTH, compilePattern, describeRule, isPatternProblem, looserFields, mergeRules, patternKey, validateRule,
  type BoundaryRule, type ContentPattern, type RuleOf,
} from "./boundary-kinds";
import { matchPlainly, useTextMatcher, type TextMatcher } from "./text-matching";

const IBAN = { name: "IBAN", regex: "\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\\b" };

describe("compilePattern", () => {
  const matcher = (p: ContentPattern) => {
    const m = compilePattern(p);
    if (isPatternProblem(m)) throw new Error(m.message);
    return m;
  };

  it("compiles a bounded IBAN pattern and matches case-insensitively", () => {
    expect(matcher(IBAN).flags).toBe("i");
    expect(matcher(IBAN).test("pay to gb29 nwbk 6016 1331 9268 19 today")).toBe(true);
    expect(matcher(IBAN).test("pay to the usual supplier today")).toBe(false);
  });

  it("keeps allowed extra flags and always adds i", () => {
    expect(matcher({ name: "x", regex: "a.b", flags: "su" }).flags).toBe("isu");
  });

  it("refuses patterns that do not compile", () => {
    expect(compilePattern({ name: "broken", regex: "(abc" })).toMatchObject({ code: "invalid_boundary", path: "pattern.regex", message: expect.stringContaining("does not compile") });
  });

  it("refuses patterns longer than the limit, accepting exactly the limit", () => {
    expect(isPatternProblem(compilePattern({ name: "long", regex: "a".repeat(MAX_PATTERN_LENGTH) }))).toBe(false);
    expect(compilePattern({ name: "long", regex: "a".repeat(MAX_PATTERN_LENGTH + 1) })).toMatchObject({ message: expect.stringContaining("longer than 500") });
  });

  it.each([
    ["(a+)+", ""], ["(\\w*)*b", ""], ["(?:x|y+){2,}", ""], ["([a-z]+\\d*)+$", ""], ["((a+))+$", ""], ["\\b((\\d+)[ -]?)+\\b(?:IBAN)", ""], ["(?<run>a+)+", ""],
    ["(?:(?:a*)b)*?", ""], ["(a+){0000000000000000000000000001,}", ""], ["(\\u{62}+)+$", "u"], ["(?:\\u{20}+)+$", "u"], ["(?<n>\\u{61}{2,})*", "u"], ["(\\p{L}+)+", "u"],
    // Without the u flag, \u{2,} is the letter u repeated, and \p{ a letter p and a brace.
    ["(\\u{2,})+$", ""], ["\\u{(a+)+}", ""], ["\\p{(a+)+}x", ""], ["(\\P{3,})*$", ""],
  ])("refuses the catastrophic shape %p (flags %p) when a boundary is written", (regex, flags) => {
    expect(compilePattern({ name: "evil", regex, flags }, "pattern", { probe: true })).toMatchObject({ message: expect.stringContaining("unbounded repetition") });
    // Already stored (before the check was this strict), it is matched under the scan's limit instead.
    expect(isPatternProblem(compilePattern({ name: "evil", regex, flags }))).toBe(false);
  });

  it("refuses a pattern when a boundary is written if matching it against the probe texts gives up, and remembers no refusal", () => {
    const budgets: number[] = [];
    const givesUp: TextMatcher = (_res, _texts, budgetMs) => (budgets.push(budgetMs), null);
    const before = useTextMatcher(givesUp);
    try {
      expect(compilePattern({ name: "slow", regex: "q+z" }, "pattern", { probe: true })).toMatchObject({ path: "pattern.regex", message: expect.stringContaining("takes too long") });
      // Probing gives each pattern a shorter budget than a write's scan.
      expect(budgets).toEqual([50]);
    } finally {
      useTextMatcher(before);
    }
    // A matcher that answers: the same pattern is accepted, the refusal having not been kept.
    expect(isPatternProblem(compilePattern({ name: "slow", regex: "q+z" }, "pattern", { probe: true }))).toBe(false);
    expect(before).toBe(matchPlainly);
  });

  it.each([
    ["(\\d{4} ?){4}", ""], ["[+*]+", ""], ["(ab)+", ""], ["\\(a+\\)+", ""], ["(?<![\\d-])(?:\\d{4}[ -]?){3}\\d{4}(?![\\d-])", ""], ["[(]a+[)]+", ""], ["(a)+(b+)", ""],
    ["(?:a|b+){2,5}", ""], ["[]a+]+", ""], ["\\d{2,}(x)+", ""], ["(\\u{62}{2}x)+", "u"], ["(?:\\p{Lu}{2}\\d{2})+", "u"], ["[\\]+]+", ""],
  ])("accepts the safe shape %p (flags %p)", (regex, flags) => {
    expect(isPatternProblem(compilePattern({ name: "ok", regex, flags }, "pattern", { probe: true }))).toBe(false);
  });

  it.each(["x*", "\\d{0,8}", "(?:iban)?"])("refuses %p when a boundary is written, as it matches empty text and so every text", (regex) => {
    expect(compilePattern({ name: "everything", regex }, "pattern", { probe: true })).toMatchObject({ path: "pattern.regex", message: expect.stringContaining("matches empty text") });
  });

  it("judges the shape of any pattern in one pass, however it is built", () => {
    // Character classes nested in a group, each readable several ways by a backtracking checker.
    expect(isPatternProblem(compilePattern({ name: "classes", regex: "(" + "[0-9]".repeat(80) + ")" }, "pattern", { probe: true }))).toBe(false);
    expect(compilePattern({ name: "unclosed", regex: "(" + "[]".repeat(40) + "!" })).toMatchObject({ message: expect.stringContaining("does not compile") });
  });

  it("refuses stateful or unknown flags, and an empty name or pattern", () => {
    expect(compilePattern({ name: "g", regex: "a", flags: "g" })).toMatchObject({ path: "pattern.flags" });
    expect(compilePattern({ name: " ", regex: "a" })).toMatchObject({ path: "pattern.name" });
    expect(compilePattern({ name: "empty", regex: "" })).toMatchObject({ path: "pattern.regex" });
  });

  it("identifies a pattern by expression and flags, not name", () => {
    expect(patternKey({ name: "a", regex: "x" })).toBe(patternKey({ name: "b", regex: "x", flags: "i" }));
    expect(patternKey({ name: "a", regex: "x" })).not.toBe(patternKey({ name: "a", regex: "x", flags: "m" }));
  });
});

describe("validateRule", () => {
  const paths = (rule: BoundaryRule) => validateRule(rule).map((e) => e.path);

  it("accepts sensible rules of every kind", () => {
    const rules: BoundaryRule[] = [
      { kind: "checkin_cadence", minDays: 3, maxDays: 14 },
      { kind: "required_fields", fields: ["measure", "deadline"] },
      { kind: "approval_for_risk_class", riskClasses: ["high"] },
      { kind: "working_hours_only" },
      { kind: "content_pattern", patterns: [IBAN] },
      { kind: "nudge_limit", perOutcomePerWeek: 0 },
      { kind: "escalation", atRiskCheckIns: 2 },
      { kind: "retention", freeTextDays: 365 },
    ];
    expect(rules.map((r) => r.kind).sort()).toEqual([...BOUNDARY_KINDS].sort());
    for (const r of rules) expect(validateRule(r)).toEqual([]);
  });

  it("checks cadence numbers and their order", () => {
    expect(paths({ kind: "checkin_cadence", minDays: -1, maxDays: 0 })).toEqual(["rule.minDays", "rule.maxDays"]);
    expect(paths({ kind: "checkin_cadence", minDays: 10, maxDays: 7 })).toEqual(["rule.minDays"]);
    expect(paths({ kind: "checkin_cadence", minDays: 1.5, maxDays: 7 })).toEqual(["rule.minDays"]);
  });

  it("checks required fields are known and present", () => {
    expect(paths({ kind: "required_fields", fields: [] })).toEqual(["rule.fields"]);
    expect(paths({ kind: "required_fields", fields: ["deadline", "salary" as never] })).toEqual(["rule.fields.1"]);
  });

  it("checks risk classes, patterns and the numeric limits", () => {
    expect(paths({ kind: "approval_for_risk_class", riskClasses: [] })).toEqual(["rule.riskClasses"]);
    expect(paths({ kind: "approval_for_risk_class", riskClasses: ["high", " "] })).toEqual(["rule.riskClasses.1"]);
    expect(paths({ kind: "content_pattern", patterns: [] })).toEqual(["rule.patterns"]);
    expect(paths({ kind: "content_pattern", patterns: [IBAN, { name: "bad", regex: "[" }] })).toEqual(["rule.patterns.1.regex"]);
    expect(paths({ kind: "content_pattern", patterns: Array.from({ length: 51 }, (_, i) => ({ name: `p${i}`, regex: `x${i}` })) })).toEqual(["rule.patterns"]);
    expect(paths({ kind: "nudge_limit", perOutcomePerWeek: -1 })).toEqual(["rule.perOutcomePerWeek"]);
    expect(paths({ kind: "escalation", atRiskCheckIns: 0 })).toEqual(["rule.atRiskCheckIns"]);
    expect(paths({ kind: "retention", freeTextDays: 0 })).toEqual(["rule.freeTextDays"]);
  });
});

describe("describeRule", () => {
  it.each<[BoundaryRule, string]>([
    [{ kind: "checkin_cadence", minDays: 1, maxDays: 14 }, "Check in at least every 14 days and no more often than every 1 day."],
    [{ kind: "required_fields", fields: ["measure", "ifMissed"] }, "Outcomes must state: measure, ifMissed."],
    [{ kind: "approval_for_risk_class", riskClasses: ["high", "critical"] }, "Outcomes of risk class high, critical need approval by compliance or an admin before agreement."],
    [{ kind: "working_hours_only" }, "Check-ins and check-in meetings only inside each person's working hours."],
    [{ kind: "content_pattern", patterns: [IBAN] }, "Free text must not contain: IBAN."],
    [{ kind: "nudge_limit", perOutcomePerWeek: 1 }, "At most 1 nudge per outcome per week."],
    [{ kind: "escalation", atRiskCheckIns: 3 }, "Escalate when an outcome is at risk for 3 check-ins in a row."],
    [{ kind: "retention", freeTextDays: 90 }, "Free text is kept for 90 days."],
  ])("words %j", (rule, text) => {
    expect(describeRule(rule)).toBe(text);
  });
});

describe("looserFields", () => {
  it("is empty across different kinds", () => {
    expect(looserFields({ kind: "nudge_limit", perOutcomePerWeek: 9 }, { kind: "escalation", atRiskCheckIns: 1 })).toEqual([]);
  });

  it("is empty for any rule against itself (property)", () => {
    const cadence = fc.record({ minDays: fc.nat(10), maxDays: fc.integer({ min: 10, max: 30 }) }).map((r): BoundaryRule => ({ kind: "checkin_cadence", ...r }));
    const limit = fc.nat(10).map((n): BoundaryRule => ({ kind: "nudge_limit", perOutcomePerWeek: n }));
    const fields = fc.subarray(["measure", "deadline", "ifMissed"] as const, { minLength: 1 }).map((f): BoundaryRule => ({ kind: "required_fields", fields: [...f] }));
    fc.assert(fc.property(fc.oneof(cadence, limit, fields), (r) => {
      expect(looserFields(r, r)).toEqual([]);
    }));
  });
});

describe("mergeRules", () => {
  it("takes the strictest cadence bounds from different rules", () => {
    expect(mergeRules<"checkin_cadence">([
      { kind: "checkin_cadence", minDays: 2, maxDays: 14 },
      { kind: "checkin_cadence", minDays: 5, maxDays: 21 },
      { kind: "checkin_cadence", minDays: 1, maxDays: 10 },
    ])).toEqual({ kind: "checkin_cadence", minDays: 5, maxDays: 10 });
  });

  it("unites fields, risk classes (case-insensitively) and patterns (by expression)", () => {
    expect(mergeRules<"required_fields">([{ kind: "required_fields", fields: ["deadline"] }, { kind: "required_fields", fields: ["measure", "deadline"] }]).fields).toEqual(["measure", "deadline"]);
    expect(mergeRules<"approval_for_risk_class">([{ kind: "approval_for_risk_class", riskClasses: ["High"] }, { kind: "approval_for_risk_class", riskClasses: ["high", "critical"] }]).riskClasses).toEqual(["High", "critical"]);
    const merged = mergeRules<"content_pattern">([{ kind: "content_pattern", patterns: [IBAN] }, { kind: "content_pattern", patterns: [{ ...IBAN, name: "Account" }, { name: "Card", regex: "\\d{16}" }] }]);
    expect(merged.patterns.map((p) => p.name)).toEqual(["IBAN", "Card"]);
  });

  it("takes the lowest limit, threshold and retention", () => {
    expect(mergeRules<"nudge_limit">([{ kind: "nudge_limit", perOutcomePerWeek: 3 }, { kind: "nudge_limit", perOutcomePerWeek: 1 }]).perOutcomePerWeek).toBe(1);
    expect(mergeRules<"escalation">([{ kind: "escalation", atRiskCheckIns: 2 }, { kind: "escalation", atRiskCheckIns: 4 }]).atRiskCheckIns).toBe(2);
    expect(mergeRules<"retention">([{ kind: "retention", freeTextDays: 30 }, { kind: "retention", freeTextDays: 400 }]).freeTextDays).toBe(30);
    expect(mergeRules<"working_hours_only">([{ kind: "working_hours_only" }, { kind: "working_hours_only" }])).toEqual({ kind: "working_hours_only" });
  });

  it("is at least as tight as every rule merged (property)", () => {
    const cadence = fc.record({ minDays: fc.nat(10), maxDays: fc.integer({ min: 1, max: 30 }) }).map((r): RuleOf<"checkin_cadence"> => ({ kind: "checkin_cadence", ...r }));
    fc.assert(fc.property(fc.array(cadence, { minLength: 1, maxLength: 5 }), (rules) => {
      const merged = mergeRules(rules);
      for (const r of rules) expect(looserFields(merged, r)).toEqual([]);
    }));
  });

  it("refuses to merge nothing", () => {
    expect(() => mergeRules([])).toThrow();
  });
});
