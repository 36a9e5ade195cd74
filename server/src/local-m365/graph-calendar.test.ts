import request from "supertest";
import { DEMO } from "./demo-directory";
import { createLocalM365App, type LocalM365App } from "./testing";

// 2030-03-04 is a Monday. The UK changes to summer time on 2030-03-31, the US on 2030-03-10.
const NOW = new Date("2030-03-01T00:00:00Z");
const GRAPH = "/local-m365/graph/v1.0";
let t: LocalM365App;
let megan: string;
let adele: string;
let appToken: string;

beforeAll(async () => {
  t = await createLocalM365App({ now: () => NOW });
  megan = await t.m365.mintAccessToken({ upn: "megan.bowen@contoso.test", audience: "https://graph.microsoft.com" });
  adele = await t.m365.mintAccessToken({ upn: "adele.vance@contoso.test", audience: "https://graph.microsoft.com" });
  appToken = await t.m365.mintAppToken({ tenantId: DEMO.contoso.tenantId });
});
afterAll(() => t.m365.close());

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const post = (path: string, body: unknown, token = megan) => request(t.app).post(`${GRAPH}${path}`).set(auth(token)).send(body as object);

const weeklyCheckIn = (transactionId: string, extra: Record<string, unknown> = {}) => ({
  subject: "Retail Lending check-in",
  body: { contentType: "html", content: "<p>How is it going?</p>" },
  start: { dateTime: "2030-03-18T09:00:00", timeZone: "Europe/London" },
  end: { dateTime: "2030-03-18T09:30:00", timeZone: "Europe/London" },
  recurrence: {
    pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"], firstDayOfWeek: "monday" },
    range: { type: "noEnd", startDate: "2030-03-18" },
  },
  attendees: [
    { emailAddress: { address: "adele.vance@contoso.test", name: "Adele Vance" }, type: "required" },
    { emailAddress: { address: "alex.wilber@contoso.test" }, type: "required" },
  ],
  isOnlineMeeting: true,
  onlineMeetingProvider: "teamsForBusiness",
  transactionId,
  ...extra,
});

