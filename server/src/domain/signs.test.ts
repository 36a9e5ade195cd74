import { checkInFacts } from "./check-in-facts";
import fc from "fast-check";
import { coachingVsChasing, deadlinesMetWithoutReminders, ideasPerPersonPerMonth, median, medianTimeToSelfCorrect, signsOfBalance, type History } from "./signs";
import type { CheckInRecord, CheckInStatus, CommentRecord, NudgeRecord, OutcomeRecord } from "./types";

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

const nudge = (id: string, outcomeId: string, day: string, senderId: string | null = "megan"): NudgeRecord => ({
  id, outcomeId, ownerId: "adele", senderId, at: at(day), kind: senderId === null ? "reminder" : "nudge",
});

const comment = (id: string, checkInId: string, day: string, kind: CommentRecord["kind"]): CommentRecord => ({
  id, checkInId, outcomeId: "o", authorId: "megan", at: at(day), kind,
});

// A team of three over March and April 2025, seen on 30 April at noon.
const history: History = {
  now: "2025-04-30T12:00:00Z",
  people: [{ id: "adele", timeZone: "UTC" }, { id: "alex", timeZone: "Australia/Sydney" }, { id: "diego" }],
  outcomes: [
    outcome("o1", { status: "done", deadline: "2025-03-31", doneAt: "2025-03-28T10:00:00Z" }), // on time, never reminded: met
    outcome("o2", { ownerId: "alex", status: "done", deadline: "2025-03-31", doneAt: "2025-03-30T15:00:00Z" }), // on time but reminded
    outcome("o3", { ownerId: "diego", status: "missed", deadline: "2025-04-10" }), // missed
    outcome("o4", { status: "done", deadline: "2025-04-15", doneAt: "2025-04-20T10:00:00Z" }), // done late
    outcome("o5", { ownerId: "alex", deadline: "2025-06-30" }), // not due yet
    outcome("o6", { ownerId: "diego", status: "dropped", deadline: "2025-03-15" }), // dropped: left out
    outcome("o7", { status: "draft", deadline: "2025-03-01", agreedAt: null }), // never agreed: left out
    // Alex works in Sydney: done at 01:00 on 30 April local time, a day late there although still the 29th in UTC.
    outcome("o8", { ownerId: "alex", status: "done", deadline: "2025-04-29", doneAt: "2025-04-29T15:00:00Z" }),
    outcome("o11", { ownerId: "alex", status: "agreed", deadline: "2025-04-20" }), // overdue, still open
  ],
  checkIns: [
    checkIn("c1", "o1", "2025-03-07", "on_track", 2, { ideas: ["Onboarding template"] }),
    checkIn("c4", "o2", "2025-03-05T12:00:00Z", "at_risk", 10, { authorId: "alex" }),
    checkIn("c5", "o2", "2025-03-06T00:00:00Z", "on_track", 12, { authorId: "alex" }), // back in half a day
    checkIn("c6", "o3", "2025-03-03", "on_track", 0, { authorId: "diego" }),
    checkIn("c7", "o3", "2025-03-10", "at_risk", 0, { authorId: "diego" }),
    checkIn("c8", "o3", "2025-03-17", "off_track", 0, { authorId: "diego" }),
    checkIn("c9", "o3", "2025-03-24", "on_track", 5, { authorId: "diego" }), // back after 14 days
    checkIn("c10", "o3", "2025-03-31", "at_risk", 5, { authorId: "diego" }), // never recovered
    checkIn("c11", "o4", "2025-04-01", "at_risk", 1, { ideas: ["Ask the platform team", "  "] }),
    checkIn("c12", "o4", "2025-04-04", "on_track", 3, { ideas: ["Automate checks", "Share the dashboard"] }), // back after 3 days
    checkIn("c13", "o4", "2025-04-08", "at_risk", 3),
    checkIn("c14", "o4", "2025-04-13", "done", 10, { ideas: ["Retro with the team"] }), // done ends the stretch uncounted
    checkIn("c15", "o5", "2025-04-07", "at_risk", 1, { authorId: "alex", ideas: ["Pilot in one branch"] }),
    checkIn("c18", "o5", "2025-04-28", "at_risk", 1, { authorId: "alex", ideas: ["Weekly demos"] }),
  ],
  comments: [
    comment("k1", "c9", "2025-03-24", "coaching"),
    comment("k2", "c12", "2025-04-04", "coaching"),
    comment("k3", "c15", "2025-04-07", "coaching"),
    comment("k4", "c15", "2025-04-08", "directive"),
  ],
  nudges: [
    nudge("n1", "o2", "2025-03-20", null),
    nudge("n2", "o3", "2025-04-05"),
    nudge("n3", "o3", "2025-04-06"),
    nudge("n4", "o5", "2025-04-15", null),
    nudge("n5", "o5", "2025-04-16"),
    nudge("n6", "o5", "2025-04-18"),
  ],
  reviews: [],
};

