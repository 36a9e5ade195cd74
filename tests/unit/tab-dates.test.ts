// The Teams tab's dates: a due day is a calendar day, compared with the reader's today, not an
// instant at UTC midnight.
import { describeDue, localDay, nextCheckInOf } from "../../tabs/src/components/format";
import type { Outcome } from "../../tabs/src/api/types";

const outcome = (overrides: Partial<Outcome>): Outcome =>
  ({ status: "agreed", lastCheckInAt: null, agreedAt: "2026-06-01T09:00:00.000Z", createdAt: "2026-05-30T09:00:00.000Z", ...overrides }) as Outcome;

describe("next check-in", () => {
  test("a day due today is today all day, and overdue only from the next day", () => {
    expect(describeDue({ date: "2026-06-10" }, "2026-06-10")).toBe("Today");
    expect(describeDue({ date: "2026-06-10" }, "2026-06-09")).toBe("Tomorrow");
    expect(describeDue({ date: "2026-06-10" }, "2026-06-11")).toMatch(/^Overdue since/);
    expect(describeDue({ date: "2026-06-10" }, "2026-06-05")).toMatch(/\(in 5 days\)$/);
  });

  test("the server's word on overdue wins", () => {
    expect(describeDue({ date: "2026-06-10", overdue: false }, "2026-06-11")).not.toMatch(/Overdue/);
    expect(describeDue({ date: "2026-06-10", overdue: true }, "2026-06-10")).toMatch(/^Overdue since/);
  });

  test("outcomes that take no check-ins have no next one", () => {
    for (const status of ["proposed", "draft", "done", "missed", "dropped"] as const) {
      expect(nextCheckInOf(outcome({ status }), { date: "2026-06-10" })).toBeNull();
    }
    expect(describeDue(null)).toBe("—");
  });

  test("the reader's today is their calendar's date", () => {
    const at = new Date(2026, 5, 10, 23, 30);
    expect(localDay(at)).toBe("2026-06-10");
  });
});
