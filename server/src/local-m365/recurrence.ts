// Expands a Graph patternedRecurrence into concrete occurrences. Occurrences keep their wall-clock
// time in the series' time zone, so a 08:30 London meeting stays at 08:30 across a clock change.
import {
  WEEKDAY_NAMES,
  civilDate,
  civilDay,
  parseCivilDate,
  resolveTimeZone,
  wallClockAt,
  wallClockToInstant,
} from "./time-zones";

export interface RecurrencePattern {
  type: "daily" | "weekly" | "absoluteMonthly" | "relativeMonthly" | "absoluteYearly" | "relativeYearly";
  interval: number;
  daysOfWeek?: string[];
  dayOfMonth?: number;
  month?: number;
  firstDayOfWeek?: string;
  index?: "first" | "second" | "third" | "fourth" | "last";
}

export interface RecurrenceRange {
  type: "noEnd" | "endDate" | "numbered";
  startDate: string;
  endDate?: string;
  numberOfOccurrences?: number;
  recurrenceTimeZone?: string;
}

export interface PatternedRecurrence {
  pattern: RecurrencePattern;
  range: RecurrenceRange;
}

export interface Occurrence {
  start: number; // epoch ms
  end: number;
}

/** The longest stretch a series is followed, so an open-ended series ends somewhere. */
const MAX_DAYS = 366 * 25;
const INDEX = { first: 0, second: 1, third: 2, fourth: 3, last: -1 } as const;

function weekdayNumber(name: string | undefined, fallback: number): number {
  const i = WEEKDAY_NAMES.indexOf((name ?? "").toLowerCase() as (typeof WEEKDAY_NAMES)[number]);
  return i >= 0 ? i : fallback;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether a date is the pattern's nth (or last) given weekday of its month. */
function matchesIndex(date: ReturnType<typeof civilDate>, index: RecurrencePattern["index"]): boolean {
  const ordinal = INDEX[index ?? "first"];
  if (ordinal === -1) return date.day + 7 > daysInMonth(date.year, date.month);
  return Math.floor((date.day - 1) / 7) === ordinal;
}

function occursOn(day: number, first: number, p: RecurrencePattern, firstDate: ReturnType<typeof civilDate>): boolean {
  const date = civilDate(day);
  const interval = Math.max(1, Math.floor(p.interval || 1));
  const days = (p.daysOfWeek ?? []).map((d) => weekdayNumber(d, -1));
  const months = (date.year - firstDate.year) * 12 + (date.month - firstDate.month);
  switch (p.type) {
    case "daily":
      return (day - first) % interval === 0;
    case "weekly": {
      if (!days.includes(date.weekday)) return false;
      const weekStart = weekdayNumber(p.firstDayOfWeek, 0);
      const startOfWeek = (d: number): number => d - ((civilDate(d).weekday - weekStart + 7) % 7);
      const weeks = Math.round((startOfWeek(day) - startOfWeek(first)) / 7);
      return weeks % interval === 0;
    }
    case "absoluteMonthly":
      return months % interval === 0 && date.day === (p.dayOfMonth ?? firstDate.day);
    case "relativeMonthly":
      return months % interval === 0 && days.includes(date.weekday) && matchesIndex(date, p.index);
    case "absoluteYearly":
      return (date.year - firstDate.year) % interval === 0 && date.month === (p.month ?? firstDate.month) && date.day === (p.dayOfMonth ?? firstDate.day);
    case "relativeYearly":
      return (date.year - firstDate.year) % interval === 0 && date.month === (p.month ?? firstDate.month) && days.includes(date.weekday) && matchesIndex(date, p.index);
    default:
      return false;
  }
}

/**
 * Occurrences of an event that overlap [windowStart, windowEnd).
 * `start`/`end` are the first occurrence's instants and `timeZone` the zone its wall clock is in.
 * A single event yields itself when it overlaps. Cancelled occurrences (by start) are left out.
 */
export function expandOccurrences(
  event: { start: number; end: number; timeZone: string; recurrence?: PatternedRecurrence | null; cancelled?: readonly number[] },
  windowStart: number,
  windowEnd: number,
): Occurrence[] {
  const duration = Math.max(0, event.end - event.start);
  const overlaps = (o: Occurrence): boolean => o.start < windowEnd && o.end > windowStart;
  const rec = event.recurrence;
  if (!rec) {
    const single = { start: event.start, end: event.end };
    return overlaps(single) ? [single] : [];
  }
  const zone = resolveTimeZone(rec.range.recurrenceTimeZone) ?? resolveTimeZone(event.timeZone) ?? "UTC";
  const wall = wallClockAt(event.start, zone);
  const first = parseCivilDate(rec.range.startDate) ?? civilDay(wall.year, wall.month, wall.day);
  const firstDate = civilDate(first);
  const last = rec.range.type === "endDate" && rec.range.endDate ? (parseCivilDate(rec.range.endDate) ?? first) : first + MAX_DAYS;
  const limit = rec.range.type === "numbered" ? Math.max(0, rec.range.numberOfOccurrences ?? 0) : Number.POSITIVE_INFINITY;

  // Without a count to keep, start near the window: the pattern is anchored on `first`, so
  // skipping the days before the window changes nothing but the time spent.
  const windowWall = wallClockAt(windowStart, zone);
  const slack = Math.ceil(duration / 86_400_000) + 2;
  const from = rec.range.type === "numbered" ? first : Math.max(first, civilDay(windowWall.year, windowWall.month, windowWall.day) - slack);

  const result: Occurrence[] = [];
  let counted = 0;
  for (let day = from; day <= last && counted < limit; day += 1) {
    if (!occursOn(day, first, rec.pattern, firstDate)) continue;
    counted += 1;
    const d = civilDate(day);
    const start = wallClockToInstant({ year: d.year, month: d.month, day: d.day, hour: wall.hour, minute: wall.minute, second: wall.second }, zone);
    if (start >= windowEnd) break;
    const occurrence = { start, end: start + duration };
    if (overlaps(occurrence) && !event.cancelled?.includes(start)) result.push(occurrence);
  }
  return result;
}
