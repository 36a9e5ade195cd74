import { nextOccurrence, wallClock, zonedInstant } from "./zoned-time";

describe("wall-clock time in a named zone", () => {
  it("reads the local date, time and weekday of an instant", () => {
    expect(wallClock(new Date("2026-07-01T23:30:00Z"), "Europe/Berlin")).toEqual({ date: "2026-07-02", time: "01:30", weekday: "thu" });
  });

  it("finds the instant of a local time on both sides of a daylight-saving change", () => {
    expect(zonedInstant("2026-03-27", "10:00", "Europe/London").toISOString()).toBe("2026-03-27T10:00:00.000Z");
    expect(zonedInstant("2026-03-30", "10:00", "Europe/London").toISOString()).toBe("2026-03-30T09:00:00.000Z");
    expect(zonedInstant("2026-11-02", "09:00", "America/New_York").toISOString()).toBe("2026-11-02T14:00:00.000Z");
  });

  it("steps a fortnightly series by two weeks and keeps its local time across the change", () => {
    const series = { startDate: "2026-03-17", startTime: "10:00", days: ["tue" as const], interval: 2 as const, timeZone: "Europe/London" };
    expect(nextOccurrence(series, new Date("2026-03-18T00:00:00Z"))?.toISOString()).toBe("2026-03-31T09:00:00.000Z");
    expect(nextOccurrence({ ...series, endDate: "2026-03-30" }, new Date("2026-03-18T00:00:00Z"))).toBeNull();
  });
});
