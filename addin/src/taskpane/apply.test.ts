import { LeewayApi } from "../api/client";
import { ApiProblem } from "../api/problem";
import type { Directory } from "../api/people";
import type { Me, Outcome, Person } from "../api/types";
import { SCHEDULE_PROPERTY } from "../office/appointment";
import { PreviewAppointment } from "../office/preview-appointment";
import { applyCheckIn, type ApplyInput } from "./apply";

const me = { id: "megan", displayName: "Megan Bowen", mail: "megan.bowen@contoso.test", timeZone: "Europe/London", directReports: [{ id: "adele", displayName: "Adele Vance" }] } as Me;
const outcome = {
  id: "o-1",
  ownerId: "adele",
  managerId: "megan",
  teamId: "lending",
  title: "Cut loan decision time",
  measure: { metric: "Median days", unit: "days", baseline: 10, target: 5, current: null },
  deadline: "2026-06-30",
  status: "agreed",
} as Outcome;

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** A Leeway server in a function: answers by method and path, and records what it was sent. */
function fakeServer(answer: (c: Call, calls: Call[]) => { status: number; body: unknown }) {
  const calls: Call[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const call = { method: init.method ?? "GET", path: url, body: init.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const r = answer(call, calls);
    return new Response(JSON.stringify(r.body), { status: r.status, headers: { "content-type": r.status >= 400 ? "application/problem+json" : "application/json" } });
  }) as typeof fetch;
  return { api: new LeewayApi(async () => "token", "", fetchFn), calls };
}

const questions = { items: [], coachingQuestions: [{ key: "plan", text: "What's your plan?" }] };
const schedule = (over: Record<string, unknown> = {}) => ({ id: "s-1", outcomeId: "o-1", status: "active", syncState: "linked", externalItemId: null, graphEventId: null, ...over });

const directory: Directory = { people: async (ids) => new Map(ids.map((id): [string, Person] => [id, { id, displayName: id === "adele" ? "Adele Vance" : id, mail: `${id}@contoso.test` }])) };

function input(appointment: PreviewAppointment, api: LeewayApi, over: Partial<ApplyInput> = {}): ApplyInput {
  return {
    appointment,
    api,
    directory,
    me,
    outcomes: [outcome],
    cadence: "weekly",
    firstStart: new Date("2026-03-03T10:00:00Z"),
    durationMinutes: 30,
    timeZone: "Europe/London",
    origin: "https://leeway.example",
    ownerName: (id) => (id === "adele" ? "Adele Vance" : id),
    ...over,
  };
}

