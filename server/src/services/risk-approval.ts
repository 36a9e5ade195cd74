import { Brackets, In, NotBrackets, type EntityManager, type SelectQueryBuilder, type WhereExpressionBuilder } from "typeorm";
import { acceptWhat } from "../domain/agreement";
import { blocking, evaluateOutcomeWrite, latestInForce, type Boundary, type EffectiveRules, type RuleOf } from "../domain/boundaries";
import { missedStatus } from "../domain/status";
import { TERMINAL_STATUSES } from "../domain/types";
import { TeamMembershipEntity } from "../store/entities";
import type { Outcome, OutcomeRepository } from "../store/repositories/outcome.repository";
import type { Tx } from "../store/unit-of-work";
import type { BoundaryEnforcement, FindingOut } from "./boundary-enforcement";
import { unwrap } from "./domain-errors";
import { applyState, draftOf, stateOf } from "./outcome-state";

type ActiveBoundaries = Pick<BoundaryEnforcement, "active">;

/*
 * Whether an outcome's risk class waits for approval. The state is stored when the class is set;
 * a rule that comes into force later (made then, approved then, or effective from then) holds back
 * outcomes set before it too. Readers see that at once, here, without a sweep rewriting outcomes.
 */

type Subject = Pick<Outcome, "approvalState" | "riskClass" | "pending" | "status" | "deadline">;

const normalised = (riskClass: string | null | undefined) => riskClass?.trim().toLowerCase() ?? "";

/**
 * An outcome that a rule in force now could hold back: stored as needing no approval, with a
 * class, open, and with a what on the table for agreement. A drop is agreed without approval, and
 * an outcome agreed before the rule keeps its agreement until its what changes.
 */
export function couldWaitByRule(o: Subject, now: string, timeZone: string | null | undefined): boolean {
  if (o.approvalState !== "not_required" || !normalised(o.riskClass)) return false;
  if (!o.pending || o.pending.kind === "drop") return false;
  return !TERMINAL_STATUSES.includes(missedStatus(o, now, timeZone));
}

type Reached = Pick<Outcome, "ownerId" | "teamId">;

/** Whether a rule's scope reaches the outcome: its team or any team of its owner counts, as when rules are applied. */
function reaches(scope: Boundary["scope"], o: Reached, ownerTeams: ReadonlySet<string>): boolean {
  if (scope.level === "tenant") return true;
  if (scope.level === "person") return scope.personId === o.ownerId;
  return scope.teamId === o.teamId || ownerTeams.has(scope.teamId);
}

/** Whether one of the risk-class rules in force reaches the outcome and names its class. */
export function heldBackByRule(o: Reached & Pick<Outcome, "riskClass">, rules: readonly RiskBoundary[], ownerTeams: ReadonlySet<string>): boolean {
  const risk = normalised(o.riskClass);
  return !!risk && rules.some((b) => reaches(b.scope, o, ownerTeams) && b.rule.riskClasses.some((c) => normalised(c) === risk));
}

export type RiskBoundary = Boundary & { rule: RuleOf<"approval_for_risk_class"> };

/** The risk-class rules in force now: the highest version in force of each boundary. */
export function riskRulesInForce(active: Boundary[], now: string): RiskBoundary[] {
  return latestInForce(active, now, (b) => b.rule.kind === "approval_for_risk_class") as RiskBoundary[];
}

/**
 * The SQL condition, on the outcome aliased `o`, for outcomes held back by a rule in force now
 * although stored as needing no approval; null when no such rule could hold back any. Classes
 * compare as the domain compares them (trimmed, any case): the tenant's stored class texts are
 * read and matched here, so the database's own case folding never decides.
 */
export async function waitingByRuleCondition(m: EntityManager, tenantId: string, rules: readonly RiskBoundary[]): Promise<Brackets | null> {
  if (rules.length === 0) return null;
  const stored: { riskClass: string }[] = await m
    .createQueryBuilder()
    .select("DISTINCT o.risk_class", "riskClass")
    .from("outcome", "o")
    .where("o.tenant_id = :tenantId AND o.risk_class IS NOT NULL AND o.approval_state = 'not_required'", { tenantId })
    .getRawMany();
  const scoped: { scope: Boundary["scope"]; texts: string[] }[] = [];
  for (const b of rules) {
    const classes = new Set(b.rule.riskClasses.map(normalised));
    const texts = stored.map((s) => s.riskClass).filter((t) => classes.has(normalised(t)));
    if (texts.length) scoped.push({ scope: b.scope, texts });
  }
  if (scoped.length === 0) return null;
  const open = TERMINAL_STATUSES.map((s) => `'${s}'`).join(", ");
  return new Brackets((w) => {
    // The stored pending what is JSON; a key and its value appear unescaped only as a key.
    // Every part is true or false, never null, so the condition can also be negated.
    w.where("o.approvalState = 'not_required'")
      .andWhere("o.riskClass IS NOT NULL")
      .andWhere("o.pending IS NOT NULL")
      .andWhere(`o.pending NOT LIKE '%"kind":"drop"%'`)
      .andWhere(`o.status NOT IN (${open})`)
      .andWhere(
        new Brackets((any) => {
          scoped.forEach(({ scope, texts }, i) => orScope(any, i, scope, texts));
        }),
      );
  });
}

