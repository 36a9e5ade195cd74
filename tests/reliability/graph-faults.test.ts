import { DEMO } from "../../server/src/local-m365/demo-directory";
import { OutboxRepository } from "../../server/src/outbox/outbox.repository";
import { SeriesDelivery } from "../../server/src/outbox/series-delivery";
import { OutboxWorker } from "../../server/src/outbox/worker";
import { AuditEventEntity, OutboxMessageEntity } from "../../server/src/store/entities";
import { startTestServer, type TestServer } from "../support/harness";
import { actors, agreedOutcome, CONTOSO_UPN, type Actor } from "./support/actors";
import { eventsOf, FAST_OUTBOX, meetingMadeInOutlook, nextWeekdayAt, waitFor } from "./support/wait";

const C = DEMO.contoso;
const API = "/api/v1/check-in-schedules";
const EVENT_POST = "POST /users/.*/events$";

async function start(env: Record<string, string>): Promise<{ s: TestServer; adele: Actor; megan: Actor }> {
  const s = await startTestServer({ ...FAST_OUTBOX, ...env });
  const p = await actors(s.baseUrl, (upn) => s.token(upn), { adele: CONTOSO_UPN("adele.vance"), megan: CONTOSO_UPN("megan.bowen") });
  return { s, ...p };
}

const stateOf = async (who: Actor, id: string) => (await who.get(`${API}/${id}`)).body as { syncState: string; graphEventId: string | null; lastError: string | null; attempts: number };

