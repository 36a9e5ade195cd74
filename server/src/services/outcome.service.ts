import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { z } from "zod";
import type { AppContext } from "../context";
import type { CreateOutcome, ListOutcomesQuery, OutcomeOut, UpdateOutcome } from "../contract/outcomes";
import { acceptWhat, canEditApproach, createAgreement, proposeWhat, stampManagerAcceptance, withdrawPending, type AgreementState, type Party } from "../domain/agreement";
import { evaluateOutcomeWrite, scanFreeText, type EffectiveRules } from "../domain/boundaries";
import { missedStatus } from "../domain/status";
import { TERMINAL_STATUSES, type What } from "../domain/types";
import { ConflictError, ForbiddenError, PreconditionFailedError, PreconditionRequiredError, ValidationError } from "../errors";
import { ROLES, type Principal } from "../identity/principal";
import { viewerOf } from "../policies/viewer";
import { OutcomeRepository, type AgreementRecord, type Outcome } from "../store/repositories/outcome.repository";
import { PeopleRepository } from "../store/repositories/people.repository";
import { diff, type Tx } from "../store/unit-of-work";
import type { FindingOut } from "./boundary-enforcement";
import { unwrap } from "./domain-errors";
import { accessOutcome, partyOf, todayIn, type OutcomeAccess } from "./outcome-access";
import { etagOf, matchesEtag, presentOutcome, whatOf } from "./outcome.presenter";
import { applyState, draftOf, needsRiskApproval, proposedWhat, refuseChangeOfClosed, riskApprovalHolds, stateAt, stateOf } from "./outcome-state";
import { decodeKeysetCursor, encodeKeysetCursor } from "./keyset-cursor";
import { agreeOnApproval, filterByApproval, withApprovalNow } from "./risk-approval";
import { endOutcomeRhythm } from "./schedule.service";

type Ctx = Pick<AppContext, "dataSource" | "uow" | "boundaries" | "outbox">;
export interface OutcomeResult {
  outcome: OutcomeOut;
  etag: string;
}

const AUDITED = ["title", "metric", "unit", "baseline", "target", "currentValue", "deadline", "ifMissed", "visibility", "status", "approach", "riskClass", "approvalState", "agreedWhat", "pending", "delegateIds"] as const;

/** Thrown out of a PATCH's unit of work when the PATCH changes nothing, carrying the answer. */
class NothingChanged extends Error {
  constructor(readonly result: OutcomeResult) {
    super("nothing changed");
  }
}

/** Outcomes: create, read, list, change, and agreement on the *what* between owner and manager. */
export class OutcomeService {
  private readonly repo = new OutcomeRepository();
  private readonly people = new PeopleRepository();

  constructor(private readonly ctx: Ctx) {}

  private ctxOf(p: Principal, requestId: string) {
    return { tenantId: p.tenantId, actor: { tenantId: p.tenantId, userId: p.userId }, requestId };
  }

  private rules(tx: Tx, o: Pick<Outcome, "ownerId" | "teamId">, now: string): Promise<EffectiveRules> {
    return this.rulesOf(tx.manager, tx.ctx.tenantId, o, now);
  }

  private async rulesOf(m: EntityManager, tenantId: string, o: Pick<Outcome, "ownerId" | "teamId">, now: string): Promise<EffectiveRules> {
    const teams = await this.people.teamsOf(m, tenantId, o.ownerId);
    return this.ctx.boundaries.rulesFor(m, tenantId, { teamIds: [...new Set([o.teamId, ...teams.map((t) => t.id)])], personId: o.ownerId }, now);
  }

  /**
   * Whether agreement waits for the risk-class approval. For an owner without a manager that is
   * only so under a blocking rule: one that warns lets them agree, with its warning.
   */
  private async approvalHolds(m: EntityManager, o: Outcome, managerId: string | null, rulesOfOwner = new Map<string, Promise<EffectiveRules>>()): Promise<boolean> {
    if (o.approvalState !== "pending") return false;
    if (managerId !== null || !o.pending) return true;
    // A list reads each owner's rules once (owners without a manager are few).
    const key = `${o.ownerId}|${o.teamId}`;
    let rules = rulesOfOwner.get(key);
    if (!rules) rulesOfOwner.set(key, (rules = this.rulesOf(m, o.tenantId, o, new Date().toISOString())));
    return riskApprovalHolds(await rules, o.riskClass);
  }

