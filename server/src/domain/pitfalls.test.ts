import { checkInFacts } from "./check-in-facts";
import fc from "fast-check";
import {
  activityWithoutResults, detectPitfalls, ignoredUnderperformance, maxInWindow, overMonitoring, reviewCauses, rhythmOf, vagueExpectations,
  type PitfallInput,
} from "./pitfalls";
import type { CauseCategory, CheckInRecord, CheckInStatus, CommentRecord, NudgeRecord, OutcomeRecord, ReviewRecord } from "./types";

const outcome = (id: string, over: Partial<OutcomeRecord> = {}): OutcomeRecord => ({
  id,
  ownerId: "adele",
  teamId: "t1",
  title: id,
  measure: { metric: "cases", unit: "count", baseline: 0, target: 10, current: null },
  deadline: "2025-06-30",
  ifMissed: "We talk it through",
  status: "agreed",
  createdAt: "2025-02-01T09:00:00Z",
  agreedAt: "2025-02-02T09:00:00Z",
  doneAt: null,
  ...over,
});

const at = (day: string) => (day.includes("T") ? day : `${day}T09:00:00Z`);
/** A check-in as people wrote it: its ideas and support request in words, counted as the store keeps them. */
type Written = Partial<CheckInRecord> & { ideas?: string[]; supportNeeded?: string };
const checkIn = (id: string, outcomeId: string, day: string, status: CheckInStatus, progress: number, { ideas, supportNeeded, ...over }: Written = {}): CheckInRecord => ({
  id, outcomeId, authorId: "adele", at: at(day), status, confidence: 3, progress, mode: "async", ...checkInFacts({ ideas, supportNeeded }), ...over,
});
const nudge = (id: string, outcomeId: string, day: string): NudgeRecord => ({ id, outcomeId, ownerId: "adele", senderId: "megan", at: at(day), kind: "nudge" });
const comment = (id: string, checkInId: string, kind: CommentRecord["kind"]): CommentRecord => ({ id, checkInId, outcomeId: "o", authorId: "megan", at: "2025-04-01T10:00:00Z", kind });
const review = (id: string, outcomeId: string, causes: CauseCategory[]): ReviewRecord => ({ id, outcomeId, at: "2025-04-20T10:00:00Z", causes });

// A team seen on 30 April 2025; team rhythm weekly, o2 agreed on a biweekly rhythm.
const input: PitfallInput = {
  now: "2025-04-30T12:00:00Z",
  people: [{ id: "adele" }, { id: "alex" }, { id: "diego" }],
  rhythms: [{ teamId: "t1", cadence: "weekly" }, { outcomeId: "o2", cadence: "biweekly" }],
  outcomes: [
    outcome("o1"),
    outcome("o2"),
    outcome("o3", { status: "missed", deadline: "2025-04-10" }),
    outcome("o5"),
    outcome("o6", { status: "dropped", measure: { metric: "", unit: "", baseline: 0, target: 0, current: null } }),
    outcome("o7", { status: "draft", measure: { metric: " ", unit: "count", baseline: 5, target: 5, current: null }, ifMissed: "" }),
    outcome("o9"),
    outcome("o10", { measure: { metric: "cases", unit: "", baseline: 0, target: 3, current: null } }),
    outcome("o11", { deadline: "2025-04-20" }), // overdue and still open
    outcome("o12", { status: "missed", deadline: "2025-04-05" }), // missed, reviewed
  ],
  checkIns: [
    checkIn("c1", "o1", "2025-03-07", "on_track", 2),
    checkIn("c2", "o1", "2025-03-14", "on_track", 4),
    checkIn("c3", "o1", "2025-03-21", "on_track", 6),
    checkIn("c4", "o2", "2025-03-05T12:00:00Z", "at_risk", 10),
    checkIn("c5", "o2", "2025-03-06T00:00:00Z", "on_track", 12),
    checkIn("c25", "o2", "2025-03-14", "on_track", 14), // third inside 14 days: too much for biweekly
    checkIn("c6", "o3", "2025-03-03", "on_track", 0),
    checkIn("c7", "o3", "2025-03-10", "at_risk", 0),
    checkIn("c8", "o3", "2025-03-17", "off_track", 0), // three in a row at 0
    checkIn("c9", "o3", "2025-03-24", "on_track", 5),
    checkIn("c10", "o3", "2025-03-31", "at_risk", 5),
    checkIn("c15", "o5", "2025-04-07", "at_risk", 1),
    checkIn("c16", "o5", "2025-04-14", "at_risk", 1),
    checkIn("c17", "o5", "2025-04-21", "off_track", 1),
    checkIn("c18", "o5", "2025-04-28", "at_risk", 1), // four at risk, four at 1
    checkIn("c19", "o9", "2025-04-10", "at_risk", 1),
    checkIn("c20", "o9", "2025-04-17", "at_risk", 2),
    checkIn("c21", "o9", "2025-04-24", "off_track", 3), // coached on c20
    checkIn("c22", "o10", "2025-04-09", "at_risk", 1),
    checkIn("c23", "o10", "2025-04-16", "at_risk", 2, { supportNeeded: "Access to the test lab" }),
    checkIn("c24", "o10", "2025-04-23", "at_risk", 3),
    checkIn("c30", "o12", "2025-03-20", "on_track", 3),
    checkIn("c31", "o12", "2025-03-27", "on_track", 3),
    checkIn("c32", "o12", "2025-04-03", "done", 3), // done ends the run: only two flat
  ],
  comments: [comment("k3", "c20", "coaching"), comment("k4", "c16", "directive")],
  nudges: [nudge("n2", "o3", "2025-04-05"), nudge("n3", "o3", "2025-04-06"), nudge("n4", "o5", "2025-04-15"), nudge("n5", "o5", "2025-04-16"), nudge("n6", "o5", "2025-04-18")],
  reviews: [review("r1", "o12", ["process", "resources"]), review("r2", "o6", ["skills", "external"])],
};

