// Agreement on the *what*: owner and manager both accept the same version of title, measure,
// deadline and consequence. Once agreed, the agreed what stays in force while a change is pending.

import { isDateOnly } from "./time";
import { TERMINAL_STATUSES, fail, ok, type DomainError, type OutcomeStatus, type Result, type What } from "./types";

export type Party = "owner" | "manager";

export interface PendingWhat {
  what: What;
  proposedBy: Party;
  /** Outcome version that carries this proposal; acceptances must name it or a later version. */
  proposedAtVersion: number;
  reason: string | null;
  kind: "change" | "drop";
  acceptedBy: Party[];
  /**
   * Who the owner's manager was when the manager's side accepted: a later manager has not agreed
   * to it. Absent on proposals stored before it was kept, and while the manager's side has not accepted.
   */
  managerAcceptedBy?: string | null;
}

export interface AgreementState {
  status: OutcomeStatus;
  agreedWhat: What | null;
  pending: PendingWhat | null;
}

export type WhatField =
  | keyof What
  | "measure.metric"
  | "measure.unit"
  | "measure.baseline"
  | "measure.target";

/** Leaf paths in a fixed order; `measure` is reported through its four parts. */
const LEAVES: { path: WhatField; read: (w: What) => string | number }[] = [
  { path: "title", read: (w) => w.title },
  { path: "measure.metric", read: (w) => w.measure.metric },
  { path: "measure.unit", read: (w) => w.measure.unit },
  { path: "measure.baseline", read: (w) => w.measure.baseline },
  { path: "measure.target", read: (w) => w.measure.target },
  { path: "deadline", read: (w) => w.deadline },
  { path: "ifMissed", read: (w) => w.ifMissed },
];

/** Field paths whose values differ between two whats (texts compared after trimming). */
export function whatChanged(a: What, b: What): WhatField[] {
  const norm = (v: string | number) => (typeof v === "string" ? v.trim() : v);
  return LEAVES.filter((leaf) => !Object.is(norm(leaf.read(a)), norm(leaf.read(b)))).map((leaf) => leaf.path);
}

/** A state before anything has been proposed. */
export function initialAgreementState(): AgreementState {
  return { status: "draft", agreedWhat: null, pending: null };
}

/** The what in force: the agreed one, or before any agreement the one on the table. */
export function effectiveWhat(state: AgreementState): What | null {
  return state.agreedWhat ?? state.pending?.what ?? null;
}

/** Shape checks a what must pass before anyone can propose it. */
export function validateWhat(what: What): DomainError[] {
  const errors: DomainError[] = [];
  const bad = (path: string, message: string) => errors.push({ code: "invalid_what", path, message });
  if (!what.title.trim()) bad("title", "The title cannot be empty.");
  if (!Number.isFinite(what.measure.baseline)) bad("measure.baseline", "The baseline must be a number.");
  if (!Number.isFinite(what.measure.target)) bad("measure.target", "The target must be a number.");
  if (!isDateOnly(what.deadline)) bad("deadline", "The deadline must be a date written YYYY-MM-DD.");
  return errors;
}

export interface ProposeInput {
  /** Required for a change; a drop always concerns the what in force, so it is ignored there. */
  what?: What;
  by: Party;
  /** The outcome version this proposal is stored as. */
  version: number;
  reason?: string | null;
  kind?: "change" | "drop";
}

const other = (p: Party): Party => (p === "owner" ? "manager" : "owner");

/**
 * Puts a what on the table.
 * - From `draft`, this is the outcome's first proposal; the proposer counts as having accepted.
 * - Before the first agreement, a new proposal replaces the one on the table, no reason needed,
 *   and acceptance starts over with the new proposer only.
 * - After agreement, a change or a drop needs a reason and stays pending; the agreed what stays in
 *   force until the other side accepts.
 * - Done, missed and dropped outcomes are closed.
 * Drops always need both sides, like any other change of what is owed.
 */
