import { todayIn } from "./outcome-access";

describe("todayIn", () => {
  // 2026-03-09 22:30 UTC is already the 10th in Sydney and still the 9th in Los Angeles.
  const now = new Date("2026-03-09T22:30:00Z");

  it("reads the day in the zone, named the IANA way or the Windows way Graph uses", () => {
    expect(todayIn("Australia/Sydney", now)).toBe("2026-03-10");
    expect(todayIn("AUS Eastern Standard Time", now)).toBe("2026-03-10");
    expect(todayIn("Pacific Standard Time", now)).toBe("2026-03-09");
  });

  it("counts an unknown or missing zone as UTC", () => {
    expect(todayIn("Nowhere/Land", new Date("2026-03-09T23:59:00Z"))).toBe("2026-03-09");
    expect(todayIn(null, new Date("2026-03-10T00:01:00Z"))).toBe("2026-03-10");
  });
});
