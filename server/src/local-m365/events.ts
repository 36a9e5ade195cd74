// /users/{id}/events and /me/events: create (idempotent on transactionId), read, list, update, delete.
import { randomBytes } from "node:crypto";
import { findPerson, type DemoPerson } from "./demo-directory";
import type { CalendarStore, StoredEvent } from "./calendar-store";
import {
  bodyPreview,
  checkRecurrence,
  createEventSchema,
  eventInstants,
  eventValidationError,
  normaliseDateTime,
  renderEvent,
  type EventInput,
} from "./event-model";
import { GraphError, badRequest, noContent, ok, type GraphCall, type GraphResult } from "./graph-http";
import type { PatternedRecurrence } from "./recurrence";
import { preferredTimeZone } from "./time-zones";

const NEVER = "0001-01-01T00:00:00Z";

export interface EventContext {
  store: CalendarStore;
  now: () => Date;
  /** Absolute base of the local tenant, for webLink and join URLs. */
  baseUrl: () => string;
}

function notFound(): GraphError {
  return new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
}

function newId(prefix: string): string {
  return `${prefix}${randomBytes(33).toString("base64url")}`;
}

function attendeesOf(tenantId: string, input: EventInput["attendees"]): Record<string, unknown>[] {
  return (input ?? []).map((a) => {
    const known = findPerson(tenantId, a.emailAddress.address);
    return {
      type: a.type,
      status: { response: "none", time: NEVER },
      emailAddress: { name: a.emailAddress.name ?? known?.displayName ?? a.emailAddress.address, address: a.emailAddress.address },
    };
  });
}

function onlineMeetingFor(ctx: EventContext, data: Record<string, unknown>): Record<string, unknown> | null {
  if (data.isOnlineMeeting !== true || data.onlineMeetingProvider !== "teamsForBusiness") return null;
  const thread = encodeURIComponent(`19:meeting_${String(data.iCalUId).slice(-24)}@thread.v2`);
  return {
    joinUrl: `${ctx.baseUrl()}/local-m365/teams/l/meetup-join/${thread}/0`,
    conferenceId: String(parseInt(String(data.iCalUId).slice(-8), 16)).padStart(9, "0").slice(-9),
    tollNumber: null,
  };
}

/** Applies validated fields to an event, checking what depends on several fields at once. */
function applyFields(ctx: EventContext, tenantId: string, data: Record<string, unknown>, input: EventInput): void {
  if (input.subject !== undefined) data.subject = input.subject;
  if (input.body !== undefined) {
    data.body = input.body;
    data.bodyPreview = bodyPreview(input.body);
  }
  if (input.start !== undefined) {
    const start = normaliseDateTime(input.start, "start");
    data.start = start.stored;
    data.originalStartTimeZone = start.stored.timeZone;
  }
  if (input.end !== undefined) {
    const end = normaliseDateTime(input.end, "end");
    data.end = end.stored;
    data.originalEndTimeZone = end.stored.timeZone;
  }
  if (input.recurrence !== undefined) {
    if (input.recurrence) checkRecurrence(input.recurrence as PatternedRecurrence);
    data.recurrence = input.recurrence;
    data.type = input.recurrence ? "seriesMaster" : "singleInstance";
  }
  if (input.attendees !== undefined) data.attendees = attendeesOf(tenantId, input.attendees);
  const simple = ["location", "locations", "transactionId", "categories", "importance", "sensitivity", "showAs", "isAllDay", "isReminderOn", "reminderMinutesBeforeStart", "responseRequested", "allowNewTimeProposals", "hideAttendees", "singleValueExtendedProperties", "multiValueExtendedProperties"] as const;
  for (const key of simple) if (input[key] !== undefined) data[key] = input[key];
  if (input.isOnlineMeeting !== undefined) data.isOnlineMeeting = input.isOnlineMeeting;
  if (input.onlineMeetingProvider !== undefined) data.onlineMeetingProvider = input.onlineMeetingProvider;
  if (data.isOnlineMeeting === true && (data.onlineMeetingProvider === "unknown" || data.onlineMeetingProvider === undefined)) {
    data.onlineMeetingProvider = "teamsForBusiness";
  }
  data.onlineMeeting = onlineMeetingFor(ctx, data);
  data.onlineMeetingUrl = null;
  if (!data.start || !data.end) throw badRequest("An event needs both start and end.", "ErrorInvalidRequest");
  const { start, end } = eventInstants(data);
  if (end < start) throw badRequest("The end time of the event must not be earlier than its start time.", "ErrorInvalidRequest");
}

function parseInput(body: unknown, partial: boolean): EventInput {
  const schema = partial ? createEventSchema.partial() : createEventSchema;
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw eventValidationError(parsed.error);
  return parsed.data as EventInput;
}

export function renderOptions(call: GraphCall): { timeZone?: string; select?: string[]; expand?: string } {
  const select = call.query.get("$select");
  return {
    timeZone: preferredTimeZone(call.headers.prefer),
    select: select ? select.split(",").map((s) => s.trim()).filter(Boolean) : undefined,
    expand: call.query.get("$expand") ?? undefined,
  };
}