describe("events", () => {
  it("creates a recurring online meeting once per transactionId", async () => {
    const first = await post("/me/events", weeklyCheckIn("tx-series-1")).expect(201);
    expect(first.body).toMatchObject({
      subject: "Retail Lending check-in",
      type: "seriesMaster",
      transactionId: "tx-series-1",
      isOnlineMeeting: true,
      onlineMeetingProvider: "teamsForBusiness",
      organizer: { emailAddress: { address: "megan.bowen@contoso.test", name: "Megan Bowen" } },
      recurrence: { pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] }, range: { type: "noEnd", startDate: "2030-03-18" } },
      start: { dateTime: "2030-03-18T09:00:00.0000000", timeZone: "UTC" },
      createdDateTime: NOW.toISOString(),
    });
    expect(first.body.id).toEqual(expect.any(String));
    expect(first.body.iCalUId).toEqual(expect.any(String));
    expect(first.body.webLink).toMatch(/^http:\/\/127\.0\.0\.1:3979\/local-m365\//);
    expect(first.body.onlineMeeting.joinUrl).toMatch(/meetup-join/);
    expect(first.body.attendees[1]).toEqual({ type: "required", status: { response: "none", time: "0001-01-01T00:00:00Z" }, emailAddress: { address: "alex.wilber@contoso.test", name: "Alex Wilber" } });

    const again = await post("/me/events", weeklyCheckIn("tx-series-1", { subject: "a retry with other content" })).expect(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.subject).toBe("Retail Lending check-in");

    const stored = await request(t.app).get(`/local-m365/_events?userId=${DEMO.contoso.megan}`).expect(200);
    expect(stored.body.value.filter((e: { transactionId: string }) => e.transactionId === "tx-series-1")).toHaveLength(1);

    const listed = await request(t.app).get(`${GRAPH}/me/events`).query({ $filter: "transactionId eq 'tx-series-1'" }).set(auth(megan)).expect(200);
    expect(listed.body.value.map((e: { id: string }) => e.id)).toEqual([first.body.id]);
  });

  it("keeps transactionIds per mailbox: the same id in another mailbox is another event", async () => {
    const mine = await post("/me/events", weeklyCheckIn("tx-shared")).expect(201);
    const theirs = await post(`/users/${DEMO.contoso.adele}/events`, weeklyCheckIn("tx-shared"), appToken).expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.organizer.emailAddress.address).toBe("adele.vance@contoso.test");
  });

  it("shows times in the zone asked for with Prefer: outlook.timezone", async () => {
    const created = await post("/me/events", weeklyCheckIn("tx-prefer")).expect(201);
    const res = await request(t.app).get(`${GRAPH}/me/events/${created.body.id}`).set(auth(megan)).set("Prefer", 'outlook.timezone="Pacific Standard Time"').expect(200);
    expect(res.body.start).toEqual({ dateTime: "2030-03-18T02:00:00.0000000", timeZone: "Pacific Standard Time" });
    expect(res.headers["preference-applied"]).toBe('outlook.timezone="Pacific Standard Time"');
  });

  it("updates with PATCH (honouring If-Match) and deletes", async () => {
    const created = await post("/me/events", weeklyCheckIn("tx-patch")).expect(201);
    const url = `${GRAPH}/me/events/${encodeURIComponent(created.body.id)}`;
    const patched = await request(t.app).patch(url).set(auth(megan)).set("If-Match", created.body["@odata.etag"]).send({ subject: "Moved check-in", recurrence: null }).expect(200);
    expect(patched.body).toMatchObject({ subject: "Moved check-in", type: "singleInstance", recurrence: null, transactionId: "tx-patch" });
    expect(patched.body.changeKey).not.toBe(created.body.changeKey);

    const stale = await request(t.app).patch(url).set(auth(megan)).set("If-Match", created.body["@odata.etag"]).send({ subject: "lost update" }).expect(412);
    expect(stale.body.error.code).toBe("ErrorIrresolvableConflict");

    await request(t.app).delete(url).set(auth(megan)).expect(204);
    expect((await request(t.app).get(url).set(auth(megan)).expect(404)).body.error.code).toBe("ErrorItemNotFound");
    await request(t.app).delete(url).set(auth(megan)).expect(404);
  });

  it("validates like Graph: unknown properties, bad time zones, incomplete recurrences, end before start", async () => {
    const unknown = await post("/me/events", { ...weeklyCheckIn("tx-bad-1"), colour: "blue" }).expect(400);
    expect(unknown.body.error).toMatchObject({ code: "RequestBodyRead", message: expect.stringContaining("'colour'") });
    const zone = await post("/me/events", weeklyCheckIn("tx-bad-2", { start: { dateTime: "2030-03-18T09:00:00", timeZone: "Mars/Olympus" } })).expect(400);
    expect(zone.body.error.code).toBe("TimeZoneNotSupportedException");
    const noDays = await post("/me/events", weeklyCheckIn("tx-bad-3", { recurrence: { pattern: { type: "weekly", interval: 1 }, range: { type: "noEnd", startDate: "2030-03-18" } } })).expect(400);
    expect(noDays.body.error.code).toBe("ErrorPropertyValidationFailure");
    await post("/me/events", weeklyCheckIn("tx-bad-4", { end: { dateTime: "2030-03-18T08:00:00", timeZone: "Europe/London" } })).expect(400);
  });

  it("keeps other people's calendars closed to delegated callers", async () => {
    const res = await post(`/users/${DEMO.contoso.adele}/events`, weeklyCheckIn("tx-intrude")).expect(403);
    expect(res.body.error.code).toBe("ErrorAccessDenied");
    await request(t.app).get(`${GRAPH}/users/${DEMO.contoso.adele}/events`).set(auth(megan)).expect(403);
  });

  it("pages event lists with $top and @odata.nextLink", async () => {
    const diego = await t.m365.mintAccessToken({ upn: "diego.siciliani@contoso.test", audience: "https://graph.microsoft.com" });
    for (let i = 0; i < 3; i += 1) await post("/me/events", weeklyCheckIn(`tx-page-${i}`), diego).expect(201);
    const page1 = await request(t.app).get(`${GRAPH}/me/events?$top=2&$select=subject`).set(auth(diego)).expect(200);
    expect(page1.body.value).toHaveLength(2);
    expect(page1.body.value[0].start).toBeUndefined();
    const next = new URL(page1.body["@odata.nextLink"]);
    const page2 = await request(t.app).get(next.pathname + next.search).set(auth(diego)).expect(200);
    expect(page2.body.value).toHaveLength(1);
    expect(page2.body["@odata.nextLink"]).toBeUndefined();
  });
});