describe("applying a check-in series to the appointment", () => {
  it("registers the saved item with Leeway, then fills in the appointment and keeps the schedule id on it", async () => {
    const appointment = new PreviewAppointment(null);
    const { api, calls } = fakeServer((c) => (c.method === "POST" ? { status: 202, body: schedule() } : { status: 200, body: questions }));
    const steps: string[] = [];
    const result = await applyCheckIn(input(appointment, api), (k, s) => s === "done" && steps.push(k));

    const s = appointment.snapshot();
    expect(steps).toEqual(["prepare", "register", "subject", "agenda", "recurrence", "attendees", "link"]);
    expect(calls.find((c) => c.method === "POST")).toEqual({
      method: "POST",
      path: "/api/v1/check-in-schedules",
      body: { outcomeId: "o-1", cadence: "weekly", firstStart: "2026-03-03T10:00:00.000Z", durationMinutes: 30, timeZone: "Europe/London", attendeeIds: ["adele", "megan"], externalSeries: { itemId: s.itemId } },
    });
    expect(s.subject).toBe("Check-in: Cut loan decision time");
    expect(s.bodyHtml).toMatch(/^<div><h2>Leeway check-in<\/h2>.*What&#39;s your plan\?.*<\/div><p>Agenda and notes/);
    expect(s.recurrence).toEqual({ interval: 1, days: ["tue"], startDate: "2026-03-03", startTime: "10:00", durationMinutes: 30, timeZone: "Europe/London" });
    // The organizer is not invited to their own meeting.
    expect(s.attendees).toEqual([{ email: "adele@contoso.test", displayName: "Adele Vance" }]);
    expect(s.customProperties).toEqual({ [SCHEDULE_PROPERTY]: "s-1" });
    expect(result.unresolved).toEqual([]);
  });

  it("registers each outcome of a shared meeting with everyone the meeting invites, so a private outcome is not shown to a peer", async () => {
    const appointment = new PreviewAppointment(null);
    const diegos = { ...outcome, id: "o-2", ownerId: "diego", title: "Faster card limits" } as Outcome;
    const { api, calls } = fakeServer((c) => (c.method === "POST" ? { status: 202, body: schedule({ id: `s-${calls.length}` }) } : { status: 200, body: questions }));
    await applyCheckIn(input(appointment, api, { outcomes: [outcome, diegos] }));
    const registered = calls.filter((c) => c.method === "POST").map((c) => c.body as { outcomeId: string; attendeeIds: string[] });
    expect(registered.map((b) => [b.outcomeId, b.attendeeIds])).toEqual([
      ["o-1", ["adele", "megan", "diego"]],
      ["o-2", ["adele", "megan", "diego"]],
    ]);
  });

  it("leaves the appointment as it was when a boundary refuses the rhythm", async () => {
    const appointment = new PreviewAppointment(null);
    const refusal = {
      type: "https://leeway.example/problems/boundary-blocked",
      title: "Blocked by a compliance boundary",
      status: 422,
      detail: "Working hours only: 07:00 is outside Adele Vance's working hours.",
      boundary: { id: "b-1", name: "Working hours only", kind: "working_hours_only", rule: "Check-ins only inside working hours." },
    };
    const { api } = fakeServer((c) => (c.method === "POST" ? { status: 422, body: refusal } : { status: 200, body: questions }));
    const err = await applyCheckIn(input(appointment, api)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiProblem);
    expect((err as ApiProblem).isBoundary).toBe(true);
    expect((err as ApiProblem).boundary?.name).toBe("Working hours only");
    const s = appointment.snapshot();
    expect([s.subject, s.recurrence, s.attendees, s.customProperties]).toEqual(["", null, [], {}]);
    expect(s.bodyHtml).toBe("<p>Agenda and notes for our regular check-in.</p>");
  });

  it("on a second Apply reuses the schedule already registered for this item and adds no second agenda", async () => {
    const appointment = new PreviewAppointment(null);
    let registered = false;
    const { api } = fakeServer((c) => {
      if (c.method === "POST" && !registered) {
        registered = true;
        return { status: 202, body: schedule() };
      }
      if (c.method === "POST") return { status: 409, body: { title: "Conflict", status: 409, detail: "The outcome already has a rhythm." } };
      if (c.path.startsWith("/api/v1/check-in-schedules?")) return { status: 200, body: { items: [schedule({ externalItemId: appointment.snapshot().itemId })] } };
      return { status: 200, body: questions };
    });
    await applyCheckIn(input(appointment, api));
    const once = appointment.snapshot().bodyHtml;
    const again = await applyCheckIn(input(appointment, api));
    expect(again.schedules.map((s) => s.id)).toEqual(["s-1"]);
    expect(appointment.snapshot().bodyHtml).toBe(once);
  });

  it("still applies when the directory cannot be asked, naming who to invite by hand", async () => {
    const appointment = new PreviewAppointment(null);
    const { api } = fakeServer((c) => (c.method === "POST" ? { status: 202, body: schedule() } : { status: 200, body: questions }));
    const broken: Directory = { people: async () => Promise.reject(new Error("offline")) };
    const result = await applyCheckIn(input(appointment, api, { directory: broken }));
    expect(result.unresolved).toEqual(["Adele Vance"]);
    expect(appointment.snapshot().attendees).toEqual([]);
  });
});