describe("vagueExpectations", () => {
  it("lists open outcomes whose measure cannot tell success, with every reason", () => {
    const p = vagueExpectations(input);
    expect(p).toMatchObject({ key: "vagueExpectations", detected: true, count: 2 });
    expect(p.items).toEqual([
      { outcomeId: "o7", reason: "no metric; target equals the baseline; no agreed answer to what happens if it is missed" },
      { outcomeId: "o10", reason: "no unit" },
    ]);
  });

  it("flags a missing or unreadable deadline and missing numbers", () => {
    const p = vagueExpectations({ ...input, outcomes: [outcome("x", { deadline: "", measure: { metric: "m", unit: "u", baseline: Number.NaN, target: 1, current: null } })] });
    expect(p.items).toEqual([{ outcomeId: "x", reason: "no baseline or target; no deadline" }]);
  });

  it("is not detected when every outcome is clear", () => {
    expect(vagueExpectations({ ...input, outcomes: [outcome("o1")] })).toMatchObject({ detected: false, count: 0, items: [] });
  });
});

describe("overMonitoring", () => {
  it("flags check-ins above a biweekly rhythm and nudges above a weekly one", () => {
    const p = overMonitoring(input);
    expect(p.items).toEqual([
      { outcomeId: "o2", reason: "3 check-ins within 14 days; the biweekly rhythm allows 1 (2 with tolerance)" },
      { outcomeId: "o5", reason: "3 nudges within 7 days; the weekly rhythm allows 1 (2 with tolerance)" },
    ]);
    expect(p.count).toBe(2);
  });

  it("the same check-ins fit a weekly rhythm", () => {
    const weekly = { ...input, rhythms: [{ teamId: "t1", cadence: "weekly" as const }] };
    expect(overMonitoring(weekly).items.map((i) => i.outcomeId)).toEqual(["o5"]);
  });

  it("two nudges in a week are within tolerance (o3)", () => {
    expect(overMonitoring(input).items.map((i) => i.outcomeId)).not.toContain("o3");
  });

  it("only counts what falls in the period", () => {
    expect(overMonitoring({ ...input, from: "2025-04-17T00:00:00Z" }).detected).toBe(false);
  });

  it("chooses the outcome's rhythm, then the team's, then weekly", () => {
    expect(rhythmOf(input.rhythms ?? [], { id: "o2", teamId: "t1" })).toBe("biweekly");
    expect(rhythmOf([{ teamId: "t1", cadence: "biweekly" }], { id: "o1", teamId: "t1" })).toBe("biweekly");
    expect(rhythmOf([], { id: "o1", teamId: "t1" })).toBe("weekly");
  });
});