describe("getSchedule", () => {
  it("reports busy slots from an expanded weekly series, across a clock change, without subjects", async () => {
    const joni = await t.m365.mintAccessToken({ upn: "joni.sherman@contoso.test", audience: "https://graph.microsoft.com" });
    await post(
      "/me/events",
      {
        subject: "Secret payments review",
        start: { dateTime: "2030-03-18T09:00:00", timeZone: "Europe/London" },
        end: { dateTime: "2030-03-18T09:30:00", timeZone: "Europe/London" },
        recurrence: { pattern: { type: "weekly", interval: 1, daysOfWeek: ["monday"] }, range: { type: "noEnd", startDate: "2030-03-18" } },
        attendees: [{ emailAddress: { address: "enrico.cattaneo@contoso.test" }, type: "required" }],
      },
      joni,
    ).expect(201);

    // Monday 2030-04-01, after the UK moved to summer time: the series stays at 09:00 London time.
    const res = await post("/me/calendar/getSchedule", {
      schedules: ["joni.sherman@contoso.test", "enrico.cattaneo@contoso.test", "someone@elsewhere.test"],
      startTime: { dateTime: "2030-04-01T08:00:00", timeZone: "Europe/London" },
      endTime: { dateTime: "2030-04-01T10:00:00", timeZone: "Europe/London" },
      availabilityViewInterval: 30,
    }, joni).expect(200);
    const [joniSchedule, enrico, stranger] = res.body.value;
    expect(joniSchedule.availabilityView).toBe("0020");
    expect(joniSchedule.scheduleItems).toEqual([{ isPrivate: false, status: "busy", start: { dateTime: "2030-04-01T08:00:00.0000000", timeZone: "UTC" }, end: { dateTime: "2030-04-01T08:30:00.0000000", timeZone: "UTC" } }]);
    expect(joniSchedule.workingHours).toMatchObject({ startTime: "09:00:00.0000000", timeZone: { name: "Europe/London" } });
    expect(enrico.availabilityView).toBe("0010"); // an unanswered invitation is tentative
    expect(stranger.error.responseCode).toBe("ErrorMailRecipientNotFound");
    expect(JSON.stringify(res.body)).not.toContain("Secret");
  });

  it("refuses a window longer than 62 days", async () => {
    await post("/me/calendar/getSchedule", { schedules: ["megan.bowen@contoso.test"], startTime: { dateTime: "2030-01-01T00:00:00", timeZone: "UTC" }, endTime: { dateTime: "2030-06-01T00:00:00", timeZone: "UTC" } }).expect(400);
  });
});

describe("findMeetingTimes", () => {
  const monday = { start: { dateTime: "2030-03-25T00:00:00", timeZone: "UTC" }, end: { dateTime: "2030-03-26T00:00:00", timeZone: "UTC" } };

  it("suggests only slots inside every attendee's working hours (in their own zones) that are free for all", async () => {
    // Adele is busy 14:00-15:00 UTC that Monday.
    await post("/me/events", { subject: "Dentist", start: { dateTime: "2030-03-25T14:00:00", timeZone: "UTC" }, end: { dateTime: "2030-03-25T15:00:00", timeZone: "UTC" } }, adele).expect(201);
    const res = await post("/me/findMeetingTimes", {
      attendees: [
        { type: "required", emailAddress: { address: "adele.vance@contoso.test" } },
        { type: "required", emailAddress: { address: "lynne.robbins@contoso.test" } },
      ],
      timeConstraint: { activityDomain: "work", timeslots: [monday] },
      meetingDuration: "PT1H",
      maxCandidates: 10,
    }).expect(200);
    // Megan works 08:30-17:00 London (= UTC in March), Lynne 09:00-17:30 New York (= 13:00-21:30 UTC).
    const starts = res.body.meetingTimeSuggestions.map((s: { meetingTimeSlot: { start: { dateTime: string } } }) => s.meetingTimeSlot.start.dateTime);
    expect(starts).toEqual(["2030-03-25T13:00:00.0000000", "2030-03-25T15:00:00.0000000", "2030-03-25T15:30:00.0000000", "2030-03-25T16:00:00.0000000"]);
    expect(res.body.emptySuggestionsReason).toBe("");
    expect(res.body.meetingTimeSuggestions[0]).toMatchObject({
      confidence: 100,
      organizerAvailability: "free",
      attendeeAvailability: [
        { attendee: { type: "required", emailAddress: { address: "adele.vance@contoso.test" } }, availability: "free" },
        { attendee: { type: "required", emailAddress: { address: "lynne.robbins@contoso.test" } }, availability: "free" },
      ],
      meetingTimeSlot: { end: { dateTime: "2030-03-25T14:00:00.0000000", timeZone: "UTC" } },
    });
  });

  it("explains why there is nothing on a weekend", async () => {
    const res = await post("/me/findMeetingTimes", {
      attendees: [{ type: "required", emailAddress: { address: "adele.vance@contoso.test" } }],
      timeConstraint: { timeslots: [{ start: { dateTime: "2030-03-23T00:00:00", timeZone: "UTC" }, end: { dateTime: "2030-03-24T00:00:00", timeZone: "UTC" } }] },
      meetingDuration: "PT30M",
    }).expect(200);
    expect(res.body).toMatchObject({ emptySuggestionsReason: "OrganizerUnavailable", meetingTimeSuggestions: [] });
  });

  it("says attendees are unavailable when only the organizer is free", async () => {
    // Lee works Monday to Thursday; Friday 2030-03-29 he is off.
    const res = await post("/me/findMeetingTimes", {
      attendees: [{ type: "required", emailAddress: { address: "lee.gu@contoso.test" } }],
      timeConstraint: { timeslots: [{ start: { dateTime: "2030-03-29T00:00:00", timeZone: "UTC" }, end: { dateTime: "2030-03-30T00:00:00", timeZone: "UTC" } }] },
      meetingDuration: "PT30M",
    }).expect(200);
    expect(res.body.emptySuggestionsReason).toBe("AttendeesUnavailable");
  });
});