export function proposeWhat(state: AgreementState, input: ProposeInput): Result<AgreementState> {
  const kind = input.kind ?? "change";
  if (TERMINAL_STATUSES.includes(state.status)) {
    return fail("closed", `This outcome is ${state.status}; its what can no longer change.`, { details: { status: state.status } });
  }
  if (!Number.isInteger(input.version) || input.version < 1) {
    return fail("not_allowed", "A proposal needs the positive whole version it is stored as.", { path: "version" });
  }
  const inForce = effectiveWhat(state);
  const what = kind === "drop" ? inForce : input.what ?? null;
  if (!what) {
    return fail(kind === "drop" ? "not_allowed" : "invalid_what", kind === "drop" ? "There is nothing to drop yet." : "A change needs the proposed what.", { path: "what" });
  }
  const invalid = validateWhat(what);
  if (invalid[0]) return { ok: false, error: { ...invalid[0], details: { errors: invalid } } };

  const pending = state.pending;
  const agreed = state.agreedWhat !== null;
  if (kind === "change") {
    if (pending?.kind === "change" && whatChanged(pending.what, what).length === 0) {
      return fail("nothing_to_change", pending.proposedBy === input.by
        ? "This what is already on the table."
        : "This what is already on the table; accept it instead of proposing it again.");
    }
    if (state.agreedWhat && whatChanged(state.agreedWhat, what).length === 0) {
      return fail("nothing_to_change", "This is already the agreed what.");
    }
  } else if (pending?.kind === "drop") {
    return fail("nothing_to_change", pending.proposedBy === input.by
      ? "Dropping this outcome is already on the table."
      : "Dropping this outcome is already on the table; accept it instead of proposing it again.");
  }

  const reason = input.reason?.trim() ? input.reason.trim() : null;
  if (agreed && !reason) {
    return fail("reason_required", kind === "drop"
      ? "Dropping an agreed outcome needs a reason the other side can read."
      : "Changing an agreed what needs a reason the other side can read.", { path: "reason" });
  }

  return ok({
    status: state.status === "draft" ? "proposed" : state.status,
    agreedWhat: state.agreedWhat,
    pending: { what, proposedBy: input.by, proposedAtVersion: input.version, reason, kind, acceptedBy: [input.by] },
  });
}

/** Creating an outcome is its first proposal. */
export function createAgreement(input: { what: What; by: Party; version: number }): Result<AgreementState> {
  return proposeWhat(initialAgreementState(), { ...input, kind: "change" });
}

export interface AcceptInput {
  by: Party;
  /** The version the caller saw and accepts. */
  version: number;
  /** The outcome's version now. */
  currentVersion: number;
}

/**
 * Accepts the proposal on the table. The accepted version must be at or after the proposal and no
 * later than the outcome's current version; later versions that only changed the owner's approach
 * still carry the same proposal. When both sides have accepted, the proposal becomes the agreed
 * what: the first agreement makes the outcome `agreed`, a later change keeps the status the work
 * has (an at-risk outcome stays at risk until a check-in says otherwise), and a drop makes it
 * `dropped`.
 */
export function acceptWhat(state: AgreementState, input: AcceptInput): Result<AgreementState> {
  const pending = state.pending;
  if (!pending) return fail("nothing_pending", "There is no proposal waiting for acceptance.");
  if (TERMINAL_STATUSES.includes(state.status)) {
    return fail("closed", `This outcome is ${state.status}; nothing can be accepted.`, { details: { status: state.status } });
  }
  if (input.version < pending.proposedAtVersion || input.version > input.currentVersion) {
    return fail("stale_version",
      `Version ${input.version} is not the proposal waiting for acceptance; version ${pending.proposedAtVersion} is pending (the outcome is at version ${input.currentVersion}).`,
      { path: "version", details: { pendingVersion: pending.proposedAtVersion, currentVersion: input.currentVersion, acceptedVersion: input.version } });
  }
  if (pending.acceptedBy.includes(input.by)) {
    return fail("already_accepted", pending.proposedBy === input.by
      ? `You proposed version ${pending.proposedAtVersion}; it is waiting for the ${other(input.by)} to accept.`
      : `You have already accepted version ${pending.proposedAtVersion}.`,
      { details: { pendingVersion: pending.proposedAtVersion, waitingFor: other(input.by) } });
  }
  const acceptedBy = [...pending.acceptedBy, input.by];
  if (!(acceptedBy.includes("owner") && acceptedBy.includes("manager"))) {
    return ok({ ...state, pending: { ...pending, acceptedBy } });
  }
  if (pending.kind === "drop") {
    return ok({ status: "dropped", agreedWhat: state.agreedWhat, pending: null });
  }
  const status: OutcomeStatus = state.agreedWhat === null ? "agreed" : state.status;
  return ok({ status, agreedWhat: pending.what, pending: null });
}

