import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { AppContext } from "../context";
import type { CheckInCreated, CheckInOut, CommentCreated, CommentOut, NudgeCreated, NudgeOut, ReviewOut } from "../contract/check-ins";
import type { CreateCheckIn, CreateComment, CreateNudge, CreateReview } from "../contract/outcomes";
import { evaluateCheckIn, evaluateNudge, escalatesNow, escalationDue, nudgesInWeek, recentCheckInsNeeded, ruleOfKind, scanFreeText, type EffectiveRules } from "../domain/boundaries";
import { checkInFacts } from "../domain/check-in-facts";
import { classifyComment, coachingQuestions } from "../domain/coaching";
import { missedStatus, statusAfterCheckIn } from "../domain/status";
import { TERMINAL_STATUSES, type CauseCategory, type CheckInStatus } from "../domain/types";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors";
import type { Principal } from "../identity/principal";
import type { NotificationPayload } from "../outbox/notification-delivery";
import { OutboxRepository } from "../outbox/outbox.repository";
import { outcomeLink } from "../outbox/series-content";
import { CheckInEntity, CommentEntity, NudgeEntity, ReviewEntity } from "../store/entities";
import { findRows, insertRow } from "../store/entity-sql";
import { OutcomeRepository, type Outcome } from "../store/repositories/outcome.repository";
import { PeopleRepository } from "../store/repositories/people.repository";
import { diff, type Tx } from "../store/unit-of-work";
import { accessAsOwnerOrDelegate, accessOutcome, type OutcomeAccess } from "./outcome-access";
import { markMissed } from "./deadline-sweeper";
import { digestAll, textDigest } from "./free-text";
import { endOutcomeRhythm } from "./schedule.service";

type Ctx = Pick<AppContext, "dataSource" | "uow" | "boundaries" | "outbox" | "config">;

const SYSTEM = "system";
/** What a check-in changes on its outcome. */
const PROGRESS_FIELDS = ["status", "currentValue", "lastCheckInAt", "atRiskSince", "escalatedAt", "doneAt", "closedAt", "version", "updatedAt"] as const;

export function presentCheckIn(c: CheckInEntity, comments: CommentEntity[]): z.infer<typeof CheckInOut> {
  return {
    id: c.id,
    outcomeId: c.outcomeId,
    authorId: c.authorId,
    at: c.at,
    status: c.status as CheckInStatus,
    confidence: Number(c.confidence),
    progress: Number(c.progress),
    note: c.note,
    blockers: c.blockers,
    supportNeeded: c.supportNeeded,
    nextStep: c.nextStep,
    ideas: JSON.parse(c.ideas) as string[],
    mode: c.mode as "meeting" | "async",
    occurrenceId: c.occurrenceId,
    redacted: c.redactedAt !== null,
    comments: comments.filter((k) => k.checkInId === c.id).map(presentComment),
  };
}

const presentComment = (k: CommentEntity): z.infer<typeof CommentOut> => ({ id: k.id, checkInId: k.checkInId, authorId: k.authorId, at: k.at, kind: k.kind as "coaching" | "directive", text: k.text });
const presentNudge = (n: NudgeEntity): z.infer<typeof NudgeOut> => ({
  id: n.id,
  outcomeId: n.outcomeId,
  senderId: n.senderId,
  kind: n.kind as "reminder" | "nudge" | "escalation",
  at: n.at,
  message: n.message,
  redacted: n.redactedAt !== null,
});

/** Check-ins with coaching, manager comments, nudges (people's and the system's), and blameless reviews. */
export class CheckInService {
  private readonly outcomes = new OutcomeRepository();
  private readonly people = new PeopleRepository();
  private readonly outbox = new OutboxRepository();

  constructor(private readonly ctx: Ctx) {}

  private ctxOf(p: Principal, requestId: string) {
    return { tenantId: p.tenantId, actor: { tenantId: p.tenantId, userId: p.userId }, requestId };
  }

