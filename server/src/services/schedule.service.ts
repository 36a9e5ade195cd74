import { randomUUID } from "node:crypto";
import { QueryFailedError, type EntityManager } from "typeorm";
import type { z } from "zod";
import type { AppContext } from "../context";
import type { CreateSchedule, ListSchedulesQuery, UpdateSchedule } from "../contract/schedules";
import { evaluateSchedule, ruleOfKind, type EffectiveRules } from "../domain/boundaries";
import { resolveTimeZone } from "../domain/time";
import { TERMINAL_STATUSES } from "../domain/types";
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, PreconditionRequiredError, ValidationError } from "../errors";
import { GraphRequestError } from "../graph/graph-api";
import type { Principal } from "../identity/principal";
import { viewerOf } from "../policies/viewer";
import { OutboxRepository, type OutboxKind } from "../outbox/outbox.repository";
import type { WorkingHours } from "../store/entities/person.entity";
import { OutcomeRepository, type Outcome } from "../store/repositories/outcome.repository";
import { PeopleRepository, type Person } from "../store/repositories/people.repository";
import { ScheduleRepository, type Schedule, type SyncFields } from "../store/repositories/schedule.repository";
import { diff, type Tx } from "../store/unit-of-work";
import type { FindingOut } from "./boundary-enforcement";
import { matchesEtag } from "./outcome.presenter";
import { assertMayManage, canSeeSchedule, loadTarget, type ScheduleTarget } from "./schedule-access";
import { presentSchedule, scheduleEtag, type ScheduleView } from "./schedule.presenter";

type Ctx = Pick<AppContext, "dataSource" | "uow" | "boundaries" | "graph" | "log" | "outbox">;
export interface ScheduleResult {
  schedule: ScheduleView;
  etag: string;
}

const AUDITED = ["outcomeId", "teamId", "cadence", "firstStart", "timeZone", "durationMinutes", "attendeeIds", "organizerId", "origin", "status", "syncState", "graphEventId", "iCalUId", "externalItemId"] as const;

/** A rhythm as cancelled: its series, when Outlook has or may have one, is to be removed there. */
function cancelled(s: Schedule, now: string): { next: Schedule; hasSeries: boolean } {
  const hasSeries = s.origin === "leeway" || s.graphEventId !== null;
  return { next: { ...s, status: "cancelled", cancelledAt: now, updatedAt: now, version: s.version + 1, syncState: hasSeries ? "pending" : "cancelled" }, hasSeries };
}

/**
 * Ends the check-in rhythm of an outcome that has just closed (done, missed or dropped), in the
 * unit of work that closes it: a closed outcome takes no check-ins, so its series is cancelled in
 * Outlook too instead of inviting people for good. Team rhythms go on; they list open outcomes only.
 */
export async function endOutcomeRhythm(tx: Tx, outcome: { tenantId: string; id: string; status: string }, wake?: () => void, options: { bySystem?: boolean } = {}): Promise<void> {
  const repo = new ScheduleRepository();
  const s = await repo.activeFor(tx.manager, outcome.tenantId, { outcomeId: outcome.id });
  if (!s) return;
  const { next, hasSeries } = cancelled(s, new Date().toISOString());
  if (!(await repo.update(tx.manager, next, s.version, { syncState: next.syncState }))) {
    throw new ConflictError("The outcome's check-in rhythm changed at the same moment; try again.", { code: "schedule_changed" });
  }
  tx.audit({ action: "schedule.cancelled", entity: "check_in_schedule", entityId: s.id, changes: diff(s, next, AUDITED), reason: `the outcome is ${outcome.status}`, bySystem: options.bySystem ?? false });
  if (hasSeries) {
    await new OutboxRepository().enqueue(tx.manager, { tenantId: s.tenantId, kind: "series.cancel", scheduleId: s.id });
    if (wake) tx.afterCommit(wake);
  }
}

const SERIES_FIELDS = ["cadence", "firstStart", "timeZone", "durationMinutes", "attendeeIds"] as const;
const DAY_MS = 86_400_000;

export interface AttendeeHours {
  person: Person;
  workingHours: WorkingHours | null;
  source: "graph" | "stored";
}

