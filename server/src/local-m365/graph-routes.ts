// The Graph v1.0 routes of the local tenant, as a table: each route has a template (which is also
// its key in the traffic statistics), the permissions it needs, and a handler.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { directReportsOf, findPerson, teamsOf, type DemoPerson } from "./demo-directory";
import type { CalendarStore } from "./calendar-store";
import { calendarView, cancelOccurrence, getOccurrence, instances, isOccurrenceId, refuseOccurrenceUpdate } from "./calendar-view";
import { createEvent, deleteEvent, getEvent, listEvents, updateEvent, type EventContext } from "./events";
import {
  GraphError,
  badRequest,
  isObject,
  noContent,
  ok,
  requireOwnMailbox,
  requirePermission,
  resourceNotFound,
  type GraphCall,
  type GraphResult,
} from "./graph-http";
import { findMeetingTimes, getSchedule } from "./schedule";

export interface RouteContext extends EventContext {
  store: CalendarStore;
}

type Handler = (ctx: RouteContext, call: GraphCall, subject: DemoPerson, params: Record<string, string>) => GraphResult;

interface SubjectRoute {
  method: string;
  suffix: string;
  /** Delegated scopes or application roles, any one of which is enough. */
  permissions: string[];
  /** Mailbox data: a delegated caller reaches only their own. */
  ownMailbox: boolean;
  handler: Handler;
}

export interface MatchedRoute {
  template: string;
  run(ctx: RouteContext, call: GraphCall): GraphResult;
}

const READ_USERS = ["User.Read", "User.ReadBasic.All", "User.Read.All", "Directory.Read.All"];
const READ_CALENDARS = ["Calendars.Read", "Calendars.ReadWrite", "Calendars.ReadBasic"];
const WRITE_CALENDARS = ["Calendars.ReadWrite"];
const READ_MAILBOX_SETTINGS = ["MailboxSettings.Read", "MailboxSettings.ReadWrite"];

const DEFAULT_USER_FIELDS = ["businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"];

function localeOf(person: DemoPerson): { locale: string; displayName: string; dateFormat: string; timeFormat: string } {
  if (person.timeZone.startsWith("America/")) return { locale: "en-US", displayName: "English (United States)", dateFormat: "M/d/yyyy", timeFormat: "h:mm tt" };
  return { locale: "en-GB", displayName: "English (United Kingdom)", dateFormat: "dd/MM/yyyy", timeFormat: "HH:mm" };
}

export function userJson(person: DemoPerson, select?: string | null): Record<string, unknown> {
  const full: Record<string, unknown> = {
    businessPhones: [],
    displayName: person.displayName,
    givenName: person.givenName,
    jobTitle: person.jobTitle,
    mail: person.mail,
    mobilePhone: null,
    officeLocation: person.officeLocation ?? null,
    preferredLanguage: localeOf(person).locale,
    surname: person.surname,
    userPrincipalName: person.userPrincipalName,
    id: person.id,
    department: person.department,
    accountEnabled: true,
    mailNickname: person.userPrincipalName.split("@")[0] ?? "",
    usageLocation: person.timeZone.startsWith("America/") ? "US" : "GB",
    userType: "Member",
  };
  const fields = select ? select.split(",").map((s) => s.trim()).filter(Boolean) : DEFAULT_USER_FIELDS;
  const out: Record<string, unknown> = {};
  for (const field of fields) if (field in full) out[field] = full[field];
  return out;
}

function userResult(call: GraphCall, person: DemoPerson, context: string): GraphResult {
  return ok({ "@odata.context": `${call.graphBase}/$metadata#${context}`, ...userJson(person, call.query.get("$select")) });
}