  /** The answer about one outcome, with its approval state as every read shows it. */
  private async result(m: EntityManager, o: Outcome, managerId: string | null, timeZone: string | null, warnings?: FindingOut[]): Promise<OutcomeResult> {
    const [shown] = await withApprovalNow(m, this.ctx.boundaries, o.tenantId, [o], () => timeZone);
    return { outcome: presentOutcome(shown!, managerId, new Date().toISOString(), timeZone, warnings, await this.approvalHolds(m, shown!, managerId)), etag: etagOf(o) };
  }

  async create(p: Principal, body: z.output<typeof CreateOutcome>, requestId: string): Promise<OutcomeResult> {
    return this.ctx.boundaries.guard(requestId, () =>
      this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
        const m = tx.manager;
        const owner = await this.people.person(m, p.tenantId, body.ownerId);
        if (!owner) throw new ValidationError([{ path: "ownerId", message: "No person with this id in your organisation." }]);
        const team = await this.people.team(m, p.tenantId, body.teamId);
        if (!team) throw new ValidationError([{ path: "teamId", message: "No team with this id in your organisation." }]);
        const members = await this.people.teamMemberIds(m, p.tenantId, body.teamId);
        if (!members.includes(owner.id)) throw new ValidationError([{ path: "teamId", message: `${owner.displayName} is not a member of ${team.name}.` }]);
        const by: Party | null = p.userId === owner.id ? "owner" : p.userId === owner.managerId ? "manager" : null;
        if (!by) throw new ForbiddenError("Only the owner or the owner's manager can propose an outcome for them.");
        // The how is the owner's from the first version on: a manager proposes the what only.
        if (body.approach !== undefined && by !== "owner") unwrap(canEditApproach(by));
        if (body.deadline < todayIn(owner.timeZone)) throw new ValidationError([{ path: "deadline", message: "The deadline cannot be in the past." }]);

        const now = new Date().toISOString();
        const what: What = { title: body.title, measure: body.measure, deadline: body.deadline, ifMissed: body.ifMissed };
        const rules = await this.rules(tx, { ownerId: owner.id, teamId: body.teamId }, now);
        const needsApproval = needsRiskApproval(rules, body.riskClass);
        // Someone without a manager agrees with themself: their proposal is the agreement, once a
        // risk class that a blocking rule holds back is approved (approval comes before agreement);
        // under a rule that only warns, at once, with the warning.
        let state: AgreementState = unwrap(createAgreement({ what, by, version: 1 }));
        if (!owner.managerId && !riskApprovalHolds(rules, body.riskClass)) state = unwrap(acceptWhat(state, { by: "manager", version: 1, currentVersion: 1 }));
        const o: Outcome = {
          tenantId: p.tenantId,
          id: randomUUID(),
          ownerId: owner.id,
          teamId: body.teamId,
          title: what.title,
          metric: what.measure.metric,
          unit: what.measure.unit,
          baseline: what.measure.baseline,
          target: what.measure.target,
          currentValue: null,
          deadline: what.deadline,
          ifMissed: what.ifMissed,
          visibility: body.visibility,
          status: state.status,
          approach: body.approach ?? {},
          riskClass: body.riskClass ?? null,
          approvalState: needsApproval ? "pending" : "not_required",
          approvedBy: null,
          agreedWhat: state.agreedWhat,
          pending: stampManagerAcceptance(state.pending, owner.managerId),
          delegateIds: [],
          version: 1,
          createdBy: p.userId,
          createdAt: now,
          updatedAt: now,
          agreedAt: state.status === "agreed" ? now : null,
          doneAt: null,
          closedAt: null,
          atRiskSince: null,
          escalatedAt: null,
          lastCheckInAt: null,
        };
        const warnings = await this.ctx.boundaries.enforce(
          tx,
          { operation: "outcome.create", entity: "outcome", entityId: o.id },
          evaluateOutcomeWrite(rules, { ...body, riskApproved: false }, { intent: "save", writtenByOwner: by === "owner" }),
        );
        await this.repo.insert(m, o);
        await this.repo.saveAgreement(m, p.tenantId, {
          outcomeId: o.id,
          version: 1,
          kind: "create",
          what,
          proposedBy: p.userId,
          proposedAs: by,
          reason: null,
          state: state.pending ? "pending" : "agreed",
          ownerAcceptedAt: by === "owner" || !state.pending ? now : null,
          managerAcceptedAt: by === "manager" || !state.pending ? now : null,
          managerId: owner.managerId,
          createdAt: now,
          decidedAt: state.pending ? null : now,
          decidedBy: state.pending ? null : p.userId,
          decisionReason: null,
        });
        tx.audit({ action: "outcome.created", entity: "outcome", entityId: o.id, changes: diff(null, o, AUDITED) });
        return this.result(m, o, owner.managerId, owner.timeZone, warnings);
      }),
    );
  }

  async get(p: Principal, id: string): Promise<OutcomeResult> {
    const m = this.ctx.dataSource.manager;
    const a = await accessOutcome(m, p, id);
    return this.result(m, a.outcome, a.managerId, a.owner?.timeZone ?? null);
  }

  async list(p: Principal, q: z.output<typeof ListOutcomesQuery>): Promise<{ items: OutcomeOut[]; nextCursor: string | null }> {
    const m = this.ctx.dataSource.manager;
    const v = await viewerOf(m, p);
    const after = q.cursor ? decodeKeysetCursor(q.cursor) : undefined;
    const qb = this.repo.visibleQuery(m, p.tenantId, v, { teamId: q.teamId, ownerId: q.ownerId, status: q.status, after });
    if (q.approval) await filterByApproval(qb, m, this.ctx.boundaries, p.tenantId, q.approval);
    const rows = await qb.limit(q.limit + 1).getMany();
    const stored = rows.slice(0, q.limit).map((e) => this.repo.fromEntity(e));
    const owners = await this.people.people(m, p.tenantId, stored.map((o) => o.ownerId));
    const byId = new Map(owners.map((o) => [o.id, o]));
    const shown = await withApprovalNow(m, this.ctx.boundaries, p.tenantId, stored, (o) => byId.get(o.ownerId)?.timeZone ?? null);
    const now = new Date().toISOString();
    // The query reads stored states; an outcome missed since its deadline, before the sweep records
    // it, is shown as it reads, so it is listed under the state it shows and left out of the others.
    const rulesOfOwner = new Map<string, Promise<EffectiveRules>>();
    const presented = await Promise.all(
      shown.map(async (o) => {
        const managerId = byId.get(o.ownerId)?.managerId ?? null;
        return presentOutcome(o, managerId, now, byId.get(o.ownerId)?.timeZone ?? null, undefined, await this.approvalHolds(m, o, managerId, rulesOfOwner));
      }),
    );
    const items = presented
      .filter((o) => (!q.approval || o.agreement.approval.state === q.approval) && (!q.status || o.status === q.status));
    const last = stored[stored.length - 1];
    return {
      items,
      nextCursor: rows.length > q.limit && last ? encodeKeysetCursor(last.createdAt, last.id) : null,
    };
  }

  /**
   * Loads for a write inside the unit of work, checking visibility and the caller's ETag. The row
   * stays locked until the unit of work ends, so writes sent at the same moment take turns: the
   * later one sees the new version and answers 412 instead of racing for the same version.
   */
  private async forWrite(tx: Tx, p: Principal, id: string, ifMatch?: string): Promise<OutcomeAccess> {
    const a = await accessOutcome(tx.manager, p, id, undefined, { forUpdate: true });
    if (ifMatch !== undefined && !matchesEtag(ifMatch, a.outcome)) {
      throw new PreconditionFailedError(`Someone changed this outcome since you read it; it is now at version ${a.outcome.version}. Reload it and apply your change again.`, {
        currentVersion: a.outcome.version,
        currentEtag: etagOf(a.outcome),
      });
    }
    return a;
  }

  private async save(tx: Tx, before: Outcome, after: Outcome, action: string, reason: string | null = null): Promise<void> {
    if (!(await this.repo.update(tx.manager, after, before.version))) {
      throw new PreconditionFailedError("Someone changed this outcome at the same moment; reload it and try again.", { currentVersion: before.version + 1 });
    }
    tx.audit({ action, entity: "outcome", entityId: after.id, changes: diff(before, after, AUDITED), reason });
    if (TERMINAL_STATUSES.includes(after.status) && !TERMINAL_STATUSES.includes(before.status)) await endOutcomeRhythm(tx, after, this.wakeOutbox);
  }

  private readonly wakeOutbox = () => this.ctx.outbox?.wake();

  async update(p: Principal, id: string, ifMatch: string | undefined, body: z.output<typeof UpdateOutcome>, requestId: string): Promise<OutcomeResult> {
    if (!ifMatch) throw new PreconditionRequiredError();
    try {
      return await this.applyUpdate(p, id, ifMatch, body, requestId);
    } catch (err) {
      // Nothing was written: the unit of work rolled back, and the outcome keeps its version.
      if (err instanceof NothingChanged) return err.result;
      throw err;
    }
  }

  private async applyUpdate(p: Principal, id: string, ifMatch: string, body: z.output<typeof UpdateOutcome>, requestId: string): Promise<OutcomeResult> {
    return this.ctx.boundaries.guard(requestId, () =>
      this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
        const a = await this.forWrite(tx, p, id, ifMatch);
        if (a.role !== "owner" && a.role !== "delegate" && a.role !== "manager") {
          throw new ForbiddenError("Only the owner, someone they named to act for them, or the owner's manager changes an outcome; comment on a check-in instead.");
        }
        const o = a.outcome;
        const now = new Date().toISOString();
        const status = missedStatus(o, now, a.owner?.timeZone);
        const closed = TERMINAL_STATUSES.includes(status);
        if (closed) refuseChangeOfClosed(o, status, body);
        const next: Outcome = { ...o, version: o.version + 1, updatedAt: now };
        const ownerSide = a.role === "owner" || a.role === "delegate";

        if (body.approach !== undefined) {
          unwrap(canEditApproach(a.role));
          next.approach = { ...o.approach, ...body.approach };
        }
        for (const field of ["visibility", "delegateIds", "riskClass"] as const) {
          if (body[field] === undefined) continue;
          if (a.role !== "owner") throw new ForbiddenError(`Only the owner can change ${field}.`, { path: field });
        }
        if (body.visibility) next.visibility = body.visibility;
        if (body.delegateIds) {
          const delegates = await this.validDelegates(tx, p.tenantId, body.delegateIds, o.ownerId);
          // The same people in another order are no change.
          const same = delegates.length === o.delegateIds.length && delegates.every((d) => o.delegateIds.includes(d));
          next.delegateIds = same ? o.delegateIds : delegates;
        }
        if (body.riskClass !== undefined) next.riskClass = body.riskClass;
        if (body.measure?.current !== undefined) {
          if (!ownerSide) throw new ForbiddenError("Progress is reported by the owner (or their delegate), usually in a check-in.", { path: "measure.current" });
          next.currentValue = body.measure.current;
        }

        const rules = await this.rules(tx, o, now);
        // A new risk class is judged afresh: an approval given for one class does not carry over,
        // and a class that needs approval cannot slip in after the outcome was agreed without it.
        const riskChanged = body.riskClass !== undefined && (body.riskClass ?? "").trim().toLowerCase() !== (o.riskClass ?? "").trim().toLowerCase();
        if (riskChanged) {
          next.approvalState = needsRiskApproval(rules, next.riskClass) ? "pending" : "not_required";
          next.approvedBy = null;
        }
        const proposed = proposedWhat(o, body);
        let selfAgreed = false;
        if (proposed) {
          const party = partyOf(a.role);
          if (!party) throw new ForbiddenError("Only the owner and the owner's manager agree on the what (title, measure, deadline, consequence).");
          if (proposed.measure.target === proposed.measure.baseline) {
            throw new ValidationError([{ path: "measure.target", message: "The target must differ from the baseline, or there is nothing to achieve." }]);
          }
          // A new deadline is held to the same rule as on create: not before today in the owner's day.
          if (body.deadline !== undefined && body.deadline !== o.deadline && body.deadline < todayIn(a.owner?.timeZone)) {
            throw new ValidationError([{ path: "deadline", message: "The deadline cannot be in the past." }]);
          }
          let state = unwrap(proposeWhat(stateOf(o, a.managerId), { what: proposed, by: party, version: next.version, reason: body.reason ?? null, kind: "change" }));
          // Someone without a manager agrees with themself, as on create: at once, unless a blocking
          // rule holds the class back until it is approved; then the change waits for the approval alone.
          selfAgreed = party === "owner" && !a.managerId && (next.approvalState === "approved" || !riskApprovalHolds(rules, next.riskClass));
          if (selfAgreed) state = unwrap(acceptWhat(state, { by: "manager", version: next.version, currentVersion: next.version }));
          applyState(next, state, now, a.managerId);
          await this.recordProposal(tx, o, next, party, p.userId, a.managerId, "change", body.reason ?? null, now, selfAgreed);
        }
        // A change to nothing is answered with the outcome as it is: no new version, no audit event.
        if (!proposed && Object.keys(diff(o, next, AUDITED)).length === 0) throw new NothingChanged(await this.result(tx.manager, o, a.managerId, a.owner?.timeZone ?? null, []));
        // A closed outcome's record does not change (only who may see it), so rules about its
        // content are not judged again: a rule that came in later would otherwise lock it.
        const warnings = closed ? [] : await this.ctx.boundaries.enforce(
          tx,
          { operation: "outcome.update", entity: "outcome", entityId: o.id },
          evaluateOutcomeWrite(rules, { ...draftOf(next), riskApproved: next.approvalState === "approved", reason: body.reason ?? null }, { intent: (riskChanged && o.agreedWhat) || selfAgreed ? "agree" : "save", writtenByOwner: a.role !== "manager" }),
        );
        await this.save(tx, o, next, "outcome.updated", body.reason ?? null);
        return this.result(tx.manager, next, a.managerId, a.owner?.timeZone ?? null, warnings);
      }),
    );
  }

  async accept(p: Principal, id: string, version: number, requestId: string): Promise<OutcomeResult> {
    return this.ctx.boundaries.guard(requestId, () =>
      this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
        const a = await this.forWrite(tx, p, id);
        const party = partyOf(a.role);
        if (!party) throw new ForbiddenError("Only the owner and the owner's manager accept the what of an outcome.");
        const o = a.outcome;
        const now = new Date().toISOString();
        let state = stateAt(o, now, a.owner?.timeZone, a.managerId);
        // A former manager's acceptance no longer counts: the history stops crediting it too.
        const lapsed = !!o.pending?.acceptedBy.includes("manager") && !state.pending?.acceptedBy.includes("manager");
        // An owner without a manager agrees with themself: they accept for the manager's side too
        // (their manager left while the proposal waited, say).
        const open = (["owner", "manager"] as const).filter((side) => !state.pending?.acceptedBy.includes(side));
        const sides: Party[] = party === "owner" && !a.managerId && open.length > 0 ? open : [party];
        for (const by of sides) state = unwrap(acceptWhat(state, { by, version, currentVersion: o.version }));
        const next: Outcome = { ...o, version: o.version + 1, updatedAt: now };
        const wasPending = o.pending!;
        applyState(next, state, now, a.managerId);
        let warnings: FindingOut[] = [];
        if (!state.pending && state.status !== "dropped") {
          const rules = await this.rules(tx, o, now);
          warnings = await this.ctx.boundaries.enforce(
            tx,
            { operation: "outcome.agree", entity: "outcome", entityId: o.id },
            // Only an approval counts: a class that needed none when it was set may need one now.
            evaluateOutcomeWrite(rules, { ...draftOf(next), riskApproved: o.approvalState === "approved" }, { intent: "agree" }),
          );
        }
        const history = await this.repo.history(tx.manager, p.tenantId, o.id);
        const record = history.find((h) => h.version === wasPending.proposedAtVersion);
        if (record) {
          await this.repo.saveAgreement(tx.manager, p.tenantId, {
            ...record,
            ...(sides.includes("owner") ? { ownerAcceptedAt: now } : {}),
            ...(sides.includes("manager") ? { managerAcceptedAt: now, managerId: a.managerId } : lapsed ? { managerAcceptedAt: null, managerId: a.managerId } : {}),
            ...(state.pending ? {} : { state: "agreed", decidedAt: now, decidedBy: p.userId }),
          });
        }
        await this.save(tx, o, next, state.pending ? "outcome.accepted" : state.status === "dropped" ? "outcome.dropped" : "outcome.agreed", wasPending.reason);
        return this.result(tx.manager, next, a.managerId, a.owner?.timeZone ?? null, warnings);
      }),
    );
  }

  /**
   * Takes the change on the table back: its proposer withdraws it, or the other side declines it.
   * The agreed what stays in force. The caller names the version on the table, so a proposal that
   * changed since they read it is not taken back unseen.
   */
  async withdraw(p: Principal, id: string, version: number, reason: string | null, requestId: string): Promise<OutcomeResult> {
    return this.ctx.boundaries.guard(requestId, () =>
      this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
        const a = await this.forWrite(tx, p, id);
        const party = partyOf(a.role);
        if (!party) throw new ForbiddenError("Only the owner and the owner's manager withdraw or decline a proposed change.");
        const o = a.outcome;
        const pending = o.pending;
        if (pending && version !== pending.proposedAtVersion && !TERMINAL_STATUSES.includes(o.status)) {
          throw new ConflictError(`Version ${version} is not the proposal on the table; version ${pending.proposedAtVersion} is. Reload the outcome to see it.`, {
            code: "stale_version",
            path: "version",
            details: { pendingVersion: pending.proposedAtVersion, currentVersion: o.version },
          });
        }
        const now = new Date().toISOString();
        const state = unwrap(withdrawPending(stateAt(o, now, a.owner?.timeZone, a.managerId), { by: party }));
        // The reason is kept word for word in the audit trail.
        const warnings = await this.ctx.boundaries.enforce(tx, { operation: "outcome.withdraw", entity: "outcome", entityId: o.id }, scanFreeText(await this.rules(tx, o, now), [{ path: "reason", text: reason }]));
        const next: Outcome = { ...o, version: o.version + 1, updatedAt: now };
        applyState(next, state, now, a.managerId);
        const history = await this.repo.history(tx.manager, p.tenantId, o.id);
        const taken = o.pending!;
        const record = history.find((h) => h.version === taken.proposedAtVersion && h.state === "pending");
        // Declined when someone other than its proposer takes it back (a new manager, say).
        const declined = record ? record.proposedBy !== p.userId : taken.proposedBy !== party;
        if (record) await this.repo.saveAgreement(tx.manager, p.tenantId, { ...record, state: declined ? "declined" : "withdrawn", decidedAt: now, decidedBy: p.userId, decisionReason: reason });
        await this.save(tx, o, next, declined ? "outcome.change_declined" : "outcome.change_withdrawn", reason);
        return this.result(tx.manager, next, a.managerId, a.owner?.timeZone ?? null, warnings);
      }),
    );
  }

  async drop(p: Principal, id: string, reason: string, requestId: string): Promise<OutcomeResult> {
    return this.ctx.boundaries.guard(requestId, () => this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
      const a = await this.forWrite(tx, p, id);
      const party = partyOf(a.role);
      if (!party) throw new ForbiddenError("Dropping an outcome is agreed between its owner and the owner's manager.");
      const o = a.outcome;
      const now = new Date().toISOString();
      // The reason is kept word for word in the agreement history and the audit trail.
      const warnings = await this.ctx.boundaries.enforce(tx, { operation: "outcome.drop", entity: "outcome", entityId: o.id }, scanFreeText(await this.rules(tx, o, now), [{ path: "reason", text: reason }]));
      const next: Outcome = { ...o, version: o.version + 1, updatedAt: now };
      // An outcome missed since its deadline, before the sweep records it, is missed: it is not dropped.
      let state = unwrap(proposeWhat(stateAt(o, now, a.owner?.timeZone, a.managerId), { by: party, version: next.version, reason, kind: "drop" }));
      // Someone without a manager agrees with themself, as on create.
      const selfAgreed = party === "owner" && !a.managerId;
      if (selfAgreed) state = unwrap(acceptWhat(state, { by: "manager", version: next.version, currentVersion: next.version }));
      applyState(next, state, now, a.managerId);
      await this.recordProposal(tx, o, next, party, p.userId, a.managerId, "drop", reason, now, selfAgreed);
      await this.save(tx, o, next, selfAgreed ? "outcome.dropped" : "outcome.drop_proposed", reason);
      return this.result(tx.manager, next, a.managerId, a.owner?.timeZone ?? null, warnings);
    }));
  }

  /** Risk-class approval by compliance or an admin who is not a party to the outcome. */
  async approveRisk(p: Principal, id: string, requestId: string, note: string | null = null, version?: number): Promise<OutcomeResult> {
    return this.ctx.boundaries.guard(requestId, () => this.ctx.uow.run(this.ctxOf(p, requestId), async (tx) => {
      const a = await this.forWrite(tx, p, id);
      if (!p.roles.includes(ROLES.compliance) && !p.roles.includes(ROLES.admin)) throw new ForbiddenError("Risk-class approval needs Leeway.Compliance or Leeway.Admin.");
      // The owner, their delegates and their managers up the chain all have a stake in the outcome.
      if (a.role !== "other") throw new ForbiddenError("A party to the outcome cannot approve its own risk class; ask another compliance officer or admin.");
      const o = a.outcome;
      const now = new Date().toISOString();
      const rules = await this.rules(tx, o, now);
      if (TERMINAL_STATUSES.includes(stateAt(o, now, a.owner?.timeZone, a.managerId).status)) throw new ConflictError("This outcome is closed; its risk class is no longer approved.", { code: "closed" });
      // Waiting: marked so when the class was set, or needing it under a rule that came in force
      // since. An open outcome agreed before that rule may be approved ahead of its next change: an
      // owner without a manager agrees each change as they make it, so nothing would wait otherwise.
      const waiting = o.approvalState === "pending" || (o.approvalState === "not_required" && needsRiskApproval(rules, o.riskClass));
      if (!waiting) throw new ConflictError("This outcome is not waiting for a risk-class approval.", { code: "not_pending" });
      // The approver approves the class they saw, not one changed since.
      if (version !== undefined && version !== o.version) {
        throw new ConflictError(`The outcome changed since version ${version} (it is at version ${o.version}); read it again before approving.`, { code: "stale_version", path: "version", details: { currentVersion: o.version } });
      }
      // The note is kept word for word as the audit event's reason.
      const warnings = await this.ctx.boundaries.enforce(tx, { operation: "outcome.approve_risk", entity: "outcome", entityId: o.id }, scanFreeText(rules, [{ path: "note", text: note }]));
      const next: Outcome = { ...o, approvalState: "approved", approvedBy: p.userId, version: o.version + 1, updatedAt: now };
      const selfAgreed = await agreeOnApproval(tx, { boundaries: this.ctx.boundaries, outcomes: this.repo }, { outcome: o, next, managerId: a.managerId, rules, now, warnings });
      await this.save(tx, o, next, "outcome.risk_approved", note);
      if (selfAgreed) tx.audit({ action: "outcome.agreed", entity: "outcome", entityId: o.id, reason: "the owner has no manager: their proposal is agreed once its risk class is approved" });
      return this.result(tx.manager, next, a.managerId, a.owner?.timeZone ?? null, warnings);
    }));
  }

  async history(p: Principal, id: string): Promise<AgreementRecord[]> {
    const a = await accessOutcome(this.ctx.dataSource.manager, p, id);
    return this.repo.history(this.ctx.dataSource.manager, p.tenantId, a.outcome.id);
  }

  private async recordProposal(tx: Tx, before: Outcome, next: Outcome, party: Party, userId: string, managerId: string | null, kind: "change" | "drop", reason: string | null, now: string, selfAgreed = false): Promise<void> {
    const history = await this.repo.history(tx.manager, tx.ctx.tenantId, before.id);
    for (const h of history.filter((r) => r.state === "pending")) await this.repo.saveAgreement(tx.manager, tx.ctx.tenantId, { ...h, state: "superseded", decidedAt: now, decidedBy: userId });
    await this.repo.saveAgreement(tx.manager, tx.ctx.tenantId, {
      outcomeId: before.id,
      version: next.version,
      kind,
      what: next.pending?.what ?? whatOf(next),
      proposedBy: userId,
      proposedAs: party,
      reason,
      state: selfAgreed ? "agreed" : "pending",
      ownerAcceptedAt: party === "owner" ? now : null,
      managerAcceptedAt: party === "manager" || selfAgreed ? now : null,
      managerId,
      createdAt: now,
      decidedAt: selfAgreed ? now : null,
      decidedBy: selfAgreed ? userId : null,
      decisionReason: null,
    });
  }

  private async validDelegates(tx: Tx, tenantId: string, ids: string[], ownerId: string): Promise<string[]> {
    const unique = [...new Set(ids)].filter((id) => id !== ownerId);
    const found = await this.people.people(tx.manager, tenantId, unique);
    const known = new Set(found.map((f) => f.id));
    const missing = unique.findIndex((id) => !known.has(id));
    if (missing >= 0) throw new ValidationError([{ path: `delegateIds.${ids.indexOf(unique[missing]!)}`, message: "No person with this id in your organisation." }]);
    return unique;
  }
}
