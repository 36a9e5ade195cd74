import fc from "fast-check";
import { WINDOWS_TO_IANA_MAP } from "windows-iana";
import { addDays, daysBetweenDates, endOfDayMs, exactLocalParts, isDateOnly, localDaysBetween, localParts, parseClock, resolveTimeZone, toMs, zonedToMs } from "./time";

const iso = (ms: number) => new Date(ms).toISOString();

describe("dates", () => {
  it("recognises real calendar dates only", () => {
    expect(isDateOnly("2024-02-29")).toBe(true);
    expect(isDateOnly("2025-02-29")).toBe(false);
    expect(isDateOnly("2025-13-01")).toBe(false);
    expect(isDateOnly("2025-1-01")).toBe(false);
  });

  it("reads instants and bare dates, and nothing else", () => {
    expect(toMs("2025-03-01")).toBe(Date.UTC(2025, 2, 1));
    expect(toMs("2025-03-01T10:00:00+01:00")).toBe(Date.UTC(2025, 2, 1, 9));
    expect(toMs("2025-02-30")).toBeNaN();
    expect(toMs(null)).toBeNaN();
    expect(toMs("")).toBeNaN();
  });

  it("adds days across month and year ends", () => {
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(daysBetweenDates("2025-03-28", "2025-04-02")).toBe(5);
  });

  it("propagates unreadable dates instead of throwing", () => {
    expect(addDays("someday", 1)).toBe("");
    expect(zonedToMs("someday", 0, "Europe/London")).toBeNaN();
    expect(endOfDayMs("2025-02-30", "UTC")).toBeNaN();
    expect(localParts(Number.NaN, "UTC").date).toBe("");
  });
});

