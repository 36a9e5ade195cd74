import {
  MAX_SCAN_CHARS, blocking, checkInOverdue, effectiveRules, escalatesNow, escalationDue, evaluateCheckIn, evaluateNudge, evaluateOutcomeWrite,
  evaluateSchedule, findingsForTheRecord, nudgesInWeek, recentCheckInsNeeded, retentionCutoff, warnings, type Boundary, type BoundaryRule, type BoundaryScope, type Enforcement,
  type OutcomeDraft,
} from "./boundaries";
import fc from "fast-check";
import { useTextMatcher } from "./text-matching";
import type { CheckInStatus, WorkingHours } from "./types";

let seq = 0;
function b(rule: BoundaryRule, enforcement: Enforcement = "block", scope: BoundaryScope = { level: "tenant" }, name?: string): Boundary {
  seq += 1;
  return { id: `b${seq}`, name: name ?? `${rule.kind} ${seq}`, version: 1, scope, enforcement, rule, effectiveFrom: "2025-01-01", state: "active" };
}
const TEAM: BoundaryScope = { level: "team", teamId: "t1" };
const rules = (...bs: Boundary[]) => effectiveRules(bs);

const IBAN = { name: "IBAN", regex: "\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\\b" };
const CARD = { name: "Card number", regex: "\\b\\d{4}[ -]?\\d{4}[ -]?\\d{4}[ -]?\\d{4}\\b" };
const patterns = (enforcement: Enforcement = "block", scope?: BoundaryScope, list = [IBAN, CARD]) => b({ kind: "content_pattern", patterns: list }, enforcement, scope);

const complete: OutcomeDraft = {
  title: "Reduce payment disputes",
  measure: { metric: "disputes per month", unit: "count", baseline: 40, target: 25 },
  deadline: "2025-09-30",
  ifMissed: "Review with operations",
  approach: { plan: "Pair with support", tools: ["CRM"] },
  teamId: "t1",
  visibility: "team",
};

