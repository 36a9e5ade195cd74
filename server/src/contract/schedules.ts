import { Id } from "./common";
import { z } from "./zod";

const DateTime = z.iso
  .datetime({ offset: true, error: "Use an ISO date-time with its offset, e.g. 2026-03-02T09:30:00+00:00." })
  .describe("ISO 8601 date-time with an offset (Z or ±hh:mm)");

const TimeZone = z.string().trim().min(1).max(100).describe("IANA (Europe/London) or Windows (GMT Standard Time) zone name; default: the organizer's mailbox time zone");

const Cadence = z.enum(["weekly", "biweekly"]).describe("weekly: every 7 days; biweekly: every 14 days");

const Duration = z.number({ error: "durationMinutes must be a number." }).int("Whole minutes only.").min(15, "At least 15 minutes.").max(120, "At most 120 minutes.");

const Attendees = z.array(Id).min(1, "Name at least one attendee, or leave attendeeIds out for the defaults.").max(100, "At most 100 attendees.");

/** An id that goes into a Graph URL as one path segment: `.` or `..` would name another resource. */
const SeriesId = z.string().min(1).max(512).refine((v) => !/^\.+$/.test(v), "Not an id: dots alone would name another resource.");

export const ExternalSeries = z
  .strictObject({
    itemId: SeriesId.optional().describe("Outlook item id of the appointment (Office.js)"),
    graphEventId: SeriesId.optional().describe("Graph event id (REST id) of the series"),
    iCalUId: SeriesId.optional(),
  })
  .refine((v) => v.itemId || v.graphEventId || v.iCalUId, "Give at least one id of the series.")
  .openapi("ExternalSeries", { description: "A series the Outlook add-in already made in the organizer's calendar: Leeway registers it and creates no second one." });

function exactlyOne(v: { outcomeId?: string; teamId?: string }, ctx: z.RefinementCtx): void {
  if (!!v.outcomeId === !!v.teamId) ctx.addIssue({ code: "custom", path: ["outcomeId"], message: "Give exactly one of outcomeId (an outcome's rhythm) or teamId (a team's rhythm)." });
}

export const CreateSchedule = z
  .strictObject({
    outcomeId: Id.optional(),
    teamId: Id.optional(),
    cadence: Cadence,
    firstStart: DateTime,
    durationMinutes: Duration,
    attendeeIds: Attendees.optional().describe("Default: the outcome's owner and manager, or the team's members"),
    timeZone: TimeZone.optional(),
    externalSeries: ExternalSeries.optional(),
  })
  .superRefine(exactlyOne)
  .openapi("CreateCheckInSchedule");

export const UpdateSchedule = z
  .strictObject({
    cadence: Cadence.optional(),
    firstStart: DateTime.optional(),
    durationMinutes: Duration.optional(),
    attendeeIds: Attendees.optional(),
    timeZone: TimeZone.optional(),
    externalSeries: ExternalSeries.optional().describe("Only for a series made in Outlook: ids learnt after it was saved"),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Change at least one field.")
  .openapi("UpdateCheckInSchedule");

export const ListSchedulesQuery = z.strictObject({
  outcomeId: Id.optional(),
  teamId: Id.optional().describe("The team's rhythm and the rhythms of the team's outcomes"),
  status: z.enum(["active", "cancelled"]).optional(),
});

export const SuggestionsBody = z
  .strictObject({
    outcomeId: Id.optional(),
    teamId: Id.optional(),
    attendeeIds: Attendees.optional(),
    durationMinutes: Duration,
    from: DateTime.optional().describe("Start of the window to search (default: now)"),
    to: DateTime.optional().describe("End of the window (default: 7 days after from; at most 31 days)"),
    timeZone: TimeZone.optional().describe("Zone for the local times in the answer (default: the caller's)"),
    maxCandidates: z.number().int().min(1).max(50).optional(),
  })
  .superRefine(exactlyOne)
  .openapi("ScheduleSuggestionsRequest");

const Finding = z.object({ boundaryId: z.string(), boundaryName: z.string(), kind: z.string(), rule: z.string(), enforcement: z.enum(["block", "warn"]), message: z.string(), path: z.string().optional() });

export const SYNC_STATES = ["pending", "synced", "failed", "cancelled", "linked"] as const;

export const ScheduleOut = z
  .object({
    id: z.string(),
    kind: z.enum(["outcome", "team"]),
    outcomeId: z.string().nullable(),
    teamId: z.string().nullable().describe("Set for a team's rhythm; null for an outcome's"),
    cadence: Cadence,
    firstStart: z.string().describe("UTC instant of the first occurrence"),
    timeZone: z.string(),
    durationMinutes: z.number().int(),
    attendeeIds: z.array(z.string()),
    organizerId: z.string(),
    origin: z.enum(["leeway", "outlook"]).describe("leeway: Leeway creates the Outlook series; outlook: the add-in made it"),
    status: z.enum(["active", "cancelled"]),
    syncState: z.enum(SYNC_STATES).describe("pending: a change is on its way to Outlook; synced: the series matches; failed: delivery gave up (see lastError, POST …/retry); cancelled: the series was removed; linked: a series made in Outlook"),
    graphEventId: z.string().nullable(),
    iCalUId: z.string().nullable(),
    externalItemId: z.string().nullable(),
    lastError: z.string().nullable(),
    attempts: z.number().int().describe("Delivery attempts of the latest change"),
    version: z.number().int(),
    nextOccurrence: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    syncedAt: z.string().nullable(),
    warnings: z.array(Finding),
  })
  .openapi("CheckInSchedule");

const WorkingHoursOut = z.object({ daysOfWeek: z.array(z.string()), startTime: z.string(), endTime: z.string(), timeZone: z.object({ name: z.string() }) });

export const SuggestionsOut = z
  .object({
    durationMinutes: z.number().int(),
    timeZone: z.string(),
    from: z.string(),
    to: z.string(),
    suggestions: z.array(
      z.object({
        start: z.string().describe("UTC instant"),
        end: z.string(),
        localStart: z.string().describe("Wall-clock start in timeZone"),
        weekday: z.string(),
        confidence: z.number(),
        attendees: z.array(z.object({ id: z.string(), availability: z.string() })),
      }),
    ),
    attendees: z.array(z.object({ id: z.string(), displayName: z.string(), timeZone: z.string().nullable(), workingHours: WorkingHoursOut.nullable(), source: z.enum(["graph", "stored"]) })),
    emptySuggestionsReason: z.string().nullable(),
  })
  .openapi("ScheduleSuggestions");