describe("maxInWindow", () => {
  const day = 86_400_000;
  it("counts a window's start but not its end", () => {
    expect(maxInWindow([0, 7 * day, 14 * day], 7 * day)).toBe(1);
    expect(maxInWindow([0, 7 * day - 1, 14 * day], 7 * day)).toBe(2);
    expect(maxInWindow([], day)).toBe(0);
  });

  it("never exceeds the count and is at least 1 for any non-empty list (property)", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 100 * day }), { minLength: 1 }), (xs) => {
      const n = maxInWindow(xs, 7 * day);
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(xs.length);
    }));
  });
});

describe("ignoredUnderperformance", () => {
  it("flags a missed outcome without review, a long stretch at risk without support, and an overdue one", () => {
    expect(ignoredUnderperformance(input).items).toEqual([
      { outcomeId: "o3", reason: "missed (deadline 2025-04-10) with no review" },
      { outcomeId: "o5", reason: "at risk or off track for 4 check-ins in a row with no coaching recorded" },
      { outcomeId: "o10", reason: "at risk or off track for 3 check-ins in a row, support asked for on 1 of them, with no coaching recorded" },
      { outcomeId: "o11", reason: "overdue since 2025-04-20 with no review" },
    ]);
  });

  it("a coaching comment in the stretch (o9) is support; a directive (o5) is not, nor the owner's own request for support (o10)", () => {
    const ids = ignoredUnderperformance(input).items.map((i) => i.outcomeId);
    expect(ids).not.toContain("o9");
    expect(ids).toEqual(expect.arrayContaining(["o5", "o10"]));
    const coached = { ...input, comments: [...input.comments, comment("k9", "c17", "coaching"), comment("k10", "c23", "coaching")] };
    expect(ignoredUnderperformance(coached).items.map((i) => i.outcomeId)).not.toContain("o5");
    expect(ignoredUnderperformance(coached).items.map((i) => i.outcomeId)).not.toContain("o10");
    expect(ignoredUnderperformance(input).definition).toMatch(/asking for support is not support given/);
  });

  it("the owner's own comment is not coaching, and a proposal never agreed is not held to its deadline", () => {
    const own = { ...input, comments: [...input.comments, { ...comment("k10", "c17", "coaching"), outcomeId: "o5", authorId: "adele" }] };
    expect(ignoredUnderperformance(own).items.map((i) => i.outcomeId)).toContain("o5");
    const unagreed = { ...input, outcomes: [...input.outcomes, outcome("o20", { status: "missed", agreedAt: null, deadline: "2025-04-12" })] };
    expect(ignoredUnderperformance(unagreed).items.map((i) => i.outcomeId)).not.toContain("o20");
  });

  it("a review takes a missed outcome off the list (o12)", () => {
    expect(ignoredUnderperformance(input).items.map((i) => i.outcomeId)).not.toContain("o12");
    const reviewed = { ...input, reviews: [...input.reviews, review("r3", "o3", ["system"])] };
    expect(ignoredUnderperformance(reviewed).items.map((i) => i.outcomeId)).toEqual(["o5", "o10", "o11"]);
  });

  it("uses the threshold given", () => {
    expect(ignoredUnderperformance({ ...input, atRiskCheckIns: 5 }).items.map((i) => i.outcomeId)).toEqual(["o3", "o11"]);
    const two = ignoredUnderperformance({ ...input, atRiskCheckIns: 2 }).items;
    expect(two.find((i) => i.outcomeId === "o3")?.reason).toBe("missed (deadline 2025-04-10) with no review; at risk or off track for 2 check-ins in a row with no coaching recorded");
  });

  it("looks at the deadline in the owner's zone for overdue outcomes", () => {
    const justDue = { ...input, now: "2025-04-20T20:00:00Z", outcomes: [outcome("o11", { deadline: "2025-04-20", ownerId: "alex" })] };
    expect(ignoredUnderperformance(justDue).detected).toBe(false);
    const sydney = { ...justDue, people: [{ id: "alex", timeZone: "Australia/Sydney" }] };
    expect(ignoredUnderperformance(sydney).items).toEqual([{ outcomeId: "o11", reason: "overdue since 2025-04-20 with no review" }]);
  });

  it("ignores drafts past their deadline", () => {
    expect(ignoredUnderperformance({ ...input, outcomes: [outcome("d", { status: "draft", deadline: "2025-01-01" })] }).detected).toBe(false);
  });
});