const london: WorkingHours = { daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"], startTime: "08:30:00.0000000", endTime: "17:00:00.0000000", timeZone: { name: "Europe/London" } };

describe("evaluateOutcomeWrite", () => {
  const required = rules(b({ kind: "required_fields", fields: ["measure", "deadline", "ifMissed", "approach", "teamId"] }, "block", undefined, "Complete outcomes"));

  it("passes a complete outcome", () => {
    expect(evaluateOutcomeWrite(required, complete)).toEqual([]);
  });

  it("names each missing required field with its path and the boundary", () => {
    const findings = evaluateOutcomeWrite(required, { title: "Something", measure: { metric: "", unit: "count", baseline: 1, target: 2 }, ifMissed: " ", approach: { plan: "", tools: [" "] } });
    expect(findings.map((f) => f.path)).toEqual(["measure", "deadline", "ifMissed", "approach", "teamId"]);
    expect(findings[0]).toMatchObject({ boundaryName: "Complete outcomes", kind: "required_fields", enforcement: "block", code: "missing:measure", rule: "Outcomes must state: measure, deadline, ifMissed, approach, teamId." });
    expect(findings[0]?.message).toMatch(/metric, unit, baseline and target/);
  });

  it("only warns a manager who proposes without an approach, which the owner alone writes; agreement still needs it", () => {
    const noHow = { ...complete, approach: {} };
    expect(evaluateOutcomeWrite(required, noHow, { writtenByOwner: false })).toEqual([expect.objectContaining({ path: "approach", enforcement: "warn" })]);
    expect(evaluateOutcomeWrite(required, noHow, { writtenByOwner: true })).toEqual([expect.objectContaining({ path: "approach", enforcement: "block" })]);
    expect(evaluateOutcomeWrite(required, noHow, { writtenByOwner: false, intent: "agree" })).toEqual([expect.objectContaining({ path: "approach", enforcement: "block" })]);
  });

  it("counts a schedule alone as an approach, and a measure needs numbers", () => {
    expect(evaluateOutcomeWrite(required, { ...complete, approach: { schedule: "Mornings" } })).toEqual([]);
    expect(evaluateOutcomeWrite(required, { ...complete, measure: { metric: "m", unit: "u", baseline: 1 } }).map((f) => f.path)).toEqual(["measure"]);
  });

  it("finds forbidden content in title, consequence and approach, case-insensitively, without echoing it", () => {
    const findings = evaluateOutcomeWrite(rules(patterns()), {
      ...complete,
      title: "Refund to gb29 nwbk 6016 1331 9268 19",
      ifMissed: "nothing",
      approach: { plan: "call them", tools: ["CRM", "card 4111 1111 1111 1111"] },
    });
    expect(findings.map((f) => [f.path, f.code])).toEqual([["title", "pattern:IBAN"], ["approach.tools.1", "pattern:Card number"]]);
    for (const f of findings) expect(f.message).not.toMatch(/\d{4}/);
    expect(findings[0]?.message).toBe("title contains text that looks like IBAN, which must not be written here.");
  });

  it("misses clean text", () => {
    expect(evaluateOutcomeWrite(rules(patterns()), complete)).toEqual([]);
  });

  it("lets the blocking boundary speak when a warning one finds the same thing", () => {
    const findings = evaluateOutcomeWrite(rules(patterns("warn"), patterns("block", TEAM)), { ...complete, title: "GB29 NWBK 6016 1331 9268 19" });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.enforcement).toBe("block");
    expect(blocking(findings)).toHaveLength(1);
    expect(warnings(findings)).toHaveLength(0);
  });

  it("lets the narrower boundary speak between two that both block", () => {
    const team = patterns("block", TEAM);
    const findings = evaluateOutcomeWrite(rules(patterns("block"), team), { ...complete, title: "GB29 NWBK 6016 1331 9268 19" });
    expect(findings.map((f) => f.boundaryId)).toEqual([team.id]);
  });

  it("keeps every boundary that found the same thing for the record, each with its version, while one speaks", () => {
    const tenant = { ...patterns("block"), version: 3 };
    const team = patterns("block", TEAM);
    const warned = patterns("warn", TEAM);
    const findings = evaluateOutcomeWrite(rules(tenant, team, warned), { ...complete, title: "GB29 NWBK 6016 1331 9268 19" });
    expect(findings.map((f) => f.boundaryId)).toEqual([team.id]);
    const record = findingsForTheRecord(findings);
    expect(record.map((r) => [r.finding.boundaryId, r.finding.enforcement, r.version])).toEqual([
      [team.id, "block", 1],
      [tenant.id, "block", 3],
      [warned.id, "warn", 1],
    ]);
    // A finding these checks did not make counts once, its version unknown.
    expect(findingsForTheRecord([{ ...findings[0]! }])).toEqual([{ finding: { ...findings[0]! }, version: null }]);
  });

  it("only warns when the only boundary warns", () => {
    const findings = evaluateOutcomeWrite(rules(patterns("warn")), { ...complete, title: "GB29 NWBK 6016 1331 9268 19" });
    expect(blocking(findings)).toEqual([]);
    expect(warnings(findings)).toHaveLength(1);
  });

  it("reports text too long to check, and does not look past the cap", () => {
    const tail = `${"x".repeat(MAX_SCAN_CHARS)} GB29 NWBK 6016 1331 9268 19`;
    const findings = evaluateOutcomeWrite(rules(patterns()), { ...complete, ifMissed: tail });
    expect(findings.map((f) => [f.path, f.code])).toEqual([["ifMissed", "too_long_to_check"]]);
    expect(evaluateOutcomeWrite(rules(patterns()), { ...complete, ifMissed: "x".repeat(MAX_SCAN_CHARS) })).toEqual([]);
  });

  it("fails closed on a stored pattern that cannot be used", () => {
    const findings = evaluateOutcomeWrite(rules(patterns("block", undefined, [{ name: "Broken", regex: "(abc" }])), complete);
    expect(findings).toEqual([expect.objectContaining({ code: "pattern_unusable:Broken", enforcement: "block" })]);
  });

  it("checks the real text against a stored pattern that backtracks, and refuses only what it cannot check in time", () => {
    // Written before writes were probed: refusing every write for it would stop the tenant's work.
    const stored = rules(patterns("block", undefined, [{ name: "Runs", regex: "(a|a)+$" }, { name: "Nested", regex: "\\b(?:ACC-(?:\\d+))+\\b" }]));
    expect(evaluateOutcomeWrite(stored, complete)).toEqual([]);
    // The matcher in use gave up on this write (the server's stops a scan at its time limit).
    const before = useTextMatcher(() => null);
    try {
      expect(evaluateOutcomeWrite(stored, { ...complete, ifMissed: "a".repeat(40) + "!" })).toEqual([expect.objectContaining({ code: "too_slow_to_check", enforcement: "block", boundaryName: stored[0]!.sources[0]!.boundaryName })]);
      expect(warnings(evaluateOutcomeWrite(rules(patterns("warn")), complete))).toEqual([expect.objectContaining({ code: "too_slow_to_check", enforcement: "warn" })]);
    } finally {
      useTextMatcher(before);
    }
  });

  describe("approval for a risk class", () => {
    const approval = rules(b({ kind: "approval_for_risk_class", riskClasses: ["High", "critical"] }, "block", undefined, "Risky work"));

    it("warns while drafting and blocks at agreement until approved", () => {
      const saving = evaluateOutcomeWrite(approval, { ...complete, riskClass: "high" });
      expect(saving).toEqual([expect.objectContaining({ code: "approval_required", path: "riskClass", enforcement: "warn", boundaryName: "Risky work" })]);
      expect(saving[0]?.message).toBe('Risk class "high" needs approval by compliance or an admin before this outcome can be agreed.');
      expect(evaluateOutcomeWrite(approval, { ...complete, riskClass: "high" }, { intent: "agree" })[0]?.enforcement).toBe("block");
    });

    it("is quiet once approved, and for other classes", () => {
      expect(evaluateOutcomeWrite(approval, { ...complete, riskClass: "critical", riskApproved: true }, { intent: "agree" })).toEqual([]);
      expect(evaluateOutcomeWrite(approval, { ...complete, riskClass: "low" }, { intent: "agree" })).toEqual([]);
      expect(evaluateOutcomeWrite(approval, complete, { intent: "agree" })).toEqual([]);
    });

    it("keeps a warning boundary a warning at agreement", () => {
      const warn = rules(b({ kind: "approval_for_risk_class", riskClasses: ["high"] }, "warn"));
      expect(evaluateOutcomeWrite(warn, { ...complete, riskClass: "high" }, { intent: "agree" })[0]?.enforcement).toBe("warn");
    });
  });

  it("ignores kinds that are not about outcomes", () => {
    expect(evaluateOutcomeWrite(rules(b({ kind: "nudge_limit", perOutcomePerWeek: 0 }), b({ kind: "working_hours_only" })), {})).toEqual([]);
  });
});

