// Figures of the dashboards that the domain does not already compute: progress toward a target,
// rhythm adherence, next check-in dates and the weekly series for charts. Pure functions over
// plain data; the caller passes the clock in.

import { percent } from "../domain/signs";
import { DAY_MS, addDays, localParts, toMs } from "../domain/time";
import { OUTCOME_STATUSES, type OutcomeStatus } from "../domain/types";

export type Cadence = "weekly" | "biweekly";
export const CADENCE_DAYS: Record<Cadence, number> = { weekly: 7, biweekly: 14 };
export const SERIES_WEEKS = 12;

export type StatusCounts = Record<OutcomeStatus, number>;

export function statusCounts(statuses: Iterable<string>): StatusCounts {
  const counts = Object.fromEntries(OUTCOME_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const s of statuses) if (s in counts) counts[s as OutcomeStatus] += 1;
  return counts;
}

/** Share of the way from baseline to target, clamped to 0..1 and rounded to 3 decimals; null without a current value. */
export function progressFraction(o: { baseline: number; target: number; currentValue: number | null }): number | null {
  if (o.currentValue === null || o.target === o.baseline) return null;
  const f = (o.currentValue - o.baseline) / (o.target - o.baseline);
  if (!Number.isFinite(f)) return null;
  return Math.round(Math.min(1, Math.max(0, f)) * 1000) / 1000;
}

const COMMITTED = new Set(["agreed", "at_risk"]);

/**
 * The date (in the owner's zone) the next check-in is due: the last check-in, or the agreement
 * when there is none yet, plus the rhythm's days. Only agreed and at-risk outcomes have one.
 */
export function nextCheckInDue(o: { status: string; lastCheckInAt: string | null; agreedAt: string | null; createdAt: string }, cadence: Cadence, zone: string | null): string | null {
  if (!COMMITTED.has(o.status)) return null;
  const since = toMs(o.lastCheckInAt ?? o.agreedAt ?? o.createdAt);
  if (!Number.isFinite(since)) return null;
  return addDays(localParts(since, zone ?? "UTC").date, CADENCE_DAYS[cadence]);
}

export function todayIn(nowMs: number, zone: string | null): string {
  return localParts(nowMs, zone ?? "UTC").date;
}

export interface RhythmInput {
  outcomes: { id: string; status: string; agreedAt: string | null; createdAt: string }[];
  checkIns: { outcomeId: string; at: string }[];
  /** The team's rhythm: its check-in schedule's, else its default. */
  cadence: Cadence;
  /** An outcome's own rhythm, when it has a check-in schedule of its own. */
  outcomeCadence?: (outcomeId: string) => Cadence | undefined;
  fromMs: number;
  toMs: number;
}

export interface RhythmAdherence {
  cadence: Cadence;
  windowDays: number;
  windows: number;
  outcomes: number;
  windowsDue: number;
  windowsKept: number;
  adherence: number | null;
  onRhythmNow: number | null;
  definition: string;
}

