import { underManager, waitingFor } from "../domain/agreement";
import { missedStatus } from "../domain/status";
import { TERMINAL_STATUSES, type What } from "../domain/types";
import type { OutcomeOut } from "../contract/outcomes";
import type { Outcome } from "../store/repositories/outcome.repository";
import type { FindingOut } from "./boundary-enforcement";

export const etagOf = (o: Pick<Outcome, "version">) => `"v${o.version}"`;

/** True when an If-Match header names the outcome's current version (weak or strong form). */
export function matchesEtag(ifMatch: string, o: Pick<Outcome, "version">): boolean {
  return ifMatch
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === "*" || t === etagOf(o));
}

export function whatOf(o: Outcome): What {
  return { title: o.title, measure: { metric: o.metric, unit: o.unit, baseline: o.baseline, target: o.target }, deadline: o.deadline, ifMissed: o.ifMissed };
}

/**
 * `approvalHolds`: a blocking rule holds agreement back until the risk class is approved (what an
 * owner without a manager waits for); by default, whenever approval is pending.
 */
export function presentOutcome(o: Outcome, managerId: string | null, now: string, timeZone: string | null, warnings?: FindingOut[], approvalHolds = o.approvalState === "pending"): OutcomeOut {
  // As it stands under the owner's manager now: a former manager's acceptance no longer counts.
  const pending = underManager(o.pending, managerId);
  // The sweeper records `missed` within a minute; reads never show a passed deadline as open.
  const status = missedStatus({ deadline: o.deadline, status: o.status }, now, timeZone);
  // A proposal still open when the outcome closed (done, missed, dropped) stays readable, for the
  // review, but waits for nobody: nothing can be agreed on a closed outcome.
  const closed = TERMINAL_STATUSES.includes(status);
  return {
    id: o.id,
    ownerId: o.ownerId,
    teamId: o.teamId,
    title: o.title,
    measure: { metric: o.metric, unit: o.unit, baseline: o.baseline, target: o.target, current: o.currentValue },
    deadline: o.deadline,
    ifMissed: o.ifMissed,
    visibility: o.visibility,
    status,
    approach: o.approach,
    riskClass: o.riskClass,
    version: o.version,
    agreement: {
      agreedWhat: o.agreedWhat,
      pending: pending
        ? {
            version: pending.proposedAtVersion,
            kind: pending.kind,
            what: pending.what,
            proposedBy: pending.proposedBy,
            reason: pending.reason,
            acceptedBy: pending.acceptedBy,
            waitingFor: closed ? [] : waitingFor(pending, managerId !== null, approvalHolds),
          }
        : null,
      approval: { required: o.approvalState !== "not_required", state: o.approvalState, approvedBy: o.approvalState === "approved" ? o.approvedBy : null },
    },
    managerId,
    delegateIds: o.delegateIds,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    agreedAt: o.agreedAt,
    doneAt: o.doneAt,
    lastCheckInAt: o.lastCheckInAt,
    ...(warnings && warnings.length ? { warnings } : {}),
  };
}
