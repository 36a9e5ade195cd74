// Pitfalls, detected from what happened: vague expectations, over-monitoring, ignored
// underperformance and activity without results. And the split of review causes between the
// system around the work and the individual.

import { byOutcome, inPeriod, othersComments, ownerZone, percent, periodOf, type History, type Period } from "./signs";
import { isOverdue, wasCommitted } from "./status";
import { DAY_MS, isDateOnly, toMs } from "./time";
import { CAUSE_CATEGORIES, INDIVIDUAL_CAUSES, SYSTEM_CAUSES, TERMINAL_STATUSES, type CauseCategory, type CheckInRecord, type ReviewRecord } from "./types";

export type PitfallKey = "vagueExpectations" | "overMonitoring" | "ignoredUnderperformance" | "activityWithoutResults";

export interface PitfallItem {
  outcomeId: string;
  reason: string;
}

export interface Pitfall {
  key: PitfallKey;
  label: string;
  detected: boolean;
  /** Outcomes concerned. */
  count: number;
  items: PitfallItem[];
  definition: string;
}

export type Cadence = "weekly" | "biweekly";

/** The agreed rhythm of one outcome, or of a team's outcomes when `outcomeId` is absent. */
export interface Rhythm {
  outcomeId?: string | null;
  teamId?: string | null;
  cadence: Cadence;
}

export interface PitfallInput extends History {
  rhythms?: Rhythm[];
  /** Consecutive at-risk check-ins that count as long at risk (default 3). */
  atRiskCheckIns?: number;
  /** Consecutive check-ins without movement that count as activity without results (default 3). */
  flatCheckIns?: number;
}

const RHYTHM_DAYS: Record<Cadence, number> = { weekly: 7, biweekly: 14 };
const TOLERANCE = 1;

function pitfall(key: PitfallKey, label: string, items: PitfallItem[], definition: string): Pitfall {
  return { key, label, detected: items.length > 0, count: items.length, items, definition };
}

const isOpen = (status: string) => !TERMINAL_STATUSES.includes(status as never);
const blank = (s: string | null | undefined) => !s || s.trim().length === 0;

export function vagueExpectations(input: PitfallInput): Pitfall {
  const items: PitfallItem[] = [];
  for (const o of input.outcomes) {
    if (!isOpen(o.status)) continue;
    const m = o.measure;
    const reasons: string[] = [];
    if (blank(m?.metric)) reasons.push("no metric");
    if (blank(m?.unit)) reasons.push("no unit");
    if (!Number.isFinite(m?.baseline) || !Number.isFinite(m?.target)) reasons.push("no baseline or target");
    else if (m.target === m.baseline) reasons.push("target equals the baseline");
    if (blank(o.deadline) || !isDateOnly(o.deadline)) reasons.push("no deadline");
    if (blank(o.ifMissed)) reasons.push("no agreed answer to what happens if it is missed");
    if (reasons.length > 0) items.push({ outcomeId: o.id, reason: reasons.join("; ") });
  }
  return pitfall("vagueExpectations", "Vague expectations", items,
    "Open outcomes (not done, missed or dropped) whose measure cannot tell success: no metric or unit, no baseline or target, a target equal to the baseline, or no deadline or no agreed consequence if missed.");
}

/** The largest number of instants inside any window of `spanMs` (start inclusive, end exclusive). */
export function maxInWindow(instants: number[], spanMs: number): number {
  const s = [...instants].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < s.length; hi++) {
    while ((s[hi] as number) - (s[lo] as number) >= spanMs) lo += 1;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** A team's rhythm: the first team-wide rhythm given for it (its check-in schedule's before its default), else weekly. */
export function teamRhythmOf(rhythms: readonly Rhythm[], teamId: string): Cadence {
  return rhythms.find((r) => !r.outcomeId && r.teamId === teamId)?.cadence ?? "weekly";
}

/** An outcome's rhythm: its own, else its team's. */
export function rhythmOf(rhythms: readonly Rhythm[], outcome: { id: string; teamId: string }): Cadence {
  return rhythms.find((r) => r.outcomeId === outcome.id)?.cadence ?? teamRhythmOf(rhythms, outcome.teamId);
}