function orScope(w: WhereExpressionBuilder, i: number, scope: Boundary["scope"], texts: string[]): void {
  const cls = `o.riskClass IN (:...riskTexts${i})`;
  const params = { [`riskTexts${i}`]: texts };
  if (scope.level === "tenant") {
    w.orWhere(cls, params);
  } else if (scope.level === "person") {
    w.orWhere(`(${cls} AND o.ownerId = :riskPerson${i})`, { ...params, [`riskPerson${i}`]: scope.personId });
  } else {
    // The owner's teams count as well as the outcome's own, as they do when the rules are applied.
    const member = `o.ownerId IN (SELECT tm.person_id FROM team_membership tm WHERE tm.tenant_id = o.tenantId AND tm.team_id = :riskTeam${i})`;
    w.orWhere(`(${cls} AND (o.teamId = :riskTeam${i} OR ${member}))`, { ...params, [`riskTeam${i}`]: scope.teamId });
  }
}

/**
 * The outcomes with their approval state as it is now: those a risk-class rule in force holds
 * back, though set before it, read as waiting. Nothing is read when no outcome could wait or no
 * such rule is in force; the owners' memberships of the rules' teams are read in one query.
 */
export async function withApprovalNow(m: EntityManager, boundaries: ActiveBoundaries, tenantId: string, outcomes: Outcome[], timeZoneOf: (o: Outcome) => string | null): Promise<Outcome[]> {
  const now = new Date().toISOString();
  const candidates = outcomes.filter((o) => couldWaitByRule(o, now, timeZoneOf(o)));
  if (candidates.length === 0) return outcomes;
  const rules = riskRulesInForce(await boundaries.active(m, tenantId), now);
  if (rules.length === 0) return outcomes;
  const ruleTeams = [...new Set(rules.flatMap((b) => (b.scope.level === "team" ? [b.scope.teamId] : [])))];
  const owners = [...new Set(candidates.map((o) => o.ownerId))];
  const memberships = ruleTeams.length ? await m.find(TeamMembershipEntity, { where: { tenantId, teamId: In(ruleTeams), personId: In(owners) } }) : [];
  const teamsOf = (ownerId: string) => new Set(memberships.filter((x) => x.personId === ownerId).map((x) => x.teamId));
  const held = new Set(candidates.filter((o) => heldBackByRule(o, rules, teamsOf(o.ownerId))).map((o) => o.id));
  return outcomes.map((o) => (held.has(o.id) ? { ...o, approvalState: "pending" } : o));
}

/** Narrows an outcome list (aliased `o`) to one approval state as every read shows it: stored, or held back by a rule in force since. */
export async function filterByApproval<T extends object>(qb: SelectQueryBuilder<T>, m: EntityManager, boundaries: ActiveBoundaries, tenantId: string, approval: Outcome["approvalState"]): Promise<void> {
  const rules = approval === "approved" ? [] : riskRulesInForce(await boundaries.active(m, tenantId), new Date().toISOString());
  const byRule = await waitingByRuleCondition(m, tenantId, rules);
  if (approval === "pending" && byRule) qb.andWhere(new Brackets((w) => w.where("o.approvalState = 'pending'").orWhere(byRule)));
  else qb.andWhere("o.approvalState = :approval", { approval });
  // Nothing is approved on a closed outcome: it no longer waits for anyone.
  if (approval === "pending") qb.andWhere("o.status NOT IN (:...closedStatuses)", { closedStatuses: [...TERMINAL_STATUSES] });
  if (approval === "not_required" && byRule) qb.andWhere(new NotBrackets((w) => w.where(byRule)));
}

/**
 * An owner without a manager agrees with themself: when their risk class is approved, their
 * proposal (the first, or a change since) that waited only for the approval is agreed. Agreeing
 * is judged as an agreement is anywhere else, so the other rules in force apply too: one they
 * block leaves the proposal waiting for the owner to mend it (the class is approved all the same),
 * recorded like any refusal and shown to the approver. Updates `next` and `warnings` in the unit of
 * work; answers whether the proposal was agreed.
 */
export async function agreeOnApproval(
  tx: Tx,
  deps: { boundaries: Pick<BoundaryEnforcement, "enforce" | "heldBack">; outcomes: Pick<OutcomeRepository, "history" | "saveAgreement"> },
  a: { outcome: Outcome; next: Outcome; managerId: string | null; rules: EffectiveRules; now: string; warnings: FindingOut[] },
): Promise<boolean> {
  const { outcome: o, next, managerId, rules, now, warnings } = a;
  const current = stateOf(o, managerId);
  const pending = current.pending;
  if (managerId || !pending || pending.kind === "drop" || !pending.acceptedBy.includes("owner") || pending.acceptedBy.includes("manager")) return false;
  const state = unwrap(acceptWhat(current, { by: "manager", version: pending.proposedAtVersion, currentVersion: o.version }));
  const agreed: Outcome = { ...next };
  applyState(agreed, state, now, managerId);
  const findings = evaluateOutcomeWrite(rules, { ...draftOf(agreed), riskApproved: true }, { intent: "agree" });
  const agreeing = { operation: "outcome.agree", entity: "outcome", entityId: o.id };
  if (blocking(findings).length > 0) {
    warnings.push(...(await deps.boundaries.heldBack(tx, agreeing, findings)));
    return false;
  }
  Object.assign(next, agreed);
  warnings.push(...(await deps.boundaries.enforce(tx, agreeing, findings)));
  const record = (await deps.outcomes.history(tx.manager, tx.ctx.tenantId, o.id)).find((h) => h.version === pending.proposedAtVersion);
  if (record) await deps.outcomes.saveAgreement(tx.manager, tx.ctx.tenantId, { ...record, managerAcceptedAt: now, managerId, state: "agreed", decidedAt: now, decidedBy: o.ownerId });
  return true;
}
