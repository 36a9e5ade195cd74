// What a check-in series looks like in Outlook, and when its occurrences fall. Pure functions over
// the schedule and the people and outcomes it concerns.
import { coachingQuestions } from "../domain/coaching";
import { addDays, localParts, resolveTimeZone, zonedToMs } from "../domain/time";
import type { GraphEventInput } from "../graph/graph-api";

export const CADENCE_INTERVAL: Record<"weekly" | "biweekly", number> = { weekly: 1, biweekly: 2 };
const DAY_MS = 86_400_000;

/** Marks events Leeway made, so the add-in and support staff can recognise them (MAPI named property in PS_PUBLIC_STRINGS). */
export const SCHEDULE_PROPERTY_ID = "String {00020329-0000-0000-C000-000000000046} Name LeewayScheduleId";

export interface SeriesShape {
  cadence: "weekly" | "biweekly";
  /** UTC instant of the first occurrence. */
  firstStart: string;
  timeZone: string;
  durationMinutes: number;
}

export interface SeriesPeople {
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string | null;
}

export interface SeriesContent {
  scheduleId: string;
  outcomes: { id: string; title: string; deadline?: string }[];
  team: { id: string; name: string } | null;
  attendees: SeriesPeople[];
  organizerId: string;
  publicUrl: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

function wallClock(ms: number, zone: string): { date: string; dateTime: string; weekday: string } {
  const p = localParts(ms, zone);
  const h = Math.floor(p.secondOfDay / 3600);
  const m = Math.floor((p.secondOfDay % 3600) / 60);
  const s = p.secondOfDay % 60;
  return { date: p.date, dateTime: `${p.date}T${pad(h)}:${pad(m)}:${pad(s)}`, weekday: p.weekday };
}

/** The zone a series is written in (an unknown name falls back to UTC). */
export function seriesZone(timeZone: string): string {
  return resolveTimeZone(timeZone).zone;
}

/** Start of the k-th occurrence (k = 0 is the first); the wall-clock time stays fixed in the series' zone. */
export function occurrenceStart(shape: SeriesShape, k: number): number {
  const zone = seriesZone(shape.timeZone);
  const first = Date.parse(shape.firstStart);
  if (k === 0) return first;
  const anchor = localParts(first, zone);
  return zonedToMs(addDays(anchor.date, k * 7 * CADENCE_INTERVAL[shape.cadence]), anchor.secondOfDay, zone);
}

/**
 * From when a check-in counts for the k-th occurrence: halfway from the occurrence before it (for
 * the first, half an interval before it). A check-in written the day before, to prepare the
 * meeting, counts for it; one written just after the previous meeting counts for that one.
 */
export function checkInsCountFrom(shape: SeriesShape, k: number): number {
  const start = occurrenceStart(shape, k);
  const before = k > 0 ? occurrenceStart(shape, k - 1) : start - (occurrenceStart(shape, 1) - start);
  return start - Math.floor((start - before) / 2);
}

/** The latest occurrence that started at or before `now`, or null before the first one. */
export function latestOccurrence(shape: SeriesShape, now: number): { index: number; start: number; end: number } | null {
  const first = Date.parse(shape.firstStart);
  if (!Number.isFinite(first) || now < first) return null;
  const period = 7 * CADENCE_INTERVAL[shape.cadence] * DAY_MS;
  let k = Math.max(0, Math.floor((now - first) / period) - 1);
  while (occurrenceStart(shape, k + 1) <= now) k += 1;
  while (k > 0 && occurrenceStart(shape, k) > now) k -= 1;
  const start = occurrenceStart(shape, k);
  return { index: k, start, end: start + shape.durationMinutes * 60_000 };
}

/** The first occurrence that starts after `now`. */
export function nextOccurrence(shape: SeriesShape, now: number): number {
  const latest = latestOccurrence(shape, now);
  return latest ? occurrenceStart(shape, latest.index + 1) : Date.parse(shape.firstStart);
}

/** Start, end and weekly recurrence (interval 1 or 2, the first start's weekday, no end) in the series' zone. */
export function seriesTiming(shape: SeriesShape): Pick<GraphEventInput, "start" | "end" | "recurrence"> {
  const zone = seriesZone(shape.timeZone);
  const first = Date.parse(shape.firstStart);
  const start = wallClock(first, zone);
  const end = wallClock(first + shape.durationMinutes * 60_000, zone);
  return {
    start: { dateTime: start.dateTime, timeZone: zone },
    end: { dateTime: end.dateTime, timeZone: zone },
    recurrence: {
      pattern: { type: "weekly", interval: CADENCE_INTERVAL[shape.cadence], daysOfWeek: [start.weekday] },
      range: { type: "noEnd", startDate: start.date, recurrenceTimeZone: zone },
    },
  };
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** The tab's page of an outcome: `<PUBLIC_URL>/tabs/index.html#/outcome/<id>`. */
export function outcomeLink(publicUrl: string, outcomeId: string): string {
  return `${publicUrl.replace(/\/$/, "")}/tabs/index.html#/outcome/${encodeURIComponent(outcomeId)}`;
}

export function teamLink(publicUrl: string, teamId: string): string {
  return `${publicUrl.replace(/\/$/, "")}/tabs/index.html#/team/${encodeURIComponent(teamId)}`;
}

export function seriesSubject(c: Pick<SeriesContent, "outcomes" | "team">): string {
  const titles = c.outcomes.map((o) => o.title);
  const subject = c.team ? `Team check-in: ${c.team.name}${titles.length ? ` (${titles.join("; ")})` : ""}` : `Check-in: ${titles.join("; ") || "outcome"}`;
  return subject.length > 255 ? `${subject.slice(0, 254)}…` : subject;
}

/** HTML body: the outcomes with links to their pages in the tab, and the coaching questions. */
export function seriesBody(c: SeriesContent): string {
  const outcomes = c.outcomes
    .map((o) => `<li><a href="${escapeHtml(outcomeLink(c.publicUrl, o.id))}">${escapeHtml(o.title)}</a>${o.deadline ? ` (due ${escapeHtml(o.deadline)})` : ""}</li>`)
    .join("");
  const questions = coachingQuestions()
    .map((q) => `<li>${escapeHtml(q.text)}</li>`)
    .join("");
  const open = c.team
    ? `<p><a href="${escapeHtml(teamLink(c.publicUrl, c.team.id))}">Open ${escapeHtml(c.team.name)} in Leeway</a></p>`
    : c.outcomes[0]
      ? `<p><a href="${escapeHtml(outcomeLink(c.publicUrl, c.outcomes[0].id))}">Open in Leeway</a> to record the check-in.</p>`
      : "";
  return [
    `<div data-leeway-schedule="${escapeHtml(c.scheduleId)}">`,
    `<p><strong>Leeway check-in</strong>: a regular check-in, not a check-up. The owner leads; the manager coaches.</p>`,
    outcomes ? `<p>Outcomes</p><ul>${outcomes}</ul>` : `<p>No open outcomes yet.</p>`,
    `<p>Coaching questions</p><ol>${questions}</ol>`,
    open,
    `</div>`,
  ].join("");
}

/** The whole event as Leeway writes it to the organizer's calendar: a Teams meeting repeating weekly or every two weeks. */
export function seriesEvent(shape: SeriesShape, c: SeriesContent): GraphEventInput {
  return {
    subject: seriesSubject(c),
    body: { contentType: "html", content: seriesBody(c) },
    ...seriesTiming(shape),
    attendees: c.attendees
      .filter((a) => a.id !== c.organizerId && (a.mail ?? a.userPrincipalName))
      .map((a) => ({ emailAddress: { address: (a.mail ?? a.userPrincipalName)!, name: a.displayName }, type: "required" as const })),
    isOnlineMeeting: true,
    onlineMeetingProvider: "teamsForBusiness",
    allowNewTimeProposals: true,
    singleValueExtendedProperties: [{ id: SCHEDULE_PROPERTY_ID, value: c.scheduleId }],
  };
}
