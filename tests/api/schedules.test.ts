import request from "supertest";
import { zonedToMs } from "../../server/src/domain/time";
import { DEMO } from "../../server/src/local-m365/demo-directory";
import { AuditEventEntity, OutboxMessageEntity } from "../../server/src/store/entities";
import { ScheduleRepository } from "../../server/src/store/repositories/schedule.repository";
import { outcomeBody } from "../support/client";
import { buildTeam } from "../support/factories";
import { CONTOSO, startTestServer, type TestServer } from "../support/harness";
import { activeBoundary, actors, agreedOutcome, CONTOSO_UPN, type Actor } from "../reliability/support/actors";
import { eventsOf, FAST_OUTBOX, meetingMadeInOutlook, nextWeekdayAt, waitFor } from "../reliability/support/wait";

const C = DEMO.contoso;
const API = "/api/v1/check-in-schedules";
const PROBLEMS = "https://leeway.example/problems/";
/** The next `weekday` at hh:00 London wall-clock time, a day or more ahead. */
function londonAt(weekday: number, hh: number): string {
  const day = nextWeekdayAt(weekday, 12).slice(0, 10);
  return new Date(zonedToMs(day, hh * 3600, "Europe/London")).toISOString();
}
const MON = 1;
const TUE = 2;
const FRI = 5;