describe("evaluateCheckIn", () => {
  const now = "2025-03-06T10:00:00Z";

  it("finds forbidden content in each free-text field, ideas by index", () => {
    const findings = evaluateCheckIn(rules(patterns()), {
      checkIn: { note: "ok", blockers: "GB29NWBK60161331926819", supportNeeded: "card 4111-1111-1111-1111", nextStep: "NL91 ABNA 0417 1643 00", ideas: ["fine", "pay GB29 NWBK 6016 1331 9268 19"] },
      previousCheckIns: [],
      now,
    });
    expect(findings.map((f) => f.path)).toEqual(["blockers", "nextStep", "ideas.1", "supportNeeded"]);
  });

  describe("cadence minimum", () => {
    const cadence = rules(b({ kind: "checkin_cadence", minDays: 3, maxDays: 14 }, "warn", undefined, "Rhythm"));
    const previous = [{ at: "2025-03-01T09:00:00Z" }, { at: "2025-03-03T09:00:00Z" }];

    it("flags a check-in sooner than the minimum after the last one", () => {
      const findings = evaluateCheckIn(cadence, { checkIn: { at: "2025-03-05T16:00:00Z" }, previousCheckIns: previous, now });
      expect(findings).toEqual([expect.objectContaining({ code: "too_soon", path: "at", enforcement: "warn", boundaryName: "Rhythm" })]);
      expect(findings[0]?.message).toBe("The last check-in was 2 days ago; check-ins here are at most every 3 days.");
    });

    it("accepts one exactly at the minimum, counted in calendar days", () => {
      expect(evaluateCheckIn(cadence, { checkIn: { at: "2025-03-06T08:00:00Z" }, previousCheckIns: previous, now })).toEqual([]);
    });

    it("uses now when the check-in has no time, and says 'the same day'", () => {
      const findings = evaluateCheckIn(cadence, { checkIn: {}, previousCheckIns: [{ at: "2025-03-06T07:00:00Z" }], now });
      expect(findings[0]?.message).toMatch(/earlier the same day/);
    });

    it("counts days on the owner's calendar", () => {
      // 23:30 UTC on the 3rd is already the 4th in Berlin: only 2 local days before the 6th.
      const input = { checkIn: { at: "2025-03-06T08:00:00Z" }, previousCheckIns: [{ at: "2025-03-03T23:30:00Z" }], now };
      expect(evaluateCheckIn(cadence, input)).toEqual([]);
      expect(evaluateCheckIn(cadence, { ...input, timeZone: "Europe/Berlin" }).map((f) => f.code)).toEqual(["too_soon"]);
    });

    it("never holds back the check-in that records the outcome done; working hours still apply to it", () => {
      expect(evaluateCheckIn(cadence, { checkIn: { at: "2025-03-03T16:00:00Z", completes: true }, previousCheckIns: previous, now })).toEqual([]);
      const both = rules(
        b({ kind: "checkin_cadence", minDays: 3, maxDays: 14 }, "block", undefined, "Rhythm"),
        b({ kind: "working_hours_only" }, "block", undefined, "Office hours"),
      );
      const saturday = { checkIn: { at: "2025-03-08T11:00:00Z", completes: true }, previousCheckIns: [{ at: "2025-03-07T09:00:00Z" }], now, workingHours: london };
      expect(evaluateCheckIn(both, saturday).map((f) => f.code)).toEqual(["outside_working_hours"]);
    });

    it("ignores check-ins after this one and passes the first check-in", () => {
      expect(evaluateCheckIn(cadence, { checkIn: { at: "2025-03-01T08:00:00Z" }, previousCheckIns: [{ at: "2025-03-02T08:00:00Z" }], now })).toEqual([]);
      expect(evaluateCheckIn(cadence, { checkIn: {}, previousCheckIns: [], now })).toEqual([]);
    });
  });

  describe("working hours in Europe/London", () => {
    const wh = rules(b({ kind: "working_hours_only" }, "block", undefined, "Office hours"));
    const check = (at: string) => evaluateCheckIn(wh, { checkIn: { at }, previousCheckIns: [], now: at, workingHours: london });

    it("winter: 08:29 is refused, 08:30 accepted", () => {
      const findings = check("2025-01-15T08:29:00Z");
      expect(findings).toEqual([expect.objectContaining({ code: "outside_working_hours", path: "at", enforcement: "block", boundaryName: "Office hours" })]);
      expect(findings[0]?.message).toBe("This check-in on wednesday 2025-01-15 at 08:29 (Europe/London) is outside the working hours monday–friday 08:30–17:00 (Europe/London).");
      expect(check("2025-01-15T08:30:00Z")).toEqual([]);
    });

    it("summer: 08:29 local is 07:29 UTC and refused; 08:30 local is accepted", () => {
      expect(check("2025-07-16T07:29:00Z").map((f) => f.code)).toEqual(["outside_working_hours"]);
      expect(check("2025-07-16T07:30:00Z")).toEqual([]);
    });

    it("mentions a zone it did not recognise", () => {
      const findings = evaluateCheckIn(wh, { checkIn: { at: "2025-01-15T06:00:00Z" }, previousCheckIns: [], now, workingHours: { ...london, timeZone: { name: "Nowhere" } } });
      expect(findings[0]?.message).toMatch(/"Nowhere" was not recognised, so UTC was used/);
    });

    it("does not judge without working hours or without the rule", () => {
      expect(evaluateCheckIn(wh, { checkIn: { at: "2025-01-15T03:00:00Z" }, previousCheckIns: [], now })).toEqual([]);
      expect(evaluateCheckIn([], { checkIn: { at: "2025-01-15T03:00:00Z" }, previousCheckIns: [], now, workingHours: london })).toEqual([]);
    });
  });
});

