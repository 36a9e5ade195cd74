import type { Boundary, Outcome } from "../api/types";
import { agendaHtml, attendeeIdsOf, cadenceChoices, checkInSubject, defaultFirstStart, outcomeIdsInBody, privateAmongOthers, recurrenceFrom, scheduleIdsInBody } from "./plan";

const outcome = (over: Partial<Outcome> = {}): Outcome =>
  ({
    id: "o-1",
    ownerId: "adele",
    teamId: "lending",
    title: "Cut loan decision time",
    measure: { metric: "Median days to decision", unit: "days", baseline: 10, target: 5, current: null },
    deadline: "2026-06-30",
    managerId: "megan",
    status: "agreed",
    ...over,
  }) as Outcome;

const cadence = (over: Partial<Boundary> & { minDays: number; maxDays: number }): Boundary =>
  ({
    id: "b-1",
    kind: "checkin_cadence",
    name: "Check-in rhythm",
    scope: { level: "tenant" },
    enforcement: "block",
    rule: { kind: "checkin_cadence", minDays: over.minDays, maxDays: over.maxDays },
    ruleText: `Check in at least every ${over.maxDays} days and no more often than every ${over.minDays} days.`,
    inForce: true,
    ...over,
  }) as Boundary;

describe("cadence choices under check-in cadence boundaries", () => {
  it("allows both cadences without a boundary", () => {
    expect(cadenceChoices([], [outcome()])).toEqual({ weekly: { allowed: true }, biweekly: { allowed: true } });
  });

  it("refuses weekly when a blocking boundary wants more days between check-ins, and says which boundary", () => {
    const c = cadenceChoices([cadence({ minDays: 10, maxDays: 30, name: "No more than fortnightly" })], [outcome()]);
    expect(c.weekly.allowed).toBe(false);
    expect(c.weekly.note).toBe("Not allowed: No more than fortnightly requires at least 10 days between check-ins (Check in at least every 30 days and no more often than every 10 days).");
    expect(c.biweekly).toEqual({ allowed: true });
  });

  it("refuses biweekly under a maximum below 14 days; a warn-only boundary only warns", () => {
    expect(cadenceChoices([cadence({ minDays: 1, maxDays: 10 })], [outcome()]).biweekly.allowed).toBe(false);
    const warn = cadenceChoices([cadence({ minDays: 1, maxDays: 10, enforcement: "warn" })], [outcome()]).biweekly;
    expect(warn.allowed).toBe(true);
    expect(warn.note).toMatch(/^Warning: /);
  });

  it("counts only boundaries in force that reach the outcome's team or owner", () => {
    const other = cadence({ minDays: 10, maxDays: 30, scope: { level: "team", teamId: "payments" } });
    const lapsed = cadence({ minDays: 10, maxDays: 30, inForce: false });
    const owners = cadence({ minDays: 10, maxDays: 30, scope: { level: "person", personId: "adele" } });
    expect(cadenceChoices([other, lapsed], [outcome()]).weekly.allowed).toBe(true);
    expect(cadenceChoices([owners], [outcome()]).weekly.allowed).toBe(false);
  });
});

describe("the agenda", () => {
  it("links every outcome, lists the coaching questions and escapes what came from the API", () => {
    const html = agendaHtml({
      origin: "https://leeway.example",
      outcomes: [outcome({ title: "<b>Cut</b> & run" })],
      ownerName: () => "Adele Vance",
      questions: [{ key: "plan", text: "What's your plan?" }],
      cadence: "biweekly",
      durationMinutes: 30,
    });
    expect(html).toContain('<a href="https://leeway.example/tabs/index.html#/outcome/o-1">&#60;b&#62;Cut&#60;/b&#62; &#38; run</a>');
    expect(html).toContain("<ol><li>What&#39;s your plan?</li></ol>");
    expect(html).toContain("Every two weeks, 30 minutes.");
    expect(outcomeIdsInBody(`<p>notes</p>${html}`)).toEqual(["o-1"]);
  });

  it("finds the schedule a series made by the server names in its body", () => {
    expect(scheduleIdsInBody('<div data-leeway-schedule="s-9"><p>x</p></div>')).toEqual(["s-9"]);
  });

  it("uses the server's subject for a series", () => {
    expect(checkInSubject([outcome(), outcome({ id: "o-2", title: "Second" })])).toBe("Check-in: Cut loan decision time; Second");
  });
});

describe("timing and people", () => {
  it("repeats on the first occurrence's weekday and wall-clock time in the organizer's zone", () => {
    // 2026-03-31 09:30 UTC is 10:30 in London (summer time started on 29 March).
    expect(recurrenceFrom(new Date("2026-03-31T09:30:00Z"), "biweekly", 45, "Europe/London")).toEqual({
      interval: 2,
      days: ["tue"],
      startDate: "2026-03-31",
      startTime: "10:30",
      durationMinutes: 45,
      timeZone: "Europe/London",
    });
  });

  it("proposes the next working day at 10:00 when the server suggests nothing", () => {
    // Friday evening in London: the next working day is Monday.
    expect(defaultFirstStart(new Date("2026-03-06T18:00:00Z"), "Europe/London").toISOString()).toBe("2026-03-09T10:00:00.000Z");
  });

  it("invites each owner and manager once", () => {
    expect(attendeeIdsOf([outcome(), outcome({ id: "o-2" }), outcome({ id: "o-3", ownerId: "alex", managerId: "megan" })])).toEqual(["adele", "megan", "alex"]);
  });
});

describe("a private outcome in a meeting for several outcomes", () => {
  it("is named before Apply when the meeting would show it to another owner", () => {
    const mine = outcome({ id: "o-1", visibility: "private", title: "Private: coaching plan" });
    const peers = outcome({ id: "o-2", ownerId: "diego", visibility: "team" });
    expect(privateAmongOthers([peers, mine])?.id).toBe("o-1");
  });

  it("is fine alone, or beside the same owner's other outcomes", () => {
    expect(privateAmongOthers([outcome({ visibility: "private" })])).toBeNull();
    expect(privateAmongOthers([outcome({ id: "o-1", visibility: "private" }), outcome({ id: "o-2", visibility: "team" })])).toBeNull();
    expect(privateAmongOthers([outcome({ id: "o-1", visibility: "team" }), outcome({ id: "o-2", ownerId: "diego", visibility: "public" })])).toBeNull();
  });
});