describe("free/busy a person keeps from the organisation", () => {
  // Kai Carter has set his calendar's default permission to none; Mona Kane keeps Exchange's default.
  const F = DEMO.fabrikam;
  const utc = (hhmm: string) => ({ dateTime: `2030-03-25T${hhmm}:00`, timeZone: "UTC" });
  const schedules = { schedules: ["kai.carter@fabrikam.test", "mona.kane@fabrikam.test"], startTime: utc("14:00"), endTime: utc("18:00"), availabilityViewInterval: 60 };
  let kai: string;
  let patti: string;

  beforeAll(async () => {
    kai = await t.m365.mintAccessToken({ upn: "kai.carter@fabrikam.test", audience: "https://graph.microsoft.com" });
    patti = await t.m365.mintAccessToken({ upn: "patti.fernandez@fabrikam.test", audience: "https://graph.microsoft.com" });
    await post("/me/events", { subject: "Dispatch planning", start: utc("15:00"), end: utc("16:00") }, kai).expect(201);
  });

  it("is hidden from a colleague asking as themselves, and shown to the person and to the app", async () => {
    const asPatti = await post("/me/calendar/getSchedule", schedules, patti).expect(200);
    const [hidden, shared] = asPatti.body.value;
    expect(hidden).toEqual({ scheduleId: "kai.carter@fabrikam.test", availabilityView: "", scheduleItems: [], error: { message: expect.any(String), responseCode: "ErrorNoFreeBusyAccess" } });
    expect(shared).toMatchObject({ scheduleId: "mona.kane@fabrikam.test", availabilityView: "0000", workingHours: { timeZone: { name: "America/Los_Angeles" } } });

    const asKai = await post("/me/calendar/getSchedule", schedules, kai).expect(200);
    expect(asKai.body.value[0]).toMatchObject({ availabilityView: "0200", workingHours: { timeZone: { name: "America/Denver" } } });
    const app = await t.m365.mintAppToken({ tenantId: F.tenantId });
    const asApp = await post(`/users/${F.patti}/calendar/getSchedule`, schedules, app).expect(200);
    expect(asApp.body.value[0]).toMatchObject({ availabilityView: "0200" });
  });

  it("leaves the person's availability unknown in a colleague's meeting-time suggestions", async () => {
    const res = await post("/me/findMeetingTimes", {
      attendees: [{ type: "required", emailAddress: { address: "kai.carter@fabrikam.test" } }],
      timeConstraint: { activityDomain: "work", timeslots: [{ start: utc("15:00"), end: utc("16:00") }] },
      meetingDuration: "PT1H",
    }, patti).expect(200);
    expect(res.body.meetingTimeSuggestions).toEqual([
      expect.objectContaining({ meetingTimeSlot: expect.objectContaining({ start: { dateTime: "2030-03-25T15:00:00.0000000", timeZone: "UTC" } }), attendeeAvailability: [expect.objectContaining({ availability: "unknown" })] }),
    ]);
  });
});

describe("activity notifications", () => {
  it("accepts a notification for a person and keeps it for tests to read", async () => {
    await post(`/users/${DEMO.contoso.adele}/teamwork/sendActivityNotification`, {
      topic: { source: "entityUrl", value: `https://graph.microsoft.com/v1.0/users/${DEMO.contoso.adele}/teamwork/installedApps/x` },
      activityType: "checkInDue",
      previewText: { content: "Your check-in is due" },
      templateParameters: [{ name: "outcome", value: "Cut loan approval time" }],
    }, appToken).expect(204);
    const res = await request(t.app).get("/local-m365/_notifications").query({ userId: DEMO.contoso.adele }).expect(200);
    expect(res.body.value).toEqual([expect.objectContaining({ recipientId: DEMO.contoso.adele, activityType: "checkInDue", previewText: { content: "Your check-in is due" } })]);
    const empty = await request(t.app).get("/local-m365/_notifications").query({ userId: "alex.wilber@contoso.test" }).expect(200);
    expect(empty.body.value).toEqual([]);
  });

  it("refuses a notification without an activity type", async () => {
    await post(`/users/${DEMO.contoso.adele}/teamwork/sendActivityNotification`, { topic: { source: "text", value: "x", webUrl: "https://x" }, previewText: { content: "hi" } }, appToken).expect(400);
  });
});