describe("scheduling while Graph throttles, fails and times out", () => {
  let s: TestServer;
  let adele: Actor;
  let megan: Actor;
  beforeAll(async () => ({ s, adele, megan } = await start({ LEEWAY_GRAPH_TIMEOUT_MS: "1500", LEEWAY_OUTBOX_MAX_ATTEMPTS: "20" })));
  afterAll(() => s.close());

  it("loses no schedule, makes no duplicate event, and ends with every series synced", async () => {
    const faults = s.leeway.context.localM365!.faults;
    faults.inject({ route: EVENT_POST, kind: "throttle", count: 3, retryAfterSeconds: 1 });
    faults.inject({ route: EVENT_POST, kind: "unavailable", count: 2 });
    faults.inject({ route: EVENT_POST, kind: "timeout", count: 2, delayMs: 5000 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const o = await agreedOutcome(adele, C.teams.retailLending, megan, `Outcome under load ${i}`);
      ids.push((await adele.post(API, { outcomeId: o.id, cadence: i % 2 ? "biweekly" : "weekly", firstStart: nextWeekdayAt(2, 9 + i), durationMinutes: 30 }).expect(202)).body.id);
    }
    const seen = new Set<string>();
    await waitFor("every schedule synced", async () => {
      const states = await Promise.all(ids.map((id) => stateOf(adele, id)));
      for (const st of states) if (st.lastError) seen.add(st.lastError);
      return states.every((st) => st.syncState === "synced");
    }, 60_000, 50);
    expect(faults.list()).toEqual([]);
    // The errors were visible while the deliveries were being retried.
    expect([...seen].some((e) => /429|503|timeout/i.test(e))).toBe(true);

    const events = (await eventsOf(s.baseUrl, adele.id)).filter((e) => e.transactionId?.startsWith("leeway:"));
    for (const id of ids) expect(events.filter((e) => e.transactionId === `leeway:${id}:create`)).toHaveLength(1);
    for (const id of ids) expect((await stateOf(adele, id)).graphEventId).toBe(events.find((e) => e.transactionId === `leeway:${id}:create`)!.id);
    // Every injected fault cost an attempt (a busy machine may add a timeout of its own).
    const messages = await s.leeway.context.dataSource.getRepository(OutboxMessageEntity).findBy(ids.map((scheduleId) => ({ scheduleId })));
    expect(messages.every((m) => m.state === "done")).toBe(true);
    expect(messages.reduce((n, m) => n + Number(m.attempts), 0)).toBeGreaterThanOrEqual(5 + 7);
  });

  it("retries throttled parts of a $batch after their Retry-After, in two round trips", async () => {
    const m365 = s.leeway.context.localM365!;
    m365.faults.inject({ route: "GET /users/.*/mailboxSettings", kind: "throttle", count: 3, retryAfterSeconds: 1 });
    m365.stats.reset();
    const people = [C.adele, C.alex, C.diego, C.megan, C.lynne];
    const started = Date.now();
    const got = await s.leeway.context.graph.getMailboxSettingsMany({ tenantId: C.tenantId }, people);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect([...got.values()].map((v) => ("workingHours" in v ? v.timeZone : String(v)))).toEqual(["Europe/London", "Europe/London", "Europe/London", "Europe/London", "America/New_York"]);
    expect(m365.stats.count("POST /$batch")).toBe(2);
    expect(m365.stats.countBatched("GET /users/{id}/mailboxSettings")).toBe(5 + 3);
  });
});

describe("a delivery that keeps failing", () => {
  let s: TestServer;
  let adele: Actor;
  let megan: Actor;
  beforeAll(async () => ({ s, adele, megan } = await start({ LEEWAY_OUTBOX_MAX_ATTEMPTS: "3" })));
  afterAll(() => s.close());

  it("is marked failed with its last error after N attempts, and the user's retry delivers it once", async () => {
    s.leeway.context.localM365!.faults.inject({ route: EVENT_POST, kind: "unavailable", count: 3 });
    const o = await agreedOutcome(adele, C.teams.retailLending, megan);
    const id = (await adele.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(3, 10), durationMinutes: 30 }).expect(202)).body.id as string;
    const failed = await waitFor("failed", async () => {
      const st = await stateOf(adele, id);
      return st.syncState === "failed" ? st : null;
    });
    expect(failed).toMatchObject({ attempts: 3, graphEventId: null });
    expect(failed.lastError).toMatch(/^503 ServiceUnavailable/);
    const audit = await s.leeway.context.dataSource.getRepository(AuditEventEntity).findBy({ entityId: id, action: "schedule.sync_failed" });
    expect(audit).toHaveLength(1);

    const retried = await megan.post(`${API}/${id}/retry`).expect(202);
    expect(retried.body).toMatchObject({ syncState: "pending", attempts: 0, lastError: null });
    await waitFor("synced after retry", async () => (await stateOf(adele, id)).syncState === "synced");
    expect((await eventsOf(s.baseUrl, adele.id)).filter((e) => e.transactionId === `leeway:${id}:create`)).toHaveLength(1);
  });

  it("puts a nudge's notification that never reached its owner on the record, on the outcome", async () => {
    s.leeway.context.localM365!.faults.inject({ route: "POST /users/.*/teamwork/sendActivityNotification", kind: "unavailable", count: 3 });
    const o = await agreedOutcome(adele, C.teams.retailLending, megan, "Nudged into the void");
    await megan.post(`/api/v1/outcomes/${o.id}/nudges`, { message: "How is it going?" }).expect(201);
    const audit = s.leeway.context.dataSource.getRepository(AuditEventEntity);
    const [event] = await waitFor("the notification given up", async () => {
      const found = await audit.findBy({ entityId: o.id, action: "notification.failed" });
      return found.length > 0 ? found : null;
    });
    expect(event).toMatchObject({ entity: "outcome", actorId: "system" });
    expect(JSON.parse(event!.changes)).toMatchObject({ recipientId: { after: adele.id }, activityType: { after: "nudged" } });
    expect(event!.reason).toMatch(/^after 3 attempt\(s\): 503 ServiceUnavailable/);
  });

  it("is not retried when Graph refuses for good", async () => {
    s.leeway.context.localM365!.faults.clear();
    const o = await agreedOutcome(adele, C.teams.retailLending, megan, "Refused");
    // An attendee whose address Graph cannot use makes the event itself invalid: a 400, never retried.
    const ds = s.leeway.context.dataSource;
    await ds.query(ds.options.type === "postgres" ? "UPDATE person SET mail = $1 WHERE id = $2" : "UPDATE person SET mail = ? WHERE id = ?", ["not-an-address", C.megan]);
    try {
      const id = (await adele.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(3, 11), durationMinutes: 30 }).expect(202)).body.id as string;
      const failed = await waitFor("failed", async () => {
        const st = await stateOf(adele, id);
        return st.syncState === "failed" ? st : null;
      });
      expect(failed).toMatchObject({ attempts: 1 });
      expect(failed.lastError).toMatch(/^400 /);
    } finally {
      await ds.query(ds.options.type === "postgres" ? "UPDATE person SET mail = $1 WHERE id = $2" : "UPDATE person SET mail = ? WHERE id = ?", ["megan.bowen@contoso.test", C.megan]);
    }
  });
});