const march = { from: "2025-03-01T00:00:00Z", to: "2025-03-31T23:59:59Z" };

describe("deadlinesMetWithoutReminders", () => {
  it("over all history: 1 of 6 agreed outcomes that came due was met without reminders", () => {
    // Due: o1 (met), o2 (reminded), o3 (missed), o4 (late), o8 (late in Sydney), o11 (overdue).
    // o5 is not due yet, o6 was dropped, o7 was never agreed.
    const sign = deadlinesMetWithoutReminders(history);
    expect(sign).toMatchObject({ key: "deadlinesMetWithoutReminders", value: 16.7, sample: 6, unit: "percent" });
    expect(sign.definition).toMatch(/no reminder or nudge/);
  });

  it("ends a former member's deadline day in their own time zone, not UTC", () => {
    // Done at 01:00 on 30 April in Sydney: a day late there, although still the 29th in UTC.
    const zoe = outcome("o13", { ownerId: "zoe", status: "done", deadline: "2025-04-29", doneAt: "2025-04-29T15:00:00Z" });
    const h = { ...history, outcomes: [...history.outcomes, zoe] };
    expect(deadlinesMetWithoutReminders(h)).toMatchObject({ sample: 7, value: 28.6 });
    expect(deadlinesMetWithoutReminders({ ...h, owners: [{ id: "zoe", timeZone: "Australia/Sydney" }] })).toMatchObject({ sample: 7, value: 14.3 });
  });

  it("leaves out a proposal that passed its deadline before anyone agreed to it", () => {
    const unagreed = outcome("o12", { status: "missed", deadline: "2025-04-10", agreedAt: null });
    expect(deadlinesMetWithoutReminders({ ...history, outcomes: [...history.outcomes, unagreed] })).toMatchObject({ value: 16.7, sample: 6 });
  });

  it("in March: o1 met, o2 reminded, so half", () => {
    expect(deadlinesMetWithoutReminders({ ...history, ...march })).toMatchObject({ value: 50, sample: 2 });
  });

  it("in April: o3, o4, o8 and o11 came due and none was met", () => {
    expect(deadlinesMetWithoutReminders({ ...history, from: "2025-04-01T00:00:00Z" })).toMatchObject({ value: 0, sample: 4 });
  });

  it("judges the deadline in the owner's zone: in UTC o8 would have been on time", () => {
    const utc = { ...history, people: history.people.map((p) => ({ ...p, timeZone: "UTC" })) };
    expect(deadlinesMetWithoutReminders(utc)).toMatchObject({ value: 33.3, sample: 6 });
  });

  it("a reminder after the outcome was done does not count against it", () => {
    const late = { ...history, nudges: [...history.nudges, nudge("n9", "o1", "2025-03-29")] };
    expect(deadlinesMetWithoutReminders(late).value).toBe(16.7);
  });

  it("is null with sample 0 when nothing came due", () => {
    expect(deadlinesMetWithoutReminders({ ...history, outcomes: [outcome("x")] })).toMatchObject({ value: null, sample: 0 });
  });
});