/** Working hours of people for boundary checks: fresh from Graph (one `$batch` per 20), the stored copy when Graph cannot say. */
export async function workingHoursOf(ctx: Pick<Ctx, "graph" | "log">, tenantId: string, people: Person[], fromGraph: boolean): Promise<AttendeeHours[]> {
  let fresh = new Map<string, unknown>();
  if (fromGraph && people.length > 0) {
    try {
      fresh = await ctx.graph.getMailboxSettingsMany({ tenantId }, people.map((p) => p.id));
    } catch (err) {
      ctx.log.warn({ err }, "mailbox settings could not be read from Graph; using stored working hours");
    }
  }
  return people.map((person) => {
    const got = fresh.get(person.id) as { workingHours?: WorkingHours | null } | GraphRequestError | undefined;
    if (got && !(got instanceof GraphRequestError) && got.workingHours) return { person, workingHours: got.workingHours, source: "graph" as const };
    return { person, workingHours: person.workingHours, source: "stored" as const };
  });
}

function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const e = err.driverError as { code?: string } | undefined;
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || /UNIQUE constraint failed/.test(err.message);
}

/** Check-in rhythms: create, change, cancel, retry delivery; each write is audited and carries its outbox message. */
export class ScheduleService {
  private readonly repo = new ScheduleRepository();
  private readonly people = new PeopleRepository();
  private readonly outcomes = new OutcomeRepository();
  private readonly outbox = new OutboxRepository();

  constructor(private readonly ctx: Ctx) {}

  private ctxOf(p: Principal, requestId: string) {
    return { tenantId: p.tenantId, actor: { tenantId: p.tenantId, userId: p.userId }, requestId };
  }

  private rules(m: EntityManager, tenantId: string, t: ScheduleTarget): Promise<EffectiveRules> {
    return this.ctx.boundaries.rulesFor(m, tenantId, t.rulesFor, new Date().toISOString());
  }

  /** Attendees (and the organizer) as people of the tenant; 400 naming any unknown id. */
  private async attendees(m: EntityManager, tenantId: string, ids: string[], organizerId: string, outcome: Outcome | null): Promise<{ ids: string[]; people: Person[] }> {
    const unique = [...new Set(ids)];
    const found = await this.people.people(m, tenantId, [...unique, organizerId]);
    const known = new Set(found.map((x) => x.id));
    const errors = unique.flatMap((id, i) => (known.has(id) ? [] : [{ path: `attendeeIds.${i}`, message: "No person with this id in your organisation." }]));
    if (errors.length) throw new ValidationError(errors);
    // The invitation names the outcome, its deadline and a link: only people who may see it are invited.
    if (outcome) {
      const maySee = await this.outcomeReaders(m, outcome);
      const hidden = unique.flatMap((id, i) =>
        maySee(id) ? [] : [{ path: `attendeeIds.${i}`, message: `${found.find((x) => x.id === id)?.displayName ?? id} may not see this outcome, and its invitation names it; change its visibility or invite someone who may.` }],
      );
      if (hidden.length) throw new ValidationError(hidden);
    }
    const order = [...unique, ...(unique.includes(organizerId) ? [] : [organizerId])];
    return { ids: unique, people: order.map((id) => found.find((x) => x.id === id)).filter((x): x is Person => !!x) };
  }

  /**
   * Who may see an outcome among people the server has no token of: its owner and delegates, the
   * owner's managers up the chain, the team for team visibility, everyone for public. (Compliance
   * officers are known by their token's roles, so here they count only where these rules place them.)
   */
  private async outcomeReaders(m: EntityManager, o: Outcome): Promise<(personId: string) => boolean> {
    const readers = new Set([o.ownerId, ...o.delegateIds]);
    const chain = new Set<string>();
    let managerId = (await this.people.person(m, o.tenantId, o.ownerId))?.managerId ?? null;
    for (let depth = 0; managerId && !chain.has(managerId) && depth < 20; depth++) {
      chain.add(managerId);
      readers.add(managerId);
      managerId = (await this.people.person(m, o.tenantId, managerId))?.managerId ?? null;
    }
    if (o.visibility === "team") for (const id of await this.people.teamMemberIds(m, o.tenantId, o.teamId)) readers.add(id);
    return (personId) => o.visibility === "public" || readers.has(personId);
  }

  private checkStart(firstStart: string): string {
    const t = Date.parse(firstStart);
    if (t < Date.now() - DAY_MS) throw new ValidationError([{ path: "firstStart", message: "The first check-in cannot be more than a day in the past." }]);
    if (t > Date.now() + 366 * DAY_MS) throw new ValidationError([{ path: "firstStart", message: "The first check-in must be within a year from now." }]);
    return new Date(t).toISOString();
  }

