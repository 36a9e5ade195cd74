import { expandOccurrences } from "./recurrence";
import { parseDateTimeTimeZone, resolveTimeZone, toDateTimeTimeZone, wallClockToInstant } from "./time-zones";
import { parseDuration, withinWorkingHours } from "./schedule";
import { DEMO, findPerson } from "./demo-directory";

const iso = (ms: number): string => new Date(ms).toISOString();
const at = (s: string): number => Date.parse(s);

describe("time zones", () => {
  it("maps Windows zone names to IANA and refuses unknown ones", () => {
    expect(resolveTimeZone("GMT Standard Time")).toBe("Europe/London");
    expect(resolveTimeZone("Pacific Standard Time")).toBe("America/Los_Angeles");
    expect(resolveTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(resolveTimeZone("Mars/Olympus")).toBeUndefined();
  });

  it("reads Graph date-times in their zone, on both sides of a clock change", () => {
    expect(iso(parseDateTimeTimeZone("2030-03-25T09:00:00.0000000", "Europe/London") ?? 0)).toBe("2030-03-25T09:00:00.000Z");
    expect(iso(parseDateTimeTimeZone("2030-04-01T09:00:00", "Europe/London") ?? 0)).toBe("2030-04-01T08:00:00.000Z");
    expect(iso(parseDateTimeTimeZone("2030-04-01T09:00:00Z", "Europe/London") ?? 0)).toBe("2030-04-01T09:00:00.000Z");
    expect(parseDateTimeTimeZone("yesterday", "UTC")).toBeUndefined();
  });

  it("moves a wall-clock time that does not exist forward, and takes the earlier of a repeated one", () => {
    expect(iso(wallClockToInstant({ year: 2030, month: 3, day: 31, hour: 1, minute: 30, second: 0 }, "Europe/London"))).toBe("2030-03-31T01:30:00.000Z");
    expect(iso(wallClockToInstant({ year: 2030, month: 10, day: 27, hour: 1, minute: 30, second: 0 }, "Europe/London"))).toBe("2030-10-27T00:30:00.000Z");
  });

  it("writes instants in Graph's seven-digit format in the zone asked for", () => {
    expect(toDateTimeTimeZone(at("2030-07-01T12:00:00Z"), "Europe/Berlin")).toEqual({ dateTime: "2030-07-01T14:00:00.0000000", timeZone: "Europe/Berlin" });
  });

  it("parses ISO durations", () => {
    expect(parseDuration("PT30M")).toBe(30 * 60_000);
    expect(parseDuration("PT1H30M")).toBe(90 * 60_000);
    expect(parseDuration("P1D")).toBe(24 * 3600_000);
    expect(parseDuration("PT")).toBeUndefined();
    expect(parseDuration("30 minutes")).toBeUndefined();
  });
});

describe("recurrence expansion", () => {
  const mondayNine = { start: at("2030-03-18T09:00:00Z"), end: at("2030-03-18T09:30:00Z"), timeZone: "Europe/London" };

  it("keeps a weekly London meeting at 09:00 local time after the clock change", () => {
    const occurrences = expandOccurrences(
      { ...mondayNine, recurrence: { pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] }, range: { type: "noEnd", startDate: "2030-03-18" } } },
      at("2030-03-18T00:00:00Z"),
      at("2030-04-09T00:00:00Z"),
    );
    expect(occurrences.map((o) => iso(o.start))).toEqual(["2030-03-18T09:00:00.000Z", "2030-03-25T09:00:00.000Z", "2030-04-01T08:00:00.000Z", "2030-04-08T08:00:00.000Z"]);
    expect(occurrences.every((o) => o.end - o.start === 30 * 60_000)).toBe(true);
  });

  it("skips every other week for a biweekly series and honours firstDayOfWeek", () => {
    const occurrences = expandOccurrences(
      { ...mondayNine, recurrence: { pattern: { type: "weekly", interval: 2, daysOfWeek: ["monday", "thursday"], firstDayOfWeek: "sunday" }, range: { type: "noEnd", startDate: "2030-03-18" } } },
      at("2030-03-18T00:00:00Z"),
      at("2030-04-05T00:00:00Z"),
    );
    expect(occurrences.map((o) => iso(o.start).slice(0, 10))).toEqual(["2030-03-18", "2030-03-21", "2030-04-01", "2030-04-04"]);
  });

  it("stops at the end date or after the number of occurrences", () => {
    const window = [at("2030-01-01T00:00:00Z"), at("2031-01-01T00:00:00Z")] as const;
    const endDate = expandOccurrences({ ...mondayNine, recurrence: { pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] }, range: { type: "endDate", startDate: "2030-03-18", endDate: "2030-04-01" } } }, ...window);
    expect(endDate).toHaveLength(3);
    const numbered = expandOccurrences({ ...mondayNine, recurrence: { pattern: { type: "daily", interval: 1 }, range: { type: "numbered", startDate: "2030-03-18", numberOfOccurrences: 5 } } }, ...window);
    expect(numbered).toHaveLength(5);
  });

  it("expands monthly patterns", () => {
    const window = [at("2030-01-01T00:00:00Z"), at("2030-07-01T00:00:00Z")] as const;
    const lastFriday = expandOccurrences({ ...mondayNine, recurrence: { pattern: { type: "relativeMonthly", interval: 1, daysOfWeek: ["friday"], index: "last" }, range: { type: "noEnd", startDate: "2030-03-01" } } }, ...window);
    expect(lastFriday.map((o) => iso(o.start).slice(0, 10))).toEqual(["2030-03-29", "2030-04-26", "2030-05-31", "2030-06-28"]);
    const fifteenth = expandOccurrences({ ...mondayNine, recurrence: { pattern: { type: "absoluteMonthly", interval: 2, dayOfMonth: 15 }, range: { type: "noEnd", startDate: "2030-03-01" } } }, ...window);
    expect(fifteenth.map((o) => iso(o.start).slice(0, 10))).toEqual(["2030-03-15", "2030-05-15"]);
  });

  it("returns a single event only when it overlaps the window", () => {
    expect(expandOccurrences(mondayNine, at("2030-03-18T09:15:00Z"), at("2030-03-18T10:00:00Z"))).toHaveLength(1);
    expect(expandOccurrences(mondayNine, at("2030-03-18T09:30:00Z"), at("2030-03-18T10:00:00Z"))).toHaveLength(0);
  });
});

describe("working hours", () => {
  const megan = findPerson(DEMO.contoso.tenantId, DEMO.contoso.megan)!;
  const lynne = findPerson(DEMO.contoso.tenantId, DEMO.contoso.lynne)!;

  it("are judged in the person's own zone", () => {
    expect(withinWorkingHours(megan, at("2030-07-01T07:30:00Z"), at("2030-07-01T08:00:00Z"))).toBe(true); // 08:30 BST
    expect(withinWorkingHours(megan, at("2030-07-01T07:00:00Z"), at("2030-07-01T07:30:00Z"))).toBe(false);
    expect(withinWorkingHours(lynne, at("2030-07-01T13:00:00Z"), at("2030-07-01T14:00:00Z"))).toBe(true); // 09:00 EDT
    expect(withinWorkingHours(lynne, at("2030-07-01T12:30:00Z"), at("2030-07-01T13:30:00Z"))).toBe(false);
  });

  it("exclude days off", () => {
    expect(withinWorkingHours(megan, at("2030-07-06T10:00:00Z"), at("2030-07-06T10:30:00Z"))).toBe(false); // Saturday
  });
});
