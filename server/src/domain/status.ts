// Status follows the work: check-ins move an agreed outcome between agreed and at risk, a done
// check-in closes it, and a deadline that passes without it being done makes it missed.

import { endOfDayMs, toMs } from "./time";
import { TERMINAL_STATUSES, type CheckInStatus, type OutcomeStatus } from "./types";

/**
 * The outcome status after a check-in.
 * - done, missed and dropped never change;
 * - draft and proposed do not change either: the work may start before agreement, but only the
 *   agreement makes an outcome agreed, and an outcome cannot be done before anyone agreed on it;
 * - from agreed or at risk: at_risk and off_track give at_risk, on_track gives agreed, done gives done.
 */
export function statusAfterCheckIn(current: OutcomeStatus, checkIn: CheckInStatus): OutcomeStatus {
  if (current !== "agreed" && current !== "at_risk") return current;
  switch (checkIn) {
    case "done":
      return "done";
    case "on_track":
      return "agreed";
    case "at_risk":
    case "off_track":
      return "at_risk";
  }
}

export interface DeadlineSubject {
  deadline: string;
  status: OutcomeStatus;
}

/**
 * The instant an outcome's deadline passes: the end of the deadline day in the owner's time zone
 * (UTC when none is given). NaN when the deadline is not a date.
 */
export function deadlinePassesAt(deadline: string, timeZone?: string | null): number {
  return endOfDayMs(deadline, timeZone ?? "UTC");
}

/** The deadline day has ended in the owner's zone and the outcome is neither done nor dropped. */
export function isOverdue(outcome: DeadlineSubject, now: string, timeZone?: string | null): boolean {
  if (outcome.status === "done" || outcome.status === "dropped") return false;
  const passes = deadlinePassesAt(outcome.deadline, timeZone);
  return Number.isFinite(passes) && toMs(now) >= passes;
}

/** Statuses a passed deadline turns into `missed`. */
export const CAN_BE_MISSED: readonly OutcomeStatus[] = ["proposed", "agreed", "at_risk"];

/**
 * The status once the clock is taken into account: `missed` for a proposed, agreed or at-risk
 * outcome whose deadline day has ended in the owner's zone; otherwise the status unchanged.
 * A draft is not a commitment yet, and closed outcomes stay closed.
 */
export function missedStatus(outcome: DeadlineSubject, now: string, timeZone?: string | null): OutcomeStatus {
  if (TERMINAL_STATUSES.includes(outcome.status) || !CAN_BE_MISSED.includes(outcome.status)) return outcome.status;
  return isOverdue(outcome, now, timeZone) ? "missed" : outcome.status;
}

/**
 * Whether an outcome was ever a commitment: agreed at some point. A proposal that passed its
 * deadline without being agreed was never one, so no figure holds anyone to it.
 */
export function wasCommitted(o: { agreedAt: string | null; status: string }): boolean {
  return o.agreedAt !== null || o.status === "agreed" || o.status === "at_risk";
}