function mailboxSettings(call: GraphCall, person: DemoPerson): GraphResult {
  const locale = localeOf(person);
  const full: Record<string, unknown> = {
    archiveFolder: `AAMkAGlsb2NhbAAuAAAAAAArchive${person.id.slice(-12)}`,
    timeZone: person.timeZone,
    delegateMeetingMessageDeliveryOptions: "sendToDelegateOnly",
    dateFormat: locale.dateFormat,
    timeFormat: locale.timeFormat,
    userPurpose: "user",
    automaticRepliesSetting: {
      status: "disabled",
      externalAudience: "all",
      internalReplyMessage: "",
      externalReplyMessage: "",
      scheduledStartDateTime: { dateTime: "2020-01-01T00:00:00.0000000", timeZone: "UTC" },
      scheduledEndDateTime: { dateTime: "2020-01-02T00:00:00.0000000", timeZone: "UTC" },
    },
    language: { locale: locale.locale, displayName: locale.displayName },
    workingHours: structuredClone(person.workingHours),
  };
  const select = call.query.get("$select");
  const body = select ? Object.fromEntries(select.split(",").map((s) => s.trim()).filter((s) => s in full).map((s) => [s, full[s]])) : full;
  return ok({ "@odata.context": `${call.graphBase}/$metadata#users('${person.id}')/mailboxSettings`, ...body });
}

const notificationSchema = z.object({
  topic: z.object({ source: z.enum(["entityUrl", "text"]), value: z.string().min(1), webUrl: z.string().optional() }),
  activityType: z.string().min(1),
  previewText: z.object({ content: z.string().max(150) }),
  templateParameters: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  chainId: z.number().int().optional(),
  teamsAppId: z.string().optional(),
  iconId: z.string().optional(),
});

function sendActivityNotification(ctx: RouteContext, call: GraphCall, recipient: DemoPerson): GraphResult {
  const parsed = notificationSchema.safeParse(call.body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`Invalid value for '${issue?.path.join(".") || "body"}': ${issue?.message ?? "malformed body"}.`);
  }
  if (parsed.data.topic.source === "text" && !parsed.data.topic.webUrl) throw badRequest("topic.webUrl is required when topic.source is 'text'.");
  const sender = call.caller.kind === "delegated" ? { kind: "user", id: call.caller.user.id } : { kind: "application", id: call.caller.clientId };
  ctx.store.addNotification(recipient.tenantId, recipient.id, {
    id: randomUUID(),
    recipientId: recipient.id,
    sender,
    ...parsed.data,
    createdDateTime: ctx.now().toISOString(),
  });
  return noContent();
}

/** Graph serves a mailbox's default calendar both at /events and at /calendar/events. */
function eventRoutes(base: string): SubjectRoute[] {
  const item = `${base}/{eventId}`;
  return [
    { method: "POST", suffix: base, permissions: WRITE_CALENDARS, ownMailbox: true, handler: (ctx, call, p) => createEvent(ctx, call, p) },
    { method: "GET", suffix: base, permissions: READ_CALENDARS, ownMailbox: true, handler: (ctx, call, p) => listEvents(ctx, call, p) },
    {
      method: "GET",
      suffix: item,
      permissions: READ_CALENDARS,
      ownMailbox: true,
      handler: (ctx, call, p, { eventId = "" }) => (isOccurrenceId(eventId) ? getOccurrence(ctx, call, p, eventId) : getEvent(ctx, call, p, eventId)),
    },
    {
      method: "PATCH",
      suffix: item,
      permissions: WRITE_CALENDARS,
      ownMailbox: true,
      handler: (ctx, call, p, { eventId = "" }) => (isOccurrenceId(eventId) ? refuseOccurrenceUpdate() : updateEvent(ctx, call, p, eventId)),
    },
    {
      method: "DELETE",
      suffix: item,
      permissions: WRITE_CALENDARS,
      ownMailbox: true,
      handler: (ctx, _call, p, { eventId = "" }) => (isOccurrenceId(eventId) ? cancelOccurrence(ctx, p, eventId) : deleteEvent(ctx, p, eventId)),
    },
  ];
}

