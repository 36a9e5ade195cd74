// The Graph `event` resource: validation of what clients send, and how stored events are shown.
import { z } from "zod";
import { GraphError, badRequest } from "./graph-http";
import type { PatternedRecurrence } from "./recurrence";
import { parseDateTimeTimeZone, resolveTimeZone, toDateTimeTimeZone, WEEKDAY_NAMES } from "./time-zones";

const lower = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) => values.find((v) => v.toLowerCase() === s.toLowerCase()) ?? s)
    .pipe(z.enum(values));

const weekday = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(WEEKDAY_NAMES));

const dateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD");

const dateTimeTimeZone = z.object({ dateTime: z.string().min(1), timeZone: z.string().optional() });

const emailAddress = z.object({
  address: z.string().regex(/^[^@\s]+@[^@\s]+$/, "expected an e-mail address"),
  name: z.string().optional(),
});

export const recurrenceSchema = z.object({
  pattern: z.object({
    type: lower(["daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"] as const),
    interval: z.number().int().min(1).max(99),
    daysOfWeek: z.array(weekday).optional(),
    dayOfMonth: z.number().int().min(0).max(31).optional(),
    month: z.number().int().min(0).max(12).optional(),
    firstDayOfWeek: weekday.optional(),
    index: lower(["first", "second", "third", "fourth", "last"] as const).optional(),
  }),
  range: z.object({
    type: lower(["noEnd", "endDate", "numbered"] as const),
    startDate: dateOnly,
    endDate: dateOnly.optional(),
    numberOfOccurrences: z.number().int().min(0).max(999).optional(),
    recurrenceTimeZone: z.string().optional(),
  }),
});

const attendee = z.object({
  emailAddress,
  type: lower(["required", "optional", "resource"] as const).default("required"),
  status: z.unknown().optional(),
  proposedNewTime: z.unknown().optional(),
});

const location = z.looseObject({ displayName: z.string().optional() });
const extendedProperty = z.object({ id: z.string().min(1), value: z.string() });
const readOnly = z.unknown().optional();

/** Every writable property of microsoft.graph.event; read-only ones are accepted and ignored. */
export const eventFields = {
  subject: z.string().max(255).optional(),
  body: z.object({ contentType: lower(["text", "html"] as const), content: z.string() }).optional(),
  start: dateTimeTimeZone.optional(),
  end: dateTimeTimeZone.optional(),
  recurrence: recurrenceSchema.nullable().optional(),
  attendees: z.array(attendee).max(500).optional(),
  location: location.optional(),
  locations: z.array(location).optional(),
  isOnlineMeeting: z.boolean().optional(),
  onlineMeetingProvider: lower(["unknown", "teamsForBusiness", "skypeForBusiness", "skypeForConsumer"] as const).optional(),
  transactionId: z.string().max(255).nullable().optional(),
  categories: z.array(z.string()).optional(),
  importance: lower(["low", "normal", "high"] as const).optional(),
  sensitivity: lower(["normal", "personal", "private", "confidential"] as const).optional(),
  showAs: lower(["free", "tentative", "busy", "oof", "workingElsewhere", "unknown"] as const).optional(),
  isAllDay: z.boolean().optional(),
  isReminderOn: z.boolean().optional(),
  reminderMinutesBeforeStart: z.number().int().min(0).optional(),
  responseRequested: z.boolean().optional(),
  allowNewTimeProposals: z.boolean().optional(),
  hideAttendees: z.boolean().optional(),
  singleValueExtendedProperties: z.array(extendedProperty).optional(),
  multiValueExtendedProperties: z.array(z.object({ id: z.string().min(1), value: z.array(z.string()) })).optional(),
  "@odata.type": z.string().optional(),
  id: readOnly,
  "@odata.etag": readOnly,
  createdDateTime: readOnly,
  lastModifiedDateTime: readOnly,
  changeKey: readOnly,
  iCalUId: readOnly,
  type: readOnly,
  webLink: readOnly,
  organizer: readOnly,
  bodyPreview: readOnly,
  isOrganizer: readOnly,
  isCancelled: readOnly,
  isDraft: readOnly,
  hasAttachments: readOnly,
  onlineMeeting: readOnly,
  onlineMeetingUrl: readOnly,
  originalStartTimeZone: readOnly,
  originalEndTimeZone: readOnly,
  responseStatus: readOnly,
  seriesMasterId: readOnly,
};

export const createEventSchema = z.strictObject(eventFields);
export type EventInput = z.infer<typeof createEventSchema>;

/** Turns a zod failure into the error Graph gives for the same mistake. */
export function eventValidationError(error: z.ZodError): GraphError {
  const issue = error.issues[0];
  if (issue?.code === "unrecognized_keys") {
    const name = issue.keys[0] ?? "";
    const owner = issue.path.length > 0 ? String(issue.path[issue.path.length - 1]) : "microsoft.graph.event";
    return badRequest(`The property '${name}' does not exist on type '${owner.startsWith("microsoft.") ? owner : `microsoft.graph.${owner}`}'. Make sure to only use property names that are defined by the type or mark the type as open type.`, "RequestBodyRead");
  }
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "body";
  return badRequest(`Invalid value for '${where}': ${issue?.message ?? "malformed request body"}.`, "ErrorInvalidRequest");
}