describe("checkInOverdue", () => {
  const cadence = rules(b({ kind: "checkin_cadence", minDays: 1, maxDays: 14 }));

  it("is quiet up to the maximum gap and speaks the day after", () => {
    expect(checkInOverdue(cadence, { lastCheckInAt: "2025-03-01T09:00:00Z", now: "2025-03-15T20:00:00Z" })).toEqual([]);
    const findings = checkInOverdue(cadence, { lastCheckInAt: "2025-03-01T09:00:00Z", now: "2025-03-16T08:00:00Z" });
    expect(findings).toEqual([expect.objectContaining({ code: "too_rare", kind: "checkin_cadence" })]);
    expect(findings[0]?.message).toBe("The last check-in was 15 days ago; check-ins here are due at least every 14 days.");
  });

  it("counts from the agreement before the first check-in", () => {
    expect(checkInOverdue(cadence, { lastCheckInAt: null, since: "2025-03-01T09:00:00Z", now: "2025-03-20T08:00:00Z" })[0]?.message).toMatch(/^Agreement was 19 days ago/);
    expect(checkInOverdue(cadence, { lastCheckInAt: null, now: "2025-03-20T08:00:00Z" })).toEqual([]);
  });
});

describe("nudges", () => {
  const limit = rules(b({ kind: "nudge_limit", perOutcomePerWeek: 2 }, "block", undefined, "Nudge limit"));

  it("allows nudges up to the limit and refuses the one over it", () => {
    expect(evaluateNudge(limit, { outcomeId: "o1", nudgesThisWeek: 1, now: "2025-03-06T10:00:00Z" })).toEqual([]);
    const findings = evaluateNudge(limit, { outcomeId: "o1", nudgesThisWeek: 2, now: "2025-03-06T10:00:00Z" });
    expect(findings).toEqual([expect.objectContaining({ code: "nudge_limit", enforcement: "block", boundaryName: "Nudge limit" })]);
    expect(findings[0]?.message).toMatch(/^2 nudges already went out for this outcome in the past 7 days; the limit is 2 a week/);
  });

  it("a limit of zero refuses every nudge", () => {
    expect(evaluateNudge(rules(b({ kind: "nudge_limit", perOutcomePerWeek: 0 }, "warn")), { outcomeId: "o1", nudgesThisWeek: 0, now: "2025-03-06T10:00:00Z" })[0]?.enforcement).toBe("warn");
  });

  it("counts the outcome's nudges in the 7 days up to now", () => {
    const now = "2025-03-08T12:00:00Z";
    const nudges = [
      { outcomeId: "o1", at: "2025-03-01T12:00:00Z" }, // exactly 7 days before: outside
      { outcomeId: "o1", at: "2025-03-01T12:00:01Z" },
      { outcomeId: "o1", at: "2025-03-08T12:00:00Z" },
      { outcomeId: "o1", at: "2025-03-08T12:00:01Z" }, // after now
      { outcomeId: "o2", at: "2025-03-05T12:00:00Z" },
    ];
    expect(nudgesInWeek(nudges, "o1", now)).toEqual({ count: 2, definition: expect.stringMatching(/7 days/) });
  });
});

