// Checking writes against the boundaries in force. Each check runs every applicable boundary of
// the kinds it cares about and reports what it finds; when several boundaries find the same thing,
// the one that blocks (then the narrowest) speaks.

import {
  compilePattern, isPatternProblem, scopeRank,
  type BoundaryFinding, type BoundaryKind, type EffectiveRules, type RequiredField, type RuleOf, type RuleSource,
} from "./boundary-kinds";
import { matchTexts } from "./text-matching";
import { DAY_MS, MINUTE_MS, addDays, localDaysBetween, localParts, resolveTimeZone, toMs, zonedToMs } from "./time";
import type { Approach, CheckInRecord, Measure, WorkingHours } from "./types";
import { checkWorkingHours, clockText, describeWorkingHours } from "./working-hours";

/** Free text longer than this is not scanned past this point; the rest is reported as unchecked. */
export const MAX_SCAN_CHARS = 20_000;

function sources<K extends BoundaryKind>(rules: EffectiveRules, kind: K): { source: RuleSource; rule: RuleOf<K> }[] {
  return rules
    .filter((r) => r.kind === kind)
    .flatMap((r) => r.sources)
    .map((source) => ({ source, rule: source.rule as RuleOf<K> }));
}

type Found = { finding: BoundaryFinding; rank: number };

/**
 * What is kept of each finding for the record, beside the finding the caller is shown: the
 * version of the boundary that found it, and the other boundaries that found the same thing.
 */
const behind = new WeakMap<BoundaryFinding, { version: number; alsoFoundBy: { finding: BoundaryFinding; version: number }[] }>();

function found(source: RuleSource, code: string, message: string, path?: string, enforcement = source.enforcement): Found {
  const finding: BoundaryFinding = {
    boundaryId: source.boundaryId,
    boundaryName: source.boundaryName,
    kind: source.rule.kind,
    rule: source.text,
    enforcement,
    message,
    code,
    ...(path === undefined ? {} : { path }),
  };
  behind.set(finding, { version: source.version, alsoFoundBy: [] });
  return { finding, rank: scopeRank(source.scope) };
}

/** One finding per kind, code and path is shown: blocking before warning, then the narrowest scope. */
function settle(all: Found[]): BoundaryFinding[] {
  const groups = new Map<string, Found[]>();
  for (const f of all) {
    const key = `${f.finding.kind}|${f.finding.code}|${f.finding.path ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()].map((group) => {
    let best = group[0]!;
    for (const f of group) {
      const better = (f.finding.enforcement === "block" && best.finding.enforcement === "warn") || (f.finding.enforcement === best.finding.enforcement && f.rank > best.rank);
      if (better) best = f;
    }
    const kept = behind.get(best.finding)!;
    // The others are kept for the record, each boundary once.
    for (const f of group) {
      if (f === best || f.finding.boundaryId === best.finding.boundaryId || kept.alsoFoundBy.some((o) => o.finding.boundaryId === f.finding.boundaryId)) continue;
      kept.alsoFoundBy.push({ finding: f.finding, version: behind.get(f.finding)!.version });
    }
    return best.finding;
  });
}

/**
 * Every boundary behind the findings a check returned, with the version that found it: the
 * compliance record names each boundary that was broken, where the caller is shown one finding
 * per field. A finding not made by these checks counts once, with no version.
 */
export function findingsForTheRecord(findings: readonly BoundaryFinding[]): { finding: BoundaryFinding; version: number | null }[] {
  return findings.flatMap((f): { finding: BoundaryFinding; version: number | null }[] => {
    const kept = behind.get(f);
    return kept ? [{ finding: f, version: kept.version }, ...kept.alsoFoundBy] : [{ finding: f, version: null }];
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

interface TextField {
  path: string;
  text: string | null | undefined;
}

function scanTexts(rules: EffectiveRules, fields: TextField[]): Found[] {
  const out: Found[] = [];
  const texts = fields.filter((f): f is { path: string; text: string } => typeof f.text === "string" && f.text.length > 0);
  if (texts.length === 0) return out;
  const scanned = texts.map((t) => t.text.slice(0, MAX_SCAN_CHARS));
  for (const { source, rule } of sources(rules, "content_pattern")) {
    const usable: { name: string; re: RegExp }[] = [];
    for (const pattern of rule.patterns) {
      const re = compilePattern(pattern);
      if (isPatternProblem(re)) out.push(found(source, `pattern_unusable:${pattern.name}`, `The pattern "${pattern.name}" cannot be checked (${re.message}); ask an admin to fix the boundary.`));
      else usable.push({ name: pattern.name, re });
    }
    const matches = matchTexts(usable.map((u) => u.re), scanned);
    if (matches === null) {
      // Stopped at its time limit: the text could not be checked, so it is not let through unchecked.
      out.push(found(source, "too_slow_to_check", `The text could not be checked against "${source.boundaryName}" in time; shorten it, or ask an admin to simplify the boundary's patterns.`));
    } else {
      usable.forEach(({ name }, i) =>
        texts.forEach(({ path }, j) => {
          if (matches[i]![j]) out.push(found(source, `pattern:${name}`, `${path} contains text that looks like ${name}, which must not be written here.`, path));
        }),
      );
    }
    for (const { path, text } of texts) {
      if (text.length > MAX_SCAN_CHARS) {
        out.push(found(source, "too_long_to_check", `${path} is longer than ${MAX_SCAN_CHARS} characters, so it cannot be checked for forbidden content; shorten it.`, path));
      }
    }
  }
  return out;
}

