// Signs of balance, computed from what happened and never typed in. Each figure carries its
// definition and the number of things it is based on.

import { wasCommitted } from "./status";
import { DAY_MS, endOfDayMs, toMs } from "./time";
import type { CheckInRecord, CommentRecord, NudgeRecord, OutcomeRecord, PersonRecord, ReviewRecord } from "./types";

export interface History {
  outcomes: OutcomeRecord[];
  checkIns: CheckInRecord[];
  comments: CommentRecord[];
  nudges: NudgeRecord[];
  reviews: ReviewRecord[];
  people: PersonRecord[];
  /** Owners of outcomes in the history who are not among `people` (they left the team): their time zones only. */
  owners?: PersonRecord[];
  now: string;
  /** Start of the period looked at (inclusive); open when absent unless a sign says otherwise. */
  from?: string | null;
  /** End of the period (inclusive); `now` when absent. */
  to?: string | null;
}

export type SignKey = "deadlinesMetWithoutReminders" | "ideasPerPersonPerMonth" | "medianTimeToSelfCorrect" | "coachingVsChasing";

export interface Sign {
  key: SignKey;
  label: string;
  /** null when there is nothing to base the figure on. */
  value: number | null;
  unit: "percent" | "ideas per person per month" | "days";
  definition: string;
  /** How many items the figure is based on (see the definition). */
  sample: number;
}

export interface Period {
  from: number;
  to: number;
}

/** The period of a history as epoch milliseconds; `defaultDays` sets the start when `from` is absent. */
export function periodOf(h: Pick<History, "from" | "to" | "now">, defaultDays?: number): Period {
  const to = h.to ? toMs(h.to) : toMs(h.now);
  const from = h.from ? toMs(h.from) : defaultDays === undefined ? Number.NEGATIVE_INFINITY : to - defaultDays * DAY_MS;
  return { from, to };
}

export function inPeriod(at: string | number, p: Period): boolean {
  const t = typeof at === "number" ? at : toMs(at);
  return Number.isFinite(t) && t >= p.from && t <= p.to;
}

/** Share as a percentage with one decimal. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

export function median(values: number[]): number | null {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The owner's zone from the people list, UTC when unknown. */
/** The owner's time zone, which decides when their deadline day ends; UTC when not known. */
export function ownerZone(h: Pick<History, "people" | "owners">, ownerId: string): string {
  return (h.people.find((p) => p.id === ownerId) ?? h.owners?.find((p) => p.id === ownerId))?.timeZone ?? "UTC";
}

export function byOutcome<T extends { outcomeId: string; at: string }>(items: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => toMs(a.at) - toMs(b.at))) {
    map.set(item.outcomeId, [...(map.get(item.outcomeId) ?? []), item]);
  }
  return map;
}

/** Agreed at some point: a proposal whose deadline passed before anyone agreed to it was never a commitment. */

export function deadlinesMetWithoutReminders(h: History): Sign {
  const period = periodOf(h);
  const now = toMs(h.now);
  let sample = 0;
  let met = 0;
  for (const o of h.outcomes) {
    if (o.status === "dropped" || !wasCommitted(o)) continue;
    const deadlineEnd = endOfDayMs(o.deadline, ownerZone(h, o.ownerId));
    const doneAt = o.status === "done" ? toMs(o.doneAt) : null;
    if (doneAt !== null && !Number.isFinite(doneAt)) continue;
    const onTime = doneAt !== null && doneAt < deadlineEnd;
    const due = onTime ? doneAt : deadlineEnd <= now ? deadlineEnd : null;
    if (due === null || !inPeriod(due, period)) continue;
    sample += 1;
    if (onTime && !h.nudges.some((n) => n.outcomeId === o.id && toMs(n.at) <= doneAt)) met += 1;
  }
  return {
    key: "deadlinesMetWithoutReminders",
    label: "Deadlines met without reminders",
    value: percent(met, sample),
    unit: "percent",
    definition: "Of the agreed outcomes that came due in the period (done, or their deadline day ended in the owner's time zone without being done; dropped ones excluded), the share done by the end of the deadline day with no reminder or nudge, from the system or a person, before it was done. Sample: outcomes that came due.",
    sample,
  };
}

