// Outlook's recurrence time zones are Windows zone names
// (https://learn.microsoft.com/javascript/api/outlook/office.mailboxenums.recurrencetimezone);
// Leeway stores IANA names. The zones people in Leeway's tenants use, both ways.

const IANA_TO_WINDOWS: Record<string, string> = {
  UTC: "UTC",
  "Etc/UTC": "UTC",
  "Europe/London": "GMT Standard Time",
  "Europe/Dublin": "GMT Standard Time",
  "Europe/Lisbon": "GMT Standard Time",
  "Atlantic/Reykjavik": "Greenwich Standard Time",
  "Europe/Berlin": "W. Europe Standard Time",
  "Europe/Amsterdam": "W. Europe Standard Time",
  "Europe/Rome": "W. Europe Standard Time",
  "Europe/Vienna": "W. Europe Standard Time",
  "Europe/Zurich": "W. Europe Standard Time",
  "Europe/Stockholm": "W. Europe Standard Time",
  "Europe/Paris": "Romance Standard Time",
  "Europe/Brussels": "Romance Standard Time",
  "Europe/Madrid": "Romance Standard Time",
  "Europe/Copenhagen": "Romance Standard Time",
  "Europe/Budapest": "Central Europe Standard Time",
  "Europe/Prague": "Central Europe Standard Time",
  "Europe/Warsaw": "Central European Standard Time",
  "Europe/Helsinki": "FLE Standard Time",
  "Europe/Kiev": "FLE Standard Time",
  "Europe/Kyiv": "FLE Standard Time",
  "Europe/Athens": "GTB Standard Time",
  "Europe/Bucharest": "GTB Standard Time",
  "Europe/Moscow": "Russian Standard Time",
  "America/New_York": "Eastern Standard Time",
  "America/Toronto": "Eastern Standard Time",
  "America/Chicago": "Central Standard Time",
  "America/Denver": "Mountain Standard Time",
  "America/Phoenix": "US Mountain Standard Time",
  "America/Los_Angeles": "Pacific Standard Time",
  "America/Anchorage": "Alaskan Standard Time",
  "Pacific/Honolulu": "Hawaiian Standard Time",
  "America/Halifax": "Atlantic Standard Time",
  "America/Sao_Paulo": "E. South America Standard Time",
  "Asia/Kolkata": "India Standard Time",
  "Asia/Shanghai": "China Standard Time",
  "Asia/Singapore": "Singapore Standard Time",
  "Asia/Tokyo": "Tokyo Standard Time",
  "Asia/Seoul": "Korea Standard Time",
  "Asia/Dubai": "Arabian Standard Time",
  "Asia/Jerusalem": "Israel Standard Time",
  "Africa/Johannesburg": "South Africa Standard Time",
  "Australia/Sydney": "AUS Eastern Standard Time",
  "Pacific/Auckland": "New Zealand Standard Time",
};

/** Preferred IANA zone for each Windows name (the first IANA entry that maps to it). */
const WINDOWS_TO_IANA: Record<string, string> = {};
for (const [iana, windows] of Object.entries(IANA_TO_WINDOWS)) WINDOWS_TO_IANA[windows.toLowerCase()] ??= iana;

/** The Windows zone name Outlook expects, or null for a zone it is not known under. */
export function windowsZoneOf(iana: string): string | null {
  return IANA_TO_WINDOWS[iana] ?? null;
}

/** The IANA name of a Windows zone name, or null when unknown. */
export function ianaZoneOf(windows: string): string | null {
  return WINDOWS_TO_IANA[windows.toLowerCase()] ?? null;
}