export interface OutcomeDraft {
  title?: string | null;
  measure?: Partial<Omit<Measure, "current">> | null;
  deadline?: string | null;
  ifMissed?: string | null;
  approach?: Approach | null;
  teamId?: string | null;
  visibility?: string | null;
  riskClass?: string | null;
  /** True once compliance or an admin approved the outcome's risk class. */
  riskApproved?: boolean;
  /** Why the what changes, when it does. */
  reason?: string | null;
}

const filled = (v: string | null | undefined) => typeof v === "string" && v.trim().length > 0;

function hasField(d: OutcomeDraft, field: RequiredField): boolean {
  switch (field) {
    case "measure": {
      const m = d.measure;
      return !!m && filled(m.metric) && filled(m.unit) && Number.isFinite(m.baseline) && Number.isFinite(m.target);
    }
    case "approach": {
      const a = d.approach;
      return !!a && (filled(a.plan) || filled(a.schedule) || (a.tools ?? []).some(filled));
    }
    default:
      return filled(d[field]);
  }
}

/**
 * Checks an outcome about to be saved: required fields, forbidden content in title, measure,
 * consequence, approach and the reason for a change, and approval for a risk class. The approval finding carries the boundary's
 * enforcement when `intent` is "agree" (approval must come before agreement) and only warns
 * while the outcome is being drafted.
 */
export function evaluateOutcomeWrite(rules: EffectiveRules, draft: OutcomeDraft, options: { intent?: "save" | "agree"; writtenByOwner?: boolean } = {}): BoundaryFinding[] {
  const out: Found[] = [];
  for (const { source, rule } of sources(rules, "required_fields")) {
    for (const field of rule.fields) {
      if (hasField(draft, field)) continue;
      // The how is the owner's alone: someone else proposing or changing the what cannot supply
      // it, so they are told it is missing, and the owner states it before agreement.
      if (field === "approach" && options.writtenByOwner === false && options.intent !== "agree") {
        out.push(found(source, "missing:approach", "Outcomes here must state an approach; only the owner can write it, before the outcome is agreed.", "approach", "warn"));
        continue;
      }
      out.push(found(source, `missing:${field}`, `Outcomes here must state ${field === "measure" ? "a measure (metric, unit, baseline and target)" : field}.`, field));
    }
  }
  const a = draft.approach;
  out.push(...scanTexts(rules, [
    { path: "title", text: draft.title },
    { path: "measure.metric", text: draft.measure?.metric },
    { path: "measure.unit", text: draft.measure?.unit },
    { path: "ifMissed", text: draft.ifMissed },
    // The reason for a change is kept word for word in the agreement history and the audit trail.
    { path: "reason", text: draft.reason },
    { path: "approach.plan", text: a?.plan },
    { path: "approach.schedule", text: a?.schedule },
    ...(a?.tools ?? []).map((text, i) => ({ path: `approach.tools.${i}`, text })),
  ]));
  const risk = draft.riskClass?.trim().toLowerCase();
  if (risk && !draft.riskApproved) {
    for (const { source, rule } of sources(rules, "approval_for_risk_class")) {
      if (!rule.riskClasses.some((c) => c.trim().toLowerCase() === risk)) continue;
      const enforcement = options.intent === "agree" ? source.enforcement : "warn";
      out.push(found(source, "approval_required", `Risk class "${draft.riskClass}" needs approval by compliance or an admin before this outcome can be agreed.`, "riskClass", enforcement));
    }
  }
  return settle(out);
}

