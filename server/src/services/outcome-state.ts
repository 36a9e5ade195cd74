import type { z } from "zod";
import type { UpdateOutcome } from "../contract/outcomes";
import { effectiveWhat, stampManagerAcceptance, underManager, whatChanged, type AgreementState } from "../domain/agreement";
import { ruleOfKind, type EffectiveRules } from "../domain/boundaries";
import { missedStatus } from "../domain/status";
import type { What } from "../domain/types";
import { ConflictError } from "../errors";
import type { Outcome } from "../store/repositories/outcome.repository";
import { whatOf } from "./outcome.presenter";

/*
 * An outcome's agreement state, and what a change would write into it: plain functions over the
 * stored outcome, with no I/O, used by the outcome service's writes.
 */

/**
 * The agreement state as it stands under the owner's manager now (`managerId`): an acceptance a
 * former manager gave no longer counts (see underManager). A write that applies the state stores
 * that, and its audit event shows it.
 */
export function stateOf(o: Outcome, managerId: string | null): AgreementState {
  return { status: o.status, agreedWhat: o.agreedWhat, pending: underManager(o.pending, managerId) };
}

/** The state as every read shows it: missed from the moment the deadline passes, before the sweep records it. */
export function stateAt(o: Outcome, now: string, timeZone: string | null | undefined, managerId: string | null): AgreementState {
  return { ...stateOf(o, managerId), status: missedStatus(o, now, timeZone) };
}

/**
 * Writes an agreement state into the outcome; the stored what columns always hold the what in
 * force. `managerId` is the owner's manager now, kept with an acceptance on the manager's side.
 */
export function applyState(next: Outcome, state: AgreementState, now: string, managerId: string | null): void {
  const firstAgreement = !next.agreedWhat && !!state.agreedWhat;
  next.status = state.status;
  next.agreedWhat = state.agreedWhat;
  next.pending = stampManagerAcceptance(state.pending, managerId);
  const inForce = effectiveWhat(state);
  if (inForce) {
    next.title = inForce.title;
    next.metric = inForce.measure.metric;
    next.unit = inForce.measure.unit;
    next.baseline = inForce.measure.baseline;
    next.target = inForce.measure.target;
    next.deadline = inForce.deadline;
    next.ifMissed = inForce.ifMissed;
  }
  if (firstAgreement) next.agreedAt = now;
  if (state.status === "dropped") next.closedAt = now;
}

/** The what a PATCH asks for, or null when it leaves the what as it is. */
export function proposedWhat(o: Outcome, body: z.output<typeof UpdateOutcome>): What | null {
  const base = o.pending?.kind === "change" ? o.pending.what : whatOf(o);
  const m = body.measure ?? {};
  const what: What = {
    title: body.title ?? base.title,
    measure: { metric: m.metric ?? base.measure.metric, unit: m.unit ?? base.measure.unit, baseline: m.baseline ?? base.measure.baseline, target: m.target ?? base.measure.target },
    deadline: body.deadline ?? base.deadline,
    ifMissed: body.ifMissed ?? base.ifMissed,
  };
  return whatChanged(base, what).length ? what : null;
}

/** What the boundaries judge of an outcome: the what on the table (or in force) and the rest as it stands. */
export function draftOf(o: Outcome) {
  const w = o.pending?.what ?? whatOf(o);
  return { title: w.title, measure: w.measure, deadline: w.deadline, ifMissed: w.ifMissed, approach: o.approach, teamId: o.teamId, visibility: o.visibility, riskClass: o.riskClass };
}

/**
 * A closed outcome (done, dropped, or missed as every read shows it) is a record: what was agreed,
 * how it went and who acted for the owner stay as they were; a review comes next for a missed one.
 * Who may see it can still change, and taking people off its delegates is part of that. Refuses
 * any other change with 409 closed, naming the field a form shows it on.
 */
export function refuseChangeOfClosed(o: Outcome, closedAs: string, body: z.output<typeof UpdateOutcome>): void {
  const onlyRemoves = (ids: readonly string[]) => ids.every((d) => o.delegateIds.includes(d));
  const field = Object.keys(body).find((k) => k !== "visibility" && k !== "reason" && !(k === "delegateIds" && onlyRemoves(body.delegateIds ?? [])));
  if (!field) return;
  const value = body[field as keyof typeof body];
  const path = value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0 ? `${field}.${Object.keys(value)[0]}` : field;
  const message = `This outcome is ${closedAs}, so its ${field} stays as it was; only who may see it can still change.`;
  throw new ConflictError(message, { code: "closed", path, errors: [{ path, message }] });
}

/** Whether a risk class needs a compliance officer's or an admin's approval under the rules in force. */
export function needsRiskApproval(rules: EffectiveRules, riskClass: string | null | undefined): boolean {
  const risk = riskClass?.trim().toLowerCase();
  if (!risk) return false;
  return !!ruleOfKind(rules, "approval_for_risk_class")?.rule.riskClasses.some((c) => c.trim().toLowerCase() === risk);
}

/**
 * Whether a blocking rule holds agreement back until the class is approved. A rule that only
 * warns lets the agreement through with its warning, as it does for any other write.
 */
export function riskApprovalHolds(rules: EffectiveRules, riskClass: string | null | undefined): boolean {
  const risk = riskClass?.trim().toLowerCase();
  if (!risk) return false;
  return !!ruleOfKind(rules, "approval_for_risk_class")?.sources.some((s) => s.enforcement === "block" && s.rule.kind === "approval_for_risk_class" && s.rule.riskClasses.some((c) => c.trim().toLowerCase() === risk));
}