describe("activityWithoutResults", () => {
  it("flags three or more check-ins in a row without movement", () => {
    expect(activityWithoutResults(input).items).toEqual([
      { outcomeId: "o3", reason: "3 check-ins in a row at progress 0, from 2025-03-03 to 2025-03-17" },
      { outcomeId: "o5", reason: "4 check-ins in a row at progress 1, from 2025-04-07 to 2025-04-28" },
    ]);
  });

  it("with a threshold of two, reports the latest flat run, and a done check-in ends a run", () => {
    const items = activityWithoutResults({ ...input, flatCheckIns: 2 }).items;
    expect(items.map((i) => i.outcomeId)).toEqual(["o3", "o5", "o12"]);
    expect(items[0]?.reason).toBe("2 check-ins in a row at progress 5, from 2025-03-24 to 2025-03-31");
    expect(items[2]?.reason).toBe("2 check-ins in a row at progress 3, from 2025-03-20 to 2025-03-27");
  });

  it("only counts runs that end in the period", () => {
    expect(activityWithoutResults({ ...input, from: "2025-04-01T00:00:00Z" }).items.map((i) => i.outcomeId)).toEqual(["o5"]);
  });
});

describe("detectPitfalls", () => {
  it("returns the four pitfalls in order, each with a definition", () => {
    const all = detectPitfalls(input);
    expect(all.map((p) => [p.key, p.count])).toEqual([["vagueExpectations", 2], ["overMonitoring", 2], ["ignoredUnderperformance", 4], ["activityWithoutResults", 2]]);
    for (const p of all) expect(p.definition.length).toBeGreaterThan(40);
  });

  it("finds nothing in an empty team", () => {
    const empty = { ...input, outcomes: [], checkIns: [], nudges: [], comments: [], reviews: [] };
    expect(detectPitfalls(empty).every((p) => !p.detected && p.count === 0)).toBe(true);
  });
});

describe("reviewCauses", () => {
  it("counts each category once per review and splits system from individual", () => {
    const r = reviewCauses([...input.reviews, review("r3", "o3", ["individual", "individual"])]);
    expect(r.counts).toEqual({ system: 0, process: 1, resources: 1, skills: 1, external: 1, individual: 1 });
    expect(r).toMatchObject({ total: 5, reviews: 3, systemCauses: 3, individualCauses: 2, systemShare: 60, individualShare: 40 });
    expect(r.definition).toMatch(/system, process, resources and external/);
  });

  it("counts a cause once per outcome when its owner and its manager each review it", () => {
    // Both reviews of the missed outcome name skills; only the manager's names the process.
    const r = reviewCauses([review("r1", "o6", ["skills"]), review("r2", "o6", ["skills", "process"]), review("r3", "o12", ["resources"])]);
    expect(r.counts).toEqual({ system: 0, process: 1, resources: 1, skills: 1, external: 0, individual: 0 });
    expect(r).toMatchObject({ total: 3, reviews: 3, systemCauses: 2, individualCauses: 1, systemShare: 66.7, individualShare: 33.3 });
    expect(r.definition).toMatch(/once for that outcome/);
  });

  it("has no shares without causes", () => {
    expect(reviewCauses([])).toMatchObject({ total: 0, systemShare: null, individualShare: null });
  });

  it("shares add up to 100 whenever there are causes (property)", () => {
    const cause = fc.constantFrom<CauseCategory>("system", "process", "resources", "skills", "external", "individual");
    fc.assert(fc.property(fc.array(fc.array(cause, { minLength: 1 }), { minLength: 1 }), (lists) => {
      const r = reviewCauses(lists.map((causes, i) => review(`r${i}`, "o", causes)));
      expect((r.systemShare ?? 0) + (r.individualShare ?? 0)).toBeCloseTo(100, 0);
    }));
  });
});