export interface CheckInDraft {
  /** When the check-in happens; defaults to `now`. */
  at?: string | null;
  note?: string | null;
  blockers?: string | null;
  supportNeeded?: string | null;
  nextStep?: string | null;
  ideas?: string[];
  /**
   * Records the outcome done. The minimum gap guards against checking in too often; it never
   * stands between an owner and finishing, so it does not hold such a check-in back.
   */
  completes?: boolean;
}

export interface CheckInContext {
  checkIn: CheckInDraft;
  /** Earlier check-ins of the same outcome. */
  previousCheckIns: Pick<CheckInRecord, "at">[];
  now: string;
  /** The author's working hours, if known; without them the working-hours rule is not checked. */
  workingHours?: WorkingHours | null;
  /** The owner's zone, for counting calendar days between check-ins (default UTC). */
  timeZone?: string | null;
}

function outsideHoursMessage(what: string, wh: WorkingHours, check: ReturnType<typeof checkWorkingHours>): string {
  const when = `${check.local.weekday} ${check.local.date} at ${clockText(check.local.secondOfDay)} (${check.zone})`;
  const unknownZone = check.zoneKnown ? "" : ` The time zone "${wh.timeZone?.name}" was not recognised, so UTC was used.`;
  return `${what} on ${when} is outside the working hours ${describeWorkingHours(wh)}.${unknownZone}`;
}

/** Checks a check-in: forbidden content, not sooner than the cadence allows, inside working hours. */
export function evaluateCheckIn(rules: EffectiveRules, input: CheckInContext): BoundaryFinding[] {
  const c = input.checkIn;
  const out: Found[] = scanTexts(rules, [
    { path: "note", text: c.note },
    { path: "blockers", text: c.blockers },
    { path: "supportNeeded", text: c.supportNeeded },
    { path: "nextStep", text: c.nextStep },
    ...(c.ideas ?? []).map((text, i) => ({ path: `ideas.${i}`, text })),
  ]);
  const at = toMs(c.at ?? input.now);
  if (!Number.isFinite(at)) return settle(out);
  const earlier = input.previousCheckIns.map((p) => toMs(p.at)).filter((t) => Number.isFinite(t) && t <= at);
  const zone = input.timeZone ?? "UTC";
  if (earlier.length > 0 && !c.completes) {
    const last = Math.max(...earlier);
    const gap = localDaysBetween(last, at, zone);
    for (const { source, rule } of sources(rules, "checkin_cadence")) {
      if (gap < rule.minDays) {
        out.push(found(source, "too_soon", `The last check-in was ${gap === 0 ? "earlier the same day" : `${plural(gap, "day")} ago`}; check-ins here are at most every ${plural(rule.minDays, "day")}.`, "at"));
      }
    }
  }
  const wh = input.workingHours;
  if (wh) {
    const check = checkWorkingHours(wh, at);
    if (check.verdict === "outside") {
      for (const { source } of sources(rules, "working_hours_only")) out.push(found(source, "outside_working_hours", outsideHoursMessage("This check-in", wh, check), "at"));
    }
  }
  return settle(out);
}

/**
 * The other side of the cadence: the gap since the last check-in (or, before the first one, since
 * `since`, e.g. the agreement) has grown longer than the maximum. Calendar days in `timeZone`.
 */
export function checkInOverdue(rules: EffectiveRules, input: { lastCheckInAt: string | null; since?: string | null; now: string; timeZone?: string | null }): BoundaryFinding[] {
  const from = toMs(input.lastCheckInAt ?? input.since ?? null);
  const now = toMs(input.now);
  if (!Number.isFinite(from) || !Number.isFinite(now)) return [];
  const gap = localDaysBetween(from, now, input.timeZone ?? "UTC");
  const out: Found[] = [];
  for (const { source, rule } of sources(rules, "checkin_cadence")) {
    if (gap > rule.maxDays) {
      out.push(found(source, "too_rare", `${input.lastCheckInAt ? "The last check-in was" : "Agreement was"} ${plural(gap, "day")} ago; check-ins here are due at least every ${plural(rule.maxDays, "day")}.`));
    }
  }
  return settle(out);
}

