// "Apply" in compose mode: registers the appointment with Leeway as the schedule's series, then
// writes subject, agenda, recurrence and attendees to it and keeps the schedule id on the item.
// The server is asked first, so a refusal (a boundary, a rhythm that already exists) leaves the
// appointment as the organizer left it.
import type { LeewayApi } from "../api/client";
import { ApiProblem } from "../api/problem";
import type { Directory } from "../api/people";
import type { Cadence, Me, Outcome, Person, Schedule } from "../api/types";
import { SCHEDULE_PROPERTY, type Appointment, type Attendee } from "../office/appointment";
import { agendaHtml, attendeeIdsOf, checkInSubject, mergeQuestions, outcomeIdsInBody, recurrenceFrom } from "./plan";

export interface ApplyInput {
  appointment: Appointment;
  api: LeewayApi;
  directory: Directory | null;
  me: Me;
  outcomes: Outcome[];
  cadence: Cadence;
  firstStart: Date;
  durationMinutes: number;
  timeZone: string;
  origin: string;
  ownerName(id: string): string;
}

export type StepKey = "prepare" | "register" | "subject" | "agenda" | "recurrence" | "attendees" | "link";
export const STEP_LABELS: Record<StepKey, string> = {
  prepare: "Coaching questions and attendees",
  register: "Register the series with Leeway",
  subject: "Subject",
  agenda: "Agenda at the top of the body",
  recurrence: "Recurrence",
  attendees: "Attendees",
  link: "Remember the schedule on the appointment",
};

export interface ApplyResult {
  schedules: Schedule[];
  attendees: Attendee[];
  /** People Leeway knows but whose address could not be found; the organizer adds them by hand. */
  unresolved: string[];
}

/** Splits the stored property: one schedule per outcome, ids separated by commas. */
export function scheduleIdsOf(value: string | null): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

/** Owners and managers to invite by address; the organizer (the signed-in person) is not invited to their own meeting. */
async function attendeesFor(input: ApplyInput): Promise<{ attendees: Attendee[]; unresolved: string[] }> {
  const ids = attendeeIdsOf(input.outcomes).filter((id) => id !== input.me.id);
  let found = new Map<string, Person>();
  if (input.directory) {
    try {
      found = await input.directory.people(ids);
    } catch {
      found = new Map();
    }
  }
  const attendees: Attendee[] = [];
  const unresolved: string[] = [];
  for (const id of ids) {
    const mail = found.get(id)?.mail ?? null;
    const name = found.get(id)?.displayName ?? input.ownerName(id);
    if (mail) attendees.push({ email: mail, displayName: name });
    else unresolved.push(name);
  }
  return { attendees, unresolved };
}

/** Registers one outcome's rhythm; when it already exists for this very item, that one is reused. */
async function register(input: ApplyInput, outcome: Outcome, itemId: string | null, graphEventId: string | null): Promise<Schedule> {
  const externalSeries = { ...(itemId ? { itemId } : {}), ...(graphEventId ? { graphEventId } : {}) };
  try {
    return await input.api.createSchedule({
      outcomeId: outcome.id,
      cadence: input.cadence,
      firstStart: input.firstStart.toISOString(),
      durationMinutes: input.durationMinutes,
      timeZone: input.timeZone,
      // Everyone the meeting invites, for each outcome: the server refuses an outcome whose
      // invitation would reach someone who may not see it (a private outcome beside a peer's).
      attendeeIds: attendeeIdsOf(input.outcomes),
      externalSeries,
    });
  } catch (err) {
    if (!(err instanceof ApiProblem) || err.status !== 409) throw err;
    const mine = (await input.api.schedulesOf(outcome.id)).find(
      (s) => s.status === "active" && ((graphEventId && s.graphEventId === graphEventId) || (itemId && s.externalItemId === itemId)),
    );
    if (!mine) throw err;
    return mine;
  }
}

export async function applyCheckIn(input: ApplyInput, onStep: (step: StepKey, state: "running" | "done") => void = () => undefined): Promise<ApplyResult> {
  const { appointment, api } = input;
  const step = async <T>(key: StepKey, work: () => Promise<T>): Promise<T> => {
    onStep(key, "running");
    const value = await work();
    onStep(key, "done");
    return value;
  };

  const { questions, people } = await step("prepare", async () => {
    const lists = await Promise.all(input.outcomes.map((o) => api.checkIns(o.id).then((r) => r.coachingQuestions)));
    return { questions: mergeQuestions(lists), people: await attendeesFor(input) };
  });

  const schedules = await step("register", async () => {
    const saved = await appointment.save();
    const out: Schedule[] = [];
    for (const o of input.outcomes) out.push(await register(input, o, saved.itemId, saved.graphEventId));
    return out;
  });

  await step("subject", () => appointment.setSubject(checkInSubject(input.outcomes)));
  await step("agenda", async () => {
    // A second Apply (after a failure further down) must not put the agenda in twice.
    const linked = outcomeIdsInBody(await appointment.getBodyHtml());
    if (input.outcomes.every((o) => linked.includes(o.id))) return;
    await appointment.prependBodyHtml(agendaHtml({ ...input, questions }));
  });
  await step("recurrence", () => appointment.setRecurrence(recurrenceFrom(input.firstStart, input.cadence, input.durationMinutes, input.timeZone)));
  await step("attendees", () => appointment.addRequiredAttendees(people.attendees));
  await step("link", async () => {
    await appointment.setCustomProperty(SCHEDULE_PROPERTY, schedules.map((s) => s.id).join(","));
    await appointment.save();
  });
  return { schedules, attendees: people.attendees, unresolved: people.unresolved };
}