  private zone(requested: string | undefined, organizer: Person | undefined): string {
    if (requested) {
      const r = resolveTimeZone(requested);
      if (!r.known) throw new ValidationError([{ path: "timeZone", message: `Unknown time zone "${requested}"; use an IANA name such as Europe/London.` }]);
      return requested;
    }
    return resolveTimeZone(organizer?.timeZone).known ? (organizer?.timeZone ?? "UTC") : "UTC";
  }

  /** Boundary findings for a schedule's rhythm and every attendee's working hours. */
  private async check(tx: Tx, s: Schedule, rules: EffectiveRules, hours: AttendeeHours[], operation: string): Promise<FindingOut[]> {
    const findings = evaluateSchedule(rules, {
      cadence: s.cadence,
      start: s.firstStart,
      durationMinutes: s.durationMinutes,
      timeZone: s.timeZone,
      attendees: hours.map((h) => ({ id: h.person.id, name: h.person.displayName, workingHours: h.workingHours })),
    });
    return this.ctx.boundaries.enforce(tx, { operation, entity: "check_in_schedule", entityId: s.id }, findings);
  }

  private async enqueue(tx: Tx, s: Schedule, kind: OutboxKind): Promise<void> {
    await this.outbox.enqueue(tx.manager, { tenantId: s.tenantId, kind, scheduleId: s.id });
    tx.afterCommit(() => this.ctx.outbox?.wake());
  }

  private async result(m: EntityManager, s: Schedule, warnings: FindingOut[] = []): Promise<ScheduleResult> {
    const latest = await this.outbox.latestBySchedule(m, s.tenantId, [s.id]);
    return { schedule: presentSchedule(s, latest.get(s.id), warnings), etag: scheduleEtag(s) };
  }