describe("evaluateSchedule", () => {
  const base = { start: "2025-01-06T10:00:00Z", durationMinutes: 30, attendees: [] };

  it("weighs the interval against the cadence minimum and maximum", () => {
    const cadence = rules(b({ kind: "checkin_cadence", minDays: 10, maxDays: 21 }));
    expect(evaluateSchedule(cadence, { ...base, cadence: "weekly" }).map((f) => [f.code, f.path])).toEqual([["too_often", "cadence"]]);
    expect(evaluateSchedule(cadence, { ...base, cadence: "biweekly" })).toEqual([]);
    const tight = rules(b({ kind: "checkin_cadence", minDays: 0, maxDays: 10 }, "warn"));
    const rare = evaluateSchedule(tight, { ...base, cadence: "biweekly" });
    expect(rare.map((f) => [f.code, f.enforcement])).toEqual([["too_rare", "warn"]]);
    expect(rare[0]?.message).toBe("A biweekly rhythm meets every 14 days; check-ins here are due at least every 10 days.");
    expect(evaluateSchedule(tight, { ...base, cadence: "weekly" })).toEqual([]);
  });

  describe("working hours of every attendee", () => {
    const wh = rules(b({ kind: "working_hours_only" }));
    const newYork: WorkingHours = { ...london, startTime: "09:00:00.0000000", timeZone: { name: "America/New_York" } };
    const lateLondon: WorkingHours = { ...london, startTime: "08:00:00", endTime: "22:00:00" };
    // Mondays 21:30 London: 16:30-17:00 in New York, until the US changes its clocks three weeks
    // before the UK does; on 10 March the meeting is 17:30-18:00 in New York.
    const series = {
      cadence: "weekly" as const,
      start: "2025-01-06T21:30:00Z",
      durationMinutes: 30,
      timeZone: "Europe/London",
      attendees: [{ id: "megan", workingHours: lateLondon }, { id: "nestor", name: "Nestor", workingHours: newYork }],
    };

    it("finds the first occurrence a daylight-saving mismatch pushes outside someone's hours", () => {
      const findings = evaluateSchedule(wh, series);
      expect(findings).toEqual([expect.objectContaining({ code: "outside_working_hours", path: "attendees.1" })]);
      expect(findings[0]?.message).toBe("For Nestor, the meeting on monday 2025-03-10 at 17:30 (America/New_York) is outside the working hours monday–friday 09:00–17:00 (America/New_York).");
    });

    it("looks only as far ahead as the horizon", () => {
      expect(evaluateSchedule(wh, { ...series, horizonWeeks: 8 })).toEqual([]);
    });

    it("flags an attendee whose day the first meeting already misses, once", () => {
      const early = evaluateSchedule(wh, { ...series, start: "2025-01-06T07:30:00Z" });
      expect(early.map((f) => f.path)).toEqual(["attendees.0", "attendees.1"]);
      expect(early[1]?.message).toMatch(/2025-01-06 at 02:30 \(America\/New_York\)/);
    });

    it("skips attendees without known hours, and empty meetings", () => {
      expect(evaluateSchedule(wh, { ...series, start: "2025-01-06T08:00:00Z", attendees: [{ id: "x" }] })).toEqual([]);
      expect(evaluateSchedule(wh, { ...series, start: "2025-01-06T08:00:00Z", durationMinutes: 0 })).toEqual([]);
    });
  });
});

