import { In, MoreThan, MoreThanOrEqual, type EntityManager } from "typeorm";
import type { AppContext } from "../context";
import { checkInOverdue, evaluateNudge, nudgesInWeek } from "../domain/boundaries";
import { ConflictError } from "../errors";
import type { NotificationPayload } from "../outbox/notification-delivery";
import { OutboxRepository } from "../outbox/outbox.repository";
import { checkInsCountFrom, latestOccurrence, occurrenceStart, outcomeLink } from "../outbox/series-content";
import { SYSTEM_ACTOR } from "../outbox/worker";
import { CheckInEntity, CheckInReminderEntity, NudgeEntity, OutcomeEntity } from "../store/entities";
import { OutcomeRepository, toOutcome, type Outcome } from "../store/repositories/outcome.repository";
import { PeopleRepository, type Person } from "../store/repositories/people.repository";
import { ScheduleRepository, type Schedule } from "../store/repositories/schedule.repository";
import { BoundaryBlockedError } from "./boundary-enforcement";
import { CheckInService } from "./check-in.service";
import { todayIn } from "./outcome-access";

type Ctx = Pick<AppContext, "dataSource" | "uow" | "boundaries" | "config" | "log" | "outbox">;

const DAY_MS = 86_400_000;
const OPEN = ["proposed", "agreed", "at_risk"];

/** The check-in was recorded, or the outcome closed, after the due check-ins were looked for. */
class NoLongerDue extends Error {}

export interface DueCheckIn {
  schedule: Schedule;
  outcome: Outcome;
  owner: Person | null;
  occurrenceAt: string;
  /** Check-ins recorded since then count for this occurrence (see checkInsCountFrom). */
  countsFrom: string;
}

/** The rhythm's last meeting to have ended by `now`, and from when a check-in counts for it. */
function lastEndedMeeting(s: Schedule, now: Date): { occurrenceAt: string; countsFrom: string; end: number } | null {
  let occ = latestOccurrence(s, now.getTime());
  if (occ && occ.end > now.getTime()) occ = occ.index > 0 ? { index: occ.index - 1, start: occurrenceStart(s, occ.index - 1), end: 0 } : null;
  if (!occ) return null;
  return {
    occurrenceAt: new Date(occ.start).toISOString(),
    countsFrom: new Date(checkInsCountFrom(s, occ.index)).toISOString(),
    end: occ.start + s.durationMinutes * 60_000,
  };
}

/**
 * Reminds owners of check-ins that are due: the rhythm's latest meeting has ended (within the last
 * day, or the outcome is overdue by the cadence boundary) and nothing was recorded for it: since
 * halfway from the meeting before, so a check-in written ahead of the meeting counts.
 * One Teams activity-feed notification per outcome and occurrence, only while the nudge limit
 * allows, recorded as the system's reminder nudge (so it counts in the signs) and delivered
 * through the outbox. Safe with several instances: the reminder record is unique.
 */
export class ReminderService {
  private readonly schedules = new ScheduleRepository();
  private readonly people = new PeopleRepository();
  private readonly outbox = new OutboxRepository();
  private readonly outcomes = new OutcomeRepository();
  private readonly checkIns: CheckInService;

  constructor(private readonly ctx: Ctx) {
    this.checkIns = new CheckInService(ctx);
  }

  /** Check-ins due at `now` that have had no reminder yet. */
  async due(now: Date): Promise<DueCheckIn[]> {
    const m = this.ctx.dataSource.manager;
    const out: DueCheckIn[] = [];
    let after: { tenantId: string; id: string } | null = null;
    for (;;) {
      const page = await this.schedules.activePage(m, after, 200);
      for (const s of page) out.push(...(await this.dueFor(m, s, now)));
      if (page.length < 200) break;
      const last = page[page.length - 1]!;
      after = { tenantId: last.tenantId, id: last.id };
    }
    return out;
  }

