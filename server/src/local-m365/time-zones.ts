// Wall-clock arithmetic in named time zones, with the built-in Intl data. Graph accepts Windows
// zone names ("GMT Standard Time") as well as IANA ones.

import { ianaForWindowsZone } from "../domain/windows-zones";

export const WEEKDAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The IANA name for a Windows or IANA zone name, or undefined when it is not a known zone. */
export function resolveTimeZone(name: string | undefined | null): string | undefined {
  if (!name) return undefined;
  const mapped = ianaForWindowsZone(name);
  if (mapped) return mapped;
  try {
    formatter(name.trim());
    return name.trim();
  } catch {
    return undefined;
  }
}

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading in `timeZone` at instant `ms`. */
export function wallClockAt(ms: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function wallAsUtc(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds. */
export function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(wallClockAt(whole, timeZone)) - whole;
}

const instantCache = new Map<string, number>();

/**
 * The instant at which clocks in `timeZone` read `wall`. A reading that does not exist (the hour
 * skipped when clocks go forward) moves forward by the gap; an ambiguous one takes the earlier.
 */
export function wallClockToInstant(wall: WallClock, timeZone: string): number {
  const asUtc = wallAsUtc(wall);
  const key = `${timeZone}|${asUtc}`;
  const cached = instantCache.get(key);
  if (cached !== undefined) return cached;
  const instant = computeInstant(asUtc, timeZone);
  if (instantCache.size >= 20_000) instantCache.clear();
  instantCache.set(key, instant);
  return instant;
}

function computeInstant(asUtc: number, timeZone: string): number {
  const before = offsetAt(asUtc - 86_400_000, timeZone);
  const after = offsetAt(asUtc + 86_400_000, timeZone);
  const candidates = [asUtc - before, asUtc - after].filter((t) => wallAsUtc(wallClockAt(t, timeZone)) === asUtc);
  if (candidates.length > 0) return Math.min(...candidates);
  // In the gap: read the wall clock with the offset that applied before the change.
  return asUtc - before;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses Graph's dateTimeTimeZone (`{dateTime: "2030-01-07T09:00:00.0000000", timeZone}`) to an instant. */
export function parseDateTimeTimeZone(dateTime: string, timeZone: string): number | undefined {
  const m = LOCAL_DATE_TIME.exec(dateTime.trim());
  const zone = resolveTimeZone(timeZone);
  if (!m || !zone) return undefined;
  const wall: WallClock = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return undefined;
  if (m[7]) {
    // An explicit offset wins over the named zone, as Graph does.
    const t = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? "00"}:${m[5] ?? "00"}:${m[6] ?? "00"}${m[7] === "Z" ? "Z" : m[7]}`);
    return Number.isNaN(t) ? undefined : t;
  }
  return wallClockToInstant(wall, zone);
}

const pad = (n: number, width = 2): string => n.toString().padStart(width, "0");

/** Graph's wire format of a wall-clock reading: "2030-01-07T09:00:00.0000000". */
export function formatWallClock(w: WallClock): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.0000000`;
}

/** `{dateTime, timeZone}` for an instant, expressed in the zone the caller asked for. */
export function toDateTimeTimeZone(ms: number, timeZoneName: string): { dateTime: string; timeZone: string } {
  const zone = resolveTimeZone(timeZoneName) ?? "UTC";
  return { dateTime: formatWallClock(wallClockAt(ms, zone)), timeZone: timeZoneName };
}

/** Days since 1970-01-01 for a calendar date; handy for stepping through dates. */
export function civilDay(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
}

export function civilDate(dayNumber: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(dayNumber * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** Parses "YYYY-MM-DD" to a civil day number. */
export function parseCivilDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  return civilDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Minutes after midnight of "HH:MM[:SS[.fffffff]]". */
export function parseTimeOfDay(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * 60 + Number(m[2]) + Number(m[3] ?? 0) / 60;
}

/** The Prefer: outlook.timezone="..." zone of a request, if any and known. */
export function preferredTimeZone(prefer: string | undefined): string | undefined {
  if (!prefer) return undefined;
  const m = /outlook\.timezone\s*=\s*"([^"]+)"/i.exec(prefer);
  return m?.[1] && resolveTimeZone(m[1]) ? m[1] : undefined;
}