  /** The boundaries that apply to the outcome's owner: the outcome's team, and the owner's other teams when a boundary names one. */
  private async rules(tx: Tx, o: Outcome, now: string): Promise<EffectiveRules> {
    const teamsOf = async () => (await this.people.teamsOf(tx.manager, tx.ctx.tenantId, o.ownerId)).map((t) => t.id);
    return this.ctx.boundaries.rulesForPerson(tx.manager, tx.ctx.tenantId, o.ownerId, [o.teamId], teamsOf, now);
  }

  async record(p: Principal, outcomeId: string, body: z.output<typeof CreateCheckIn>, requestId: string): Promise<z.infer<typeof CheckInCreated>> {
    return this.ctx.boundaries.guard(requestId, () =>
      this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
        const a = await accessAsOwnerOrDelegate(tx.manager, p, outcomeId, "Check-ins are recorded by the outcome's owner or a delegate the owner named.", { forUpdate: true });
        const o = a.outcome;
        if (TERMINAL_STATUSES.includes(o.status)) throw new ConflictError(`This outcome is ${o.status}; it takes no more check-ins.`, { code: "closed" });
        const now = new Date().toISOString();
        // Missed from the moment its deadline day ends in the owner's zone, as every read shows it,
        // not only once the deadline sweep has recorded it.
        if (missedStatus(o, now, a.owner?.timeZone) === "missed") {
          throw new ConflictError(`The deadline (${o.deadline}) has passed, so this outcome is missed; it takes no more check-ins. A blameless review comes next.`, { code: "closed" });
        }
        // Done means the agreed target was reached: before owner and manager agree what that is, a
        // check-in records progress but cannot close the outcome, and silently not closing it
        // would leave the owner believing it done.
        if (body.status === "done" && (o.status === "draft" || o.status === "proposed")) {
          throw new ConflictError("This outcome is not agreed yet, so it cannot be done: agree the outcome with your manager first, then record it done.", { code: "not_agreed", path: "status" });
        }
        const rules = await this.rules(tx, o, now);
        // The cadence needs the latest check-in and escalation the latest streak: a few suffice,
        // and one more tells whether a streak goes back further than those.
        const recent = recentCheckInsNeeded(rules) + 1;
        const previous = (
          await findRows(tx.manager, CheckInEntity, { tenantId: p.tenantId, outcomeId }, { select: ["at", "status"], orderBy: { property: "at", direction: "DESC" }, limit: recent })
        ).reverse();
        const author = a.role === "owner" ? a.owner : await this.people.person(tx.manager, p.tenantId, p.userId);
        const warnings = await this.ctx.boundaries.enforce(
          tx,
          { operation: "checkin.create", entity: "outcome", entityId: o.id },
          evaluateCheckIn(rules, { checkIn: { ...body, at: now, completes: statusAfterCheckIn(o.status, body.status) === "done" }, previousCheckIns: previous, now, workingHours: author?.workingHours ?? null, timeZone: a.owner?.timeZone ?? null }),
        );
        const c: CheckInEntity = {
          tenantId: p.tenantId,
          id: randomUUID(),
          outcomeId,
          teamId: o.teamId,
          ownerId: o.ownerId,
          authorId: p.userId,
          at: now,
          status: body.status,
          confidence: body.confidence,
          progress: body.progress,
          note: body.note || null,
          blockers: body.blockers || null,
          supportNeeded: body.supportNeeded || null,
          nextStep: body.nextStep || null,
          ideas: JSON.stringify(body.ideas ?? []),
          ...checkInFacts(body),
          mode: body.mode,
          occurrenceId: body.occurrenceId ?? null,
          scheduleId: null,
          redactedAt: null,
        };
        await insertRow(tx.manager, CheckInEntity, c);
        tx.audit({
          action: "checkin.recorded",
          entity: "check_in",
          entityId: c.id,
          changes: {
            outcomeId: { after: outcomeId },
            status: { after: body.status },
            confidence: { after: body.confidence },
            progress: { after: body.progress },
            mode: { after: body.mode },
            ...digestAll({ note: body.note, blockers: body.blockers, supportNeeded: body.supportNeeded, nextStep: body.nextStep, ideas: body.ideas }),
          },
        });

        const status = statusAfterCheckIn(o.status, body.status);
        const next: Outcome = {
          ...o,
          status,
          currentValue: body.progress,
          lastCheckInAt: now,
          version: o.version + 1,
          updatedAt: now,
          atRiskSince: status === "at_risk" ? (o.atRiskSince ?? now) : null,
          ...(status === "done" && o.status !== "done" ? { doneAt: now, closedAt: now } : {}),
        };
        const escalation = escalationDue(rules, [...previous.map((x) => ({ at: x.at, status: x.status as CheckInStatus })), { at: now, status: body.status }]);
        const escalate = escalatesNow(escalation, { status, atRiskSince: next.atRiskSince, escalatedAt: o.escalatedAt });
        if (escalate) {
          next.escalatedAt = now;
          // Only the latest few were read: a streak that spans all of them may be longer.
          const streak = `${escalation.consecutiveAtRisk}${previous.length === recent && escalation.consecutiveAtRisk > recent ? " or more" : ""}`;
          await this.insertNudge(tx, o, null, "escalation", `At risk for ${streak} check-ins in a row (${escalation.boundaryName}); the manager is asked to offer support.`, now);
          // The manager is asked, in Teams, in the same unit of work: an escalation nobody hears of asks nothing.
          const managerId = a.owner?.managerId;
          if (managerId) {
            const owner = a.owner?.displayName ?? "Your report";
            await this.notify(tx, o, managerId, "supportAsked", `At risk: ${o.title}`, `${owner}'s outcome has been at risk for ${streak} check-ins in a row. What support can you offer?`);
          }
        }
        if (!(await this.outcomes.update(tx.manager, next, o.version, PROGRESS_FIELDS))) throw new ConflictError("The outcome changed at the same moment; try again.");
        if (status === "done") await endOutcomeRhythm(tx, next, () => this.ctx.outbox?.wake());
        tx.audit({ action: "outcome.progressed", entity: "outcome", entityId: o.id, changes: diff(o, next, ["status", "currentValue", "lastCheckInAt", "atRiskSince", "escalatedAt", "doneAt", "closedAt"]) });
        return {
          ...presentCheckIn(c, []),
          outcomeStatus: next.status,
          coachingQuestions: coachingQuestions({ status: body.status, supportNeeded: body.supportNeeded ?? null }),
          escalated: escalate,
          warnings,
        };
      }),
    );
  }

  async list(p: Principal, outcomeId: string): Promise<{ items: z.infer<typeof CheckInOut>[]; coachingQuestions: { key: string; text: string }[] }> {
    const m = this.ctx.dataSource.manager;
    const a = await accessOutcome(m, p, outcomeId);
    const [checkIns, comments] = await Promise.all([
      m.find(CheckInEntity, { where: { tenantId: p.tenantId, outcomeId }, order: { at: "DESC" } }),
      m.find(CommentEntity, { where: { tenantId: p.tenantId, outcomeId }, order: { at: "ASC" } }),
    ]);
    const latest = checkIns[0];
    return {
      items: checkIns.map((c) => presentCheckIn(c, comments)),
      coachingQuestions: coachingQuestions({ status: (latest?.status as CheckInStatus | undefined) ?? a.outcome.status, supportNeeded: latest?.supportNeeded ?? null }),
    };
  }

  /** Managers (and anyone in the owner's chain) comment on a check-in; each comment is coaching or a directive, and counted. */
  async comment(p: Principal, checkInId: string, body: z.output<typeof CreateComment>, requestId: string): Promise<z.infer<typeof CommentCreated>> {
    return this.ctx.boundaries.guard(requestId, () =>
      this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
        const c = await tx.manager.findOneBy(CheckInEntity, { tenantId: p.tenantId, id: checkInId });
        if (!c) throw new NotFoundError("check-in");
        const a = await accessOutcome(tx.manager, p, c.outcomeId);
        if (!closeToTheWork(a) && a.role !== "owner") throw new ForbiddenError("Comments on a check-in come from the owner, their manager chain or their team.");
        const now = new Date().toISOString();
        const rules = await this.rules(tx, a.outcome, now);
        const warnings = await this.ctx.boundaries.enforce(tx, { operation: "comment.create", entity: "check_in", entityId: c.id }, scanFreeText(rules, [{ path: "text", text: body.text }]));
        const suggestion = classifyComment(body.text);
        const k = tx.manager.create(CommentEntity, {
          tenantId: p.tenantId,
          id: randomUUID(),
          checkInId,
          outcomeId: c.outcomeId,
          teamId: c.teamId,
          authorId: p.userId,
          at: now,
          kind: body.kind ?? suggestion.kind,
          text: body.text,
          redactedAt: null,
        });
        await tx.manager.insert(CommentEntity, k);
        tx.audit({ action: "comment.added", entity: "comment", entityId: k.id, changes: { checkInId: { after: checkInId }, kind: { after: k.kind }, ...digestAll({ text: body.text }) } });
        return { ...presentComment(k), suggestedKind: suggestion.kind, warnings };
      }),
    );
  }

  async nudge(p: Principal, outcomeId: string, body: z.output<typeof CreateNudge>, requestId: string): Promise<z.infer<typeof NudgeCreated>> {
    return this.ctx.boundaries.guard(requestId, () =>
      this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
        // The outcome's row is held until the commit, so two nudges at once count each other
        // against the weekly limit.
        const a = await accessOutcome(tx.manager, p, outcomeId, undefined, { forUpdate: true });
        if (a.role === "owner") throw new ForbiddenError("You cannot nudge yourself.");
        if (!closeToTheWork(a)) throw new ForbiddenError("Nudges come from the owner's manager chain or their team; seeing an outcome is not a reason to chase it.");
        const sent = await this.sendNudge(tx, a, p.userId, "nudge", body.message ?? null);
        // The owner hears of it in Teams; the nudge and its notice commit together. The message
        // stays in the nudge, where retention can clear it, not in the notice kept by the outbox.
        const sender = (await this.people.person(tx.manager, p.tenantId, p.userId))?.displayName ?? "A colleague";
        const o = a.outcome;
        await this.notify(tx, o, o.ownerId, "nudged", `Nudge: ${o.title}`, `${sender} asks how "${o.title}" is going${body.message ? " and left you a message" : ""}.`);
        return sent;
      }),
    );
  }

  /** A reminder from the system (for example when a check-in is due); counts against the nudge limit like any nudge. The caller holds the outcome's row. */
  async systemReminder(tx: Tx, a: OutcomeAccess, message: string): Promise<z.infer<typeof NudgeCreated>> {
    return this.sendNudge(tx, a, SYSTEM, "reminder", message);
  }

  /** Callers hold the outcome's row (read for update), so the week's count cannot change under them. */
  private async sendNudge(tx: Tx, a: OutcomeAccess, senderId: string, kind: "nudge" | "reminder", message: string | null): Promise<z.infer<typeof NudgeCreated>> {
    const o = a.outcome;
    const now = new Date().toISOString();
    // Missed from the moment its deadline passes, as every read shows it, before the sweep records it.
    const status = missedStatus(o, now, a.owner?.timeZone);
    if (TERMINAL_STATUSES.includes(status)) throw new ConflictError(`This outcome is ${status}; there is nothing to nudge about.`, { code: "closed" });
    const recent = await tx.manager.find(NudgeEntity, { where: { tenantId: tx.ctx.tenantId, outcomeId: o.id }, select: { outcomeId: true, at: true, kind: true } });
    const counted = recent.filter((n) => n.kind !== "escalation");
    const thisWeek = nudgesInWeek(counted, o.id, now).count;
    const rules = await this.rules(tx, o, now);
    const overLimit = evaluateNudge(rules, { outcomeId: o.id, nudgesThisWeek: thisWeek, now });
    // The limit is a ceiling for the system even where it only warns people: no reminder rather than one over it.
    if (kind === "reminder" && overLimit.length > 0) throw new ConflictError("The nudge limit for this week is reached; the system sends no reminder over it.", { code: "nudge_limit" });
    const findings = [...overLimit, ...scanFreeText(rules, [{ path: "message", text: message }])];
    const warnings = await this.ctx.boundaries.enforce(tx, { operation: `${kind}.send`, entity: "outcome", entityId: o.id }, findings);
    const n = await this.insertNudge(tx, o, senderId === SYSTEM ? null : senderId, kind, message, now);
    return { ...presentNudge(n), nudgesThisWeek: thisWeek + 1, limit: ruleOfKind(rules, "nudge_limit")?.rule.perOutcomePerWeek ?? null, warnings };
  }

  /** A Teams activity notification about an outcome, queued in the unit of work and sent after it commits. */
  private async notify(tx: Tx, o: Outcome, recipientId: string, activityType: "nudged" | "supportAsked", topic: string, preview: string): Promise<void> {
    const payload: NotificationPayload = {
      userId: recipientId,
      outcomeId: o.id,
      notification: {
        topic: { source: "text", value: topic.slice(0, 120), webUrl: outcomeLink(this.ctx.config.publicUrl, o.id) },
        activityType,
        previewText: { content: preview.slice(0, 150) },
        templateParameters: [{ name: "outcome", value: o.title }],
      },
    };
    await this.outbox.enqueue(tx.manager, { tenantId: o.tenantId, kind: "notification.send", payload: payload as unknown as Record<string, unknown> });
    tx.afterCommit(() => this.ctx.outbox?.wake());
  }

  private async insertNudge(tx: Tx, o: Outcome, senderId: string | null, kind: "nudge" | "reminder" | "escalation", message: string | null, now: string): Promise<NudgeEntity> {
    const n: NudgeEntity = { tenantId: o.tenantId, id: randomUUID(), outcomeId: o.id, teamId: o.teamId, ownerId: o.ownerId, senderId, kind, at: now, message, redactedAt: null };
    await insertRow(tx.manager, NudgeEntity, n);
    // A reminder or an escalation is the system's doing, whoever's request set it off.
    tx.audit({ action: `nudge.${kind === "nudge" ? "sent" : kind}`, entity: "nudge", entityId: n.id, changes: { outcomeId: { after: o.id }, kind: { after: kind }, senderId: { after: senderId }, ...digestAll({ message }) }, bySystem: kind !== "nudge" });
    return n;
  }

  async nudges(p: Principal, outcomeId: string): Promise<{ items: z.infer<typeof NudgeOut>[] }> {
    const m = this.ctx.dataSource.manager;
    await accessOutcome(m, p, outcomeId);
    const rows = await m.find(NudgeEntity, { where: { tenantId: p.tenantId, outcomeId }, order: { at: "DESC" } });
    return { items: rows.map(presentNudge) };
  }

  async review(p: Principal, outcomeId: string, body: z.output<typeof CreateReview>, requestId: string): Promise<z.infer<typeof ReviewOut>> {
    return this.ctx.boundaries.guard(requestId, () =>
      this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
        const a = await accessOutcome(tx.manager, p, outcomeId, undefined, { forUpdate: true });
        // A manager up the chain whom the owner also named as a delegate is still their manager.
        if (a.role !== "owner" && a.role !== "manager" && a.role !== "chain" && !a.viewer.reportIds.has(a.outcome.ownerId)) throw new ForbiddenError("A review is written by the owner or their manager.");
        let o = a.outcome;
        // One review from each author: a retried or repeated form would count its causes twice on the dashboard.
        if (await tx.manager.existsBy(ReviewEntity, { tenantId: p.tenantId, outcomeId, authorId: p.userId })) {
          throw new ConflictError("You have already written a review of this outcome; it is in the outcome's reviews.", { code: "already_reviewed" });
        }
        const now = new Date().toISOString();
        if (o.status !== "missed" && o.status !== "dropped") {
          // A deadline that passed before the sweep came round: the outcome is missed already (as
          // every read shows it), and is recorded so in this unit of work, before its review.
          const owner = await this.people.person(tx.manager, p.tenantId, o.ownerId);
          const missed = missedStatus(o, now, owner?.timeZone) === "missed" ? await markMissed(tx, o, now) : null;
          if (!missed) throw new ConflictError(`Reviews are for missed or dropped outcomes; this one is ${o.status}.`, { code: "not_reviewable" });
          o = missed;
        }
        const actionOwners = await this.people.people(tx.manager, p.tenantId, body.actions.map((x) => x.ownerId));
        const known = new Set(actionOwners.map((x) => x.id));
        const unknown = body.actions.findIndex((x) => !known.has(x.ownerId));
        if (unknown >= 0) throw new ValidationError([{ path: `actions.${unknown}.ownerId`, message: "No person with this id in your organisation." }]);
        const rules = await this.rules(tx, o, now);
        const texts = [
          { path: "whatBlocked", text: body.whatBlocked },
          { path: "whatCouldImprove", text: body.whatCouldImprove },
          { path: "supportNeeded", text: body.supportNeeded },
          ...body.actions.map((x, i) => ({ path: `actions.${i}.description`, text: x.description })),
        ];
        const warnings = await this.ctx.boundaries.enforce(tx, { operation: "review.create", entity: "outcome", entityId: o.id }, scanFreeText(rules, texts));
        const r = tx.manager.create(ReviewEntity, {
          tenantId: p.tenantId,
          id: randomUUID(),
          outcomeId,
          teamId: o.teamId,
          authorId: p.userId,
          at: now,
          whatBlocked: body.whatBlocked,
          whatCouldImprove: body.whatCouldImprove,
          supportNeeded: body.supportNeeded || null,
          causes: JSON.stringify([...new Set(body.causes)]),
          actions: JSON.stringify(body.actions),
          redactedAt: null,
        });
        await tx.manager.insert(ReviewEntity, r);
        tx.audit({
          action: "review.written",
          entity: "review",
          entityId: r.id,
          changes: {
            outcomeId: { after: outcomeId },
            causes: { after: [...new Set(body.causes)] },
            // Each follow-up's owner and due date as written; its description, free text, as a digest.
            actions: { after: body.actions.map((x) => ({ description: textDigest(x.description), ownerId: x.ownerId, ...(x.dueDate ? { dueDate: x.dueDate } : {}) })) },
            ...digestAll({ whatBlocked: body.whatBlocked, whatCouldImprove: body.whatCouldImprove, supportNeeded: body.supportNeeded }),
          },
        });
        return { ...presentReview(r), warnings };
      }),
    );
  }

  async reviews(p: Principal, outcomeId: string): Promise<{ items: z.infer<typeof ReviewOut>[] }> {
    const m = this.ctx.dataSource.manager;
    await accessOutcome(m, p, outcomeId);
    const rows = await m.find(ReviewEntity, { where: { tenantId: p.tenantId, outcomeId }, order: { at: "DESC" } });
    return { items: rows.map(presentReview) };
  }
}

/**
 * The owner's manager chain, delegates and teammates: the people whose nudges and comments belong
 * in the work. Teammates only where the outcome is the team's to see: a private one is seen by a
 * teammate only through a compliance role, which is there to look, not to chase.
 */
function closeToTheWork(a: OutcomeAccess): boolean {
  return a.role === "manager" || a.role === "chain" || a.role === "delegate" || (a.outcome.visibility !== "private" && a.viewer.teamIds.has(a.outcome.teamId));
}

function presentReview(r: ReviewEntity): z.infer<typeof ReviewOut> {
  return {
    id: r.id,
    outcomeId: r.outcomeId,
    authorId: r.authorId,
    at: r.at,
    whatBlocked: r.whatBlocked,
    whatCouldImprove: r.whatCouldImprove,
    supportNeeded: r.supportNeeded,
    causes: JSON.parse(r.causes) as CauseCategory[],
    actions: JSON.parse(r.actions) as { description: string; ownerId: string; dueDate?: string }[],
  };
}