describe("ideasPerPersonPerMonth", () => {
  it("last 30 days by default: 6 ideas, 3 people, 1 month -> 2", () => {
    // c11 (1, the blank one is not an idea), c12 (2), c14 (1), c15 (1), c18 (1).
    expect(ideasPerPersonPerMonth(history)).toMatchObject({ value: 2, sample: 6, unit: "ideas per person per month" });
  });

  it("over 60 days: 7 ideas / 3 people / 2 months -> 1.17", () => {
    expect(ideasPerPersonPerMonth({ ...history, from: "2025-03-01T12:00:00Z" })).toMatchObject({ value: 1.17 });
  });

  it("counts the authors when no people are given", () => {
    // adele (c11, c12, c14) and alex (c15, c18): 6 ideas / 2 people.
    expect(ideasPerPersonPerMonth({ ...history, people: [] }).value).toBe(3);
  });

  it("is null without anyone to divide by", () => {
    expect(ideasPerPersonPerMonth({ ...history, people: [], checkIns: [] })).toMatchObject({ value: null, sample: 0 });
  });

  it("is null, not zero, for a team with members but no check-ins in the period", () => {
    expect(history.people.length).toBeGreaterThan(0);
    expect(ideasPerPersonPerMonth({ ...history, checkIns: [] })).toMatchObject({ value: null, sample: 0 });
  });
});

describe("medianTimeToSelfCorrect", () => {
  it("is the median of 0.5, 14 and 3 days: 3", () => {
    expect(medianTimeToSelfCorrect(history)).toMatchObject({ value: 3, sample: 3, unit: "days" });
  });

  it("in March only: median of 0.5 and 14 -> 7.25", () => {
    expect(medianTimeToSelfCorrect({ ...history, ...march })).toMatchObject({ value: 7.25, sample: 2 });
  });

  it("measures from the first check-in of the stretch, whatever the input order", () => {
    expect(medianTimeToSelfCorrect({ ...history, checkIns: [...history.checkIns].reverse() }).value).toBe(3);
  });

  it("is null with sample 0 when nobody came back on track", () => {
    const noRecovery = { ...history, checkIns: history.checkIns.filter((c) => c.status !== "on_track") };
    expect(medianTimeToSelfCorrect(noRecovery)).toMatchObject({ value: null, sample: 0 });
  });
});

describe("coachingVsChasing", () => {
  it("3 coaching comments of 3 + 1 directive + 6 nudges -> 30%", () => {
    expect(coachingVsChasing(history)).toMatchObject({ value: 30, sample: 10, unit: "percent" });
  });

  it("in March: one coaching comment and one system reminder -> 50%", () => {
    expect(coachingVsChasing({ ...history, ...march })).toMatchObject({ value: 50, sample: 2 });
  });

  it("leaves out the owner's own comments on their check-ins", () => {
    const o = history.outcomes[0]!;
    const own = { ...history, comments: [...history.comments, { ...comment("own", "c1", "2025-04-01", "coaching"), outcomeId: o.id, authorId: o.ownerId }] };
    expect(coachingVsChasing(own)).toMatchObject({ value: 30, sample: 10 });
  });

  it("is null with nothing to count", () => {
    expect(coachingVsChasing({ ...history, comments: [], nudges: [] })).toMatchObject({ value: null, sample: 0 });
  });
});

describe("signsOfBalance", () => {
  it("returns the four signs in order, each with a definition", () => {
    const signs = signsOfBalance(history);
    expect(signs.map((s) => s.key)).toEqual(["deadlinesMetWithoutReminders", "ideasPerPersonPerMonth", "medianTimeToSelfCorrect", "coachingVsChasing"]);
    for (const s of signs) expect(s.definition.length).toBeGreaterThan(40);
  });

  it("shares stay between 0 and 100 for any mix of comments and nudges (property)", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom<CommentRecord["kind"]>("coaching", "directive")), fc.nat(5), (kinds, n) => {
      const h = { ...history, comments: kinds.map((k, i) => comment(`k${i}`, "c1", "2025-04-01", k)), nudges: Array.from({ length: n }, (_, i) => nudge(`n${i}`, "o1", "2025-04-01")) };
      const s = coachingVsChasing(h);
      expect(s.sample).toBe(kinds.length + n);
      if (s.value !== null) expect(s.value).toBeGreaterThanOrEqual(0);
      if (s.value !== null) expect(s.value).toBeLessThanOrEqual(100);
    }));
  });
});

describe("median", () => {
  it("handles odd, even and empty lists", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