describe("a crash between Graph's answer and the commit", () => {
  let s: TestServer;
  let adele: Actor;
  let megan: Actor;
  beforeAll(async () => ({ s, adele, megan } = await start({ LEEWAY_OUTBOX_WORKER: "false" })));
  afterAll(() => s.close());

  /** A worker whose first delivery reaches Graph and then crashes before its commit. */
  const crashingOnce = () => {
    const ctx = s.leeway.context;
    let crashes = 0;
    return new OutboxWorker(ctx.uow, {
      ...ctx.config.outbox,
      // Long enough that the first drain ends with the message waiting for its second attempt.
      backoffMs: 4000,
      beforeCommit: async () => {
        if (crashes++ === 0) throw new Error("simulated crash after Graph answered");
      },
    }, ctx.log).register(["series.create", "series.update", "series.cancel", "series.retry"], new SeriesDelivery({ dataSource: ctx.dataSource, graph: ctx.graph, publicUrl: ctx.config.publicUrl, timeoutMs: 5000, log: ctx.log }));
  };

  it("stays pending, not failed, when a delivery gives up while a newer change is queued", async () => {
    const ctx = s.leeway.context;
    const worker = new OutboxWorker(ctx.uow, { ...ctx.config.outbox, maxAttempts: 1 }, ctx.log).register(
      ["series.create", "series.update", "series.cancel", "series.retry"],
      new SeriesDelivery({ dataSource: ctx.dataSource, graph: ctx.graph, publicUrl: ctx.config.publicUrl, timeoutMs: 5000, log: ctx.log }),
    );
    const o = await agreedOutcome(adele, C.teams.retailLending, megan);
    const id = (await adele.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(4, 15), durationMinutes: 30 }).expect(202)).body.id as string;
    const read = await adele.get(`${API}/${id}`).expect(200);
    await adele.patch(`${API}/${id}`, { durationMinutes: 45 }, read.headers.etag).expect(200);
    // The create gives up at once; the change behind it is still to come.
    ctx.localM365!.faults.inject({ route: EVENT_POST, kind: "unavailable", count: 1 });
    await waitFor("delivered", async () => {
      await worker.drain();
      return (await stateOf(adele, id)).syncState === "synced";
    }, 20_000, 150);
    const failures = await ctx.dataSource.getRepository(AuditEventEntity).findBy({ entityId: id, action: "schedule.sync_failed" });
    expect(failures).toHaveLength(1);
    expect(JSON.parse(failures[0]!.changes)).toMatchObject({ syncState: { after: "pending" } });
    await worker.stop();
  });

  it("shows a change made while a delivery was being recorded as still to deliver, not as synced", async () => {
    const ctx = s.leeway.context;
    const o = await agreedOutcome(adele, C.teams.retailLending, megan);
    const id = (await adele.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(4, 16), durationMinutes: 30 }).expect(202)).body.id as string;
    const read = await adele.get(`${API}/${id}`).expect(200);

    // The change holds the schedule's row and has not yet queued its delivery when the delivery
    // of the create, Graph's answer in hand, comes to record itself.
    const queue = OutboxRepository.prototype.enqueue;
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(OutboxRepository.prototype, "enqueue").mockImplementationOnce(async function (this: OutboxRepository, ...args) {
      holding();
      await released;
      return queue.apply(this, args);
    });
    let change: Promise<unknown> = Promise.resolve();
    const worker = new OutboxWorker(ctx.uow, {
      ...ctx.config.outbox,
      beforeCommit: async (msg) => {
        if (msg.kind !== "series.create") return;
        change = Promise.resolve(adele.patch(`${API}/${id}`, { durationMinutes: 45 }, read.headers.etag).expect(200));
        await held;
        setTimeout(release, 300);
      },
    }, ctx.log).register(["series.create", "series.update"], new SeriesDelivery({ dataSource: ctx.dataSource, graph: ctx.graph, publicUrl: ctx.config.publicUrl, timeoutMs: 5000, log: ctx.log }));
    try {
      await worker.drain();
      await change;
      // The create's delivery recorded the schedule as still to deliver, the change queued behind it.
      const recorded = await ctx.dataSource.getRepository(AuditEventEntity).find({ where: { entityId: id, action: "schedule.synced" }, order: { seq: "ASC" } });
      expect(JSON.parse(recorded[0]!.changes)).toMatchObject({ syncState: { after: "pending" }, syncedVersion: { after: 1 } });
      await waitFor("the change delivered", async () => {
        await worker.drain();
        return (await stateOf(adele, id)).syncState === "synced";
      }, 20_000, 150);
    } finally {
      release();
      spy.mockRestore();
      await worker.stop();
    }
  });

  it("keeps the ids of a series re-linked in Outlook while a delivery to the old ones was being recorded", async () => {
    const ctx = s.leeway.context;
    const workerWith = (beforeCommit?: (msg: { scheduleId: string | null }) => Promise<void>) =>
      new OutboxWorker(ctx.uow, { ...ctx.config.outbox, ...(beforeCommit ? { beforeCommit } : {}) }, ctx.log).register(
        ["series.create", "series.update"],
        new SeriesDelivery({ dataSource: ctx.dataSource, graph: ctx.graph, publicUrl: ctx.config.publicUrl, timeoutMs: 5000, log: ctx.log }),
      );
    // Two series in Adele's calendar to link to, made in Outlook (no other rhythm carries them).
    const seriesAt = (hh: number) => {
      const start = nextWeekdayAt(1, hh);
      return meetingMadeInOutlook(s, CONTOSO_UPN("adele.vance"), { subject: `Series at ${hh}`, start, end: new Date(Date.parse(start) + 1_800_000).toISOString(), weekly: true });
    };
    const first = await seriesAt(8);
    const second = await seriesAt(9);

    const o = await agreedOutcome(adele, C.teams.retailLending, megan, "Made in Outlook, linked twice");
    const id = (await adele.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(1, 8), durationMinutes: 30, externalSeries: { itemId: "AAMkOutlookItem" } }).expect(202)).body.id as string;
    await adele.patch(`${API}/${id}`, { externalSeries: { graphEventId: first.id, iCalUId: first.iCalUId } }, '"v1"').expect(200);
    await adele.patch(`${API}/${id}`, { durationMinutes: 45 }, '"v2"').expect(200);

    let relinked = false;
    const relinking = workerWith(async (msg) => {
      if (msg.scheduleId !== id || relinked) return;
      relinked = true;
      await adele.patch(`${API}/${id}`, { externalSeries: { graphEventId: second.id, iCalUId: second.iCalUId } }, '"v3"').expect(200);
    });
    try {
      await relinking.drain();
      expect(relinked).toBe(true);
      expect((await adele.get(`${API}/${id}`).expect(200)).body).toMatchObject({ graphEventId: second.id, iCalUId: second.iCalUId, syncState: "linked", version: 4 });
    } finally {
      await relinking.stop();
    }
  });

  it("re-delivers with the same transactionId and gets the same event back, not a second one", async () => {
    const ctx = s.leeway.context;
    const worker = crashingOnce();
    const o = await agreedOutcome(adele, C.teams.retailLending, megan);
    const id = (await adele.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(4, 10), durationMinutes: 30 }).expect(202)).body.id as string;
    ctx.localM365!.stats.reset();

    await worker.drain();
    expect((await stateOf(adele, id)).syncState).toBe("pending");
    expect((await eventsOf(s.baseUrl, adele.id)).filter((e) => e.transactionId === `leeway:${id}:create`)).toHaveLength(1);

    await waitFor("second delivery", async () => {
      await worker.drain();
      return (await stateOf(adele, id)).syncState === "synced";
    }, 20_000, 150);
    const events = (await eventsOf(s.baseUrl, adele.id)).filter((e) => e.transactionId === `leeway:${id}:create`);
    expect(events).toHaveLength(1);
    expect((await stateOf(adele, id)).graphEventId).toBe(events[0]!.id);
    expect(ctx.localM365!.stats.count("POST /users/{id}/events")).toBe(2);
    await worker.stop();
  });

  it("brings a series whose create answer was lost up to a change made meanwhile", async () => {
    const worker = crashingOnce();
    const o = await agreedOutcome(adele, C.teams.retailLending, megan);
    const id = (await adele.post(API, { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(4, 10), durationMinutes: 30 }).expect(202)).body.id as string;
    // Outlook has the series; Leeway lost the answer.
    await worker.drain();
    const read = await adele.get(`${API}/${id}`).expect(200);
    await adele.patch(`${API}/${id}`, { firstStart: nextWeekdayAt(2, 14), cadence: "biweekly", durationMinutes: 60 }, read.headers.etag).expect(200);

    await waitFor("synced", async () => {
      await worker.drain();
      return (await stateOf(adele, id)).syncState === "synced";
    }, 20_000, 150);
    const [event, ...more] = (await eventsOf(s.baseUrl, adele.id)).filter((e) => e.transactionId === `leeway:${id}:create`);
    expect(more).toEqual([]);
    expect(Date.parse(event!.end.dateTime) - Date.parse(event!.start.dateTime)).toBe(60 * 60_000);
    expect(event!.recurrence).toMatchObject({ pattern: { interval: 2, daysOfWeek: ["tuesday"] } });
    await worker.stop();
  });
});
