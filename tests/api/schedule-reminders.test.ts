import { DEMO } from "../../server/src/local-m365/demo-directory";
import { ReminderService } from "../../server/src/services/reminder.service";
import { buildOutcome } from "../support/factories";
import { CONTOSO, startTestServer, type TestServer } from "../support/harness";
import { activeBoundary, actors, agreedOutcome, CONTOSO_UPN, type Actor } from "../reliability/support/actors";
import { FAST_OUTBOX, notificationsOf, waitFor } from "../reliability/support/wait";

const C = DEMO.contoso;
const API = "/api/v1/check-in-schedules";

describe("reminders when a check-in is due", () => {
  let s: TestServer;
  let a: Record<"adele" | "alex" | "diego" | "megan" | "miriam" | "lidia", Actor>;
  let reminders: ReminderService;

  beforeAll(async () => {
    s = await startTestServer(FAST_OUTBOX);
    a = await actors(s.baseUrl, (upn) => s.token(upn), {
      adele: CONTOSO_UPN("adele.vance"),
      alex: CONTOSO_UPN("alex.wilber"),
      diego: CONTOSO_UPN("diego.siciliani"),
      megan: CONTOSO_UPN("megan.bowen"),
      miriam: CONTOSO_UPN("miriam.graham"),
      lidia: CONTOSO_UPN("lidia.holloway"),
    });
    reminders = new ReminderService(s.leeway.context);
    await activeBoundary(a.miriam, a.lidia, { name: "Retail Lending: one nudge a week", scope: { level: "team", teamId: C.teams.retailLending }, enforcement: "warn", rule: { kind: "nudge_limit", perOutcomePerWeek: 1 } });
  });
  afterAll(() => s.close());

  /** A rhythm whose first meeting began two hours ago and is over. */
  const pastRhythm = async (owner: Actor, title: string) => {
    const o = await agreedOutcome(owner, C.teams.retailLending, a.megan, title);
    const firstStart = new Date(Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000).toISOString();
    await owner.post(API, { outcomeId: o.id, cadence: "weekly", firstStart, durationMinutes: 30 }).expect(202);
    return o;
  };

  it("sends the owner one Teams activity notification per due check-in, recorded as the system's reminder", async () => {
    const o = await pastRhythm(a.diego, "Credit checks in a day");
    expect(await reminders.runOnce()).toBe(1);
    const sent = await waitFor("the notification", async () => {
      const n = await notificationsOf(s.baseUrl, a.diego.id);
      return n.length ? n : null;
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      activityType: "checkInDue",
      recipientId: a.diego.id,
      topic: { source: "text", value: `Check-in due: ${o.title}`, webUrl: `${s.baseUrl}/tabs/index.html#/outcome/${o.id}` },
      sender: { kind: "application" },
    });
    const nudges = (await a.diego.get(`/api/v1/outcomes/${o.id}/nudges`).expect(200)).body.items;
    expect(nudges).toEqual([expect.objectContaining({ kind: "reminder", senderId: null })]);
    // The same occurrence is never reminded twice.
    expect(await reminders.runOnce()).toBe(0);
  });

  it("stays quiet when the check-in is already recorded", async () => {
    const o = await pastRhythm(a.alex, "Mortgage files complete");
    await a.alex.post(`/api/v1/outcomes/${o.id}/check-ins`, { status: "on_track", confidence: 4, progress: 8, mode: "meeting" }).expect(201);
    expect(await reminders.runOnce()).toBe(0);
    expect((await a.alex.get(`/api/v1/outcomes/${o.id}/nudges`)).body.items).toEqual([]);
  });

  it("counts a check-in written ahead of the meeting, but not one from the week before", async () => {
    const o = await agreedOutcome(a.alex, C.teams.retailLending, a.megan, "Valuations booked ahead");
    const firstStart = Math.floor((Date.now() + 3_600_000) / 60_000) * 60_000;
    await a.alex.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: new Date(firstStart).toISOString(), durationMinutes: 30, timeZone: "UTC" }).expect(202);
    // Written an hour before the first meeting, to prepare it.
    await a.alex.post(`/api/v1/outcomes/${o.id}/check-ins`, { status: "on_track", confidence: 4, progress: 7, mode: "async" }).expect(201);
    const dueAt = async (at: number) => (await reminders.due(new Date(at))).filter((d) => d.outcome.id === o.id);
    // After the first meeting: its check-in is there, so no reminder.
    expect(await dueAt(firstStart + 2 * 3_600_000)).toEqual([]);
    // After the second: last week's check-in is not this week's.
    const second = await dueAt(firstStart + 7 * 86_400_000 + 2 * 3_600_000);
    expect(second.map((d) => d.occurrenceAt)).toEqual([new Date(firstStart + 7 * 86_400_000).toISOString()]);
  });

  it("names the meeting's own day, in the rhythm's time zone", async () => {
    const o = await agreedOutcome(a.diego, C.teams.retailLending, a.megan, "Faster valuations");
    const firstStart = new Date(Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000);
    // A zone whose calendar day differs from UTC's at the meeting's start, whenever this runs.
    const dayIn = (timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(firstStart);
    const timeZone = ["Pacific/Kiritimati", "Pacific/Pago_Pago"].find((z) => dayIn(z) !== firstStart.toISOString().slice(0, 10))!;
    await a.diego.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: firstStart.toISOString(), durationMinutes: 30, timeZone }).expect(202);
    expect(await reminders.runOnce()).toBe(1);
    const [reminder] = (await a.diego.get(`/api/v1/outcomes/${o.id}/nudges`).expect(200)).body.items;
    expect(reminder.message).toBe(`Check-in due: the check-in of ${dayIn(timeZone)} has not been recorded yet.`);
  });

  it("stays quiet when the check-in is recorded after the due check-ins were looked for", async () => {
    const o = await pastRhythm(a.alex, "Quicker remortgage offers");
    const due = await reminders.due(new Date());
    expect(due.map((d) => d.outcome.id)).toContain(o.id);
    await a.alex.post(`/api/v1/outcomes/${o.id}/check-ins`, { status: "on_track", confidence: 4, progress: 8, mode: "meeting" }).expect(201);
    const looked = jest.spyOn(reminders, "due").mockResolvedValueOnce(due);
    try {
      expect(await reminders.runOnce()).toBe(0);
    } finally {
      looked.mockRestore();
    }
    expect((await a.alex.get(`/api/v1/outcomes/${o.id}/nudges`)).body.items).toEqual([]);
  });

  it("sends no reminder for a rhythm cancelled or moved after the due check-ins were looked for", async () => {
    const cancelled = await pastRhythm(a.alex, "Rhythm cancelled while the reminder was on its way");
    const moved = await pastRhythm(a.alex, "Rhythm moved while the reminder was on its way");
    const due = (await reminders.due(new Date())).filter((d) => [cancelled.id, moved.id].includes(d.outcome.id));
    expect(due).toHaveLength(2);
    const scheduleOf = (outcomeId: string) => due.find((d) => d.outcome.id === outcomeId)!.schedule.id;
    await a.alex.post(`${API}/${scheduleOf(cancelled.id)}/cancel`).expect(200);
    // Its first meeting is now tomorrow: no meeting of it has happened.
    await a.alex.patch(`${API}/${scheduleOf(moved.id)}`, { firstStart: new Date(Date.now() + 86_400_000).toISOString() }, '"v1"').expect(200);
    const looked = jest.spyOn(reminders, "due").mockResolvedValueOnce(due);
    try {
      expect(await reminders.runOnce()).toBe(0);
    } finally {
      looked.mockRestore();
    }
    for (const o of [cancelled, moved]) expect((await a.alex.get(`/api/v1/outcomes/${o.id}/nudges`).expect(200)).body.items).toEqual([]);
  });

  it("counts a check-in from where the rhythm says once it changed after the due check-ins were looked for", async () => {
    const o = await pastRhythm(a.alex, "Rhythm slowed while the reminder was on its way");
    const ci = await a.alex.post(`/api/v1/outcomes/${o.id}/check-ins`, { status: "on_track", confidence: 4, progress: 8, mode: "async" }).expect(201);
    // Written five days ago, before the meeting of two hours ago: too early for a weekly rhythm
    // (it counts from 3.5 days before), in time for a fortnightly one (7 days).
    const ds = s.leeway.context.dataSource;
    const fiveDaysBefore = new Date(Date.now() - 5 * 86_400_000).toISOString();
    await ds.query(ds.options.type === "postgres" ? "UPDATE check_in SET at = $1 WHERE id = $2" : "UPDATE check_in SET at = ? WHERE id = ?", [fiveDaysBefore, ci.body.id]);
    const due = (await reminders.due(new Date())).filter((x) => x.outcome.id === o.id);
    expect(due).toHaveLength(1);
    await a.alex.patch(`${API}/${due[0]!.schedule.id}`, { cadence: "biweekly" }, '"v1"').expect(200);
    const looked = jest.spyOn(reminders, "due").mockResolvedValueOnce(due);
    try {
      expect(await reminders.runOnce()).toBe(0);
    } finally {
      looked.mockRestore();
    }
    expect((await a.alex.get(`/api/v1/outcomes/${o.id}/nudges`).expect(200)).body.items).toEqual([]);
  });

  it("sends no reminder when a nudge took the week's allowance after the due check-ins were looked for", async () => {
    const o = await pastRhythm(a.alex, "Nudged while the reminder was on its way");
    const due = (await reminders.due(new Date())).filter((d) => d.outcome.id === o.id);
    expect(due).toHaveLength(1);
    // The team's limit of one a week only warns people; the system never goes over it.
    await a.megan.post(`/api/v1/outcomes/${o.id}/nudges`, { message: "How are the offers going?" }).expect(201);
    const looked = jest.spyOn(reminders, "due").mockResolvedValueOnce(due);
    try {
      expect(await reminders.runOnce()).toBe(0);
    } finally {
      looked.mockRestore();
    }
    expect((await a.alex.get(`/api/v1/outcomes/${o.id}/nudges`).expect(200)).body.items.map((n: { kind: string }) => n.kind)).toEqual(["nudge"]);
    // Looked for again, it is not due while the limit lasts.
    expect((await reminders.due(new Date())).map((d) => d.outcome.id)).not.toContain(o.id);
  });

  it("counts the system's reminder against the nudge limit, as a person's nudge", async () => {
    const o = await pastRhythm(a.diego, "Reminded before the nudge");
    await reminders.runOnce();
    expect((await a.diego.get(`/api/v1/outcomes/${o.id}/nudges`).expect(200)).body.items.map((n: { kind: string }) => n.kind)).toEqual(["reminder"]);
    // The team allows one a week and warns past it: Megan's nudge is the second this week.
    const nudge = (await a.megan.post(`/api/v1/outcomes/${o.id}/nudges`, { message: "Anything I can unblock?" }).expect(201)).body;
    expect(nudge).toMatchObject({ nudgesThisWeek: 2, limit: 1 });
    expect(nudge.warnings).toEqual([expect.objectContaining({ kind: "nudge_limit", boundaryName: "Retail Lending: one nudge a week" })]);
  });

  it("sends no reminder over the nudge limit", async () => {
    const o = await pastRhythm(a.adele, "Already nudged");
    await a.megan.post(`/api/v1/outcomes/${o.id}/nudges`, { message: "How is it going?" }).expect(201);
    expect(await reminders.runOnce()).toBe(0);
    expect((await a.adele.get(`/api/v1/outcomes/${o.id}/nudges`)).body.items.map((n: { kind: string }) => n.kind)).toEqual(["nudge"]);
    // Megan's nudge tells Adele; no reminder follows it.
    expect((await notificationsOf(s.baseUrl, a.adele.id)).filter((n) => n.activityType === "checkInDue")).toEqual([]);
  });
});