  async create(p: Principal, body: z.output<typeof CreateSchedule>, requestId: string): Promise<ScheduleResult> {
    const m = this.ctx.dataSource.manager;
    const target = await loadTarget(m, p, body);
    await assertMayManage(m, p, target);
    if (target.outcome && TERMINAL_STATUSES.includes(target.outcome.status)) throw new ConflictError(`This outcome is ${target.outcome.status}; it needs no check-in rhythm.`, { code: "closed" });
    const firstStart = this.checkStart(body.firstStart);
    const { ids, people } = await this.attendees(m, p.tenantId, body.attendeeIds ?? target.defaultAttendees, p.userId, target.outcome);
    const timeZone = this.zone(body.timeZone, people.find((x) => x.id === p.userId));
    const rules = await this.rules(m, p.tenantId, target);
    const hours = await workingHoursOf(this.ctx, p.tenantId, people, !!ruleOfKind(rules, "working_hours_only"));
    const ext = body.externalSeries;
    const now = new Date().toISOString();
    const s: Schedule = {
      tenantId: p.tenantId,
      id: randomUUID(),
      outcomeId: target.outcome?.id ?? null,
      teamId: target.teamId,
      cadence: body.cadence,
      firstStart,
      timeZone,
      durationMinutes: body.durationMinutes,
      attendeeIds: ids,
      organizerId: p.userId,
      origin: ext ? "outlook" : "leeway",
      status: "active",
      syncState: ext ? "linked" : "pending",
      graphEventId: ext?.graphEventId ?? null,
      iCalUId: ext?.iCalUId ?? null,
      externalItemId: ext?.itemId ?? null,
      syncedVersion: ext ? 1 : null,
      version: 1,
      createdBy: p.userId,
      createdAt: now,
      updatedAt: now,
      syncedAt: ext ? now : null,
      cancelledAt: null,
    };
    return this.ctx.boundaries.guard(requestId, () =>
      this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
        // The outcome may have closed since it was read (its rhythm would then never end): read it
        // again, holding its row, so a close that commits meanwhile either comes first or sees this rhythm.
        if (target.outcome) {
          const current = await this.outcomes.get(tx.manager, p.tenantId, target.outcome.id, { forUpdate: true });
          if (current && TERMINAL_STATUSES.includes(current.status)) throw new ConflictError(`This outcome is ${current.status}; it needs no check-in rhythm.`, { code: "closed" });
        }
        const existing = await this.repo.activeFor(tx.manager, p.tenantId, target.outcome ? { outcomeId: target.outcome.id } : { teamId: target.teamId });
        if (existing) throw new ConflictError(`${target.outcome ? "This outcome" : "This team"} already has a check-in rhythm; change or cancel that one.`, { code: "schedule_exists", scheduleId: existing.id });
        const warnings = await this.check(tx, s, await this.rules(tx.manager, p.tenantId, target), hours, "schedule.create");
        try {
          await this.repo.insert(tx.manager, s);
        } catch (err) {
          if (isUniqueViolation(err)) throw new ConflictError("A check-in rhythm for this was set up at the same moment; reload it.", { code: "schedule_exists" });
          throw err;
        }
        if (s.origin === "leeway") await this.enqueue(tx, s, "series.create");
        tx.audit({ action: "schedule.created", entity: "check_in_schedule", entityId: s.id, changes: diff(null, s, AUDITED) });
        return { schedule: presentSchedule(s, null, warnings), etag: scheduleEtag(s) };
      }),
    );
  }

  /** Loads a schedule the caller may see (404 otherwise) together with what it is for. */
  private async visible(m: EntityManager, p: Principal, id: string): Promise<Schedule> {
    const s = await this.repo.get(m, p.tenantId, id);
    if (!s || !(await canSeeSchedule(m, p, s))) throw new NotFoundError("check-in schedule");
    return s;
  }

  async get(p: Principal, id: string): Promise<ScheduleResult> {
    const m = this.ctx.dataSource.manager;
    return this.result(m, await this.visible(m, p, id));
  }

  async list(p: Principal, q: z.output<typeof ListSchedulesQuery>): Promise<{ items: ScheduleView[] }> {
    const m = this.ctx.dataSource.manager;
    if (q.outcomeId) await loadTarget(m, p, { outcomeId: q.outcomeId });
    const rows = await this.repo.list(m, p.tenantId, { ...q, ...(q.outcomeId || q.teamId ? {} : { involving: p.userId }) });
    const viewer = await viewerOf(m, p);
    const seen: Schedule[] = [];
    for (const s of rows) if (await canSeeSchedule(m, p, s, viewer)) seen.push(s);
    const latest = await this.outbox.latestBySchedule(m, p.tenantId, seen.map((s) => s.id));
    return { items: seen.map((s) => presentSchedule(s, latest.get(s.id))) };
  }

  /** Loads for a change: visible, manageable, active, and at the version the caller read (when they said). */
  private async forChange(m: EntityManager, p: Principal, id: string, ifMatch: string | undefined): Promise<{ s: Schedule; target: ScheduleTarget }> {
    const s = await this.visible(m, p, id);
    const target = await loadTarget(m, p, { outcomeId: s.outcomeId, teamId: s.teamId });
    await assertMayManage(m, p, target);
    if (ifMatch !== undefined && !matchesEtag(ifMatch, s)) {
      throw new PreconditionFailedError(`Someone changed this schedule since you read it; it is now at version ${s.version}.`, { currentVersion: s.version, currentEtag: scheduleEtag(s) });
    }
    if (s.status === "cancelled") throw new ConflictError("This check-in rhythm is cancelled.", { code: "cancelled" });
    return { s, target };
  }

  /** Saves a content change and the sync fields it sets; answers the schedule as stored, with the delivery's latest bookkeeping. */
  private async save(tx: Tx, before: Schedule, after: Schedule, action: string, sync: SyncFields = {}): Promise<Schedule> {
    if (!(await this.repo.update(tx.manager, after, before.version, sync))) {
      throw new PreconditionFailedError("Someone changed this schedule at the same moment; reload it and try again.", { currentVersion: before.version + 1 });
    }
    tx.audit({ action, entity: "check_in_schedule", entityId: after.id, changes: diff(before, after, AUDITED) });
    return (await this.repo.get(tx.manager, after.tenantId, after.id)) ?? after;
  }

  async update(p: Principal, id: string, ifMatch: string | undefined, body: z.output<typeof UpdateSchedule>, requestId: string): Promise<ScheduleResult> {
    if (!ifMatch) throw new PreconditionRequiredError("Changing a schedule needs an If-Match header with the ETag you last read.");
    const m = this.ctx.dataSource.manager;
    const { s, target } = await this.forChange(m, p, id, ifMatch);
    if (body.externalSeries && s.origin !== "outlook") throw new ConflictError("Leeway made this series; only a series made in Outlook takes external ids.", { code: "not_linked" });
    // The ids name an event in the organizer's calendar, which Leeway then changes and, when the
    // rhythm ends, deletes with its own rights: only the organizer, whose calendar it is, says which.
    if (body.externalSeries && p.userId !== s.organizerId) throw new ForbiddenError("Only the organizer links the series made in their Outlook calendar.");
    // Attendees already invited were judged when they were; new ones are judged now.
    const attendees = await this.attendees(m, p.tenantId, body.attendeeIds ?? s.attendeeIds, s.organizerId, body.attendeeIds ? target.outcome : null);
    const next: Schedule = {
      ...s,
      cadence: body.cadence ?? s.cadence,
      firstStart: body.firstStart ? this.checkStart(body.firstStart) : s.firstStart,
      durationMinutes: body.durationMinutes ?? s.durationMinutes,
      attendeeIds: attendees.ids,
      timeZone: body.timeZone ? this.zone(body.timeZone, undefined) : s.timeZone,
      graphEventId: body.externalSeries?.graphEventId ?? s.graphEventId,
      iCalUId: body.externalSeries?.iCalUId ?? s.iCalUId,
      externalItemId: body.externalSeries?.itemId ?? s.externalItemId,
      version: s.version + 1,
      updatedAt: new Date().toISOString(),
    };
    const seriesChanged = SERIES_FIELDS.some((k) => JSON.stringify(s[k]) !== JSON.stringify(next[k]));
    const deliver = seriesChanged && (s.origin === "leeway" || next.graphEventId !== null);
    if (deliver) {
      // One meeting, several outcomes' rhythms: moving it for one would move it for all of them.
      const others = await this.repo.othersOnSameSeries(m, next);
      if (others.length) {
        throw new ConflictError(`This Outlook meeting is also the check-in of ${others.length === 1 ? "another outcome" : `${others.length} other outcomes`}; change its time, rhythm or people in Outlook, or cancel this rhythm and give the outcome its own.`, { code: "shared_series", scheduleIds: others });
      }
    }
    const sync: SyncFields = body.externalSeries ? { graphEventId: next.graphEventId, iCalUId: next.iCalUId } : {};
    if (deliver) next.syncState = sync.syncState = "pending";
    else if (s.origin === "outlook") next.syncedVersion = sync.syncedVersion = next.version;
    const rules = await this.rules(m, p.tenantId, target);
    const hours = await workingHoursOf(this.ctx, p.tenantId, attendees.people, seriesChanged && !!ruleOfKind(rules, "working_hours_only"));
    return this.ctx.boundaries.guard(requestId, () =>
      this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
        const warnings = seriesChanged ? await this.check(tx, next, await this.rules(tx.manager, p.tenantId, target), hours, "schedule.update") : [];
        const saved = await this.save(tx, s, next, "schedule.updated", sync);
        if (deliver) await this.enqueue(tx, saved, "series.update");
        return this.result(tx.manager, saved, warnings);
      }),
    );
  }

  async cancel(p: Principal, id: string, ifMatch: string | undefined, requestId: string): Promise<ScheduleResult> {
    const m = this.ctx.dataSource.manager;
    const { s } = await this.forChange(m, p, id, ifMatch);
    const { next, hasSeries } = cancelled(s, new Date().toISOString());
    return this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
      const saved = await this.save(tx, s, next, "schedule.cancelled", { syncState: next.syncState });
      if (hasSeries) await this.enqueue(tx, saved, "series.cancel");
      return this.result(tx.manager, saved);
    });
  }

  /** Delivery gave up (see lastError): the caller asks for another round of attempts. */
  async retry(p: Principal, id: string, requestId: string): Promise<ScheduleResult> {
    const m = this.ctx.dataSource.manager;
    const s = await this.visible(m, p, id);
    await assertMayManage(m, p, await loadTarget(m, p, { outcomeId: s.outcomeId, teamId: s.teamId }));
    if (s.syncState !== "failed") throw new ConflictError(`Only a failed delivery can be retried; this schedule is ${s.syncState}.`, { code: "not_failed", syncState: s.syncState });
    return this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
      // Held, so of two retries sent together (a double click) the second sees the first's answer.
      const current = await this.repo.get(tx.manager, p.tenantId, id, { forUpdate: true });
      if (!current || current.syncState !== "failed") throw new ConflictError("This schedule is being delivered already.", { code: "not_failed" });
      await this.repo.setSync(tx.manager, p.tenantId, id, { syncState: "pending" });
      const next = { ...current, syncState: "pending" as const };
      await this.enqueue(tx, next, "series.retry");
      tx.audit({ action: "schedule.retry_requested", entity: "check_in_schedule", entityId: id, changes: { syncState: { before: "failed", after: "pending" } } });
      return this.result(tx.manager, next);
    });
  }
}
