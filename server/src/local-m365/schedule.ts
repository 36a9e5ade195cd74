// calendar/getSchedule and findMeetingTimes, computed from the stored events. Both answer with
// free/busy only: no subject, body or location of anyone's meeting leaves this module.
import { z } from "zod";
import { findPerson, type DemoPerson } from "./demo-directory";
import type { CalendarStore } from "./calendar-store";
import { cancelledStarts, eventInstants } from "./event-model";
import { GraphError, badRequest, ok, type GraphCall, type GraphResult } from "./graph-http";
import { expandOccurrences, type PatternedRecurrence } from "./recurrence";
import { WEEKDAY_NAMES, civilDate, civilDay, parseDateTimeTimeZone, parseTimeOfDay, preferredTimeZone, resolveTimeZone, toDateTimeTimeZone, wallClockAt } from "./time-zones";

export type BusyStatus = "free" | "tentative" | "busy" | "oof" | "workingElsewhere" | "unknown";
export interface BusyInterval {
  start: number;
  end: number;
  status: BusyStatus;
}

const VIEW_CODE: Record<BusyStatus, string> = { free: "0", tentative: "1", busy: "2", oof: "3", workingElsewhere: "4", unknown: "0" };
const RANK: Record<BusyStatus, number> = { free: 0, unknown: 0, workingElsewhere: 1, tentative: 2, busy: 3, oof: 4 };
const MAX_WINDOW_MS = 62 * 24 * 3600 * 1000;

/**
 * Whether the caller may see the person's free/busy: an app with application permission always,
 * a signed-in user for their own calendar, or a colleague's unless that colleague keeps it from
 * the organisation (their calendar's default permission set to none, as Exchange allows).
 */
function seesFreeBusy(call: GraphCall, person: DemoPerson): boolean {
  const caller = call.caller;
  return caller.kind !== "delegated" || caller.user.id === person.id || person.freeBusy === "organization";
}

/** What occupies a person's calendar in [from, to): their own events and invitations they have not declined. */
export function busyIntervals(store: CalendarStore, person: DemoPerson, from: number, to: number): BusyInterval[] {
  const mail = person.mail.toLowerCase();
  const result: BusyInterval[] = [];
  for (const event of store.listTenantEvents(person.tenantId)) {
    const d = event.data;
    if (d.isCancelled === true) continue;
    let status = (typeof d.showAs === "string" ? d.showAs : "busy") as BusyStatus;
    if (event.mailboxId !== person.id) {
      const invite = (Array.isArray(d.attendees) ? (d.attendees as { emailAddress?: { address?: string }; status?: { response?: string } }[]) : []).find((a) => a.emailAddress?.address?.toLowerCase() === mail);
      if (!invite) continue;
      const response = invite.status?.response ?? "none";
      if (response === "declined") continue;
      // An unanswered invitation sits in the attendee's calendar as tentative, as in Exchange.
      if (response !== "accepted" && status === "busy") status = "tentative";
    }
    if (status === "free" || status === "unknown") continue;
    const instants = eventInstants(d);
    for (const o of expandOccurrences({ ...instants, recurrence: (d.recurrence as PatternedRecurrence | null) ?? null, cancelled: cancelledStarts(d) }, from, to)) {
      result.push({ start: o.start, end: o.end, status });
    }
  }
  return result.sort((a, b) => a.start - b.start);
}

function zoneOf(person: DemoPerson): string {
  return resolveTimeZone(person.workingHours.timeZone.name) ?? resolveTimeZone(person.timeZone) ?? "UTC";
}

/** Whether [start, end) lies inside one working day of the person, in the person's own zone. */
export function withinWorkingHours(person: DemoPerson, start: number, end: number): boolean {
  const zone = zoneOf(person);
  const ws = wallClockAt(start, zone);
  const we = wallClockAt(end, zone);
  const day = civilDay(ws.year, ws.month, ws.day);
  const weekday = WEEKDAY_NAMES[civilDate(day).weekday] ?? "";
  if (!person.workingHours.daysOfWeek.map((d) => d.toLowerCase()).includes(weekday)) return false;
  const from = parseTimeOfDay(person.workingHours.startTime) ?? 0;
  const until = parseTimeOfDay(person.workingHours.endTime) ?? 24 * 60;
  const startMin = ws.hour * 60 + ws.minute;
  const endMin = (civilDay(we.year, we.month, we.day) - day) * 1440 + we.hour * 60 + we.minute;
  return startMin >= from && endMin <= until;
}

const dateTimeTimeZone = z.object({ dateTime: z.string().min(1), timeZone: z.string().optional() });

