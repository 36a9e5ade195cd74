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
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The reader's calendar date of an instant (default: now), as YYYY-MM-DD. */
export function localDay(at: Date = new Date()): string {
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, "0")}-${String(at.getDate()).padStart(2, "0")}`;
}

/** Whole calendar days from one YYYY-MM-DD to another, without any time zone in between. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date in UTC of an instant: the day an admin picked for a boundary that starts or ends at UTC midnight. */
export function formatUtcDay(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : formatDay(new Date(t).toISOString().slice(0, 10));
}

/** The instants that open and close a day of the reader's calendar, for searches by day. */
export function localDayStart(day: string): string | undefined {
  if (!DAY.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function localDayEnd(day: string): string | undefined {
  if (!DAY.test(day)) return undefined;
  const d = new Date(`${day}T23:59:59.999`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A next check-in: its day (YYYY-MM-DD) and, when the server says so, whether it is overdue. */
export interface CheckInDue {
  date: string;
  overdue?: boolean;
}

/** Only agreed and at-risk outcomes take check-ins, so only they have a next one (the server's rule). */
const takesCheckIns = (o: Outcome) => o.status === "agreed" || o.status === "at_risk";

/**
 * When the next check-in is due: what the server says when the page has it, else one weekly
 * rhythm after the last check-in (or after agreement), counted in the reader's calendar.
 */
export function nextCheckInOf(o: Outcome, fromServer?: CheckInDue): CheckInDue | null {
  if (!takesCheckIns(o)) return null;
  if (fromServer && DAY.test(fromServer.date)) return fromServer;
  const t = Date.parse(o.lastCheckInAt ?? o.agreedAt ?? o.createdAt);
  return Number.isNaN(t) ? null : { date: addDays(localDay(new Date(t)), 7) };
}

export function describeDue(due: CheckInDue | null, today = localDay()): string {
  if (!due) return "—";
  const days = daysBetween(today, due.date);
  if (due.overdue ?? days < 0) return `Overdue since ${formatDay(due.date)}`;
  if (days <= 0) return "Today";
  if (days === 1) return "Tomorrow";
  return `${formatDay(due.date)} (in ${days} days)`;
}

/** What the caller may do about the agreement: accept the version on the table, or nothing. */
export function waitingOnMe(o: Outcome, meId: string): boolean {
  const pending = o.agreement.pending;
  if (!pending) return false;
  if (o.ownerId === meId) return pending.waitingFor.includes("owner");
  if (o.managerId === meId) return pending.waitingFor.includes("manager");
  return false;
}