describe("escalatesNow", () => {
  const due = { due: true };
  const atRisk = (atRiskSince: string, escalatedAt: string | null) => ({ status: "at_risk", atRiskSince, escalatedAt });

  it("escalates a run at risk once", () => {
    expect(escalatesNow(due, atRisk("2025-03-10T09:00:00Z", null))).toBe(true);
    expect(escalatesNow(due, atRisk("2025-03-10T09:00:00Z", "2025-03-17T09:00:00Z"))).toBe(false);
  });

  it("escalates a new run even when an earlier run was escalated", () => {
    expect(escalatesNow(due, atRisk("2025-04-07T09:00:00Z", "2025-03-17T09:00:00Z"))).toBe(true);
  });

  it("does not escalate when not due, or when the outcome is not at risk after the check-in", () => {
    expect(escalatesNow({ due: false }, atRisk("2025-03-10T09:00:00Z", null))).toBe(false);
    expect(escalatesNow(due, { status: "proposed", atRiskSince: null, escalatedAt: null })).toBe(false);
  });
});

describe("escalationDue", () => {
  const checkIns = (...statuses: CheckInStatus[]) => statuses.map((status, i) => ({ status, at: `2025-03-${String(10 + i).padStart(2, "0")}T09:00:00Z` }));
  const escalation = rules(
    b({ kind: "escalation", atRiskCheckIns: 3 }, "block", undefined, "Bank escalation"),
    b({ kind: "escalation", atRiskCheckIns: 2 }, "block", { level: "person", personId: "p" }, "Adele escalation"),
  );

  it("is due when the latest at-risk or off-track streak reaches the lowest threshold", () => {
    expect(escalationDue(escalation, checkIns("on_track", "at_risk", "off_track"))).toMatchObject({ due: true, consecutiveAtRisk: 2, threshold: 2, boundaryName: "Adele escalation" });
  });

  it("stays due past the threshold", () => {
    expect(escalationDue(escalation, checkIns("at_risk", "at_risk", "off_track"))).toMatchObject({ due: true, consecutiveAtRisk: 3 });
  });

  it("is not due once back on track, or below the threshold", () => {
    expect(escalationDue(escalation, checkIns("at_risk", "at_risk", "on_track"))).toMatchObject({ due: false, consecutiveAtRisk: 0 });
    expect(escalationDue(escalation, checkIns("on_track", "at_risk"))).toMatchObject({ due: false, consecutiveAtRisk: 1 });
  });

  it("orders check-ins by time first", () => {
    expect(escalationDue(escalation, checkIns("at_risk", "at_risk", "on_track").reverse()).consecutiveAtRisk).toBe(0);
  });

  it("decides the same from the latest check-ins the rules need as from the whole history", () => {
    const statuses = fc.constantFrom<CheckInStatus>("on_track", "at_risk", "off_track", "done");
    const thresholds = fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 3 });
    fc.assert(
      fc.property(fc.array(statuses, { maxLength: 15 }), statuses, thresholds, (history, latest, ts) => {
        const r = rules(...ts.map((t) => b({ kind: "escalation", atRiskCheckIns: t })));
        const all = checkIns(...history, latest);
        const recent = [...checkIns(...history).slice(-recentCheckInsNeeded(r)), all[all.length - 1]!];
        const whole = escalationDue(r, all);
        const part = escalationDue(r, recent);
        expect({ due: part.due, threshold: part.threshold }).toEqual({ due: whole.due, threshold: whole.threshold });
      }),
    );
    expect(recentCheckInsNeeded([])).toBe(1);
  });

  it("without a rule is never due but still counts", () => {
    expect(escalationDue([], checkIns("at_risk", "at_risk"))).toMatchObject({ due: false, threshold: null, consecutiveAtRisk: 2, boundaryId: null });
    expect(escalationDue([], []).definition).toMatch(/in a row/);
  });
});

describe("retentionCutoff", () => {
  it("uses the shortest retention in force", () => {
    const r = retentionCutoff(rules(b({ kind: "retention", freeTextDays: 365 }), b({ kind: "retention", freeTextDays: 30 }, "block", TEAM, "Team retention")), "2025-03-31T12:00:00Z");
    expect(r).toMatchObject({ cutoff: "2025-03-01T12:00:00.000Z", freeTextDays: 30, boundaryName: "Team retention" });
    expect(r.definition).toMatch(/shortest retention/);
  });

  it("has no cutoff without a rule", () => {
    expect(retentionCutoff([], "2025-03-31T12:00:00Z")).toMatchObject({ cutoff: null, freeTextDays: null, boundaryId: null });
  });
});