/** Normalises a dateTimeTimeZone and returns its instant; Graph assumes UTC when timeZone is missing. */
export function normaliseDateTime(value: { dateTime: string; timeZone?: string | undefined }, field: string): { stored: { dateTime: string; timeZone: string }; instant: number } {
  const timeZone = value.timeZone ?? "UTC";
  if (!resolveTimeZone(timeZone)) {
    throw new GraphError(400, "TimeZoneNotSupportedException", `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${timeZone}'.`);
  }
  const instant = parseDateTimeTimeZone(value.dateTime, timeZone);
  if (instant === undefined) throw badRequest(`Cannot convert the literal '${value.dateTime}' to the expected type 'Edm.DateTimeOffset' (${field}).`, "ErrorInvalidRequest");
  return { stored: toDateTimeTimeZone(instant, timeZone), instant };
}

export function checkRecurrence(rec: PatternedRecurrence): void {
  const { pattern, range } = rec;
  const needsDays = pattern.type === "weekly" || pattern.type === "relativeMonthly" || pattern.type === "relativeYearly";
  if (needsDays && (!pattern.daysOfWeek || pattern.daysOfWeek.length === 0)) {
    throw badRequest(`Recurrence pattern of type ${pattern.type} needs daysOfWeek.`, "ErrorPropertyValidationFailure");
  }
  if ((pattern.type === "absoluteMonthly" || pattern.type === "absoluteYearly") && !pattern.dayOfMonth) {
    throw badRequest(`Recurrence pattern of type ${pattern.type} needs dayOfMonth.`, "ErrorPropertyValidationFailure");
  }
  if (range.type === "endDate" && (!range.endDate || range.endDate < range.startDate)) {
    throw badRequest("The recurrence range needs an endDate on or after its startDate.", "ErrorPropertyValidationFailure");
  }
  if (range.type === "numbered" && !(range.numberOfOccurrences && range.numberOfOccurrences > 0)) {
    throw badRequest("A numbered recurrence range needs numberOfOccurrences of at least 1.", "ErrorPropertyValidationFailure");
  }
  if (range.recurrenceTimeZone && !resolveTimeZone(range.recurrenceTimeZone)) {
    throw new GraphError(400, "TimeZoneNotSupportedException", `The following TimeZone value is not supported: '${range.recurrenceTimeZone}'.`);
  }
}

/** Where a series keeps the starts of occurrences deleted one by one (never shown to clients). */
export const CANCELLED_KEY = "_cancelledOccurrences";

export function cancelledStarts(data: Record<string, unknown>): number[] {
  const value = data[CANCELLED_KEY];
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === "number") : [];
}

/** Instants of a stored event's start and end. */
export function eventInstants(data: Record<string, unknown>): { start: number; end: number; timeZone: string } {
  const start = data.start as { dateTime: string; timeZone: string };
  const end = data.end as { dateTime: string; timeZone: string };
  return {
    start: parseDateTimeTimeZone(start.dateTime, start.timeZone) ?? 0,
    end: parseDateTimeTimeZone(end.dateTime, end.timeZone) ?? 0,
    timeZone: start.timeZone,
  };
}

const HIDDEN_UNLESS_EXPANDED = ["singleValueExtendedProperties", "multiValueExtendedProperties"];

/**
 * A stored event as Graph returns it: start and end in the zone of `Prefer: outlook.timezone`
 * (UTC without one), extended properties only when `$expand`ed, fields cut by `$select`.
 */
export function renderEvent(data: Record<string, unknown>, opts: { timeZone?: string; select?: string[]; expand?: string }): Record<string, unknown> {
  const zone = opts.timeZone ?? "UTC";
  const { start, end } = eventInstants(data);
  const out: Record<string, unknown> = { "@odata.etag": `W/"${String(data.changeKey)}"`, ...data };
  for (const key of Object.keys(out)) if (key.startsWith("_")) delete out[key];
  out.start = toDateTimeTimeZone(start, zone);
  out.end = toDateTimeTimeZone(end, zone);
  for (const hidden of HIDDEN_UNLESS_EXPANDED) {
    if (!opts.expand || !opts.expand.toLowerCase().includes(hidden.toLowerCase())) delete out[hidden];
  }
  if (opts.select && opts.select.length > 0) {
    const keep = new Set(["id", "@odata.etag", ...opts.select]);
    for (const key of Object.keys(out)) if (!keep.has(key) && !HIDDEN_UNLESS_EXPANDED.includes(key)) delete out[key];
  }
  return out;
}

export function bodyPreview(body: { contentType: string; content: string } | undefined): string {
  if (!body) return "";
  const text = body.contentType === "html" ? body.content.replace(/<[^>]*>/g, " ") : body.content;
  return text.replace(/&nbsp;/g, " ").replace(/\s+/g, " ").trim().slice(0, 255);
}