  private async dueFor(m: EntityManager, s: Schedule, now: Date): Promise<DueCheckIn[]> {
    const occ = lastEndedMeeting(s, now);
    if (!occ) return [];
    const { occurrenceAt, countsFrom } = occ;
    const recent = now.getTime() - occ.end <= DAY_MS;
    const rows = s.outcomeId
      ? await m.find(OutcomeEntity, { where: { tenantId: s.tenantId, id: s.outcomeId, status: In(OPEN) } })
      : await this.openOutcomesOfTeam(m, s.tenantId, s.teamId);
    const due: DueCheckIn[] = [];
    // A team's rhythm covers many outcomes of the same owners: their rules are read once each.
    const rulesByOwner = new Map<string, ReturnType<ReminderService["rulesOf"]>>();
    for (const row of rows) {
      const o = toOutcome(row);
      if (await m.exists(CheckInEntity, { where: { tenantId: s.tenantId, outcomeId: o.id, at: MoreThanOrEqual(countsFrom) } })) continue;
      if (await m.exists(CheckInReminderEntity, { where: { tenantId: s.tenantId, scheduleId: s.id, outcomeId: o.id, occurrenceAt } })) continue;
      const owner = await this.people.person(m, s.tenantId, o.ownerId);
      const key = `${o.ownerId}|${o.teamId}`;
      if (!rulesByOwner.has(key)) rulesByOwner.set(key, this.rulesOf(m, o, now));
      const rules = await rulesByOwner.get(key)!;
      if (!recent && checkInOverdue(rules, { lastCheckInAt: o.lastCheckInAt, since: o.agreedAt ?? o.createdAt, now: now.toISOString(), timeZone: owner?.timeZone ?? null }).length === 0) continue;
      // At the nudge limit: not due while it lasts. Judged again, with the outcome held, as it is sent.
      const sent = await m.find(NudgeEntity, { where: { tenantId: s.tenantId, outcomeId: o.id, at: MoreThan(new Date(now.getTime() - 7 * DAY_MS).toISOString()) }, select: { outcomeId: true, at: true, kind: true } });
      const thisWeek = nudgesInWeek(sent.filter((n) => n.kind !== "escalation"), o.id, now.toISOString()).count;
      if (evaluateNudge(rules, { outcomeId: o.id, nudgesThisWeek: thisWeek, now: now.toISOString() }).length > 0) continue;
      due.push({ schedule: s, outcome: o, owner, occurrenceAt, countsFrom });
    }
    return due;
  }

  /** Every open outcome of a team, read a page at a time: a team's rhythm covers all of them. */
  private async openOutcomesOfTeam(m: EntityManager, tenantId: string, teamId: string): Promise<OutcomeEntity[]> {
    const out: OutcomeEntity[] = [];
    for (;;) {
      const after = out.length > 0 ? out[out.length - 1]!.id : null;
      const page = await m.find(OutcomeEntity, { where: { tenantId, teamId, status: In(OPEN), ...(after ? { id: MoreThan(after) } : {}) }, order: { id: "ASC" }, take: 500 });
      out.push(...page);
      if (page.length < 500) return out;
    }
  }

  private async rulesOf(m: EntityManager, o: Outcome, now: Date) {
    const teams = await this.people.teamsOf(m, o.tenantId, o.ownerId);
    return this.ctx.boundaries.rulesFor(m, o.tenantId, { teamIds: [...new Set([o.teamId, ...teams.map((t) => t.id)])], personId: o.ownerId }, now.toISOString());
  }

  /** Sends the reminders due now; answers how many went out. */
  async runOnce(now = new Date()): Promise<number> {
    let sent = 0;
    for (const d of await this.due(now)) {
      if (await this.remind(d, now)) sent++;
    }
    return sent;
  }

