import type { z } from "zod";
import type { AppContext } from "../context";
import type { SuggestionsBody, SuggestionsOut } from "../contract/schedules";
import { localParts, resolveTimeZone, zonedToMs } from "../domain/time";
import { checkWorkingHours } from "../domain/working-hours";
import { ServiceUnavailableError, ValidationError } from "../errors";
import type { GraphDateTime, MeetingTimesResult, ScheduleInformation } from "../graph/graph-api";
import type { WorkingHours } from "../store/entities/person.entity";
import type { Principal } from "../identity/principal";
import { PeopleRepository, type Person } from "../store/repositories/people.repository";
import { assertMayManage, loadTarget } from "./schedule-access";

type Ctx = Pick<AppContext, "dataSource" | "graph" | "log">;
type Out = z.infer<typeof SuggestionsOut>;

const DAY_MS = 86_400_000;
const BUSY = new Set(["busy", "oof", "tentative"]);
const addressOf = (p: Person) => (p.mail ?? p.userPrincipalName ?? p.id).toLowerCase();

/** An instant from Graph's dateTimeTimeZone (Graph answers in UTC unless asked otherwise). */
export function graphInstant(v: GraphDateTime): number {
  const zone = resolveTimeZone(v.timeZone).zone;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(v.dateTime);
  if (!m) return Number.NaN;
  return zonedToMs(m[1]!, Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0), zone);
}

/**
 * Good slots for a rhythm's first check-in: Graph's findMeetingTimes, kept only where every
 * attendee is inside their working hours and free. Two reads go out at once, however many
 * attendees: getSchedule (free/busy and working hours of everyone) and findMeetingTimes, both as
 * the signed-in user. Only free/busy and working hours are read, never the content of anyone's
 * calendar, and only what the user could see in Outlook.
 */
export class ScheduleSuggestions {
  private readonly people = new PeopleRepository();

  constructor(private readonly ctx: Ctx) {}