export interface NudgeCount {
  count: number;
  definition: string;
}

/** Nudges and reminders (from anyone, the system included) for one outcome in the 7 days up to and including `now`. */
export function nudgesInWeek(nudges: { outcomeId: string; at: string }[], outcomeId: string, now: string): NudgeCount {
  const end = toMs(now);
  const count = nudges.filter((n) => n.outcomeId === outcomeId && toMs(n.at) > end - 7 * DAY_MS && toMs(n.at) <= end).length;
  return { count, definition: "Nudges and reminders for the outcome, from people or the system, sent in the 7 days (168 hours) up to and including now." };
}

/** Whether one more nudge would go over the weekly limit for this outcome. */
export function evaluateNudge(rules: EffectiveRules, input: { outcomeId: string; nudgesThisWeek: number; now: string }): BoundaryFinding[] {
  const out: Found[] = [];
  for (const { source, rule } of sources(rules, "nudge_limit")) {
    if (input.nudgesThisWeek + 1 > rule.perOutcomePerWeek) {
      out.push(found(source, "nudge_limit",
        `${plural(input.nudgesThisWeek, "nudge")} already went out for this outcome in the past 7 days; the limit is ${rule.perOutcomePerWeek} a week. Trust the rhythm, or ask in the next check-in.`));
    }
  }
  return settle(out);
}

export interface ScheduleDraft {
  cadence: "weekly" | "biweekly";
  /** First occurrence, ISO instant. */
  start: string;
  durationMinutes: number;
  /** Zone the series repeats in (its wall-clock time stays fixed there); default UTC. */
  timeZone?: string | null;
  attendees: { id: string; name?: string; workingHours?: WorkingHours | null }[];
  /** How far ahead to check occurrences, in weeks (default 52, to catch daylight-saving shifts). */
  horizonWeeks?: number;
}

export const CADENCE_DAYS: Record<ScheduleDraft["cadence"], number> = { weekly: 7, biweekly: 14 };

/**
 * Checks a check-in series: its interval (7 or 14 days) against the cadence's minimum and maximum
 * gap, and every occurrence within the horizon against every attendee's working hours (one finding
 * per attendee, naming the first occurrence outside them).
 */
export function evaluateSchedule(rules: EffectiveRules, draft: ScheduleDraft): BoundaryFinding[] {
  const out: Found[] = [];
  const interval = CADENCE_DAYS[draft.cadence];
  for (const { source, rule } of sources(rules, "checkin_cadence")) {
    if (interval < rule.minDays) {
      out.push(found(source, "too_often", `A ${draft.cadence} rhythm meets every ${interval} days; check-ins here are at most every ${plural(rule.minDays, "day")}.`, "cadence"));
    }
    if (interval > rule.maxDays) {
      out.push(found(source, "too_rare", `A ${draft.cadence} rhythm meets every ${interval} days; check-ins here are due at least every ${plural(rule.maxDays, "day")}.`, "cadence"));
    }
  }
  const whSources = sources(rules, "working_hours_only");
  const first = toMs(draft.start);
  if (whSources.length > 0 && Number.isFinite(first) && draft.durationMinutes > 0) {
    const zone = resolveTimeZone(draft.timeZone).zone;
    const anchor = localParts(first, zone);
    const count = Math.max(1, Math.ceil(((draft.horizonWeeks ?? 52) * 7) / interval));
    const starts = Array.from({ length: count }, (_, k) => (k === 0 ? first : zonedToMs(addDays(anchor.date, k * interval), anchor.secondOfDay, zone)));
    draft.attendees.forEach((attendee, i) => {
      const wh = attendee.workingHours;
      if (!wh) return;
      for (const s of starts) {
        const check = checkWorkingHours(wh, s, s + draft.durationMinutes * MINUTE_MS);
        if (check.verdict !== "outside") continue;
        const who = attendee.name ?? attendee.id;
        for (const { source } of whSources) out.push(found(source, "outside_working_hours", outsideHoursMessage(`For ${who}, the meeting`, wh, check), `attendees.${i}`));
        break;
      }
    });
  }
  return settle(out);
}

