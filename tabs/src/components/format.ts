import type { CheckInStatus, Outcome, OutcomeStatus } from "../api/types";

const dateFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });

/** A YYYY-MM-DD day, shown in the reader's format without moving it across a time zone. */
export function formatDay(day: string): string {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T12:00:00`) : new Date(day);
  return Number.isNaN(d.getTime()) ? day : dateFormat.format(d);
}

export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFormat.format(d);
}

export const STATUS_LABEL: Record<OutcomeStatus, string> = {
  draft: "Draft",
  proposed: "Proposed",
  agreed: "Agreed",
  at_risk: "At risk",
  done: "Done",
  missed: "Missed",
  dropped: "Dropped",
};

export const CHECK_IN_LABEL: Record<CheckInStatus, string> = {
  on_track: "On track",
  at_risk: "At risk",
  off_track: "Off track",
  done: "Done",
};

export const isOpen = (o: Outcome) => o.status !== "done" && o.status !== "missed" && o.status !== "dropped";

/** Share of the way from baseline to target (0..1), or null before any progress is recorded. */
export function progressOf(o: Outcome): number | null {
  const { baseline, target, current } = o.measure;
  if (current === null || target === baseline) return null;
  return Math.min(1, Math.max(0, (current - baseline) / (target - baseline)));
}

const DAY_MS = 86_400_000;

/**
 * When the next check-in is due: what the server says when it says so, else one weekly rhythm
 * after the last check-in (or after agreement, for an outcome without check-ins yet).
 */
export function nextCheckInOf(o: Outcome, fromServer?: string): Date | null {
  if (!isOpen(o) || o.status === "draft") return null;
  if (fromServer) {
    const d = new Date(fromServer);
    if (!Number.isNaN(d.getTime())) return d;
  }
  const since = o.lastCheckInAt ?? o.agreedAt ?? o.createdAt;
  const t = Date.parse(since);
  return Number.isNaN(t) ? null : new Date(t + 7 * DAY_MS);
}

export function describeDue(d: Date | null, now = Date.now()): string {
  if (!d) return "—";
  const days = Math.round((d.getTime() - now) / DAY_MS);
  if (days < 0) return `Overdue since ${dateFormat.format(d)}`;
  if (days === 0) return "Today";
  if (days === 1) return "Tomorrow";
  return `${dateFormat.format(d)} (in ${days} days)`;
}

/** What the caller may do about the agreement: accept the version on the table, or nothing. */
export function waitingOnMe(o: Outcome, meId: string): boolean {
  const pending = o.agreement.pending;
  if (!pending) return false;
  if (o.ownerId === meId) return pending.waitingFor.includes("owner");
  if (o.managerId === meId) return pending.waitingFor.includes("manager");
  return false;
}
