import { randomUUID } from "node:crypto";
import { sweepMissed } from "../../server/src/services/deadline-sweeper";
import { OutcomeEntity } from "../../server/src/store/entities";
import { OutcomeRepository } from "../../server/src/store/repositories/outcome.repository";
import { people, outcomeBody, inDays, type As, type Who } from "../support/client";
import { ownerConnection, passDeadline, startTestServer, type TestServer } from "../support/harness";

describe("deadlines that pass without the outcome being done", () => {
  let s: TestServer;
  let p: Record<Who, As>;
  let team: string;

  beforeAll(async () => {
    // The sweeps run when the tests call them, not on the server's own timer as well.
    s = await startTestServer({ LEEWAY_HOUSEKEEPING: "false" });
    p = await people(s, ["adele", "megan"]);
    team = p.adele.teams[0]!.id;
  });
  afterAll(() => s.close());

  const create = (who: As, over: Record<string, unknown> = {}) => who.post("/api/v1/outcomes", outcomeBody(p.adele.id, team, over));

  it("marks an outcome missed when its deadline passes, and then takes a blameless review", async () => {
    const o = (await create(p.adele).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    const rhythm = (await p.megan.post("/api/v1/check-in-schedules", { outcomeId: o.id, cadence: "weekly", firstStart: new Date(Date.now() + 3 * 86_400_000).toISOString(), durationMinutes: 30 }).expect(202)).body;
    const review = { whatBlocked: "Core banking freeze", whatCouldImprove: "Plan around freezes", causes: ["system", "process"], actions: [{ description: "Add freeze dates to planning", ownerId: p.megan.id }] };
    await p.adele.post(`/api/v1/outcomes/${o.id}/reviews`, review).expect(409);

    // Time passes: move the deadline into the past behind the API's back, as the calendar would.
    await passDeadline(s.db, o.id);
    expect(await sweepMissed(s.leeway.context.uow)).toBeGreaterThanOrEqual(1);
    await p.adele.get(`/api/v1/outcomes/${o.id}`).expect(200).expect((r) => expect(r.body.status).toBe("missed"));
    // A missed outcome takes no more check-ins, so its rhythm ends with it.
    expect((await p.megan.get(`/api/v1/check-in-schedules/${rhythm.id}`).expect(200)).body.status).toBe("cancelled");
    const written = await p.adele.post(`/api/v1/outcomes/${o.id}/reviews`, review).expect(201);
    expect(written.body.causes).toEqual(["system", "process"]);
    const bad = await p.adele.post(`/api/v1/outcomes/${o.id}/reviews`, { ...review, causes: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("causes");
  });

  it("sweeps on past an outcome it cannot record now, and records that one on a later sweep", async () => {
    const stuck = (await create(p.adele, { title: "Stuck in the sweep" }).expect(201)).body;
    const behind = (await create(p.adele, { title: "Behind the stuck one" }).expect(201)).body;
    for (const o of [stuck, behind]) {
      await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
      await passDeadline(s.db, o.id);
    }
    const stored = async (id: string) => ((await s.leeway.context.dataSource.getRepository(OutcomeEntity).findOneByOrFail({ id })) as OutcomeEntity).status;
    const update = OutcomeRepository.prototype.update;
    const failing = jest.spyOn(OutcomeRepository.prototype, "update").mockImplementation(function (this: OutcomeRepository, ...args: Parameters<typeof update>) {
      if (args[1].id === stuck.id) return Promise.reject(new Error("the disk is full"));
      return update.apply(this, args);
    });
    const errors: unknown[] = [];
    try {
      await sweepMissed(s.leeway.context.uow, new Date(), { error: (detail: unknown) => void errors.push(detail) });
    } finally {
      failing.mockRestore();
    }
    expect([await stored(stuck.id), await stored(behind.id)]).toEqual(["agreed", "missed"]);
    expect(errors).toEqual([expect.objectContaining({ outcomeId: stuck.id })]);
    await sweepMissed(s.leeway.context.uow);
    expect(await stored(stuck.id)).toBe("missed");
  });

  it("treats an outcome as missed from the moment its deadline passes, before the sweep records it", async () => {
    const o = (await create(p.adele).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    const rhythm = (await p.megan.post("/api/v1/check-in-schedules", { outcomeId: o.id, cadence: "weekly", firstStart: new Date(Date.now() + 3 * 86_400_000).toISOString(), durationMinutes: 30 }).expect(202)).body;
    await passDeadline(s.db, o.id);
    // No sweep has run: the outcome reads as missed, and behaves so.
    expect((await p.adele.get(`/api/v1/outcomes/${o.id}`).expect(200)).body.status).toBe("missed");
    const late = await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, { status: "done", confidence: 5, progress: 25, mode: "async" });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("closed");
    const review = { whatBlocked: "Vendor contract signed late", whatCouldImprove: "Start procurement earlier", causes: ["external"], actions: [] };
    const written = (await p.adele.post(`/api/v1/outcomes/${o.id}/reviews`, review).expect(201)).body;

    // One unit of work, in order: the deadline recorded as passed, then the review.
    const pg = s.db.engine === "postgres";
    const events = (await s.leeway.context.dataSource.query(`SELECT action, actor_id AS "actorId", request_id AS "requestId", changes FROM audit_event WHERE entity_id IN (${pg ? "$1, $2" : "?, ?"}) ORDER BY seq`, [o.id, written.id])) as { action: string; actorId: string; requestId: string; changes: string }[];
    expect(events.slice(-2).map((e) => e.action)).toEqual(["outcome.missed", "review.written"]);
    expect(events.at(-2)!.requestId).toBe(events.at(-1)!.requestId);
    // The deadline passing is the system's doing, not the reviewer's, and so is the end of the
    // outcome's rhythm that comes with it; Adele wrote the review.
    expect(events.slice(-2).map((e) => e.actorId)).toEqual(["system", p.adele.id]);
    const ended = (await s.leeway.context.dataSource.query(`SELECT action, actor_id AS "actorId", request_id AS "requestId" FROM audit_event WHERE entity_id = ${pg ? "$1" : "?"} ORDER BY seq`, [rhythm.id])) as { action: string; actorId: string; requestId: string }[];
    expect(ended.at(-1)).toEqual({ action: "schedule.cancelled", actorId: "system", requestId: events.at(-1)!.requestId });
    expect(Object.keys(JSON.parse(events.at(-2)!.changes) as object).sort()).toEqual(["closedAt", "status"]);
    expect(await sweepMissed(s.leeway.context.uow)).toBe(0);
  });

  it("lists and refuses an outcome past its deadline as missed before the sweep records it", async () => {
    const o = (await create(p.adele, { title: "Past due before the sweep" }).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    await passDeadline(s.db, o.id);
    const listed = async (status: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { id: string; status: string }[]; nextCursor: string | null } = (await p.adele.get(`/api/v1/outcomes?ownerId=${p.adele.id}&status=${status}&limit=200${cursor ? `&cursor=${cursor}` : ""}`).expect(200)).body;
        for (const item of page.items) expect(item.status).toBe(status);
        ids.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    };
    expect(await listed("missed")).toContain(o.id);
    expect(await listed("agreed")).not.toContain(o.id);
    // Missed is not dropped: the owner cannot make a missed outcome go away before its review.
    const drop = await p.adele.post(`/api/v1/outcomes/${o.id}/drop`, { reason: "Too late now" });
    expect(drop.status).toBe(409);
    expect(drop.body.code).toBe("closed");
  });
});

describe("the deadline sweep", () => {
  let s: TestServer;
  let p: Record<Who, As>;
  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_HOUSEKEEPING: "false" });
    p = await people(s, ["adele", "megan"]);
  });
  afterAll(() => s.close());

  it("marks a passed deadline missed however many open outcomes fall due tomorrow", async () => {
    const team = p.adele.teams[0]!.id;
    const dueTomorrow = (await p.adele.post("/api/v1/outcomes", outcomeBody(p.adele.id, team, { deadline: inDays(1) })).expect(201)).body;
    const late = (await p.adele.post("/api/v1/outcomes", outcomeBody(p.adele.id, team)).expect(201)).body;
    const owner = await ownerConnection(s.db);
    const $ = (n: number) => (s.db.engine === "postgres" ? `$${n}` : "?");
    const copies = 600;
    try {
      // More agreed outcomes due tomorrow than the sweep reads at once, written behind the API's
      // back; then the one whose deadline passed.
      const columns = s.leeway.context.dataSource.getMetadata(OutcomeEntity).columns.map((c) => c.databaseName);
      const select = columns.map((c) => (c === "id" ? $(1) : c === "status" ? "'agreed'" : c)).join(", ");
      await owner.transaction(async (m) => {
        for (let i = 0; i < copies; i++) {
          await m.query(`INSERT INTO outcome (${columns.join(", ")}) SELECT ${select} FROM outcome WHERE id = ${$(2)}`, [randomUUID(), dueTomorrow.id]);
        }
      });
      await owner.query(`UPDATE outcome SET deadline = ${$(1)} WHERE id = ${$(2)}`, ["2020-01-01", late.id]);
    } finally {
      await owner.destroy();
    }
    expect(await sweepMissed(s.leeway.context.uow)).toBe(1);
    await p.adele.get(`/api/v1/outcomes/${late.id}`).expect(200).expect((r) => expect(r.body.status).toBe("missed"));
    await p.adele.get(`/api/v1/outcomes/${dueTomorrow.id}`).expect(200).expect((r) => expect(r.body.status).toBe("proposed"));
    // The next sweep finds nothing more to do.
    expect(await sweepMissed(s.leeway.context.uow)).toBe(0);
  });
});