export interface EscalationDecision {
  due: boolean;
  consecutiveAtRisk: number;
  threshold: number | null;
  boundaryId: string | null;
  boundaryName: string | null;
  definition: string;
}

/**
 * For the check-ins of one outcome: how many of the latest ones in a row were at risk or off track,
 * and whether that reaches the strictest escalation threshold in force.
 */
export function escalationDue(rules: EffectiveRules, checkIns: Pick<CheckInRecord, "at" | "status">[]): EscalationDecision {
  const sorted = checkIns.map((c) => ({ t: toMs(c.at), status: c.status })).sort((a, b) => a.t - b.t);
  let streak = 0;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const s = sorted[i]?.status;
    if (s !== "at_risk" && s !== "off_track") break;
    streak += 1;
  }
  const all = sources(rules, "escalation").sort((a, b) => a.rule.atRiskCheckIns - b.rule.atRiskCheckIns || scopeRank(b.source.scope) - scopeRank(a.source.scope));
  const strictest = all[0];
  const threshold = strictest?.rule.atRiskCheckIns ?? null;
  return {
    due: threshold !== null && streak >= threshold,
    consecutiveAtRisk: streak,
    threshold,
    boundaryId: strictest?.source.boundaryId ?? null,
    boundaryName: strictest?.source.boundaryName ?? null,
    definition: "Number of the outcome's latest check-ins in a row whose status was at risk or off track; escalation is due when it reaches the lowest threshold of the escalation boundaries in force.",
  };
}

/**
 * Whether a check-in escalates its outcome: escalation is due, the outcome is at risk after it,
 * and this run at risk (since `atRiskSince`) has not been escalated yet. So a run escalates once,
 * and a run that passed the threshold before the rule came in, or before the outcome was agreed,
 * escalates at its next at-risk check-in instead of never.
 */
export function escalatesNow(decision: Pick<EscalationDecision, "due">, after: { status: string; atRiskSince: string | null; escalatedAt: string | null }): boolean {
  if (!decision.due || after.status !== "at_risk") return false;
  const escalatedThisRun = after.escalatedAt !== null && after.atRiskSince !== null && toMs(after.escalatedAt) >= toMs(after.atRiskSince);
  return !escalatedThisRun;
}

/**
 * How many of an outcome's latest check-ins the check-in rules need to see: the latest one for the
 * cadence, and for escalation enough to tell whether the streak, with the new check-in, reaches
 * the highest threshold in force.
 */
export function recentCheckInsNeeded(rules: EffectiveRules): number {
  return Math.max(1, ...sources(rules, "escalation").map((s) => s.rule.atRiskCheckIns));
}

export interface RetentionCutoff {
  /** Free text written before this instant is past retention; null when no retention rule applies. */
  cutoff: string | null;
  freeTextDays: number | null;
  boundaryId: string | null;
  boundaryName: string | null;
  definition: string;
}

/** The instant before which free text should be cleared: `now` minus the shortest retention in force. */
export function retentionCutoff(rules: EffectiveRules, now: string): RetentionCutoff {
  const all = sources(rules, "retention").sort((a, b) => a.rule.freeTextDays - b.rule.freeTextDays || scopeRank(b.source.scope) - scopeRank(a.source.scope));
  const strictest = all[0];
  const days = strictest?.rule.freeTextDays ?? null;
  const t = toMs(now);
  return {
    cutoff: days === null || !Number.isFinite(t) ? null : new Date(t - days * DAY_MS).toISOString(),
    freeTextDays: days,
    boundaryId: strictest?.source.boundaryId ?? null,
    boundaryName: strictest?.source.boundaryName ?? null,
    definition: "Free text (notes, blockers, support needed, next steps, ideas) written more than the shortest retention period in force before now is past retention and should be cleared.",
  };
}

/** Forbidden content in free text written anywhere else: comments, nudge messages, review answers. */
export function scanFreeText(rules: EffectiveRules, fields: { path: string; text: string | null | undefined }[]): BoundaryFinding[] {
  return settle(scanTexts(rules, fields));
}
