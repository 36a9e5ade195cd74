import { findWindows } from "windows-iana";
import { ianaForWindowsZone } from "../../../server/src/domain/windows-zones";

// Outlook names time zones the Windows way: the user profile's zone, and a recurrence's zone
// (https://learn.microsoft.com/javascript/api/outlook/office.mailboxenums.recurrencetimezone).
// Leeway stores IANA names. Both directions use the Unicode CLDR table, as the server does.

/** The Windows zone name Outlook expects, or null for a zone it is not known under. */
export function windowsZoneOf(iana: string): string | null {
  const direct = findWindows(iana)[0];
  if (direct) return direct;
  // Newer IANA names (Europe/Kyiv) may be missing from the table under that spelling; the
  // browser's own time zone data knows the canonical name the table has (Europe/Kiev).
  try {
    const canonical = new Intl.DateTimeFormat("en", { timeZone: iana }).resolvedOptions().timeZone;
    return findWindows(canonical)[0] ?? null;
  } catch {
    return null;
  }
}

/** The IANA name of a Windows zone name, or null when unknown. */
export function ianaZoneOf(windows: string): string | null {
  return ianaForWindowsZone(windows) ?? null;
}

function isIanaZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * A zone the pane can calculate in, from what Outlook reports for the user: a Windows name
 * (what Outlook on Windows and on the web report) or an IANA name; null when it is neither.
 */
export function paneZoneOf(reported: string | null | undefined): string | null {
  const name = reported?.trim();
  if (!name) return null;
  return ianaZoneOf(name) ?? (isIanaZone(name) ? name : null);
}