  private async remind(d: DueCheckIn, now: Date): Promise<boolean> {
    const m = this.ctx.dataSource.manager;
    const o = d.outcome;
    const link = outcomeLink(this.ctx.config.publicUrl, o.id);
    // The meeting's own day, in the rhythm's time zone.
    const when = todayIn(d.schedule.timeZone, new Date(d.occurrenceAt));
    try {
      await this.ctx.uow.run({ tenantId: o.tenantId, actor: { tenantId: o.tenantId, userId: SYSTEM_ACTOR }, requestId: `reminder:${d.schedule.id}` }, async (tx) => {
        // Judged again now, with the outcome's row held: the owner may have checked in, or the
        // outcome closed, since the due check-ins were looked for.
        const current = await this.outcomes.get(tx.manager, o.tenantId, o.id, { forUpdate: true });
        if (!current || !OPEN.includes(current.status)) throw new NoLongerDue();
        // The rhythm too may have been cancelled or changed meanwhile: no reminder for a meeting it
        // no longer has, and a check-in counts from where the rhythm as it stands says.
        const schedule = await this.schedules.get(tx.manager, o.tenantId, d.schedule.id, { forUpdate: true });
        const meeting = schedule?.status === "active" ? lastEndedMeeting(schedule, now) : null;
        if (!meeting || meeting.occurrenceAt !== d.occurrenceAt) throw new NoLongerDue();
        if (await tx.manager.exists(CheckInEntity, { where: { tenantId: o.tenantId, outcomeId: o.id, at: MoreThanOrEqual(meeting.countsFrom) } })) throw new NoLongerDue();
        const viewer = { tenantId: o.tenantId, userId: SYSTEM_ACTOR, roles: [], teamIds: new Set<string>(), reportIds: new Set<string>(), isCompliance: false, isAdmin: false };
        const nudge = await this.checkIns.systemReminder(tx, { outcome: current, viewer, owner: d.owner, managerId: d.owner?.managerId ?? null, role: "other" }, `Check-in due: the check-in of ${when} has not been recorded yet.`);
        await tx.manager.insert(CheckInReminderEntity, { tenantId: o.tenantId, scheduleId: d.schedule.id, outcomeId: o.id, occurrenceAt: d.occurrenceAt, nudgeId: nudge.id, sentAt: now.toISOString() });
        const payload: NotificationPayload = {
          userId: o.ownerId,
          outcomeId: o.id,
          notification: {
            topic: { source: "text", value: `Check-in due: ${o.title}`.slice(0, 120), webUrl: link },
            activityType: "checkInDue",
            previewText: { content: `Your check-in on "${o.title}" is due. What's your plan, and what do you need?`.slice(0, 150) },
            templateParameters: [{ name: "outcome", value: o.title }],
          },
        };
        await this.outbox.enqueue(tx.manager, { tenantId: o.tenantId, kind: "notification.send", payload: payload as unknown as Record<string, unknown> });
        tx.afterCommit(() => this.ctx.outbox?.wake());
      });
      return true;
    } catch (err) {
      // At the nudge limit (a ceiling for the system even where it only warns people), checked in
      // or closed meanwhile, or another instance reminded first.
      if (err instanceof BoundaryBlockedError || err instanceof ConflictError || err instanceof NoLongerDue) return false;
      if (await m.exists(CheckInReminderEntity, { where: { tenantId: o.tenantId, scheduleId: d.schedule.id, outcomeId: o.id, occurrenceAt: d.occurrenceAt } })) return false;
      throw err;
    }
  }

  /** Runs every `intervalSeconds`; answers a function that stops it. */
  start(intervalSeconds: number): () => void {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        const n = await this.runOnce();
        if (n) this.ctx.log.info({ reminders: n }, "check-in reminders sent");
      } catch (err) {
        this.ctx.log.error({ err }, "reminder run failed; it will run again");
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void tick(), intervalSeconds * 1000);
    timer.unref();
    return () => clearInterval(timer);
  }
}