function instantOf(value: { dateTime: string; timeZone?: string | undefined }, field: string): number {
  const zone = value.timeZone ?? "UTC";
  if (!resolveTimeZone(zone)) throw new GraphError(400, "TimeZoneNotSupportedException", `The following TimeZone value is not supported: '${zone}'.`);
  const t = parseDateTimeTimeZone(value.dateTime, zone);
  if (t === undefined) throw badRequest(`Cannot read ${field}.dateTime '${value.dateTime}'.`, "ErrorInvalidRequest");
  return t;
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`Invalid value for '${issue?.path.join(".") || "body"}': ${issue?.message ?? "malformed body"}.`, "ErrorInvalidRequest");
  }
  return parsed.data;
}

const getScheduleSchema = z.object({
  schedules: z.array(z.string().min(1)).min(1).max(100),
  startTime: dateTimeTimeZone,
  endTime: dateTimeTimeZone,
  availabilityViewInterval: z.number().int().min(5).max(1440).optional(),
});

export function getSchedule(store: CalendarStore, call: GraphCall, tenantId: string): GraphResult {
  const body = parseBody(getScheduleSchema, call.body);
  const from = instantOf(body.startTime, "startTime");
  const to = instantOf(body.endTime, "endTime");
  if (to <= from || to - from > MAX_WINDOW_MS) throw badRequest("The time window must be positive and at most 62 days long.", "ErrorInvalidTimeInterval");
  const interval = (body.availabilityViewInterval ?? 30) * 60_000;
  const zone = preferredTimeZone(call.headers.prefer) ?? "UTC";
  const value = body.schedules.map((scheduleId) => {
    const person = findPerson(tenantId, scheduleId);
    if (!person) {
      return { scheduleId, availabilityView: "", scheduleItems: [], error: { message: "The user or mailbox was not found.", responseCode: "ErrorMailRecipientNotFound" } };
    }
    if (!seesFreeBusy(call, person)) {
      return { scheduleId, availabilityView: "", scheduleItems: [], error: { message: "You do not have permission to view this person's free/busy information.", responseCode: "ErrorNoFreeBusyAccess" } };
    }
    const busy = busyIntervals(store, person, from, to);
    let view = "";
    for (let t = from; t < to; t += interval) {
      const slotEnd = Math.min(t + interval, to);
      const worst = busy.filter((b) => b.start < slotEnd && b.end > t).reduce<BusyStatus>((acc, b) => (RANK[b.status] > RANK[acc] ? b.status : acc), "free");
      view += VIEW_CODE[worst];
    }
    return {
      scheduleId,
      availabilityView: view,
      scheduleItems: busy.map((b) => ({ isPrivate: false, status: b.status, start: toDateTimeTimeZone(b.start, zone), end: toDateTimeTimeZone(b.end, zone) })),
      workingHours: structuredClone(person.workingHours),
    };
  });
  return ok({ "@odata.context": `${call.graphBase}/$metadata#Collection(microsoft.graph.scheduleInformation)`, value });
}

const findMeetingTimesSchema = z.object({
  attendees: z
    .array(z.object({ type: z.string().optional(), emailAddress: z.object({ address: z.string().min(1), name: z.string().optional() }) }))
    .max(100)
    .optional(),
  timeConstraint: z
    .object({
      activityDomain: z.string().optional(),
      timeslots: z.array(z.object({ start: dateTimeTimeZone, end: dateTimeTimeZone })).max(100).optional(),
    })
    .optional(),
  meetingDuration: z.string().optional(),
  maxCandidates: z.number().int().min(1).max(1000).optional(),
  isOrganizerOptional: z.boolean().optional(),
  returnSuggestionReasons: z.boolean().optional(),
  minimumAttendeePercentage: z.number().optional(),
  locationConstraint: z.unknown().optional(),
});

