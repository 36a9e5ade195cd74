import type { WorkingHours } from "../store/entities/person.entity";

/** Whose rights a Graph call uses: the signed-in user's (On-Behalf-Of) or the app's own. */
export interface GraphCaller {
  tenantId: string;
  /** The user's access token to our API; present for delegated calls, absent for background work. */
  userAssertion?: string;
}

export interface GraphUser {
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string | null;
  jobTitle: string | null;
  department: string | null;
}

export interface MailboxSettings {
  timeZone: string;
  workingHours: WorkingHours | null;
}

/** Graph's dateTimeTimeZone: a wall-clock time and the zone it is read in. */
export interface GraphDateTime {
  dateTime: string;
  timeZone: string;
}

export interface GraphRecurrence {
  pattern: { type: "weekly"; interval: number; daysOfWeek: string[]; firstDayOfWeek?: string };
  range: { type: "noEnd"; startDate: string; recurrenceTimeZone?: string };
}

export interface GraphAttendee {
  emailAddress: { address: string; name?: string };
  type: "required" | "optional";
}

/** The fields of an event Leeway writes; everything else is left to Outlook. */
export interface GraphEventInput {
  subject: string;
  body: { contentType: "html" | "text"; content: string };
  start: GraphDateTime;
  end: GraphDateTime;
  recurrence: GraphRecurrence | null;
  attendees: GraphAttendee[];
  isOnlineMeeting: boolean;
  onlineMeetingProvider: "teamsForBusiness";
  allowNewTimeProposals?: boolean;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

export interface GraphEvent {
  id: string;
  iCalUId: string | null;
  webLink: string | null;
  joinUrl: string | null;
  transactionId: string | null;
}

/** Options of a single write: a timeout, and whether the client may retry by itself. */
export interface GraphCallOptions {
  /** Abort the call after this many milliseconds (default: the client's timeout). */
  timeoutMs?: number;
  /** Let the client retry 429/503/504 itself (default true); durable callers retry on their own. */
  retry?: boolean;
  /** Aborts the call, e.g. when the server stops. */
  signal?: AbortSignal;
}

export interface ScheduleItem {
  status: string;
  start: GraphDateTime;
  end: GraphDateTime;
}

/** calendar/getSchedule: free/busy of one person (no subjects, no bodies). */
export interface ScheduleInformation {
  scheduleId: string;
  availabilityView: string;
  scheduleItems: ScheduleItem[];
  workingHours: WorkingHours | null;
  error: string | null;
}

export interface GetScheduleRequest {
  /** Mail addresses (or ids) of the people whose free/busy is wanted. */
  schedules: string[];
  startTime: GraphDateTime;
  endTime: GraphDateTime;
  availabilityViewInterval?: number;
}

export interface FindMeetingTimesRequest {
  attendees: GraphAttendee[];
  timeslots: { start: GraphDateTime; end: GraphDateTime }[];
  /** ISO 8601 duration, e.g. PT30M. */
  meetingDuration: string;
  maxCandidates?: number;
  /** "work" keeps suggestions inside working hours. */
  activityDomain?: "work" | "personal" | "unrestricted";
}

export interface MeetingTimeSuggestion {
  confidence: number;
  organizerAvailability: string;
  attendeeAvailability: { address: string; availability: string }[];
  start: GraphDateTime;
  end: GraphDateTime;
}

export interface MeetingTimesResult {
  suggestions: MeetingTimeSuggestion[];
  emptySuggestionsReason: string | null;
}

/** One read for a `$batch`; answers come back in the same order. */
export type CalendarRead =
  | { kind: "mailboxSettings"; userId: string }
  | { kind: "getSchedule"; mailboxId: string; request: GetScheduleRequest }
  | { kind: "findMeetingTimes"; mailboxId: string; request: FindMeetingTimesRequest };

export type CalendarReadResult =
  | { kind: "mailboxSettings"; ok: true; value: MailboxSettings }
  | { kind: "getSchedule"; ok: true; value: ScheduleInformation[] }
  | { kind: "findMeetingTimes"; ok: true; value: MeetingTimesResult }
  | { kind: CalendarRead["kind"]; ok: false; error: GraphRequestError };

export interface ActivityNotification {
  topic: { source: "text"; value: string; webUrl: string };
  activityType: string;
  previewText: { content: string };
  templateParameters?: { name: string; value: string }[];
}

/** The small part of Microsoft Graph that Leeway uses. One implementation for real Graph and the local tenant. */
export interface GraphApi {
  getUser(caller: GraphCaller, userId: string): Promise<GraphUser>;
  /** null when the person has no manager. */
  getManager(caller: GraphCaller, userId: string): Promise<GraphUser | null>;
  getMailboxSettings(caller: GraphCaller, userId: string): Promise<MailboxSettings>;

  /** Creates an event in a mailbox; the same transactionId returns the event made before instead of a second one. */
  createEvent(caller: GraphCaller, mailboxId: string, event: GraphEventInput, transactionId: string, options?: GraphCallOptions): Promise<GraphEvent>;
  updateEvent(caller: GraphCaller, mailboxId: string, eventId: string, patch: Partial<GraphEventInput>, options?: GraphCallOptions): Promise<GraphEvent>;
  /** Deletes (cancels) an event; false when it was already gone. */
  deleteEvent(caller: GraphCaller, mailboxId: string, eventId: string, options?: GraphCallOptions): Promise<boolean>;
  /** The event Leeway created with this transactionId, if any (a filtered read of Leeway's own event only). */
  findEventByTransactionId(caller: GraphCaller, mailboxId: string, transactionId: string, options?: GraphCallOptions): Promise<GraphEvent | null>;
  getSchedule(caller: GraphCaller, mailboxId: string, request: GetScheduleRequest): Promise<ScheduleInformation[]>;
  findMeetingTimes(caller: GraphCaller, mailboxId: string, request: FindMeetingTimesRequest): Promise<MeetingTimesResult>;
  /**
   * Several reads in as few round trips as possible: `$batch` requests of at most 20, with
   * throttled or unavailable parts retried (honouring their Retry-After).
   */
  readMany(caller: GraphCaller, reads: CalendarRead[]): Promise<CalendarReadResult[]>;
  /** Mailbox settings of many people through `$batch`; a person whose read failed maps to the error. */
  getMailboxSettingsMany(caller: GraphCaller, userIds: string[]): Promise<Map<string, MailboxSettings | GraphRequestError>>;
  sendActivityNotification(caller: GraphCaller, userId: string, notification: ActivityNotification, options?: GraphCallOptions): Promise<void>;
}

export class GraphRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds Graph asked us to wait (Retry-After), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Throttling, outages, gateway timeouts and network-level failures are worth another try. */
  get transient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 409 || this.status === 429 || this.status === 401 || this.status >= 500;
  }
}
