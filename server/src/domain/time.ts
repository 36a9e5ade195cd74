// Calendar arithmetic with IANA time zones through Intl only. Everything takes the instant it
// works on as an argument; nothing here reads the clock.

import { ianaForWindowsZone } from "./windows-zones";

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isDateOnly(value: string): boolean {
  const m = DATE_ONLY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/**
 * Parsed instants, remembered: the figures of one dashboard read the same stored timestamps many
 * times over, and parsing one costs ten times a lookup. Bounded; cleared when full.
 */
const parsed = new Map<string, number>();

/** Milliseconds since the epoch; a bare date means 00:00 UTC of that day; NaN when unreadable. */
export function toMs(value: string | null | undefined): number {
  if (value === null || value === undefined || value === "") return Number.NaN;
  let t = parsed.get(value);
  if (t === undefined) {
    t = DATE_ONLY.test(value) && !isDateOnly(value) ? Number.NaN : Date.parse(value);
    if (parsed.size >= 100_000) parsed.clear();
    parsed.set(value, t);
  }
  return t;
}

/** `YYYY-MM-DD` shifted by whole days; "" when `date` is not readable. */
export function addDays(date: string, days: number): string {
  const t = toMs(date) + days * DAY_MS;
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : "";
}

/** Whole calendar days from date `a` to date `b` (negative when b is earlier). */
export function daysBetweenDates(a: string, b: string): number {
  return Math.round((toMs(b) - toMs(a)) / DAY_MS);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(zone);
  if (cached) return cached;
  try {
    const f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
    return f;
  } catch (_e) {
    return null;
  }
}

export interface ResolvedZone {
  /** The IANA zone used for arithmetic. */
  zone: string;
  /** False when the name was unknown and UTC was used instead. */
  known: boolean;
}

/**
 * Resolutions, remembered: a name Intl refuses (every Windows name) costs a thrown exception to
 * find out, about 200 times a lookup, and the same few names are resolved on every calculation.
 * Bounded; cleared when full.
 */
const resolved = new Map<string, ResolvedZone>();

/** Maps a zone name (IANA, or Windows as Graph writes them) to a usable IANA zone; unknown names fall back to UTC. */
export function resolveTimeZone(name: string | null | undefined): ResolvedZone {
  if (!name) return { zone: "UTC", known: true };
  let r = resolved.get(name);
  if (r === undefined) {
    const mapped = formatter(name) ? name : ianaForWindowsZone(name);
    r = mapped && formatter(mapped) ? { zone: mapped, known: true } : { zone: "UTC", known: false };
    if (resolved.size >= 10_000) resolved.clear();
    resolved.set(name, r);
  }
  return { ...r };
}

export const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
const SHORT_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export interface LocalParts {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  weekday: Weekday;
  /** Seconds since local midnight. */
  secondOfDay: number;
}

/**
 * A zone's offset from UTC stays the same for long stretches, and every change of it falls on a
 * quarter hour, so offsets are remembered per zone and quarter hour. A quarter whose two ends
 * disagree (a hypothetical odd-minute change) is never remembered and is read exactly each time.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const offsetMemo = new Map<string, number>();

function offsetFromParts(ms: number, p: LocalParts): number {
  return Date.parse(`${p.date}T00:00:00Z`) + p.secondOfDay * 1000 - Math.floor(ms / 1000) * 1000;
}

/** The wall-clock date, weekday and time of an instant in a zone (resolved with `resolveTimeZone`). */
export function localParts(ms: number, zoneName: string): LocalParts {
  if (!Number.isFinite(ms)) return { date: "", weekday: "sunday", secondOfDay: Number.NaN };
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  const key = `${zoneName}|${quarter}`;
  let offset = offsetMemo.get(key);
  if (offset === undefined) {
    const start = quarter * QUARTER_HOUR_MS;
    const end = start + QUARTER_HOUR_MS - 1000;
    const atStart = offsetFromParts(start, exactLocalParts(start, zoneName));
    if (atStart !== offsetFromParts(end, exactLocalParts(end, zoneName))) return exactLocalParts(ms, zoneName);
    if (offsetMemo.size >= 100_000) offsetMemo.clear();
    offsetMemo.set(key, atStart);
    offset = atStart;
  }
  const wall = new Date(Math.floor(ms / 1000) * 1000 + offset);
  return {
    date: wall.toISOString().slice(0, 10),
    weekday: WEEKDAYS[wall.getUTCDay()]!,
    secondOfDay: wall.getUTCHours() * 3600 + wall.getUTCMinutes() * 60 + wall.getUTCSeconds(),
  };
}

/** localParts read from the zone database every time. */
export function exactLocalParts(ms: number, zoneName: string): LocalParts {
  if (!Number.isFinite(ms)) return { date: "", weekday: "sunday", secondOfDay: Number.NaN };
  const f = formatter(resolveTimeZone(zoneName).zone) ?? (formatter("UTC") as Intl.DateTimeFormat);
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  const weekday = WEEKDAYS[SHORT_DAYS.indexOf(parts.weekday ?? "")] ?? "sunday";
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    secondOfDay: Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second),
  };
}

function offsetMs(ms: number, zone: string): number {
  const p = localParts(ms, zone);
  const wall = toMs(p.date) + p.secondOfDay * 1000;
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which a zone's clock shows `date` at `secondOfDay`. In an overlap (the hour that
 * happens twice) this is the first occurrence; inside a gap (a wall time that never happens) it is
 * read with the offset from before the change, which lands just after the gap.
 */
export function zonedToMs(date: string, secondOfDay: number, zoneName: string): number {
  const zone = resolveTimeZone(zoneName).zone;
  const wall = toMs(date) + secondOfDay * 1000;
  if (!Number.isFinite(wall)) return Number.NaN;
  const before = wall - offsetMs(wall - DAY_MS / 2, zone);
  const after = wall - offsetMs(wall + DAY_MS / 2, zone);
  const valid = [before, after].filter((c) => c + offsetMs(c, zone) === wall);
  return valid.length > 0 ? Math.min(...valid) : before;
}

const endOfDayMemo = new Map<string, number>();

/**
 * First instant after the end of `date` in the zone, i.e. local midnight that starts the next day.
 * Remembered: the answer never changes for the same inputs, and dashboards ask for the same few
 * deadlines in the same few zones over and over (each answer costs several Intl conversions).
 */
export function endOfDayMs(date: string, zoneName: string): number {
  const key = `${date}|${zoneName}`;
  let v = endOfDayMemo.get(key);
  if (v === undefined) {
    v = zonedToMs(addDays(date, 1), 0, zoneName);
    if (endOfDayMemo.size >= 50_000) endOfDayMemo.clear();
    endOfDayMemo.set(key, v);
  }
  return v;
}

/** Calendar days between two instants as seen on a zone's calendar. */
export function localDaysBetween(fromMs: number, toMsValue: number, zoneName: string): number {
  return daysBetweenDates(localParts(fromMs, zoneName).date, localParts(toMsValue, zoneName).date);
}

/** Seconds since midnight for a Graph time such as `08:30:00.0000000`; NaN when unreadable. */
export function parseClock(value: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value.trim());
  if (!m) return Number.NaN;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 24 || mi > 59 || s > 59 || (h === 24 && (mi > 0 || s > 0))) return Number.NaN;
  return h * 3600 + mi * 60 + s;
}