/** ISO 8601 duration ("PT30M", "PT1H30M", "P0DT0H45M0S") to milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(text.trim());
  if (!m || text.trim().toUpperCase() === "P" || text.trim().toUpperCase() === "PT") return undefined;
  const ms = ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000 + Number(m[4] ?? 0) * 1000;
  return ms > 0 ? ms : undefined;
}

const SLOT_STEP = 30 * 60_000;

interface Participant {
  type: string;
  address: string;
  person?: DemoPerson;
  busy: BusyInterval[];
}

export function findMeetingTimes(store: CalendarStore, call: GraphCall, organizer: DemoPerson, now: Date): GraphResult {
  const body = parseBody(findMeetingTimesSchema, call.body);
  const duration = parseDuration(body.meetingDuration ?? "PT30M");
  if (duration === undefined || duration > 24 * 3600 * 1000) throw badRequest(`Invalid meetingDuration '${body.meetingDuration ?? ""}'.`, "ErrorInvalidRequest");
  const slots = body.timeConstraint?.timeslots?.length
    ? body.timeConstraint.timeslots.map((s) => ({ start: instantOf(s.start, "start"), end: instantOf(s.end, "end") }))
    : [{ start: now.getTime(), end: now.getTime() + 2 * 24 * 3600 * 1000 }];
  const from = Math.min(...slots.map((s) => s.start));
  const to = Math.max(...slots.map((s) => s.end));
  if (to - from > MAX_WINDOW_MS) throw badRequest("The time constraint may span at most 62 days.", "ErrorInvalidTimeInterval");
  const workOnly = (body.timeConstraint?.activityDomain ?? "work").toLowerCase() !== "unrestricted" && (body.timeConstraint?.activityDomain ?? "work").toLowerCase() !== "personal";

  const organizerBusy = busyIntervals(store, organizer, from, to);
  const attendees: Participant[] = (body.attendees ?? [])
    .filter((a) => a.emailAddress.address.toLowerCase() !== organizer.mail.toLowerCase())
    .map((a) => {
      const found = findPerson(organizer.tenantId, a.emailAddress.address);
      // Someone whose free/busy the caller may not see is "unknown", as a stranger is.
      const person = found && seesFreeBusy(call, found) ? found : undefined;
      return { type: (a.type ?? "required").toLowerCase(), address: a.emailAddress.address, person, busy: person ? busyIntervals(store, person, from, to) : [] };
    });

  const isFree = (busy: BusyInterval[], s: number, e: number): boolean => !busy.some((b) => b.start < e && b.end > s && RANK[b.status] >= RANK.tentative);
  const available = (person: DemoPerson, busy: BusyInterval[], s: number, e: number): boolean => (!workOnly || withinWorkingHours(person, s, e)) && isFree(busy, s, e);

  const maxCandidates = body.maxCandidates ?? 20;
  const zone = preferredTimeZone(call.headers.prefer) ?? "UTC";
  const suggestions: Record<string, unknown>[] = [];
  let organizerEverFree = false;
  const seen = new Set<number>();
  for (const slot of slots.sort((a, b) => a.start - b.start)) {
    for (let s = Math.ceil(Math.max(slot.start, now.getTime()) / SLOT_STEP) * SLOT_STEP; s + duration <= slot.end && suggestions.length < maxCandidates; s += SLOT_STEP) {
      if (seen.has(s)) continue;
      const e = s + duration;
      const organizerFree = available(organizer, organizerBusy, s, e);
      if (organizerFree) organizerEverFree = true;
      if (!organizerFree && !body.isOrganizerOptional) continue;
      const availability = attendees.map((a) => (a.person ? (available(a.person, a.busy, s, e) ? "free" : "busy") : "unknown"));
      const blocked = attendees.some((a, i) => a.type !== "optional" && availability[i] === "busy");
      if (blocked) continue;
      seen.add(s);
      const required = attendees.filter((a) => a.type !== "optional");
      const score = required.reduce((sum, a) => sum + (a.person ? 1 : 0.5), organizerFree ? 1 : 0);
      const suggestion: Record<string, unknown> = {
        confidence: Math.round((100 * score) / (required.length + 1)),
        organizerAvailability: organizerFree ? "free" : "busy",
        attendeeAvailability: attendees.map((a, i) => ({ attendee: { type: a.type, emailAddress: { address: a.address } }, availability: availability[i] })),
        locations: [],
        meetingTimeSlot: { start: toDateTimeTimeZone(s, zone), end: toDateTimeTimeZone(e, zone) },
      };
      if (body.returnSuggestionReasons) suggestion.suggestionReason = "Suggested because it is one of the nearest times when all attendees are available.";
      suggestions.push(suggestion);
    }
  }
  let emptySuggestionsReason = "";
  if (suggestions.length === 0) {
    if (!organizerEverFree && !body.isOrganizerOptional) emptySuggestionsReason = "OrganizerUnavailable";
    else emptySuggestionsReason = attendees.some((a) => !a.person) ? "AttendeesUnavailableOrUnknown" : "AttendeesUnavailable";
  }
  return ok({
    "@odata.context": `${call.graphBase}/$metadata#microsoft.graph.meetingTimeSuggestionsResult`,
    emptySuggestionsReason,
    meetingTimeSuggestions: suggestions,
  });
}
