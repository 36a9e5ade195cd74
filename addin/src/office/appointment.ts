// What the task pane needs from the appointment it is open on. Two implementations: the Outlook
// item through Office.js (office-appointment.ts) and an in-memory preview for a plain browser
// (preview-appointment.ts). Nothing else in the add-in touches Office.js.

/** Organizer composing the appointment (can change it) or someone reading it (attendee or organizer). */
export type AppointmentMode = "organizer" | "attendee";

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WeeklyRecurrence {
  /** 1 = every week, 2 = every other week. */
  interval: 1 | 2;
  days: Weekday[];
  /** First day of the series, YYYY-MM-DD in `timeZone`. */
  startDate: string;
  /** Last day of the series, YYYY-MM-DD, when the series ends. */
  endDate?: string;
  /** Start time of every occurrence, HH:mm in `timeZone`. */
  startTime: string;
  durationMinutes: number;
  /** IANA time zone name, e.g. Europe/London. */
  timeZone: string;
}

export interface Attendee {
  email: string;
  displayName?: string;
}

/** The occurrence a reader has open, when the host can say which one it is. */
export interface Occurrence {
  /** An id of this occurrence (REST form in Outlook). */
  itemId: string | null;
  /** The series the occurrence belongs to, when it is part of one. */
  seriesId: string | null;
  /** Start of the occurrence, ISO 8601 UTC. */
  start: string | null;
}

/** Ids under which the host knows the item, to register it with the server as a schedule's series. */
export interface SavedItem {
  itemId: string | null;
  /** The same item as Microsoft Graph names it (REST id), when the host can convert it. */
  graphEventId: string | null;
}

export interface Appointment {
  readonly host: "outlook" | "preview";
  readonly mode: AppointmentMode;
  getSubject(): Promise<string>;
  setSubject(subject: string): Promise<void>;
  getBodyHtml(): Promise<string>;
  /** Puts HTML before the current body, leaving what the organizer wrote below it. */
  prependBodyHtml(html: string): Promise<void>;
  getRecurrence(): Promise<WeeklyRecurrence | null>;
  setRecurrence(recurrence: WeeklyRecurrence): Promise<void>;
  getRequiredAttendees(): Promise<Attendee[]>;
  /** Adds the people who are not invited yet; those already on the list are left alone. */
  addRequiredAttendees(attendees: Attendee[]): Promise<void>;
  getCustomProperty(name: string): Promise<string | null>;
  /** Sets and persists one custom property of the item. */
  setCustomProperty(name: string, value: string): Promise<void>;
  /** Saves the item (organizer only) and returns the ids the host gives it. */
  save(): Promise<SavedItem>;
  occurrence(): Promise<Occurrence>;
}

/** The custom property holding the id of the Leeway schedule the appointment is registered as. */
export const SCHEDULE_PROPERTY = "leewayScheduleId";

export class AppointmentError extends Error {
  constructor(
    readonly operation: string,
    message: string,
    readonly code?: string | number,
  ) {
    super(`${operation}: ${message}`);
    this.name = "AppointmentError";
  }
}

/** Emails compared the way Exchange does: case-insensitively, ignoring surrounding spaces. */
export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** The attendees of `wanted` that are not in `present` (and not repeated within `wanted`). */
export function missingAttendees(present: Attendee[], wanted: Attendee[]): Attendee[] {
  const out: Attendee[] = [];
  for (const w of wanted) {
    if (!w.email.trim()) continue;
    if (present.some((p) => sameEmail(p.email, w.email)) || out.some((o) => sameEmail(o.email, w.email))) continue;
    out.push(w);
  }
  return out;
}
