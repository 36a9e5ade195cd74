import { WINDOWS_TO_IANA_MAP } from "windows-iana";

/**
 * Windows time zone names ("W. Europe Standard Time") to IANA names, from the Unicode CLDR table
 * that the windows-iana package ships. Graph answers in Windows names unless asked otherwise
 * (mailbox settings, working hours, events), and people in any zone use Leeway.
 *
 * Each Windows zone maps to its territory-001 ("golden") IANA zone, as CLDR defines it. Names
 * are matched without regard to case, as Graph's own spellings vary, and Graph's other ways of
 * writing UTC are known too.
 */
const byName = new Map<string, string>([
  ["utc", "UTC"],
  ["coordinated universal time", "UTC"],
  ["tzone://microsoft/utc", "UTC"],
]);
for (const entry of WINDOWS_TO_IANA_MAP) {
  const key = entry.windowsName.toLowerCase();
  const iana = entry.iana[0];
  if (entry.territory === "001" && iana && !byName.has(key)) byName.set(key, iana);
}

/** The IANA zone of a Windows zone name, or undefined when the name is not a Windows zone. */
export function ianaForWindowsZone(name: string): string | undefined {
  return byName.get(name.trim().toLowerCase());
}
