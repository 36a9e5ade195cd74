// Is an instant, or a meeting, inside a person's working hours? Working hours come in Graph's
// shape: weekdays, a local start and end time, and the zone they are written in.

import { WEEKDAYS, daysBetweenDates, localParts, parseClock, resolveTimeZone, type LocalParts, type Weekday } from "./time";
import type { WorkingHours } from "./types";

const DAY_S = 86_400;

export interface WorkingHoursCheck {
  /** "unknown" when the working hours cannot be read (no days, unreadable times). */
  verdict: "inside" | "outside" | "unknown";
  /** The zone the check used; UTC when the given name was not understood. */
  zone: string;
  zoneKnown: boolean;
  /** Wall-clock start in that zone. */
  local: LocalParts;
}

function previousWeekday(day: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7] ?? "sunday";
}

/**
 * Whether `[startMs, endMs)` lies inside one working window (an instant when `endMs` is omitted:
 * the start is inside, the end time itself is not). A window whose end is not after its start runs
 * overnight into the next day, which then belongs to the day the window started on.
 */
export function checkWorkingHours(wh: WorkingHours, startMs: number, endMs?: number): WorkingHoursCheck {
  const resolved = resolveTimeZone(wh.timeZone?.name);
  const local = localParts(startMs, resolved.zone);
  const result = (verdict: WorkingHoursCheck["verdict"]): WorkingHoursCheck => ({ verdict, zone: resolved.zone, zoneKnown: resolved.known, local });
  const from = parseClock(wh.startTime);
  const to = parseClock(wh.endTime);
  const days = new Set(wh.daysOfWeek.map((d) => d.trim().toLowerCase()));
  if (!Number.isFinite(from) || !Number.isFinite(to) || days.size === 0) return result("unknown");

  const s = local.secondOfDay;
  let e = s;
  if (endMs !== undefined) {
    const end = localParts(endMs, resolved.zone);
    e = end.secondOfDay + DAY_S * daysBetweenDates(local.date, end.date);
  }
  const overnight = to <= from;
  const windows: [number, number][] = [];
  if (days.has(local.weekday)) windows.push([from, overnight ? to + DAY_S : to]);
  if (overnight && days.has(previousWeekday(local.weekday))) windows.push([from - DAY_S, to]);
  const inside = windows.some(([w0, w1]) => s >= w0 && (endMs === undefined ? s < w1 : e <= w1 && e >= s));
  return result(inside ? "inside" : "outside");
}

/** `08:30:00.0000000` as `08:30`. */
function shortClock(value: string): string {
  const secs = parseClock(value);
  return Number.isFinite(secs) ? clockText(secs) : value;
}

/** e.g. "monday–friday 08:30–17:00 (Europe/London)". */
export function describeWorkingHours(wh: WorkingHours): string {
  const order = WEEKDAYS.filter((d) => wh.daysOfWeek.map((x) => x.toLowerCase()).includes(d));
  const sorted = [...order.filter((d) => d !== "sunday"), ...order.filter((d) => d === "sunday")];
  const contiguous = sorted.length > 2 && sorted.every((d, i) => i === 0 || WEEKDAYS.indexOf(d) === (WEEKDAYS.indexOf(sorted[i - 1] as Weekday) + 1) % 7);
  const dayText = contiguous ? `${sorted[0]}–${sorted[sorted.length - 1]}` : sorted.join(", ");
  return `${dayText} ${shortClock(wh.startTime)}–${shortClock(wh.endTime)} (${wh.timeZone?.name ?? "UTC"})`;
}

/** `HH:mm` of a local time of day given in seconds. */
export function clockText(secondOfDay: number): string {
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}