  async suggest(p: Principal, body: z.output<typeof SuggestionsBody>): Promise<Out> {
    const m = this.ctx.dataSource.manager;
    const target = await loadTarget(m, p, body);
    await assertMayManage(m, p, target);
    const ids = [...new Set([...(body.attendeeIds ?? target.defaultAttendees), p.userId])];
    const found = await this.people.people(m, p.tenantId, ids);
    const missing = (body.attendeeIds ?? []).findIndex((id) => !found.some((x) => x.id === id));
    if (missing >= 0) throw new ValidationError([{ path: `attendeeIds.${missing}`, message: "No person with this id in your organisation." }]);
    const people = ids.map((id) => found.find((x) => x.id === id)).filter((x): x is Person => !!x);
    const organizer = people.find((x) => x.id === p.userId);

    const now = Date.now();
    const from = Math.max(now, body.from ? Date.parse(body.from) : now);
    const to = body.to ? Date.parse(body.to) : from + 7 * DAY_MS;
    if (to <= from) throw new ValidationError([{ path: "to", message: "The window must end after it starts (and after now)." }]);
    if (to - from > 31 * DAY_MS) throw new ValidationError([{ path: "to", message: "Search at most 31 days at a time." }]);
    const zoneName = body.timeZone ?? organizer?.timeZone ?? "UTC";
    if (body.timeZone && !resolveTimeZone(body.timeZone).known) throw new ValidationError([{ path: "timeZone", message: `Unknown time zone "${body.timeZone}".` }]);
    const zone = resolveTimeZone(zoneName).zone;

    const utc = (ms: number): GraphDateTime => ({ dateTime: new Date(ms).toISOString().slice(0, 19), timeZone: "UTC" });
    const others = people.filter((x) => x.id !== p.userId);
    // Two reads at once, both as the signed-in user (delegated, through On-Behalf-Of): free/busy
    // with each person's working hours (getSchedule), and Graph's own suggestions
    // (findMeetingTimes). As the user, Leeway sees exactly the free/busy Outlook would show them:
    // a colleague who keeps their calendar from the organisation stays unknown, where the app's
    // own rights would read it.
    let schedule: ScheduleInformation[];
    let meetings: MeetingTimesResult;
    try {
      const [scheduleRead, meetingRead] = await Promise.all([
        this.ctx.graph
          .getSchedule({ tenantId: p.tenantId, userAssertion: p.assertion }, p.userId, { schedules: people.map(addressOf), startTime: utc(from), endTime: utc(to), availabilityViewInterval: 30 })
          .catch((err: unknown) => {
            this.ctx.log.warn({ err }, "free/busy could not be read; suggestions rely on Graph's own check");
            return [] as ScheduleInformation[];
          }),
        this.ctx.graph.findMeetingTimes({ tenantId: p.tenantId, userAssertion: p.assertion }, p.userId, {
          attendees: others.map((x) => ({ emailAddress: { address: addressOf(x), name: x.displayName }, type: "required" as const })),
          timeslots: [{ start: utc(from), end: utc(to) }],
          meetingDuration: `PT${body.durationMinutes}M`,
          maxCandidates: 100,
          activityDomain: "work",
        }),
      ]);
      schedule = scheduleRead;
      meetings = meetingRead;
    } catch (err) {
      this.ctx.log.warn({ err }, "meeting times could not be read from Graph");
      throw new ServiceUnavailableError("Microsoft 365 could not suggest meeting times; try again shortly.", 5);
    }
    const settings = new Map<string, { workingHours: WorkingHours | null; timeZone: string | null }>();
    const busy = new Map<string, { start: number; end: number }[]>();
    for (const info of schedule) {
      const id = info.scheduleId.toLowerCase();
      busy.set(id, info.scheduleItems.filter((i) => BUSY.has(i.status)).map((i) => ({ start: graphInstant(i.start), end: graphInstant(i.end) })));
      const person = people.find((x) => addressOf(x) === id);
      if (person && info.workingHours) settings.set(person.id, { workingHours: info.workingHours, timeZone: info.workingHours.timeZone?.name ?? null });
    }

    const attendees = people.map((x) => {
      const live = settings.get(x.id);
      const workingHours = live?.workingHours ?? x.workingHours;
      return { person: x, workingHours, timeZone: live?.timeZone ?? x.timeZone, source: live?.workingHours ? ("graph" as const) : ("stored" as const) };
    });
    const byAddress = new Map(people.map((x) => [addressOf(x), x.id]));
    const fits = (s: number, e: number) =>
      attendees.every((a) => (!a.workingHours || checkWorkingHours(a.workingHours, s, e).verdict !== "outside") && !(busy.get(addressOf(a.person)) ?? []).some((b) => b.start < e && b.end > s));

    const suggestions = meetings.suggestions
      .map((sg) => ({ sg, start: graphInstant(sg.start), end: graphInstant(sg.end) }))
      .filter((x) => Number.isFinite(x.start) && fits(x.start, x.end))
      .sort((a, b) => b.sg.confidence - a.sg.confidence || a.start - b.start)
      .slice(0, body.maxCandidates ?? 10)
      .map(({ sg, start, end }) => {
        const local = localParts(start, zone);
        const hh = String(Math.floor(local.secondOfDay / 3600)).padStart(2, "0");
        const mm = String(Math.floor((local.secondOfDay % 3600) / 60)).padStart(2, "0");
        return {
          start: new Date(start).toISOString(),
          end: new Date(end).toISOString(),
          localStart: `${local.date}T${hh}:${mm}`,
          weekday: local.weekday,
          confidence: sg.confidence,
          attendees: [
            { id: p.userId, availability: sg.organizerAvailability },
            ...sg.attendeeAvailability.map((a) => ({ id: byAddress.get(a.address.toLowerCase()) ?? a.address, availability: a.availability })),
          ],
        };
      });
    return {
      durationMinutes: body.durationMinutes,
      timeZone: zone,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      suggestions,
      attendees: attendees.map((a) => ({ id: a.person.id, displayName: a.person.displayName, timeZone: a.timeZone, workingHours: a.workingHours, source: a.source })),
      emptySuggestionsReason: suggestions.length ? null : (meetings.emptySuggestionsReason ?? "No time in the window suits everyone's working hours and calendar."),
    };
  }
}
