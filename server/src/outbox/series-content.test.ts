import { latestOccurrence, nextOccurrence, occurrenceStart, seriesBody, seriesEvent, seriesSubject, seriesTiming } from "./series-content";

const shape = { cadence: "weekly" as const, firstStart: "2026-03-24T09:30:00.000Z", timeZone: "Europe/London", durationMinutes: 30 };

describe("series timing", () => {
  it("writes start, end and a weekly recurrence on the first start's weekday, in the series' zone", () => {
    expect(seriesTiming(shape)).toEqual({
      start: { dateTime: "2026-03-24T09:30:00", timeZone: "Europe/London" },
      end: { dateTime: "2026-03-24T10:00:00", timeZone: "Europe/London" },
      recurrence: { pattern: { type: "weekly", interval: 1, daysOfWeek: ["tuesday"] }, range: { type: "noEnd", startDate: "2026-03-24", recurrenceTimeZone: "Europe/London" } },
    });
    expect(seriesTiming({ ...shape, cadence: "biweekly" }).recurrence?.pattern.interval).toBe(2);
  });

  it("takes the weekday in the organizer's zone, not in UTC", () => {
    // 23:30 UTC on a Monday is already Tuesday in Berlin.
    const t = seriesTiming({ ...shape, firstStart: "2026-01-05T23:30:00Z", timeZone: "Europe/Berlin" });
    expect(t.recurrence?.pattern.daysOfWeek).toEqual(["tuesday"]);
    expect(t.start).toEqual({ dateTime: "2026-01-06T00:30:00", timeZone: "Europe/Berlin" });
  });

  it("keeps the wall-clock time across a clock change", () => {
    // London moves to summer time on 29 March 2026: 09:30 GMT, then 09:30 BST (08:30 UTC).
    expect(new Date(occurrenceStart(shape, 0)).toISOString()).toBe("2026-03-24T09:30:00.000Z");
    expect(new Date(occurrenceStart(shape, 1)).toISOString()).toBe("2026-03-31T08:30:00.000Z");
  });

  it("finds the latest occurrence that began, and the next one", () => {
    expect(latestOccurrence(shape, Date.parse("2026-03-24T09:00:00Z"))).toBeNull();
    expect(latestOccurrence(shape, Date.parse("2026-03-31T08:45:00Z"))).toEqual({ index: 1, start: Date.parse("2026-03-31T08:30:00Z"), end: Date.parse("2026-03-31T09:00:00Z") });
    const biweekly = { ...shape, cadence: "biweekly" as const };
    expect(latestOccurrence(biweekly, Date.parse("2026-04-20T00:00:00Z"))?.start).toBe(Date.parse("2026-04-07T08:30:00Z"));
    expect(new Date(nextOccurrence(biweekly, Date.parse("2026-04-20T00:00:00Z"))).toISOString()).toBe("2026-04-21T08:30:00.000Z");
    expect(new Date(nextOccurrence(shape, Date.parse("2026-01-01T00:00:00Z"))).toISOString()).toBe(shape.firstStart);
  });
});

describe("series content", () => {
  const content = {
    scheduleId: "s-1",
    outcomes: [{ id: "o-1", title: "Cut <loan> decision time", deadline: "2026-06-30" }],
    team: null,
    attendees: [
      { id: "owner", displayName: "Adele Vance", mail: "adele@contoso.test", userPrincipalName: null },
      { id: "manager", displayName: "Megan Bowen", mail: null, userPrincipalName: "megan@contoso.test" },
    ],
    organizerId: "owner",
    publicUrl: "https://leeway.contoso.test/",
  };

  it("is a Teams meeting with the coaching questions and a link to the outcome's page, text escaped", () => {
    const e = seriesEvent(shape, content);
    expect(e).toMatchObject({ subject: "Check-in: Cut <loan> decision time", isOnlineMeeting: true, onlineMeetingProvider: "teamsForBusiness" });
    expect(e.attendees).toEqual([{ emailAddress: { address: "megan@contoso.test", name: "Megan Bowen" }, type: "required" }]);
    expect(e.body.content).toContain('href="https://leeway.contoso.test/tabs/index.html#/outcome/o-1"');
    expect(e.body.content).toContain("Cut &lt;loan&gt; decision time");
    expect(e.body.content).not.toContain("<loan>");
    for (const q of ["What&#39;s your plan?", "What do you need to succeed?", "What&#39;s your next step?"]) expect(e.body.content).toContain(q);
    expect(e.singleValueExtendedProperties?.[0]?.value).toBe("s-1");
  });

  it("names the team for a team rhythm and stays within Outlook's subject length", () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ id: `o-${i}`, title: `A rather long outcome title number ${i}` }));
    const subject = seriesSubject({ outcomes: many, team: { id: "t", name: "Retail Lending" } });
    expect(subject.startsWith("Team check-in: Retail Lending (")).toBe(true);
    expect(subject.length).toBeLessThanOrEqual(255);
    expect(seriesBody({ ...content, outcomes: [], team: { id: "t-1", name: "Retail Lending" } })).toContain("#/team/t-1");
  });
});