/**
 * Takes a pending change off the table after agreement: the proposer withdraws it, or the other
 * side declines it. The agreed what stays in force. Before the first agreement the proposal is the
 * outcome itself; propose a drop instead.
 */
export function withdrawPending(state: AgreementState, _input: { by: Party }): Result<AgreementState> {
  if (!state.pending) return fail("nothing_pending", "There is no proposal to withdraw or decline.");
  if (TERMINAL_STATUSES.includes(state.status)) {
    return fail("closed", `This outcome is ${state.status}; nothing can change.`, { details: { status: state.status } });
  }
  if (!state.agreedWhat) {
    return fail("not_allowed", "Nothing has been agreed yet, so the proposal is the outcome itself; propose a change or a drop instead.");
  }
  return ok({ ...state, pending: null });
}

/** Records who the owner's manager is as the manager's side accepts, once. */
export function stampManagerAcceptance(pending: PendingWhat | null, managerId: string | null): PendingWhat | null {
  if (!pending || !pending.acceptedBy.includes("manager") || pending.managerAcceptedBy !== undefined) return pending;
  return { ...pending, managerAcceptedBy: managerId };
}

/**
 * The proposal as it stands under the owner's manager now. The manager's side accepted on behalf
 * of whoever managed the owner then; after a change of manager that acceptance no longer counts,
 * so the new manager is asked.
 */
export function underManager(pending: PendingWhat | null, managerId: string | null): PendingWhat | null {
  if (!pending || pending.managerAcceptedBy === undefined || !pending.acceptedBy.includes("manager")) return pending;
  if (pending.managerAcceptedBy === managerId) return pending;
  const { managerAcceptedBy: _gone, ...rest } = pending;
  return { ...rest, acceptedBy: pending.acceptedBy.filter((p) => p !== "manager") };
}

/**
 * Who may still accept the proposal on the table. An owner without a manager agrees with
 * themself, so nobody is awaited as their manager: a proposal of theirs waits for its risk-class
 * approval while a blocking rule holds it (`approvalHolds`; the outcome's approval state shows
 * it), and otherwise for the owner alone, who takes the manager's side too (their manager left
 * while it waited, say).
 */
export function waitingFor(pending: PendingWhat | null, ownerHasManager = true, approvalHolds = false): Party[] {
  if (!pending) return [];
  if (!ownerHasManager && !pending.acceptedBy.includes("manager")) return approvalHolds && pending.kind !== "drop" ? [] : ["owner"];
  return (["owner", "manager"] as const).filter((p) => !pending.acceptedBy.includes(p) && (p === "owner" || ownerHasManager));
}

export type ApproachActor = "owner" | "delegate" | "manager" | "admin" | "compliance" | "member";

/**
 * The how (plan, tools, schedule) belongs to the owner. A delegate acting for the owner may change
 * it; a manager is told to coach through a comment; anyone else is refused.
 */
export function canEditApproach(role: ApproachActor): Result<true> {
  if (role === "owner" || role === "delegate") return ok(true);
  if (role === "manager") {
    return fail("approach_owner_only",
      "The approach (plan, tools, schedule) belongs to the owner. Agree on the what together; for the how, add a comment or a coaching question on the next check-in instead.",
      { path: "approach" });
  }
  return fail("not_allowed", "Only the owner of this outcome, or someone acting for them, can change its approach.", { path: "approach" });
}
