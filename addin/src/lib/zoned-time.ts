// Wall-clock dates and times in a named time zone, with the browser's Intl data only.
import { WEEKDAYS, type Weekday } from "../office/appointment";

export interface WallClock {
  /** YYYY-MM-DD */
  date: string;
  /** HH:mm */
  time: string;
  weekday: Weekday;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(instant: Date, timeZone: string): Record<string, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", weekday: "short" });
    formatters.set(timeZone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(instant)) out[p.type] = p.value;
  return out;
}

/** The date, time and weekday an instant shows on a clock in `timeZone`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const p = parts(instant, timeZone);
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    time: `${p.hour}:${p.minute}`,
    weekday: (p.weekday ?? "Sun").toLowerCase().slice(0, 3) as Weekday,
  };
}

/** Offset of `timeZone` from UTC at `instant`, in minutes. */
function offsetMinutes(instant: Date, timeZone: string): number {
  const p = parts(instant, timeZone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant at which clocks in `timeZone` show `date` `time` (the earlier one in a repeated hour). */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const guess = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0);
  let instant = guess - offsetMinutes(new Date(guess), timeZone) * 60_000;
  // A second pass settles the offset when the first guess fell on the other side of a DST change.
  instant = guess - offsetMinutes(new Date(instant), timeZone) * 60_000;
  return new Date(instant);
}

/** YYYY-MM-DD plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split("-").map(Number);
  return WEEKDAYS[new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay()] ?? "sun";
}

/**
 * The first occurrence of a weekly series that starts at or after `from`: its series repeats on
 * `days` every `interval` weeks from the week of `startDate`.
 */
export function nextOccurrence(
  series: { startDate: string; endDate?: string; startTime: string; days: Weekday[]; interval: 1 | 2; timeZone: string },
  from: Date,
): Date | null {
  const startWeek = addDays(series.startDate, -WEEKDAYS.indexOf(weekdayOf(series.startDate)));
  for (let i = 0; i < 7 * 60; i++) {
    const date = addDays(series.startDate, i);
    if (series.endDate && date > series.endDate) return null;
    if (!series.days.includes(weekdayOf(date))) continue;
    const week = Math.floor((Date.parse(date) - Date.parse(startWeek)) / (7 * 86_400_000));
    if (week % series.interval !== 0) continue;
    const at = zonedInstant(date, series.startTime, series.timeZone);
    if (at.getTime() >= from.getTime()) return at;
  }
  return null;
}

/** "Tue 3 Mar, 10:00" in the zone given, for people. */
export function formatSlot(instant: Date, timeZone: string, withYear = false): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(withYear ? { year: "numeric" } : {}),
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(instant);
}