/** The instants in the period of each outcome's records, read once for all outcomes. */
function instantsByOutcome(records: readonly { outcomeId: string; at: string }[], period: Period): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of records) {
    const t = toMs(r.at);
    if (!inPeriod(t, period)) continue;
    const list = out.get(r.outcomeId);
    if (list) list.push(t);
    else out.set(r.outcomeId, [t]);
  }
  return out;
}

export function overMonitoring(input: PitfallInput): Pitfall {
  const period = periodOf(input);
  const rhythms = input.rhythms ?? [];
  const items: PitfallItem[] = [];
  const checkInsOf = instantsByOutcome(input.checkIns, period);
  const nudgesOf = instantsByOutcome(input.nudges, period);
  for (const o of input.outcomes) {
    const cadence = rhythmOf(rhythms, o);
    const days = RHYTHM_DAYS[cadence];
    const allowed = 1 + TOLERANCE;
    const checkIns = maxInWindow(checkInsOf.get(o.id) ?? [], days * DAY_MS);
    const nudges = maxInWindow(nudgesOf.get(o.id) ?? [], days * DAY_MS);
    const reasons: string[] = [];
    if (checkIns > allowed) reasons.push(`${checkIns} check-ins within ${days} days`);
    if (nudges > allowed) reasons.push(`${nudges} nudges within ${days} days`);
    if (reasons.length > 0) items.push({ outcomeId: o.id, reason: `${reasons.join(" and ")}; the ${cadence} rhythm allows 1 (${allowed} with tolerance)` });
  }
  return pitfall("overMonitoring", "Over-monitoring", items,
    "Outcomes with more check-ins, or more nudges and reminders, inside any window as long as their agreed rhythm (7 days weekly, 14 days biweekly; weekly when none is set) than the rhythm's one, plus one extra as tolerance.");
}

const atRisk = (c: CheckInRecord) => c.status === "at_risk" || c.status === "off_track";