describe("time zones", () => {
  it("resolves IANA names, common Windows names, and falls back to UTC", () => {
    expect(resolveTimeZone("Europe/London")).toEqual({ zone: "Europe/London", known: true });
    expect(resolveTimeZone("GMT Standard Time")).toEqual({ zone: "Europe/London", known: true });
    expect(resolveTimeZone("Pacific Standard Time")).toEqual({ zone: "America/Los_Angeles", known: true });
    expect(resolveTimeZone("Mars/Olympus")).toEqual({ zone: "UTC", known: false });
    expect(resolveTimeZone(undefined)).toEqual({ zone: "UTC", known: true });
  });

  it("knows every Windows zone Graph can answer with, in any case, and reads the wall clock there", () => {
    // Mailbox settings of people in Seoul, Moscow, São Paulo and Kathmandu.
    expect(resolveTimeZone("Korea Standard Time")).toEqual({ zone: "Asia/Seoul", known: true });
    expect(resolveTimeZone("russian standard time")).toEqual({ zone: "Europe/Moscow", known: true });
    expect(resolveTimeZone(" E. South America Standard Time ")).toEqual({ zone: "America/Sao_Paulo", known: true });
    expect(localParts(Date.UTC(2026, 0, 15, 12, 0), "Nepal Standard Time")).toMatchObject({ date: "2026-01-15", secondOfDay: (17 * 60 + 45) * 60 });
    const windowsNames = [...new Set(WINDOWS_TO_IANA_MAP.map((e) => e.windowsName))];
    expect(windowsNames.length).toBeGreaterThan(130);
    for (const name of windowsNames) expect([name, resolveTimeZone(name).known]).toEqual([name, true]);
  });

  it("reads the wall clock in London in winter and summer", () => {
    expect(localParts(toMs("2025-01-15T08:30:00Z"), "Europe/London")).toEqual({ date: "2025-01-15", weekday: "wednesday", secondOfDay: 8 * 3600 + 30 * 60 });
    expect(localParts(toMs("2025-07-16T07:30:00Z"), "Europe/London")).toEqual({ date: "2025-07-16", weekday: "wednesday", secondOfDay: 8 * 3600 + 30 * 60 });
  });

  it("turns a wall clock into the instant, also across the change to summer time", () => {
    expect(iso(zonedToMs("2025-03-29", 9 * 3600, "Europe/London"))).toBe("2025-03-29T09:00:00.000Z");
    expect(iso(zonedToMs("2025-03-31", 9 * 3600, "Europe/London"))).toBe("2025-03-31T08:00:00.000Z");
    expect(iso(zonedToMs("2025-06-01", 0, "Asia/Kolkata"))).toBe("2025-05-31T18:30:00.000Z");
  });

  it("takes the first of a repeated hour and lands after a skipped one", () => {
    // 01:30 happens twice in London on 2025-10-26; first in summer time (00:30 UTC).
    expect(iso(zonedToMs("2025-10-26", 5400, "Europe/London"))).toBe("2025-10-26T00:30:00.000Z");
    // 01:30 never happens on 2025-03-30; it is read with the winter offset.
    expect(iso(zonedToMs("2025-03-30", 5400, "Europe/London"))).toBe("2025-03-30T01:30:00.000Z");
  });

  it("ends a day at local midnight, also on 23- and 25-hour days", () => {
    expect(iso(endOfDayMs("2025-03-30", "Europe/London"))).toBe("2025-03-30T23:00:00.000Z");
    expect(iso(endOfDayMs("2025-10-26", "Europe/London"))).toBe("2025-10-27T00:00:00.000Z");
  });

  it("counts calendar days on the zone's calendar", () => {
    // 23:30 UTC on the 6th is already the 7th in Berlin.
    expect(localDaysBetween(toMs("2025-01-06T23:30:00Z"), toMs("2025-01-07T00:30:00Z"), "Europe/Berlin")).toBe(0);
    expect(localDaysBetween(toMs("2025-01-06T23:30:00Z"), toMs("2025-01-07T00:30:00Z"), "UTC")).toBe(1);
  });

  it("round-trips any wall time outside transitions (property)", () => {
    const zones = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Tokyo", "UTC"];
    fc.assert(fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 4 * 3600, max: 22 * 3600 }), fc.constantFrom(...zones), (day, second, zone) => {
      const date = addDays("2024-01-01", day);
      const local = localParts(zonedToMs(date, second, zone), zone);
      expect(local).toMatchObject({ date, secondOfDay: second });
    }));
  });
});

describe("parseClock", () => {
  it("reads Graph times", () => {
    expect(parseClock("08:30:00.0000000")).toBe(30600);
    expect(parseClock("17:00")).toBe(61200);
    expect(parseClock("24:00:00")).toBe(86400);
  });

  it("rejects what is not a time", () => {
    expect(parseClock("8.30")).toBeNaN();
    expect(parseClock("25:00:00")).toBeNaN();
    expect(parseClock("12:60:00")).toBeNaN();
  });
});

describe("localParts remembered per quarter hour", () => {
  const zones = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham", "UTC", "Pacific Standard Time"];

  it("agrees with the zone database at every instant, across daylight-saving changes", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        expect(localParts(ms, zone)).toEqual(exactLocalParts(ms, zone));
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees second by second around a change of offset", () => {
    // London leaves summer time at 01:00 UTC on 2026-10-25: 01:59:59 BST is followed by 01:00:00 GMT.
    const change = Date.UTC(2026, 9, 25, 1, 0, 0);
    for (let ms = change - 20 * 60_000; ms <= change + 20 * 60_000; ms += 7_000) {
      expect(localParts(ms, "Europe/London")).toEqual(exactLocalParts(ms, "Europe/London"));
    }
    expect(localParts(change - 1000, "Europe/London")).toMatchObject({ date: "2026-10-25", secondOfDay: 1 * 3600 + 59 * 60 + 59 });
    expect(localParts(change, "Europe/London")).toMatchObject({ date: "2026-10-25", secondOfDay: 3600 });
  });
});
