import { toMs } from "./time";
import type { WorkingHours } from "./types";
import { checkWorkingHours, clockText, describeWorkingHours } from "./working-hours";

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"];
const london: WorkingHours = { daysOfWeek: WEEKDAYS, startTime: "08:30:00.0000000", endTime: "17:00:00.0000000", timeZone: { name: "Europe/London" } };
const at = (wh: WorkingHours, instant: string, end?: string) => checkWorkingHours(wh, toMs(instant), end === undefined ? undefined : toMs(end)).verdict;

describe("checkWorkingHours in London", () => {
  it("winter: 08:29 local (08:29 UTC) is outside, 08:30 is inside", () => {
    expect(at(london, "2025-01-15T08:29:00Z")).toBe("outside");
    expect(at(london, "2025-01-15T08:30:00Z")).toBe("inside");
  });

  it("summer: 08:29 local (07:29 UTC) is outside, 08:30 (07:30 UTC) is inside", () => {
    expect(at(london, "2025-07-16T07:29:00Z")).toBe("outside");
    expect(at(london, "2025-07-16T07:30:00Z")).toBe("inside");
    // 08:30 UTC in summer is 09:30 local, still inside; 16:00 UTC is 17:00 local, the end itself.
    expect(at(london, "2025-07-16T15:59:59Z")).toBe("inside");
    expect(at(london, "2025-07-16T16:00:00Z")).toBe("outside");
  });

  it("on the Monday after the clocks go forward, 08:30 local is 07:30 UTC", () => {
    expect(at(london, "2025-03-31T07:30:00Z")).toBe("inside");
    expect(at(london, "2025-03-28T07:30:00Z")).toBe("outside");
  });

  it("weekends are outside", () => {
    expect(at(london, "2025-01-18T12:00:00Z")).toBe("outside");
  });

  it("reports the local wall clock it judged", () => {
    const check = checkWorkingHours(london, toMs("2025-07-16T07:29:00Z"));
    expect(check).toMatchObject({ zone: "Europe/London", zoneKnown: true, local: { date: "2025-07-16", weekday: "wednesday", secondOfDay: 8 * 3600 + 29 * 60 } });
  });
});

describe("meetings", () => {
  it("may end exactly at the end of the day but not after", () => {
    expect(at(london, "2025-01-15T16:30:00Z", "2025-01-15T17:00:00Z")).toBe("inside");
    expect(at(london, "2025-01-15T16:45:00Z", "2025-01-15T17:15:00Z")).toBe("outside");
    expect(at(london, "2025-01-15T08:15:00Z", "2025-01-15T08:45:00Z")).toBe("outside");
  });
});

describe("overnight hours", () => {
  const night: WorkingHours = { daysOfWeek: WEEKDAYS, startTime: "22:00:00", endTime: "06:00:00", timeZone: { name: "UTC" } };

  it("belong to the day the shift started", () => {
    expect(at(night, "2025-01-13T23:00:00Z")).toBe("inside"); // Monday night
    expect(at(night, "2025-01-14T02:00:00Z")).toBe("inside"); // early Tuesday, Monday's shift
    expect(at(night, "2025-01-18T02:00:00Z")).toBe("inside"); // early Saturday, Friday's shift
    expect(at(night, "2025-01-13T02:00:00Z")).toBe("outside"); // early Monday, no Sunday shift
    expect(at(night, "2025-01-14T12:00:00Z")).toBe("outside");
  });

  it("a meeting may cross midnight inside one shift", () => {
    expect(at(night, "2025-01-14T23:30:00Z", "2025-01-15T00:30:00Z")).toBe("inside");
    expect(at(night, "2025-01-15T05:30:00Z", "2025-01-15T06:30:00Z")).toBe("outside");
  });
});

describe("zones and unreadable hours", () => {
  it("understands the Windows name Graph may send", () => {
    const windows = { ...london, timeZone: { name: "GMT Standard Time" } };
    expect(at(windows, "2025-07-16T07:29:00Z")).toBe("outside");
    expect(at(windows, "2025-07-16T07:30:00Z")).toBe("inside");
  });

  it("falls back to UTC for an unknown zone and says so", () => {
    const check = checkWorkingHours({ ...london, timeZone: { name: "Atlantis/Capital" } }, toMs("2025-07-16T08:30:00Z"));
    expect(check).toMatchObject({ verdict: "inside", zone: "UTC", zoneKnown: false });
  });

  it("cannot judge without days or readable times", () => {
    expect(at({ ...london, daysOfWeek: [] }, "2025-01-15T12:00:00Z")).toBe("unknown");
    expect(at({ ...london, startTime: "soon" }, "2025-01-15T12:00:00Z")).toBe("unknown");
  });

  it("reads day names in any case", () => {
    expect(at({ ...london, daysOfWeek: ["Wednesday"] }, "2025-01-15T12:00:00Z")).toBe("inside");
  });
});

describe("describeWorkingHours", () => {
  it("writes a run of days as a range", () => {
    expect(describeWorkingHours(london)).toBe("monday–friday 08:30–17:00 (Europe/London)");
  });

  it("lists scattered days", () => {
    expect(describeWorkingHours({ ...london, daysOfWeek: ["wednesday", "monday"] })).toBe("monday, wednesday 08:30–17:00 (Europe/London)");
  });

  it("writes a time of day", () => {
    expect(clockText(8 * 3600 + 5 * 60 + 59)).toBe("08:05");
  });
});
