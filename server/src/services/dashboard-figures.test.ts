import { rhythmAdherence } from "./dashboard-figures";

describe("rhythmAdherence", () => {
  const toMs = Date.parse("2026-03-31T12:00:00Z");
  const fromMs = toMs - 90 * 86_400_000;
  const day = (d: number) => new Date(toMs - d * 86_400_000).toISOString();

  it("counts on rhythm now over the outcomes that owed a check-in in the latest window", () => {
    const figures = rhythmAdherence({
      cadence: "weekly",
      fromMs,
      toMs,
      outcomes: [
        // Agreed long ago and checked in three days ago: on rhythm.
        { id: "kept", status: "agreed", agreedAt: day(60), createdAt: day(61) },
        // Agreed long ago, last check-in ten days ago: off rhythm.
        { id: "late", status: "at_risk", agreedAt: day(60), createdAt: day(61) },
        // Agreed yesterday, no check-in yet: nothing was due.
        { id: "new", status: "agreed", agreedAt: day(1), createdAt: day(2) },
        // Done: not counted at all.
        { id: "done", status: "done", agreedAt: day(60), createdAt: day(61) },
      ],
      checkIns: [
        { outcomeId: "kept", at: day(3) },
        { outcomeId: "late", at: day(10) },
      ],
    });
    expect(figures.outcomes).toBe(3);
    expect(figures.onRhythmNow).toBe(50);
    expect(figures.definition).toMatch(/agreed before the latest window began/);
  });

  it("has no figure when no outcome owed a check-in yet", () => {
    const figures = rhythmAdherence({ cadence: "biweekly", fromMs, toMs, outcomes: [{ id: "new", status: "agreed", agreedAt: day(3), createdAt: day(4) }], checkIns: [] });
    expect(figures.onRhythmNow).toBeNull();
    expect(figures.adherence).toBeNull();
  });
});