export function rhythmAdherence(input: RhythmInput): RhythmAdherence {
  const windowDays = CADENCE_DAYS[input.cadence];
  const span = Math.min(SERIES_WEEKS * 7 * DAY_MS, input.toMs - input.fromMs);
  const windowsOf = (days: number) => Math.max(1, Math.floor(span / (days * DAY_MS)));
  const windows = windowsOf(windowDays);
  const times = new Map<string, number[]>();
  for (const c of input.checkIns) {
    const t = toMs(c.at);
    if (!Number.isFinite(t)) continue;
    const list = times.get(c.outcomeId);
    if (list) list.push(t);
    else times.set(c.outcomeId, [t]);
  }
  const committed = input.outcomes.filter((o) => COMMITTED.has(o.status));
  let due = 0;
  let kept = 0;
  let onRhythm = 0;
  let dueNow = 0;
  for (const o of committed) {
    const start = toMs(o.agreedAt ?? o.createdAt);
    const mine = times.get(o.id) ?? [];
    const days = CADENCE_DAYS[input.outcomeCadence?.(o.id) ?? input.cadence];
    for (let k = 0; k < windowsOf(days); k++) {
      const end = input.toMs - k * days * DAY_MS;
      const begin = end - days * DAY_MS;
      if (!(start <= begin)) continue;
      due += 1;
      const hit = mine.some((t) => t > begin && t <= end);
      if (hit) kept += 1;
    }
    // Only an outcome agreed before the latest window began owes a check-in in it.
    const latestBegin = input.toMs - days * DAY_MS;
    if (start <= latestBegin) {
      dueNow += 1;
      if (mine.some((t) => t > latestBegin && t <= input.toMs)) onRhythm += 1;
    }
  }
  return {
    cadence: input.cadence,
    windowDays,
    windows,
    outcomes: committed.length,
    windowsDue: due,
    windowsKept: kept,
    adherence: percent(kept, due),
    onRhythmNow: percent(onRhythm, dueNow),
    definition:
      `Outcomes that are agreed or at risk now. The last ${SERIES_WEEKS} weeks up to the end of the period (the whole period when it is shorter) are cut, ` +
      `counting back from its end, into windows as long as each outcome's rhythm in force now: its own check-in schedule's, else the team's (${windowDays} days for the team's ${input.cadence} rhythm). A window is due for an outcome ` +
      "that was agreed before the window began, and kept when the outcome has at least one check-in inside it. Adherence is kept windows as a percentage " +
      "of due windows. On rhythm now is, of these outcomes agreed before the latest window began, the percentage with a check-in in it.",
  };
}

/** ISO 8601 week of an instant, read on the UTC calendar: label (2026-W09) and its Monday. */
export function isoWeek(ms: number): { week: string; start: string } {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - day * DAY_MS;
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return { week: `${year}-W${String(week).padStart(2, "0")}`, start: new Date(monday).toISOString().slice(0, 10) };
}

/** The Monday 00:00 UTC that starts the first of the series' weeks ending with the week of `toMs`. */
export function seriesStartMs(endMs: number): number {
  return toMs(isoWeek(endMs).start) - (SERIES_WEEKS - 1) * 7 * DAY_MS;
}

export interface SeriesInput {
  toMs: number;
  checkIns: { outcomeId: string; at: string; status: string }[];
  nudges: { at: string }[];
  comments: { at: string; kind: string }[];
}

export interface Week {
  week: string;
  start: string;
  checkIns: number;
  onTrackShare: number | null;
  atRisk: number;
  nudges: number;
  coachingComments: number;
  directives: number;
}

export function weeklySeries(input: SeriesInput): { weeks: Week[]; definition: string } {
  const first = seriesStartMs(input.toMs);
  const acc = Array.from({ length: SERIES_WEEKS }, (_, i) => ({ ...isoWeek(first + i * 7 * DAY_MS), checkIns: 0, onTrack: 0, atRisk: new Set<string>(), nudges: 0, coaching: 0, directives: 0 }));
  const slot = (at: string) => {
    const t = toMs(at);
    if (!Number.isFinite(t) || t < first || t > input.toMs) return undefined;
    return acc[Math.floor((t - first) / (7 * DAY_MS))];
  };
  for (const c of input.checkIns) {
    const w = slot(c.at);
    if (!w) continue;
    w.checkIns += 1;
    if (c.status === "on_track") w.onTrack += 1;
    if (c.status === "at_risk" || c.status === "off_track") w.atRisk.add(c.outcomeId);
  }
  for (const n of input.nudges) {
    const w = slot(n.at);
    if (w) w.nudges += 1;
  }
  for (const k of input.comments) {
    const w = slot(k.at);
    if (w && k.kind === "coaching") w.coaching += 1;
    else if (w) w.directives += 1;
  }
  return {
    weeks: acc.map((w) => ({
      week: w.week,
      start: w.start,
      checkIns: w.checkIns,
      onTrackShare: percent(w.onTrack, w.checkIns),
      atRisk: w.atRisk.size,
      nudges: w.nudges,
      coachingComments: w.coaching,
      directives: w.directives,
    })),
    definition:
      `The ${SERIES_WEEKS} ISO weeks (Monday to Sunday, UTC) ending with the week that holds the end of the period, up to that end. Per week: check-ins of the ` +
      "team's outcomes; the percentage of them reported on track; outcomes with at least one at-risk or off-track check-in; nudges and reminders " +
      "(escalations not counted); manager comments marked coaching, and those marked directive.",
  };
}