export function withPreferenceApplied(call: GraphCall, headers: Record<string, string> = {}): Record<string, string> {
  const zone = preferredTimeZone(call.headers.prefer);
  return zone ? { ...headers, "Preference-Applied": `outlook.timezone="${zone}"` } : headers;
}

export function createEvent(ctx: EventContext, call: GraphCall, mailbox: DemoPerson): GraphResult {
  const input = parseInput(call.body, false);
  if (!input.start || !input.end) throw badRequest("An event needs both start and end.", "ErrorInvalidRequest");
  const now = ctx.now().toISOString();
  const id = newId("AAMkAGlsb2NhbAB");
  const iCalUId = `040000008200E00074C5B7101A82E008${randomBytes(28).toString("hex").toUpperCase()}`;
  const data: Record<string, unknown> = {
    id,
    createdDateTime: now,
    lastModifiedDateTime: now,
    changeKey: randomBytes(12).toString("base64url"),
    categories: [],
    transactionId: null,
    originalStartTimeZone: "UTC",
    originalEndTimeZone: "UTC",
    iCalUId,
    reminderMinutesBeforeStart: 15,
    isReminderOn: true,
    hasAttachments: false,
    subject: "",
    bodyPreview: "",
    importance: "normal",
    sensitivity: "normal",
    isAllDay: false,
    isCancelled: false,
    isOrganizer: true,
    responseRequested: true,
    seriesMasterId: null,
    showAs: "busy",
    type: "singleInstance",
    webLink: `${ctx.baseUrl()}/local-m365/owa/calendar/item/${encodeURIComponent(id)}`,
    onlineMeetingUrl: null,
    isOnlineMeeting: false,
    onlineMeetingProvider: "unknown",
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    responseStatus: { response: "organizer", time: NEVER },
    body: { contentType: "html", content: "" },
    location: { displayName: "", locationType: "default", uniqueIdType: "unknown", address: {}, coordinates: {} },
    locations: [],
    recurrence: null,
    attendees: [],
    organizer: { emailAddress: { name: mailbox.displayName, address: mailbox.mail } },
    onlineMeeting: null,
  };
  applyFields(ctx, mailbox.tenantId, data, input);
  const transactionId = typeof data.transactionId === "string" && data.transactionId ? data.transactionId : null;
  const { event } = ctx.store.insertEvent(mailbox.tenantId, mailbox.id, data, transactionId);
  const headers = withPreferenceApplied(call, { Location: `${call.graphBase}/users/${mailbox.id}/events/${encodeURIComponent(event.id)}` });
  return ok({ "@odata.context": `${call.graphBase}/$metadata#users('${mailbox.id}')/events/$entity`, ...renderEvent(event.data, renderOptions(call)) }, 201, headers);
}

function requireEvent(ctx: EventContext, mailbox: DemoPerson, eventId: string): StoredEvent {
  const event = ctx.store.getEvent(mailbox.tenantId, mailbox.id, eventId);
  if (!event) throw notFound();
  return event;
}

export function getEvent(ctx: EventContext, call: GraphCall, mailbox: DemoPerson, eventId: string): GraphResult {
  const event = requireEvent(ctx, mailbox, eventId);
  return ok({ "@odata.context": `${call.graphBase}/$metadata#users('${mailbox.id}')/events/$entity`, ...renderEvent(event.data, renderOptions(call)) }, 200, withPreferenceApplied(call));
}

export function updateEvent(ctx: EventContext, call: GraphCall, mailbox: DemoPerson, eventId: string): GraphResult {
  const event = requireEvent(ctx, mailbox, eventId);
  const ifMatch = call.headers["if-match"];
  if (ifMatch && ifMatch !== "*" && ifMatch !== `W/"${String(event.data.changeKey)}"`) {
    throw new GraphError(412, "ErrorIrresolvableConflict", "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.");
  }
  const input = parseInput(call.body, true);
  const data = structuredClone(event.data);
  applyFields(ctx, mailbox.tenantId, data, input);
  data.transactionId = event.data.transactionId ?? null; // fixed at creation
  data.lastModifiedDateTime = ctx.now().toISOString();
  data.changeKey = randomBytes(12).toString("base64url");
  const saved = ctx.store.updateEvent(event, data);
  return ok({ "@odata.context": `${call.graphBase}/$metadata#users('${mailbox.id}')/events/$entity`, ...renderEvent(saved.data, renderOptions(call)) }, 200, withPreferenceApplied(call));
}

export function deleteEvent(ctx: EventContext, mailbox: DemoPerson, eventId: string): GraphResult {
  if (!ctx.store.deleteEvent(mailbox.tenantId, mailbox.id, eventId)) throw notFound();
  return noContent();
}