/** Runs of consecutive check-ins (in time order) that satisfy `same`. */
function runs(list: CheckInRecord[], keep: (c: CheckInRecord) => boolean, same: (a: CheckInRecord, b: CheckInRecord) => boolean): CheckInRecord[][] {
  const out: CheckInRecord[][] = [];
  let current: CheckInRecord[] = [];
  for (const c of list) {
    const prev = current[current.length - 1];
    if (keep(c) && (!prev || same(prev, c))) current.push(c);
    else {
      if (current.length > 0) out.push(current);
      current = keep(c) ? [c] : [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

export function ignoredUnderperformance(input: PitfallInput): Pitfall {
  const period = periodOf(input);
  const threshold = input.atRiskCheckIns ?? 3;
  const checkIns = byOutcome(input.checkIns);
  // Coaching is someone else's support: the owner's own comments on their check-ins are not it.
  const coached = new Set(othersComments(input).filter((c) => c.kind === "coaching").map((c) => c.checkInId));
  const reviewed = new Set(input.reviews.map((r) => r.outcomeId));
  const items: PitfallItem[] = [];
  for (const o of input.outcomes) {
    const reasons: string[] = [];
    // A proposal that passed its deadline unagreed was never a commitment: nothing to review.
    if (!reviewed.has(o.id) && wasCommitted(o)) {
      if (o.status === "missed") reasons.push(`missed (deadline ${o.deadline}) with no review`);
      else if (isOpen(o.status) && o.status !== "draft" && isOverdue(o, input.now, ownerZone(input, o.ownerId))) reasons.push(`overdue since ${o.deadline} with no review`);
    }
    const stretches = runs(checkIns.get(o.id) ?? [], atRisk, () => true)
      .filter((r) => r.length >= threshold && inPeriod((r[r.length - 1] as CheckInRecord).at, period))
      // The owner asking for support is not support given: an ask nobody answered is ignored too.
      .filter((r) => r.every((c) => !coached.has(c.id)));
    const last = stretches[stretches.length - 1];
    if (last) {
      const asked = last.filter((c) => c.supportAsked).length;
      const ask = asked === 0 ? "" : `, support asked for on ${asked} of them,`;
      reasons.push(`at risk or off track for ${last.length} check-ins in a row${ask} with no coaching recorded`);
    }
    if (reasons.length > 0) items.push({ outcomeId: o.id, reason: reasons.join("; ") });
  }
  return pitfall("ignoredUnderperformance", "Ignored underperformance", items,
    `Outcomes once agreed that were missed, or are past their deadline day while still open, without a review; or at risk or off track for ${threshold} or more check-ins in a row (the last of them in the period) with no coaching comment (a question or offer of support, by anyone but the owner) on any of them; the owner asking for support is not support given.`);
}

export function activityWithoutResults(input: PitfallInput): Pitfall {
  const period = periodOf(input);
  const threshold = input.flatCheckIns ?? 3;
  const items: PitfallItem[] = [];
  const checkIns = byOutcome(input.checkIns);
  for (const { id: outcomeId } of input.outcomes) {
    const flat = runs(checkIns.get(outcomeId) ?? [], (c) => c.status !== "done", (a, b) => a.progress === b.progress)
      .filter((r) => r.length >= threshold && inPeriod((r[r.length - 1] as CheckInRecord).at, period));
    const last = flat[flat.length - 1];
    if (!last) continue;
    const first = last[0] as CheckInRecord;
    const end = last[last.length - 1] as CheckInRecord;
    items.push({ outcomeId, reason: `${last.length} check-ins in a row at progress ${first.progress}, from ${first.at.slice(0, 10)} to ${end.at.slice(0, 10)}` });
  }
  return pitfall("activityWithoutResults", "Activity without results", items,
    `Outcomes with ${threshold} or more check-ins in a row (the last of them in the period; a done check-in ends the run) reporting the same progress value, so the measure did not move.`);
}

/** All four pitfalls, in a fixed order. */
export function detectPitfalls(input: PitfallInput): Pitfall[] {
  return [vagueExpectations(input), overMonitoring(input), ignoredUnderperformance(input), activityWithoutResults(input)];
}

export interface ReviewCauses {
  counts: Record<CauseCategory, number>;
  /** All causes named, each once per outcome, across the outcomes reviewed (a review may name several). */
  total: number;
  /** Reviews written; an outcome's owner and manager may each write one. */
  reviews: number;
  systemCauses: number;
  individualCauses: number;
  /** Percent of causes that lie in the system (system, process, resources, external); null without causes. */
  systemShare: number | null;
  /** Percent of causes that lie with the individual (skills, individual); null without causes. */
  individualShare: number | null;
  definition: string;
}

export function reviewCauses(reviews: ReviewRecord[]): ReviewCauses {
  const counts = Object.fromEntries(CAUSE_CATEGORIES.map((c) => [c, 0])) as Record<CauseCategory, number>;
  // An outcome's owner and manager may each review it: the causes its reviews name count once for it,
  // so an outcome reviewed twice does not weigh twice in the split.
  const named = new Map<string, Set<CauseCategory>>();
  for (const r of reviews) {
    const causes = named.get(r.outcomeId) ?? new Set<CauseCategory>();
    for (const c of r.causes) causes.add(c);
    named.set(r.outcomeId, causes);
  }
  for (const causes of named.values()) for (const c of causes) if (c in counts) counts[c] += 1;
  const sum = (cats: readonly CauseCategory[]) => cats.reduce((n, c) => n + counts[c], 0);
  const systemCauses = sum(SYSTEM_CAUSES);
  const individualCauses = sum(INDIVIDUAL_CAUSES);
  const total = systemCauses + individualCauses;
  return {
    counts,
    total,
    reviews: reviews.length,
    systemCauses,
    individualCauses,
    systemShare: percent(systemCauses, total),
    individualShare: percent(individualCauses, total),
    definition:
      "Each cause category named in the reviews of an outcome counts once for that outcome, however many of its reviews (its owner's and its manager's) name it; " +
      "system causes are system, process, resources and external, individual causes are skills and individual; shares are percentages of all causes counted. Reviews: the reviews written.",
  };
}