const subjectRoutes: SubjectRoute[] = [
  { method: "GET", suffix: "", permissions: READ_USERS, ownMailbox: false, handler: (_ctx, call, p) => userResult(call, p, "users/$entity") },
  {
    method: "GET",
    suffix: "/manager",
    permissions: READ_USERS,
    ownMailbox: false,
    handler: (_ctx, call, p) => {
      const manager = p.managerId ? findPerson(p.tenantId, p.managerId) : undefined;
      if (!manager) throw resourceNotFound("manager");
      return ok({ "@odata.context": `${call.graphBase}/$metadata#directoryObjects/$entity`, "@odata.type": "#microsoft.graph.user", ...userJson(manager, call.query.get("$select")) });
    },
  },
  {
    method: "GET",
    suffix: "/directReports",
    permissions: READ_USERS,
    ownMailbox: false,
    handler: (_ctx, call, p) =>
      ok({ "@odata.context": `${call.graphBase}/$metadata#directoryObjects`, value: directReportsOf(p).map((r) => ({ "@odata.type": "#microsoft.graph.user", ...userJson(r, call.query.get("$select")) })) }),
  },
  {
    method: "GET",
    suffix: "/joinedTeams",
    permissions: ["Team.ReadBasic.All", ...READ_USERS],
    ownMailbox: false,
    handler: (_ctx, call, p) =>
      ok({ "@odata.context": `${call.graphBase}/$metadata#teams`, "@odata.count": teamsOf(p).length, value: teamsOf(p).map((t) => ({ id: t.id, displayName: t.name, description: t.description, tenantId: t.tenantId, isArchived: false })) }),
  },
  { method: "GET", suffix: "/mailboxSettings", permissions: READ_MAILBOX_SETTINGS, ownMailbox: true, handler: (_ctx, call, p) => mailboxSettings(call, p) },
  ...eventRoutes("/events"),
  ...eventRoutes("/calendar/events"),
  { method: "GET", suffix: "/events/{eventId}/instances", permissions: READ_CALENDARS, ownMailbox: true, handler: (ctx, call, p, params) => instances(ctx, call, p, params.eventId ?? "") },
  { method: "GET", suffix: "/calendarView", permissions: READ_CALENDARS, ownMailbox: true, handler: (ctx, call, p) => calendarView(ctx, call, p) },
  { method: "POST", suffix: "/calendar/getSchedule", permissions: READ_CALENDARS, ownMailbox: true, handler: (ctx, call, p) => getSchedule(ctx.store, call, p.tenantId) },
  { method: "POST", suffix: "/findMeetingTimes", permissions: READ_CALENDARS, ownMailbox: true, handler: (ctx, call, p) => findMeetingTimes(ctx.store, call, p, ctx.now()) },
  { method: "POST", suffix: "/teamwork/sendActivityNotification", permissions: ["TeamsActivity.Send"], ownMailbox: false, handler: (ctx, call, p) => sendActivityNotification(ctx, call, p) },
];

interface CompiledRoute {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  me: boolean;
  def: SubjectRoute;
}

function compile(prefix: string, def: SubjectRoute): CompiledRoute {
  const template = `${prefix}${def.suffix}`;
  const names: string[] = [];
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (name) {
        names.push(name);
        return "([^/]+)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { method: def.method, template, pattern: new RegExp(`^${source}/?$`, "i"), names, me: prefix === "/me", def };
}

const compiled: CompiledRoute[] = subjectRoutes.flatMap((def) => [compile("/me", def), compile("/users/{id}", def)]);

function resolveSubject(call: GraphCall, route: CompiledRoute, params: Record<string, string>): DemoPerson {
  if (route.me) {
    if (call.caller.kind !== "delegated") throw badRequest("/me request is only valid with delegated authentication flow.");
    return call.caller.user;
  }
  const id = params.id ?? "";
  const person = findPerson(call.caller.tenant.id, id);
  if (!person) throw resourceNotFound(id);
  return person;
}

/** Finds the route for a method and path; a path with no route at all answers 400 as Graph does. */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  let pathMatched = false;
  for (const route of compiled) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method.toUpperCase()) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? "");
    });
    return {
      template: `${route.method} ${route.template}`,
      run(ctx, call) {
        const subject = resolveSubject(call, route, params);
        requirePermission(call.caller, route.def.permissions);
        if (route.def.ownMailbox) requireOwnMailbox(call.caller, subject);
        if (["POST", "PATCH"].includes(route.method) && call.body !== undefined && !isObject(call.body)) {
          throw badRequest("The request body must be a JSON object.");
        }
        return route.def.handler(ctx, call, subject, params);
      },
    };
  }
  if (pathMatched) {
    return {
      template: `${method.toUpperCase()} (method not allowed)`,
      run() {
        throw new GraphError(405, "Request_BadRequest", `The HTTP method '${method.toUpperCase()}' is not allowed for this resource.`);
      },
    };
  }
  return undefined;
}