/** Splits a $filter on top-level " and ", leaving quoted strings and parentheses intact. */
function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (let i = 0; i < filter.length; i += 1) {
    const c = filter.charAt(i);
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === "(") depth += 1;
    else if (!quoted && c === ")") depth -= 1;
    if (!quoted && depth === 0 && filter.slice(i, i + 5).toLowerCase() === " and ") {
      parts.push(current);
      current = "";
      i += 4;
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

const unquote = (s: string): string => s.replace(/''/g, "'");
type Predicate = (data: Record<string, unknown>) => boolean;

/** The $filter subset Leeway's calendar code uses. */
export function parseEventFilter(filter: string): Predicate {
  const predicates = splitAnd(filter).map((clause): Predicate => {
    const eq = /^(transactionId|subject|iCalUId|type|seriesMasterId|showAs)\s+eq\s+'((?:[^']|'')*)'$/i.exec(clause);
    if (eq) {
      const field = ["transactionId", "subject", "iCalUId", "type", "seriesMasterId", "showAs"].find((f) => f.toLowerCase() === eq[1]?.toLowerCase()) ?? "";
      const value = unquote(eq[2] ?? "");
      return (d) => d[field] === value;
    }
    const ext = /^singleValueExtendedProperties\/any\(\s*(\w+)\s*:\s*\1\/id\s+eq\s+'((?:[^']|'')*)'\s+and\s+\1\/value\s+eq\s+'((?:[^']|'')*)'\s*\)$/i.exec(clause);
    if (ext) {
      const id = unquote(ext[2] ?? "").toLowerCase();
      const value = unquote(ext[3] ?? "");
      return (d) => Array.isArray(d.singleValueExtendedProperties) && (d.singleValueExtendedProperties as { id: string; value: string }[]).some((p) => p.id.toLowerCase() === id && p.value === value);
    }
    const range = /^(start|end)\/dateTime\s+(ge|gt|le|lt)\s+'([^']+)'$/i.exec(clause);
    if (range) {
      const bound = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(range[3] ?? "") ? (range[3] ?? "") : `${range[3] ?? ""}Z`);
      if (Number.isNaN(bound)) throw badRequest(`Invalid date in filter clause: ${clause}`, "ErrorInvalidUrlQueryFilter");
      const which = range[1]?.toLowerCase() === "start" ? "start" : "end";
      const op = range[2]?.toLowerCase();
      return (d) => {
        const t = eventInstants(d)[which];
        return op === "ge" ? t >= bound : op === "gt" ? t > bound : op === "le" ? t <= bound : t < bound;
      };
    }
    throw badRequest(`The local tenant does not support this $filter clause: ${clause}`, "ErrorInvalidUrlQueryFilter");
  });
  return (d) => predicates.every((p) => p(d));
}

const ORDER_FIELDS: Record<string, (d: Record<string, unknown>) => number | string> = {
  "start/datetime": (d) => eventInstants(d).start,
  "end/datetime": (d) => eventInstants(d).end,
  createddatetime: (d) => String(d.createdDateTime),
  lastmodifieddatetime: (d) => String(d.lastModifiedDateTime),
  subject: (d) => String(d.subject),
};

export function listEvents(ctx: EventContext, call: GraphCall, mailbox: DemoPerson): GraphResult {
  let events = ctx.store.listEvents(mailbox.tenantId, mailbox.id).map((e) => e.data);
  const filter = call.query.get("$filter");
  if (filter) events = events.filter(parseEventFilter(filter));
  const orderBy = call.query.get("$orderby");
  if (orderBy) {
    const [field = "", direction = "asc"] = orderBy.trim().split(/\s+/);
    const key = ORDER_FIELDS[field.toLowerCase()];
    if (!key) throw badRequest(`The local tenant cannot order events by '${field}'.`, "ErrorInvalidUrlQueryOrderBy");
    const sign = direction.toLowerCase() === "desc" ? -1 : 1;
    events = [...events].sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : 0));
  }
  return pageOf(call, events.map((d) => renderEvent(d, renderOptions(call))), `users('${mailbox.id}')/events`);
}

/** One page of a collection, with Graph's $top/$skip paging and @odata.nextLink. */
export function pageOf(call: GraphCall, items: Record<string, unknown>[], contextPath: string): GraphResult {
  const top = Number(call.query.get("$top") ?? 10);
  const skip = Number(call.query.get("$skip") ?? 0);
  if (!Number.isInteger(top) || top < 1 || top > 1000 || !Number.isInteger(skip) || skip < 0) {
    throw badRequest("$top must be between 1 and 1000 and $skip a non-negative integer.", "ErrorInvalidUrlQuery");
  }
  const body: Record<string, unknown> = {
    "@odata.context": `${call.graphBase}/$metadata#${contextPath}`,
    value: items.slice(skip, skip + top),
  };
  if (skip + top < items.length) {
    const next = new URLSearchParams(call.query);
    next.set("$top", String(top));
    next.set("$skip", String(skip + top));
    body["@odata.nextLink"] = `${call.graphBase}${call.path}?${next.toString()}`;
  }
  return ok(body, 200, withPreferenceApplied(call));
}