const MONTH_DAYS = 30;

export function ideasPerPersonPerMonth(h: History): Sign {
  const period = periodOf(h, MONTH_DAYS);
  const checkIns = h.checkIns.filter((c) => inPeriod(c.at, period));
  const ideas = checkIns.reduce((n, c) => n + c.ideasCount, 0);
  const people = h.people.length > 0 ? h.people.length : new Set(checkIns.map((c) => c.authorId)).size;
  const months = (period.to - period.from) / (MONTH_DAYS * DAY_MS);
  return {
    key: "ideasPerPersonPerMonth",
    label: "Ideas surfaced per person per month",
    // No check-ins in the period is no evidence either way, not zero ideas.
    value: checkIns.length > 0 && people > 0 && months > 0 ? round2(ideas / people / months) : null,
    unit: "ideas per person per month",
    definition: `Non-empty ideas recorded in check-ins during the period, divided by the number of people (the team's members, or the check-in authors when no members are given) and by the period's length in months of ${MONTH_DAYS} days; the period is the last ${MONTH_DAYS} days when no start is given. Sample: check-ins in the period.`,
    sample: checkIns.length,
  };
}

export function medianTimeToSelfCorrect(h: History): Sign {
  const period = periodOf(h);
  const durations: number[] = [];
  for (const list of byOutcome(h.checkIns).values()) {
    let start: number | null = null;
    for (const c of list) {
      if (c.status === "at_risk" || c.status === "off_track") {
        start ??= toMs(c.at);
      } else if (c.status === "on_track") {
        if (start !== null && inPeriod(c.at, period)) durations.push((toMs(c.at) - start) / DAY_MS);
        start = null;
      } else {
        start = null;
      }
    }
  }
  const m = median(durations);
  return {
    key: "medianTimeToSelfCorrect",
    label: "Time to self-correct",
    value: m === null ? null : round2(m),
    unit: "days",
    definition: "For each stretch of check-ins at risk or off track on one outcome, the days from the first of them to the next on-track check-in of that outcome (stretches ended by done count as not self-corrected and are left out); the median over stretches whose on-track check-in falls in the period. Sample: such stretches.",
    sample: durations.length,
  };
}

/** Comments by anyone but the outcome's owner: the owner's notes on their own check-ins are neither coaching nor chasing. */
export function othersComments(h: Pick<History, "outcomes" | "comments">): CommentRecord[] {
  const owners = new Map(h.outcomes.map((o) => [o.id, o.ownerId]));
  return h.comments.filter((c) => owners.get(c.outcomeId) !== c.authorId);
}

export function coachingVsChasing(h: History): Sign {
  const period = periodOf(h);
  const comments = othersComments(h).filter((c) => inPeriod(c.at, period));
  const coaching = comments.filter((c) => c.kind === "coaching").length;
  const directives = comments.length - coaching;
  const nudges = h.nudges.filter((n) => inPeriod(n.at, period)).length;
  const whole = coaching + directives + nudges;
  return {
    key: "coachingVsChasing",
    label: "Coaching vs chasing",
    value: percent(coaching, whole),
    unit: "percent",
    definition: "Coaching comments as a share of coaching comments, directives and nudges or reminders (sent by people or the system) in the period; comments by the outcome's owner are left out. Sample: comments and nudges counted.",
    sample: whole,
  };
}

/** All four signs, in a fixed order. */
export function signsOfBalance(h: History): Sign[] {
  return [deadlinesMetWithoutReminders(h), ideasPerPersonPerMonth(h), medianTimeToSelfCorrect(h), coachingVsChasing(h)];
}
