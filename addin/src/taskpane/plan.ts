// What "Apply" does to the appointment, worked out without touching it: the subject, the agenda,
// the recurrence, who to invite, and which cadences the compliance boundaries allow.
import type { Boundary, Cadence, Outcome, Question } from "../api/types";
import type { WeeklyRecurrence } from "../office/appointment";
import { addDays, wallClock, weekdayOf, zonedInstant } from "../lib/zoned-time";

export const CADENCE_DAYS: Record<Cadence, number> = { weekly: 7, biweekly: 14 };
export const CADENCE_LABEL: Record<Cadence, string> = { weekly: "Weekly", biweekly: "Every two weeks" };

export interface CadenceChoice {
  allowed: boolean;
  /** Why a cadence is refused, or what a warn-only boundary says about it. */
  note?: string;
}

function applies(b: Boundary, o: Outcome): boolean {
  const s = b.scope;
  return s.level === "tenant" || (s.level === "team" && s.teamId === o.teamId) || (s.level === "person" && s.personId === o.ownerId);
}

/**
 * The check-in cadence boundaries in force for the chosen outcomes decide which cadences can be
 * picked: a cadence whose gap between check-ins is outside [minDays, maxDays] of a blocking
 * boundary is refused; a warn-only boundary lets it through with a note.
 */
export function cadenceChoices(boundaries: Boundary[], outcomes: Outcome[]): Record<Cadence, CadenceChoice> {
  const result: Record<Cadence, CadenceChoice> = { weekly: { allowed: true }, biweekly: { allowed: true } };
  const inForce = boundaries.filter((b) => b.kind === "checkin_cadence" && b.inForce && b.rule.kind === "checkin_cadence" && outcomes.some((o) => applies(b, o)));
  for (const cadence of ["weekly", "biweekly"] as const) {
    const gap = CADENCE_DAYS[cadence];
    for (const b of inForce) {
      if (b.rule.kind !== "checkin_cadence") continue;
      const { minDays, maxDays } = b.rule;
      if (gap >= minDays && gap <= maxDays) continue;
      const why = gap < minDays ? `at least ${minDays} days between check-ins` : `at most ${maxDays} days between check-ins`;
      const note = `${b.name} requires ${why} (${b.ruleText.replace(/\.$/, "")}).`;
      if (b.enforcement === "block") {
        result[cadence] = { allowed: false, note: `Not allowed: ${note}` };
        break;
      }
      result[cadence] = { allowed: true, note: `Warning: ${note}` };
    }
  }
  return result;
}

/** The same subject the server gives the series it makes itself. */
export function checkInSubject(outcomes: Outcome[]): string {
  const subject = `Check-in: ${outcomes.map((o) => o.title).join("; ") || "outcome"}`;
  return subject.length > 255 ? `${subject.slice(0, 254)}…` : subject;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Link to an outcome in the Teams tab; the read view also finds outcomes by these links. */
export function outcomeLink(origin: string, id: string): string {
  return `${origin}/tabs/index.html#/outcome/${encodeURIComponent(id)}`;
}

/** Schedule ids the server writes into the series it makes (`data-leeway-schedule`). */
export function scheduleIdsInBody(html: string): string[] {
  return [...new Set([...html.matchAll(/data-leeway-schedule="([A-Za-z0-9._:-]+)"/g)].map((m) => m[1] ?? "").filter(Boolean))];
}

/** Outcome ids linked from an agenda, for attendees whose copy has no custom property. */
export function outcomeIdsInBody(html: string): string[] {
  const ids = [...html.matchAll(/\/tabs\/index\.html#\/outcome\/([A-Za-z0-9._:-]+)/g)].map((m) => decodeURIComponent(m[1] ?? ""));
  return [...new Set(ids.filter(Boolean))];
}

/** The coaching questions of several outcomes, each question once, in the server's order. */
export function mergeQuestions(lists: Question[][]): Question[] {
  const out: Question[] = [];
  for (const list of lists) for (const q of list) if (!out.some((x) => x.key === q.key)) out.push(q);
  return out;
}

export interface AgendaInput {
  origin: string;
  outcomes: Outcome[];
  ownerName: (id: string) => string;
  questions: Question[];
  cadence: Cadence;
  durationMinutes: number;
}

/** The agenda put at the top of the meeting's body. Everything from the API is escaped. */
export function agendaHtml(a: AgendaInput): string {
  const items = a.outcomes
    .map((o) => {
      const m = o.measure;
      const measure = `${m.metric}: from ${m.baseline} to ${m.target} ${m.unit} by ${o.deadline}`;
      return `<li><a href="${escapeHtml(outcomeLink(a.origin, o.id))}">${escapeHtml(o.title)}</a> (owner: ${escapeHtml(a.ownerName(o.ownerId))}). ${escapeHtml(measure)}.</li>`;
    })
    .join("");
  const questions = a.questions.map((q) => `<li>${escapeHtml(q.text)}</li>`).join("");
  return [
    `<div>`,
    `<h2>Leeway check-in</h2>`,
    `<p>${escapeHtml(CADENCE_LABEL[a.cadence])}, ${a.durationMinutes} minutes. The owner leads; the manager asks and listens.</p>`,
    `<h3>Outcomes</h3><ul>${items}</ul>`,
    `<h3>Coaching questions</h3><ol>${questions}</ol>`,
    `<p>Record the check-in from the Leeway pane of this meeting.</p>`,
    `<hr></div>`,
  ].join("");
}

/** A weekly series from its first occurrence: same weekday and wall-clock time every one or two weeks. */
export function recurrenceFrom(firstStart: Date, cadence: Cadence, durationMinutes: number, timeZone: string): WeeklyRecurrence {
  const local = wallClock(firstStart, timeZone);
  return { interval: cadence === "weekly" ? 1 : 2, days: [local.weekday], startDate: local.date, startTime: local.time, durationMinutes, timeZone };
}

/** A first slot when the server suggests none: the next working day at 10:00 in the zone given. */
export function defaultFirstStart(now: Date, timeZone: string): Date {
  let date = addDays(wallClock(now, timeZone).date, 1);
  while (["sat", "sun"].includes(weekdayOf(date))) date = addDays(date, 1);
  return zonedInstant(date, "10:00", timeZone);
}

/** Owners and their managers of the chosen outcomes, each once. */
export function attendeeIdsOf(outcomes: Outcome[]): string[] {
  const ids = outcomes.flatMap((o) => [o.ownerId, ...(o.managerId ? [o.managerId] : [])]);
  return [...new Set(ids)];
}

/**
 * A private outcome chosen beside someone else's: its meeting would show it to that other owner,
 * who may not see it, so it needs a meeting of its own. Said before anything is saved, as the
 * server would refuse it only once the outcomes before it were registered.
 */
export function privateAmongOthers(outcomes: Outcome[]): Outcome | null {
  const owners = new Set(outcomes.map((o) => o.ownerId));
  return owners.size > 1 ? (outcomes.find((o) => o.visibility === "private") ?? null) : null;
}

export const TERMINAL = new Set(["done", "missed", "dropped"]);