describe("reminders for a team's rhythm", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(FAST_OUTBOX);
  });
  afterAll(() => s.close());

  it("covers every open outcome of a large team, not only the first few hundred", async () => {
    const { megan, adele } = await actors(s.baseUrl, (upn) => s.token(upn), { megan: CONTOSO_UPN("megan.bowen"), adele: CONTOSO_UPN("adele.vance") });
    const built = new Set<string>();
    for (let i = 0; i < 260; i += 20) {
      const batch = await Promise.all(Array.from({ length: 20 }, () => buildOutcome(s, { tenantId: CONTOSO, ownerId: adele.id, teamId: C.teams.retailLending, status: "agreed" })));
      for (const o of batch) built.add(o.id);
    }
    const firstStart = new Date(Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000).toISOString();
    const schedule = (await megan.post(API, { teamId: C.teams.retailLending, cadence: "weekly", firstStart, durationMinutes: 30 }).expect(202)).body;

    const due = (await new ReminderService(s.leeway.context).due(new Date())).filter((d) => d.schedule.id === schedule.id);
    const reminded = new Set(due.map((d) => d.outcome.id));
    expect([...built].filter((id) => !reminded.has(id))).toEqual([]);
  });
});

describe("the weekly nudge limit", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_RATE_LIMIT_PER_MINUTE: "100000" });
  });
  afterAll(() => s.close());

  it("lets only one of two nudges sent at once through a limit of one", async () => {
    const a = await actors(s.baseUrl, (upn) => s.token(upn), {
      lee: CONTOSO_UPN("lee.gu"),
      johanna: CONTOSO_UPN("johanna.lorenz"),
      joni: CONTOSO_UPN("joni.sherman"),
      miriam: CONTOSO_UPN("miriam.graham"),
      lidia: CONTOSO_UPN("lidia.holloway"),
    });
    await activeBoundary(a.miriam, a.lidia, { name: "Payments: one nudge a week", scope: { level: "team", teamId: C.teams.paymentsOperations }, enforcement: "block", rule: { kind: "nudge_limit", perOutcomePerWeek: 1 } });
    for (let round = 0; round < 5; round++) {
      const o = await agreedOutcome(a.lee, C.teams.paymentsOperations, a.johanna, `Same-day settlement ${round}`);
      const statuses = await Promise.all([a.johanna, a.joni].map((who) => who.post(`/api/v1/outcomes/${o.id}/nudges`, { message: "How is it going?" }).then((r) => r.status)));
      expect(statuses.sort()).toEqual([201, 422]);
      expect((await a.lee.get(`/api/v1/outcomes/${o.id}/nudges`)).body.items).toHaveLength(1);
    }
  });
});
