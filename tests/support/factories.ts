// Factories for tests that need history the API cannot make (check-ins weeks ago, an outcome done
// last month). Each writes through the unit of work with an audit event, as services do, so the
// trail and every change stamp stay truthful. Times are chosen by the test.

import { checkInFacts } from "../../server/src/domain/check-in-facts";
import { randomUUID } from "node:crypto";
import type { PendingWhat } from "../../server/src/domain/agreement";
import type { CauseCategory, OutcomeStatus, What } from "../../server/src/domain/types";
import { BoundaryEntity, CheckInEntity, CommentEntity, NudgeEntity, OutcomeEntity, ReviewEntity, TeamEntity, TeamMembershipEntity } from "../../server/src/store/entities";
import { OutcomeRepository, type Outcome } from "../../server/src/store/repositories/outcome.repository";
import type { Tx } from "../../server/src/store/unit-of-work";
import { CONTOSO, type TestServer } from "./harness";

const DAY = 86_400_000;

/** An ISO instant `days` before (negative: after) a reference instant. */
export const daysBefore = (ref: number, days: number) => new Date(ref - days * DAY).toISOString();

function work<T>(s: TestServer, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return s.leeway.context.uow.run({ tenantId, actor: { tenantId, userId: "test-factory" }, requestId: `factory-${randomUUID()}` }, fn);
}

export async function buildTeam(s: TestServer, t: { name: string; memberIds: string[]; leadId?: string; rhythm?: "weekly" | "biweekly"; tenantId?: string }): Promise<string> {
  const tenantId = t.tenantId ?? CONTOSO;
  const id = randomUUID();
  await work(s, tenantId, async (tx) => {
    await tx.manager.insert(TeamEntity, { tenantId, id, name: t.name, description: "", rhythm: t.rhythm ?? "weekly", createdAt: new Date().toISOString() });
    for (const personId of t.memberIds) await tx.manager.insert(TeamMembershipEntity, { tenantId, teamId: id, personId, role: personId === t.leadId ? "lead" : "member" });
    tx.audit({ action: "team.created", entity: "team", entityId: id, changes: { name: { after: t.name }, members: { after: t.memberIds } } });
  });
  return id;
}

export type OutcomeSeed = Partial<Omit<Outcome, "pending">> & { ownerId: string; teamId: string; pending?: PendingWhat | null };

export async function buildOutcome(s: TestServer, seed: OutcomeSeed): Promise<Outcome> {
  const tenantId = seed.tenantId ?? CONTOSO;
  const now = new Date().toISOString();
  const o: Outcome = {
    tenantId,
    id: randomUUID(),
    title: "Cut loan decision time",
    metric: "Median days to decision",
    unit: "days",
    baseline: 10,
    target: 5,
    currentValue: null,
    deadline: new Date(Date.now() + 60 * DAY).toISOString().slice(0, 10),
    ifMissed: "We re-plan with the risk team.",
    visibility: "team",
    status: "agreed" as OutcomeStatus,
    approach: {},
    riskClass: null,
    approvalState: "not_required",
    approvedBy: null,
    agreedWhat: null,
    pending: null,
    delegateIds: [],
    version: 1,
    createdBy: seed.ownerId,
    createdAt: now,
    updatedAt: now,
    agreedAt: null,
    doneAt: null,
    closedAt: null,
    atRiskSince: null,
    escalatedAt: null,
    lastCheckInAt: null,
    ...seed,
  };
  if (o.agreedWhat === null && o.agreedAt !== null) o.agreedWhat = whatOf(o);
  await work(s, tenantId, async (tx) => {
    await new OutcomeRepository().insert(tx.manager, o);
    tx.audit({ action: "outcome.created", entity: "outcome", entityId: o.id, changes: { title: { after: o.title }, status: { after: o.status } } });
  });
  return o;
}

export function whatOf(o: Pick<Outcome, "title" | "metric" | "unit" | "baseline" | "target" | "deadline" | "ifMissed">): What {
  return { title: o.title, measure: { metric: o.metric, unit: o.unit, baseline: o.baseline, target: o.target }, deadline: o.deadline, ifMissed: o.ifMissed };
}

export interface CheckInSeed {
  at: string;
  status: "on_track" | "at_risk" | "off_track" | "done";
  progress: number;
  confidence?: number;
  ideas?: string[];
  supportNeeded?: string | null;
  authorId?: string;
}