describe("check-in schedules API", () => {
  let s: TestServer;
  let a: Record<"adele" | "megan" | "alex" | "diego" | "lidia" | "miriam" | "isaiah" | "lee" | "johanna" | "nestor" | "patti" | "henrietta" | "grady", Actor>;
  const retail = C.teams.retailLending;

  beforeAll(async () => {
    s = await startTestServer(FAST_OUTBOX);
    a = await actors(s.baseUrl, (upn) => s.token(upn), {
      adele: CONTOSO_UPN("adele.vance"),
      megan: CONTOSO_UPN("megan.bowen"),
      alex: CONTOSO_UPN("alex.wilber"),
      diego: CONTOSO_UPN("diego.siciliani"),
      lidia: CONTOSO_UPN("lidia.holloway"),
      miriam: CONTOSO_UPN("miriam.graham"),
      isaiah: CONTOSO_UPN("isaiah.langer"),
      lee: CONTOSO_UPN("lee.gu"),
      johanna: CONTOSO_UPN("johanna.lorenz"),
      nestor: "nestor.wilke@fabrikam.test",
      patti: "patti.fernandez@fabrikam.test",
      henrietta: CONTOSO_UPN("henrietta.mueller"),
      grady: CONTOSO_UPN("grady.archie"),
    });
  });
  afterAll(() => s.close());

  const settled = (who: Actor, id: string, state = "synced") =>
    waitFor(`schedule ${id} to be ${state}`, async () => {
      const r = await who.get(`${API}/${id}`);
      return r.body.syncState === state ? r : null;
    });
  const auditActions = async (entityId: string) =>
    (await s.leeway.context.dataSource.getRepository(AuditEventEntity).find({ where: { tenantId: CONTOSO, entityId }, order: { seq: "ASC" } })).map((e) => e.action);

  it("creates an outcome's rhythm and delivers it to the organizer's calendar as a weekly Teams series", async () => {
    const o = await agreedOutcome(a.adele, retail, a.megan);
    const firstStart = nextWeekdayAt(TUE, 10);
    const res = await a.adele.post(API, { outcomeId: o.id, cadence: "weekly", firstStart, durationMinutes: 30 });
    expect(res.status).toBe(202);
    expect(res.headers.etag).toBe('"v1"');
    expect(res.body).toMatchObject({
      kind: "outcome", outcomeId: o.id, teamId: null, cadence: "weekly", durationMinutes: 30, attendeeIds: [a.adele.id, a.megan.id],
      organizerId: a.adele.id, origin: "leeway", status: "active", syncState: "pending", graphEventId: null, version: 1, warnings: [],
    });
    expect(res.body.firstStart).toBe(new Date(firstStart).toISOString());
    expect(res.body.timeZone).toBe("Europe/London");

    const done = await settled(a.adele, res.body.id);
    expect(done.body).toMatchObject({ syncState: "synced", lastError: null, attempts: 1, version: 1 });
    expect(done.body.graphEventId).toEqual(expect.any(String));
    const events = (await eventsOf(s.baseUrl, a.adele.id)).filter((e) => e.transactionId === `leeway:${res.body.id}:create`);
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e).toMatchObject({ id: done.body.graphEventId, iCalUId: done.body.iCalUId, subject: `Check-in: ${o.title}`, isOnlineMeeting: true, onlineMeetingProvider: "teamsForBusiness" });
    expect(e.recurrence).toEqual({ pattern: { type: "weekly", interval: 1, daysOfWeek: ["tuesday"] }, range: { type: "noEnd", startDate: firstStart.slice(0, 10), recurrenceTimeZone: "Europe/London" } });
    expect(e.attendees.map((x) => x.emailAddress.address)).toEqual(["megan.bowen@contoso.test"]);
    for (const q of ["What&#39;s your plan?", "What do you need to succeed?", "What&#39;s your next step?"]) expect(e.body.content).toContain(q);
    expect(e.body.content).toContain(`${s.baseUrl}/tabs/index.html#/outcome/${o.id}`);
    expect(await auditActions(res.body.id)).toEqual(["schedule.created", "schedule.synced"]);

    const listed = await a.megan.get(`${API}?outcomeId=${o.id}`).expect(200);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([res.body.id]);
    const mine = await a.adele.get(API).expect(200);
    expect(mine.body.items.map((x: { id: string }) => x.id)).toContain(res.body.id);
  });

  it("lets the manager set a biweekly rhythm that invites the owner", async () => {
    const o = await agreedOutcome(a.alex, retail, a.megan, "Mortgage offers in ten days");
    const res = await a.megan.post(API, { outcomeId: o.id, cadence: "biweekly", firstStart: nextWeekdayAt(MON, 13, 30), durationMinutes: 45 }).expect(202);
    expect(res.body).toMatchObject({ organizerId: a.megan.id, attendeeIds: [a.alex.id, a.megan.id] });
    await settled(a.megan, res.body.id);
    const e = (await eventsOf(s.baseUrl, a.megan.id)).find((x) => x.transactionId === `leeway:${res.body.id}:create`)!;
    expect(e.recurrence?.pattern).toEqual({ type: "weekly", interval: 2, daysOfWeek: ["monday"] });
    expect(e.attendees.map((x) => x.emailAddress.address)).toEqual(["alex.wilber@contoso.test"]);
  });

  it("answers 400 with field paths, 401 without a token, 409 for a second rhythm, writing nothing", async () => {
    const o = await agreedOutcome(a.diego, retail, a.megan, "Faster credit checks");
    const good = { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(TUE, 9), durationMinutes: 30 };
    const outbox = () => s.leeway.context.dataSource.getRepository(OutboxMessageEntity).count();
    const before = await outbox();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, teamId: retail }, "outcomeId"],
      [{ ...good, outcomeId: undefined }, "outcomeId"],
      [{ ...good, cadence: "daily" }, "cadence"],
      [{ ...good, durationMinutes: 10 }, "durationMinutes"],
      [{ ...good, durationMinutes: 121 }, "durationMinutes"],
      [{ ...good, firstStart: "2026-03-02T09:00:00" }, "firstStart"],
      [{ ...good, firstStart: new Date(Date.now() - 3 * 86_400_000).toISOString() }, "firstStart"],
      [{ ...good, attendeeIds: [a.diego.id, "no-such-person"] }, "attendeeIds.1"],
      // Lee is not in Retail Lending, so may not see this team-visible outcome its invitation names.
      [{ ...good, attendeeIds: [a.diego.id, a.lee.id] }, "attendeeIds.1"],
      [{ ...good, attendeeIds: [] }, "attendeeIds"],
      [{ ...good, timeZone: "Mars/Olympus_Mons" }, "timeZone"],
      [{ ...good, externalSeries: {} }, "externalSeries"],
      [{ ...good, syncState: "synced" }, "syncState"],
    ];
    for (const [body, path] of cases) {
      const res = await a.diego.post(API, body);
      expect({ path, status: res.status, type: res.body.type }).toEqual({ path, status: 400, type: `${PROBLEMS}validation` });
      expect(res.body.errors.map((x: { path: string }) => x.path)).toContain(path);
    }
    expect((await request(s.baseUrl).post(API).send(good)).status).toBe(401);
    expect(await outbox()).toBe(before);

    const first = await a.diego.post(API, good).expect(202);
    const second = await a.megan.post(API, { ...good, cadence: "biweekly" });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ type: `${PROBLEMS}conflict`, code: "schedule_exists", scheduleId: first.body.id });
    expect((await a.diego.post(`${API}/${first.body.id}/retry`)).status).toBe(409);
  });

  it("takes one of two retries of a failed delivery sent together, and answers the other 409", async () => {
    const o = await agreedOutcome(a.adele, retail, a.megan, "Retried twice");
    const created = await a.adele.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(FRI, 9), durationMinutes: 30 }).expect(202);
    await settled(a.adele, created.body.id);
    await new ScheduleRepository().setSync(s.leeway.context.dataSource.manager, CONTOSO, created.body.id, { syncState: "failed" });
    const answers = await Promise.all([a.adele.post(`${API}/${created.body.id}/retry`), a.adele.post(`${API}/${created.body.id}/retry`)]);
    expect(answers.map((r) => r.status).sort()).toEqual([202, 409]);
    expect((await auditActions(created.body.id)).filter((x) => x === "schedule.retry_requested")).toHaveLength(1);
  });

  it("answers 403 to people who may see but not manage, and 404 across tenants or to who may not see", async () => {
    const o = await agreedOutcome(a.adele, retail, a.megan, "Team-visible goal");
    const body = { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(TUE, 11), durationMinutes: 30 };
    expect((await a.alex.post(API, body)).status).toBe(403);
    expect((await a.nestor.post(API, body)).status).toBe(404);
    const team = { teamId: retail, cadence: "weekly", firstStart: nextWeekdayAt(TUE, 14), durationMinutes: 30 };
    const refused = await a.alex.post(API, team);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/lead of Retail Lending/);
    expect((await a.nestor.post(API, team)).status).toBe(404);

    const created = await a.adele.post(API, body).expect(202);
    await a.alex.get(`${API}/${created.body.id}`).expect(200);
    expect((await a.nestor.get(`${API}/${created.body.id}`)).status).toBe(404);
    expect((await a.miriam.get(`${API}/${created.body.id}`)).status).toBe(404);
    expect((await a.alex.patch(`${API}/${created.body.id}`, { durationMinutes: 45 }, '"v1"')).status).toBe(403);
    expect((await a.nestor.post(`${API}/${created.body.id}/cancel`)).status).toBe(404);
    expect((await a.adele.get(`${API}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it("changes a rhythm with If-Match (428 without, 412 when stale) and the series follows", async () => {
    const o = await agreedOutcome(a.alex, retail, a.megan, "Cleaner mortgage files");
    const created = await a.alex.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(TUE, 9), durationMinutes: 30 }).expect(202);
    const id = created.body.id as string;
    await settled(a.alex, id);
    expect((await a.alex.patch(`${API}/${id}`, { durationMinutes: 45 })).status).toBe(428);
    const changed = await a.alex.patch(`${API}/${id}`, { durationMinutes: 45, attendeeIds: [a.alex.id, a.megan.id, a.diego.id] }, '"v1"').expect(200);
    expect(changed.headers.etag).toBe('"v2"');
    expect(changed.body).toMatchObject({ version: 2, durationMinutes: 45, syncState: "pending" });
    const stale = await a.alex.patch(`${API}/${id}`, { durationMinutes: 60 }, '"v1"');
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ currentVersion: 2, currentEtag: '"v2"' });

    await settled(a.alex, id);
    const events = (await eventsOf(s.baseUrl, a.alex.id)).filter((e) => e.transactionId === `leeway:${id}:create`);
    expect(events).toHaveLength(1);
    expect(Date.parse(`${events[0]!.end.dateTime}Z`) - Date.parse(`${events[0]!.start.dateTime}Z`)).toBe(45 * 60_000);
    expect(events[0]!.attendees.map((x) => x.emailAddress.address).sort()).toEqual(["diego.siciliani@contoso.test", "megan.bowen@contoso.test"]);
    expect(await auditActions(id)).toEqual(["schedule.created", "schedule.synced", "schedule.updated", "schedule.synced"]);
  });

  it("keeps the series a delivery recorded while a change was being saved, so the change reaches it", async () => {
    const o = await agreedOutcome(a.diego, retail, a.megan, "Faster card disputes");
    const created = await a.diego.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(FRI, 9), durationMinutes: 30 }).expect(202);
    const id = created.body.id as string;
    const synced = (await settled(a.diego, id)).body;
    expect(synced.graphEventId).toEqual(expect.any(String));
    // The change reads the schedule as it stood just before the series' delivery was recorded,
    // as when both happen at the same moment.
    const realGet = ScheduleRepository.prototype.get;
    const stale = jest.spyOn(ScheduleRepository.prototype, "get").mockImplementationOnce(async function (this: ScheduleRepository, m, tenantId, scheduleId) {
      const current = await realGet.call(this, m, tenantId, scheduleId);
      return current && { ...current, graphEventId: null, iCalUId: null, syncedVersion: null, syncedAt: null, syncState: "pending" };
    });
    try {
      await a.diego.patch(`${API}/${id}`, { durationMinutes: 45 }, '"v1"').expect(200);
    } finally {
      stale.mockRestore();
    }
    const after = (await settled(a.diego, id)).body;
    expect(after.graphEventId).toBe(synced.graphEventId);
    const events = (await eventsOf(s.baseUrl, a.diego.id)).filter((e) => e.transactionId === `leeway:${id}:create`);
    expect(events).toHaveLength(1);
    expect(Date.parse(`${events[0]!.end.dateTime}Z`) - Date.parse(`${events[0]!.start.dateTime}Z`)).toBe(45 * 60_000);
  });

  it("cancels a rhythm: its series leaves Outlook, and a cancelled rhythm takes no more changes", async () => {
    const o = await agreedOutcome(a.diego, retail, a.megan, "Fewer manual reviews");
    const created = await a.megan.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(TUE, 15), durationMinutes: 30 }).expect(202);
    const id = created.body.id as string;
    const synced = await settled(a.megan, id);
    expect((await a.megan.post(`${API}/${id}/cancel`, {}, '"v9"')).status).toBe(412);
    const cancelled = await a.diego.post(`${API}/${id}/cancel`).expect(200);
    expect(cancelled.body).toMatchObject({ status: "cancelled", syncState: "pending", version: 2, nextOccurrence: null });
    await settled(a.megan, id, "cancelled");
    expect((await eventsOf(s.baseUrl, a.megan.id)).some((e) => e.id === synced.body.graphEventId)).toBe(false);
    expect((await a.diego.post(`${API}/${id}/cancel`)).status).toBe(409);
    expect((await a.diego.patch(`${API}/${id}`, { durationMinutes: 60 }, '"v2"')).status).toBe(409);
    // The outcome may have a new rhythm once the old one is cancelled.
    await a.diego.post(API, { outcomeId: o.id, cadence: "biweekly", firstStart: nextWeekdayAt(TUE, 15), durationMinutes: 30 }).expect(202);
  });

  it("ends an outcome's rhythm when the outcome is done or dropped: its series leaves Outlook", async () => {
    const done = await agreedOutcome(a.diego, retail, a.megan, "Close the reconciliation backlog");
    const dropped = await agreedOutcome(a.diego, retail, a.megan, "Pilot the new statement format");
    const ids: string[] = [];
    for (const o of [done, dropped]) {
      ids.push((await a.megan.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(TUE, 16), durationMinutes: 30 }).expect(202)).body.id);
    }
    const series = await Promise.all(ids.map(async (id) => (await settled(a.megan, id)).body.graphEventId as string));

    await a.diego.post(`/api/v1/outcomes/${done.id}/check-ins`, { status: "done", confidence: 5, progress: 100, mode: "async" }).expect(201);
    await a.diego.post(`/api/v1/outcomes/${dropped.id}/drop`, { reason: "The statement supplier changed" }).expect(200);
    await a.megan.post(`/api/v1/outcomes/${dropped.id}/agreement`, { version: 3 }).expect(200);

    for (const id of ids) {
      expect((await a.megan.get(`${API}/${id}`).expect(200)).body).toMatchObject({ status: "cancelled", nextOccurrence: null });
      await settled(a.megan, id, "cancelled");
    }
    const left = new Set((await eventsOf(s.baseUrl, a.megan.id)).map((e) => e.id));
    expect(series.filter((id) => left.has(id))).toEqual([]);
    const trail = await a.lidia.get(`/api/v1/audit/events?entityId=${ids[0]}&action=schedule.cancelled`).expect(200);
    expect(trail.body.items).toEqual([expect.objectContaining({ reason: "the outcome is done" })]);
  });

  it("lists in a team series only outcomes every invitee may see", async () => {
    const payments = C.teams.paymentsOperations;
    const teamOnly = await agreedOutcome(a.lee, payments, a.johanna, "Halve the manual payment repairs");
    const open = (await a.lee.post("/api/v1/outcomes", { ...outcomeBody(a.lee.id, payments, { title: "Publish the cut-off times" }), visibility: "public" }).expect(201)).body;
    // Adele, from Retail Lending, is a guest of the Payments Operations rhythm.
    const created = await a.johanna.post(API, { teamId: payments, cadence: "weekly", firstStart: nextWeekdayAt(TUE, 10), durationMinutes: 30, attendeeIds: [a.lee.id, a.adele.id] }).expect(202);
    await settled(a.johanna, created.body.id);
    const event = (await eventsOf(s.baseUrl, a.johanna.id)).find((x) => x.transactionId === `leeway:${created.body.id}:create`)!;
    expect(event.body.content).toContain(open.title);
    expect(event.body.content).not.toContain(teamOnly.title);

    // A manager above the whole team organises without being in it: no guest, so the team's outcomes are listed.
    const platform = C.teams.technologyPlatform;
    const platformOutcome = await agreedOutcome(a.grady, platform, a.miriam, "Patch the collaboration servers monthly");
    const managed = await a.henrietta.post(API, { teamId: platform, cadence: "weekly", firstStart: nextWeekdayAt(TUE, 11), durationMinutes: 30 }).expect(202);
    await settled(a.henrietta, managed.body.id);
    const series = (await eventsOf(s.baseUrl, a.henrietta.id)).find((x) => x.transactionId === `leeway:${managed.body.id}:create`)!;
    expect(series.body.content).toContain(platformOutcome.title);
  });

  it("registers a series the Outlook add-in made, without creating a second one", async () => {
    const o = await agreedOutcome(a.adele, retail, a.megan, "Outlook-made rhythm");
    const before = (await eventsOf(s.baseUrl, a.adele.id)).length;
    const res = await a.adele.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(TUE, 12), durationMinutes: 30, externalSeries: { itemId: "AAMkADraftItem" } }).expect(202);
    expect(res.body).toMatchObject({ origin: "outlook", syncState: "linked", externalItemId: "AAMkADraftItem", graphEventId: null });
    const messages = await s.leeway.context.dataSource.getRepository(OutboxMessageEntity).countBy({ scheduleId: res.body.id });
    expect(messages).toBe(0);
    // The owner's manager may change the rhythm, but not say which event of the organizer's
    // calendar it is: Leeway changes and deletes that event with its own rights.
    const relink = await a.megan.patch(`${API}/${res.body.id}`, { externalSeries: { graphEventId: "AAMkAnotherEventOfAdele" } }, '"v1"');
    expect(relink.status).toBe(403);
    expect((await a.adele.patch(`${API}/${res.body.id}`, { externalSeries: { graphEventId: ".." } }, '"v1"')).body.errors.map((e: { path: string }) => e.path)).toEqual(["externalSeries.graphEventId"]);
    const saved = await a.adele.patch(`${API}/${res.body.id}`, { externalSeries: { graphEventId: "AAMkAGraphId", iCalUId: "040000008200E00074C5B7101A82E008" } }, '"v1"').expect(200);
    expect(saved.body).toMatchObject({ syncState: "linked", graphEventId: "AAMkAGraphId", version: 2 });
    await new Promise((r) => setTimeout(r, 300));
    expect((await eventsOf(s.baseUrl, a.adele.id)).length).toBe(before);
    const leewayMade = await a.adele.post(API, { outcomeId: (await agreedOutcome(a.adele, retail, a.megan, "Another")).id, cadence: "weekly", firstStart: nextWeekdayAt(TUE, 16), durationMinutes: 30 }).expect(202);
    expect((await a.adele.patch(`${API}/${leewayMade.body.id}`, { externalSeries: { itemId: "x" } }, '"v1"')).status).toBe(409);
  });

  it("keeps an Outlook meeting that is the check-in of several outcomes until the last of their rhythms ends, and will not move it for one", async () => {
    // Megan made one meeting in Outlook the check-in of Adele's and Diego's outcomes.
    const start = nextWeekdayAt(TUE, 13);
    const { id: eventId } = await meetingMadeInOutlook(s, "megan.bowen@contoso.test", { subject: "Retail check-in", start, end: new Date(Date.parse(start) + 1_800_000).toISOString() });
    const meetingExists = async () => (await eventsOf(s.baseUrl, a.megan.id)).some((e) => e.id === eventId);
    const attendeeIds = [a.adele.id, a.diego.id];
    const rhythm = async (owner: Actor, title: string) => {
      const o = await agreedOutcome(owner, retail, a.megan, title);
      const res = await a.megan.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: start, durationMinutes: 30, attendeeIds, externalSeries: { graphEventId: eventId } }).expect(202);
      return res.body.id as string;
    };
    const adeles = await rhythm(a.adele, "Shared meeting: mortgage offers");
    const diegos = await rhythm(a.diego, "Shared meeting: card limits");

    const moved = await a.megan.patch(`${API}/${adeles}`, { cadence: "biweekly" }, '"v1"');
    expect(moved.status).toBe(409);
    expect(moved.body).toMatchObject({ code: "shared_series", scheduleIds: [diegos] });
    expect((await a.megan.get(`${API}/${adeles}`)).body).toMatchObject({ cadence: "weekly", version: 1 });

    await a.megan.post(`${API}/${adeles}/cancel`).expect(200);
    await settled(a.megan, adeles, "cancelled");
    expect(await meetingExists()).toBe(true);
    const kept = await s.leeway.context.dataSource.getRepository(AuditEventEntity).findOneByOrFail({ tenantId: CONTOSO, entityId: adeles, action: "schedule.series_cancelled" });
    expect(JSON.parse(kept.changes)).toMatchObject({ seriesDeleted: { after: false }, seriesKeptFor: { after: [diegos] } });

    await a.megan.post(`${API}/${diegos}/cancel`).expect(200);
    await settled(a.megan, diegos, "cancelled");
    expect(await meetingExists()).toBe(false);
  });

  it("judges a team's rhythm by the tenant's and team's boundaries, not a person-level one of whoever sets it up", async () => {
    const desk = await buildTeam(s, { name: "Complaints Desk", memberIds: [a.grady.id, a.henrietta.id], leadId: a.grady.id });
    // Grady checks in on his own outcomes every two to five days, for now.
    await activeBoundary(a.miriam, a.lidia, {
      name: "Grady: check in every two to five days",
      scope: { level: "person", personId: a.grady.id },
      enforcement: "block",
      reason: "Settling into the role",
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      rule: { kind: "checkin_cadence", minDays: 2, maxDays: 5 },
    });
    const mine = await agreedOutcome(a.grady, desk, a.miriam, "Complaints answered in three days");
    const own = await a.grady.post(API, { outcomeId: mine.id, cadence: "weekly", firstStart: nextWeekdayAt(TUE, 11), durationMinutes: 30 });
    expect(own.status).toBe(422);
    expect(own.body.boundary).toMatchObject({ name: "Grady: check in every two to five days" });
    // The desk's weekly meeting, which he leads, is the team's.
    await a.grady.post(API, { teamId: desk, cadence: "weekly", firstStart: nextWeekdayAt(TUE, 12), durationMinutes: 30 }).expect(202);
  });

  it("blocks a cadence a team boundary forbids (422), and warns about meetings outside working hours", async () => {
    const payments = C.teams.paymentsOperations;
    await activeBoundary(a.miriam, a.lidia, { name: "Payments check in every 10 to 14 days", scope: { level: "team", teamId: payments }, enforcement: "block", rule: { kind: "checkin_cadence", minDays: 10, maxDays: 14 } });
    await activeBoundary(a.miriam, a.lidia, { name: "Payments meet in working hours", scope: { level: "team", teamId: payments }, enforcement: "warn", rule: { kind: "working_hours_only" } });
    const o = await agreedOutcome(a.lee, payments, a.johanna, "Same-day reconciliation");
    const body = { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(MON, 9), durationMinutes: 30 };
    const blocked = await a.lee.post(API, body);
    expect(blocked.status).toBe(422);
    expect(blocked.body).toMatchObject({ type: `${PROBLEMS}boundary-blocked`, boundary: { name: "Payments check in every 10 to 14 days", kind: "checkin_cadence", rule: "Check in at least every 14 days and no more often than every 10 days." }, findings: [{ kind: "checkin_cadence", rule: "Check in at least every 14 days and no more often than every 10 days." }] });
    expect((await a.lee.get(`${API}?outcomeId=${o.id}`)).body.items).toEqual([]);
    const refusals = await s.leeway.context.dataSource.getRepository(AuditEventEntity).findBy({ tenantId: CONTOSO, action: "boundary.blocked", actorId: a.lee.id });
    expect(refusals.map((r) => JSON.parse(r.changes).operation.after)).toEqual(["schedule.create"]);

    const ok = await a.lee.post(API, { ...body, cadence: "biweekly" }).expect(202);
    expect(ok.body.warnings).toEqual([]);
    // Lee works Monday to Thursday: a Friday rhythm is outside his working hours.
    const friday = await a.lee.patch(`${API}/${ok.body.id}`, { firstStart: nextWeekdayAt(FRI, 9) }, '"v1"').expect(200);
    expect(friday.body.warnings).toEqual([expect.objectContaining({ kind: "working_hours_only", enforcement: "warn", path: "attendees.0" })]);
    expect(friday.body.warnings[0].message).toMatch(/Lee Gu/);
    const weekly = await a.lee.patch(`${API}/${ok.body.id}`, { cadence: "weekly" }, '"v2"');
    expect(weekly.status).toBe(422);
  });

  it("suggests slots inside every attendee's working hours", async () => {
    const o = await agreedOutcome(a.diego, retail, a.megan, "Suggested rhythm");
    const res = await a.diego.post(`${API}/suggestions`, { outcomeId: o.id, durationMinutes: 30, maxCandidates: 5 }).expect(200);
    expect(res.body.suggestions.length).toBeGreaterThan(0);
    expect(res.body.attendees.map((x: { id: string }) => x.id).sort()).toEqual([a.diego.id, a.megan.id].sort());
    expect(res.body.attendees.every((x: { source: string }) => x.source === "graph")).toBe(true);
    for (const sg of res.body.suggestions as { localStart: string; weekday: string; attendees: { id: string }[] }[]) {
      expect(["monday", "tuesday", "wednesday", "thursday", "friday"]).toContain(sg.weekday);
      const hhmm = sg.localStart.slice(11);
      expect(hhmm >= "08:30" && hhmm <= "16:30").toBe(true);
      expect(sg.attendees.map((x) => x.id)).toContain(a.megan.id);
    }
    expect((await a.alex.post(`${API}/suggestions`, { outcomeId: o.id, durationMinutes: 30 })).status).toBe(403);
    expect((await a.diego.post(`${API}/suggestions`, { outcomeId: o.id, durationMinutes: 30, from: nextWeekdayAt(TUE, 9), to: nextWeekdayAt(TUE, 9, 0, 6) })).status).toBe(400);
  });

  it("suggests times from the free/busy the organiser may see in Outlook: a colleague who keeps theirs private stays unknown", async () => {
    const F = DEMO.fabrikam;
    const day = nextWeekdayAt(TUE, 12).slice(0, 10);
    const la = (hh: number) => new Date(zonedToMs(day, hh * 3600, "America/Los_Angeles")).toISOString();
    // Kai has kept his calendar from the organisation; Mona keeps Exchange's default. Each has a meeting.
    const meeting = (upn: string, from: number, to: number) => meetingMadeInOutlook(s, upn, { subject: "Dispatch planning", start: la(from), end: la(to) });
    await meeting("kai.carter@fabrikam.test", 9, 10);
    await meeting("mona.kane@fabrikam.test", 11, 12);

    const res = await a.patti
      .post(`${API}/suggestions`, { teamId: F.teams.fieldOperations, attendeeIds: [F.kai, F.mona], durationMinutes: 60, from: la(8), to: la(16), maxCandidates: 20 })
      .expect(200);
    const sources = Object.fromEntries((res.body.attendees as { id: string; source: string }[]).map((x) => [x.id, x.source]));
    // Kai's working hours come from Leeway's own copy, since Graph keeps his calendar from Patti.
    expect(sources).toEqual({ [a.patti.id]: "graph", [F.kai]: "stored", [F.mona]: "graph" });
    const slots = res.body.suggestions as { start: string; end: string; attendees: { id: string; availability: string }[] }[];
    expect(slots.length).toBeGreaterThan(0);
    // Mona's meeting rules its hour out; Kai's is not known to Patti, so Leeway does not know it either.
    expect(slots.filter((x) => x.start < la(12) && x.end > la(11))).toEqual([]);
    const nine = slots.find((x) => x.start === la(9));
    expect(nine?.attendees.find((x) => x.id === F.kai)?.availability).toBe("unknown");
  });

  it("reads a 20-attendee team rhythm's working hours and free/busy in at most two Graph round trips", async () => {
    const exec = C.teams.executiveLeadership;
    await activeBoundary(a.miriam, a.lidia, { name: "Leadership meets in working hours", scope: { level: "team", teamId: exec }, enforcement: "warn", rule: { kind: "working_hours_only" } });
    const everyone = Object.entries(C).filter(([k, v]) => typeof v === "string" && /^c0c0c0c0-1000-/.test(v) && k !== "ben").map(([, v]) => v as string);
    expect(everyone).toHaveLength(20);
    const stats = s.leeway.context.localM365!.stats;
    const reads = /^(POST \/\$batch|GET \/users\/\{id\}\/mailboxSettings|POST \/users\/\{id\}\/calendar\/getSchedule|POST \/users\/\{id\}\/findMeetingTimes)$/;

    stats.reset();
    // Tuesdays 14:00 London suit all twenty, New York to Berlin, all year round.
    const created = await a.isaiah.post(API, { teamId: exec, cadence: "biweekly", firstStart: londonAt(TUE, 14), durationMinutes: 30, attendeeIds: everyone }).expect(202);
    expect(stats.count(reads)).toBeLessThanOrEqual(2);
    expect(stats.countBatched("GET /users/{id}/mailboxSettings")).toBe(20);
    expect(created.body).toMatchObject({ kind: "team", teamId: exec, attendeeIds: everyone });
    expect(created.body.warnings.filter((w: { kind: string }) => w.kind === "working_hours_only").map((w: { path: string }) => w.path)).toEqual([]);

    stats.reset();
    const suggested = await a.isaiah.post(`${API}/suggestions`, { teamId: exec, attendeeIds: everyone, durationMinutes: 30 }).expect(200);
    // getSchedule (free/busy and working hours of all twenty) and findMeetingTimes, side by side.
    expect(stats.count(reads)).toBe(2);
    expect(suggested.body.attendees).toHaveLength(20);
    expect(suggested.body.attendees.every((x: { source: string }) => x.source === "graph")).toBe(true);

    const synced = await settled(a.isaiah, created.body.id);
    const e = (await eventsOf(s.baseUrl, a.isaiah.id)).find((x) => x.id === synced.body.graphEventId)!;
    expect(e.subject).toMatch(/^Team check-in: Executive Leadership/);
    expect(e.attendees).toHaveLength(19);
    expect(e.body.content).toContain(`${s.baseUrl}/tabs/index.html#/team/${exec}`);
  });

  it("documents every schedule route in OpenAPI", async () => {
    const doc = (await request(s.baseUrl).get("/api/openapi.json").expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/api/v1/check-in-schedules"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/v1/check-in-schedules/{id}"] ?? {}).sort()).toEqual(["get", "patch"]);
    for (const p of ["/api/v1/check-in-schedules/{id}/cancel", "/api/v1/check-in-schedules/{id}/retry", "/api/v1/check-in-schedules/suggestions"]) expect(doc.paths[p]?.post).toBeDefined();
  });
});