/** A check-in, and the outcome's last check-in time and current value moved on as the service does. */
export async function buildCheckIn(s: TestServer, o: Outcome, c: CheckInSeed): Promise<string> {
  const id = randomUUID();
  await work(s, o.tenantId, async (tx) => {
    await tx.manager.insert(CheckInEntity, {
      tenantId: o.tenantId,
      id,
      outcomeId: o.id,
      teamId: o.teamId,
      ownerId: o.ownerId,
      authorId: c.authorId ?? o.ownerId,
      at: c.at,
      status: c.status,
      confidence: c.confidence ?? 3,
      progress: c.progress,
      note: null,
      blockers: null,
      supportNeeded: c.supportNeeded ?? null,
      nextStep: null,
      ideas: JSON.stringify(c.ideas ?? []),
      ...checkInFacts(c),
      mode: "async",
      occurrenceId: null,
      scheduleId: null,
      redactedAt: null,
    });
    const current = await tx.manager.findOneByOrFail(OutcomeEntity, { tenantId: o.tenantId, id: o.id });
    if (!current.lastCheckInAt || current.lastCheckInAt < c.at) {
      await tx.manager.update(OutcomeEntity, { tenantId: o.tenantId, id: o.id }, { lastCheckInAt: c.at, currentValue: c.progress });
    }
    tx.audit({ action: "checkin.recorded", entity: "check_in", entityId: id, changes: { outcomeId: { after: o.id }, status: { after: c.status }, progress: { after: c.progress } } });
  });
  return id;
}

export async function buildComment(s: TestServer, o: Outcome, checkInId: string, c: { at: string; kind: "coaching" | "directive"; authorId: string; text?: string }): Promise<string> {
  const id = randomUUID();
  await work(s, o.tenantId, async (tx) => {
    await tx.manager.insert(CommentEntity, { tenantId: o.tenantId, id, checkInId, outcomeId: o.id, teamId: o.teamId, authorId: c.authorId, at: c.at, kind: c.kind, text: c.text ?? "What do you need?", redactedAt: null });
    tx.audit({ action: "comment.added", entity: "comment", entityId: id, changes: { checkInId: { after: checkInId }, kind: { after: c.kind } } });
  });
  return id;
}

export async function buildNudge(s: TestServer, o: Outcome, n: { at: string; kind?: "reminder" | "nudge" | "escalation"; senderId?: string | null }): Promise<string> {
  const id = randomUUID();
  await work(s, o.tenantId, async (tx) => {
    await tx.manager.insert(NudgeEntity, { tenantId: o.tenantId, id, outcomeId: o.id, teamId: o.teamId, ownerId: o.ownerId, senderId: n.senderId ?? null, kind: n.kind ?? "nudge", at: n.at, message: null });
    tx.audit({ action: "nudge.sent", entity: "nudge", entityId: id, changes: { outcomeId: { after: o.id }, kind: { after: n.kind ?? "nudge" } } });
  });
  return id;
}

export async function buildReview(s: TestServer, o: Outcome, r: { at: string; causes: CauseCategory[]; authorId?: string; actions?: { description: string; ownerId: string; dueDate?: string }[] }): Promise<string> {
  const id = randomUUID();
  await work(s, o.tenantId, async (tx) => {
    await tx.manager.insert(ReviewEntity, {
      tenantId: o.tenantId,
      id,
      outcomeId: o.id,
      teamId: o.teamId,
      authorId: r.authorId ?? o.ownerId,
      at: r.at,
      whatBlocked: "Training slots were cancelled.",
      whatCouldImprove: "Book trainers a quarter ahead.",
      supportNeeded: null,
      causes: JSON.stringify(r.causes),
      actions: JSON.stringify(r.actions ?? []),
      redactedAt: null,
    });
    tx.audit({ action: "review.written", entity: "review", entityId: id, changes: { outcomeId: { after: o.id }, causes: { after: r.causes } } });
  });
  return id;
}

/** An active boundary, in force from yesterday; the enforcement cache of the server is cleared. */
export async function buildBoundary(
  s: TestServer,
  b: {
    name: string;
    rule: Record<string, unknown> & { kind: string };
    scope?: { level: "tenant" } | { level: "team"; teamId: string };
    enforcement?: "block" | "warn";
    tenantId?: string;
    effectiveFrom?: string;
    effectiveTo?: string | null;
  },
): Promise<string> {
  const tenantId = b.tenantId ?? CONTOSO;
  const id = randomUUID();
  const scope = b.scope ?? { level: "tenant" };
  await work(s, tenantId, async (tx) => {
    await tx.manager.insert(BoundaryEntity, {
      tenantId,
      id,
      version: 1,
      name: b.name,
      kind: b.rule.kind,
      scopeLevel: scope.level,
      scopeId: scope.level === "team" ? scope.teamId : null,
      enforcement: b.enforcement ?? "block",
      rule: JSON.stringify(b.rule),
      effectiveFrom: b.effectiveFrom ?? new Date(Date.now() - DAY).toISOString(),
      effectiveTo: b.effectiveTo ?? null,
      expiresAt: null,
      reason: null,
      state: "active",
      proposedBy: "test-factory",
      proposedAt: new Date().toISOString(),
      decidedBy: "test-factory",
      decidedAt: new Date().toISOString(),
    });
    tx.audit({ action: "boundary.created", entity: "boundary", entityId: id, changes: { name: { after: b.name }, rule: { after: b.rule } } });
  });
  s.leeway.context.boundaries.invalidate(tenantId);
  return id;
}
