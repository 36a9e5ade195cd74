import { OfficeMockObject } from "office-addin-mock";
import { AppointmentError, SCHEDULE_PROPERTY, type WeeklyRecurrence } from "./appointment";
import { fromOfficePattern, officeAppointment } from "./office-appointment";

/** Records what the add-in asked SeriesTime for, and answers its getters like Outlook does. */
class FakeSeriesTime {
  start: [number, number, number] | null = null;
  end: [number, number, number] | null = null;
  time: [number, number] | null = null;
  duration = 0;
  setStartDate(y: number, m: number, d: number) { this.start = [y, m, d]; }
  setEndDate(y: number, m: number, d: number) { this.end = [y, m, d]; }
  setStartTime(h: number, m: number) { this.time = [h, m]; }
  setDuration(minutes: number) { this.duration = minutes; }
  getStartDate() { const [y, m, d] = this.start ?? [1970, 0, 1]; return `${y}-${String(m + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`; }
  getEndDate() { const e = this.end; return e ? `${e[0]}-${String(e[1] + 1).padStart(2, "0")}-${String(e[2]).padStart(2, "0")}` : null; }
  getStartTime() { const [h, m] = this.time ?? [0, 0]; return `T${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:00:000`; }
  getDuration() { return this.duration; }
}

/** What the fake compose item below records, for the assertions. */
interface MockItem {
  body: { html: string; coercions: string[] };
  recurrence: { pattern: Office.RecurrencePattern & { seriesTime: FakeSeriesTime } };
  requiredAttendees: { list: Office.EmailAddressDetails[] };
}

type Result = { status: "succeeded" | "failed"; value?: unknown; error?: { name: string; message: string; code: number } };
const ok = (value?: unknown): Result => ({ status: "succeeded", value });

function officeWith(item: Record<string, unknown>, extra: { failSetSubject?: boolean } = {}) {
  const saved: Record<string, string> = {};
  const pending: Record<string, string> = {};
  const calls: string[] = [];
  const properties = {
    get: (name: string) => saved[name],
    set: (name: string, value: string) => { pending[name] = value; },
    remove: (name: string) => { delete pending[name]; },
    saveAsync: (cb: (r: Result) => void) => { Object.assign(saved, pending); calls.push("customProperties.saveAsync"); cb(ok()); },
  };
  const data = {
    host: "outlook",
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Html: "html", Text: "text" },
    MailboxEnums: { ItemType: { Appointment: "appointment", Message: "message" }, RecurrenceType: { Weekly: "weekly" }, RestVersion: { v2_0: "v2.0" } },
    SeriesTime: FakeSeriesTime,
    context: {
      mailbox: {
        userProfile: { emailAddress: "megan.bowen@contoso.test", displayName: "Megan Bowen", timeZone: "Europe/London" },
        convertToRestId: (id: string, version: string) => `rest(${version}):${id.replace(/\//g, "-")}`,
        item: {
          loadCustomPropertiesAsync: (cb: (r: Result) => void) => cb(ok(properties)),
          ...item,
        },
      },
      requirements: { isSetSupported: () => true },
    },
  };
  if (extra.failSetSubject) {
    (data.context.mailbox.item as Record<string, unknown>).subject = {
      setAsync: (_s: string, cb: (r: Result) => void) => cb({ status: "failed", error: { name: "InvalidFormatError", message: "The subject is too long.", code: 9000 } }),
    };
  }
  const mock = new OfficeMockObject(data) as unknown as Office.Api;
  return { office: mock, item: mock.context.mailbox.item as unknown as MockItem, saved, calls };
}

function composeItem() {
  return {
    itemType: "appointment",
    subject: { value: "", getAsync(cb: (r: Result) => void) { cb(ok(this.value)); }, setAsync(v: string, cb: (r: Result) => void) { this.value = v; cb(ok()); } },
    body: {
      html: "<p>Existing notes</p>",
      coercions: [] as string[],
      getAsync(coercion: string, cb: (r: Result) => void) { cb(ok(this.html)); },
      prependAsync(html: string, options: { coercionType: string }, cb: (r: Result) => void) { this.coercions = [...this.coercions, options.coercionType]; this.html = html + this.html; cb(ok()); },
    },
    recurrence: {
      pattern: undefined as unknown, // office-addin-mock cannot hold null values
      getAsync(cb: (r: Result) => void) { cb(ok(this.pattern)); },
      setAsync(p: unknown, cb: (r: Result) => void) { this.pattern = p; cb(ok()); },
    },
    requiredAttendees: {
      list: [{ emailAddress: "Adele.Vance@contoso.test", displayName: "Adele Vance" }],
      getAsync(cb: (r: Result) => void) { cb(ok(this.list)); },
      addAsync(r: unknown[], cb: (r: Result) => void) { this.list = [...this.list, ...(r as never[])]; cb(ok()); },
    },
    start: { getAsync: (cb: (r: Result) => void) => cb(ok(new Date("2026-03-03T10:00:00Z"))) },
    saveAsync: (cb: (r: Result) => void) => cb(ok("AAMkAD/series+1=")),
    getItemIdAsync: (cb: (r: Result) => void) => cb(ok("AAMkAD/series+1=")),
  };
}

function readItem() {
  return {
    itemType: "appointment",
    subject: "Check-in: Cut loan decision time",
    itemId: "AAMkAD/occurrence+7=",
    seriesId: "AAMkAD/series+1=",
    start: new Date("2026-03-10T10:00:00Z"),
    end: new Date("2026-03-10T10:30:00Z"),
    requiredAttendees: [{ emailAddress: "adele.vance@contoso.test", displayName: "Adele Vance" }],
    body: { getAsync: (_c: string, cb: (r: Result) => void) => cb(ok("<p>agenda</p>")) },
    recurrence: undefined, // a single appointment (Outlook says null; the mock cannot hold null)
  };
}

const weekly: WeeklyRecurrence = { interval: 2, days: ["tue"], startDate: "2026-03-03", startTime: "10:00", durationMinutes: 30, timeZone: "Europe/London" };

describe("the Outlook appointment adapter", () => {
  it("tells the organizer composing from someone reading, and ignores items that are not appointments", () => {
    expect(officeAppointment(officeWith(composeItem()).office)?.mode).toBe("organizer");
    expect(officeAppointment(officeWith(readItem()).office)?.mode).toBe("attendee");
    expect(officeAppointment(officeWith({ ...readItem(), itemType: "message" }).office)).toBeNull();
  });

  it("sets the subject and prepends HTML to the body, keeping what was written", async () => {
    const { office, item } = officeWith(composeItem());
    const appt = officeAppointment(office)!;
    await appt.setSubject("Check-in: Cut loan decision time");
    await appt.prependBodyHtml("<h2>Agenda</h2>");
    expect(await appt.getSubject()).toBe("Check-in: Cut loan decision time");
    expect(item.body.html).toBe("<h2>Agenda</h2><p>Existing notes</p>");
    expect(item.body.coercions).toEqual(["html"]);
  });

  it("sets a weekly recurrence with the interval, days, start, duration and a Windows time zone", async () => {
    const { office, item } = officeWith(composeItem());
    const appt = officeAppointment(office)!;
    await appt.setRecurrence({ ...weekly, endDate: "2026-06-30" });
    const p = item.recurrence.pattern;
    expect(p.recurrenceType).toBe("weekly");
    expect(p.recurrenceProperties).toEqual({ interval: 2, days: ["tue"], firstDayOfWeek: "mon" });
    expect(p.recurrenceTimeZone).toEqual({ name: "GMT Standard Time" });
    // SeriesTime counts months from 0.
    expect(p.seriesTime.start).toEqual([2026, 2, 3]);
    expect(p.seriesTime.end).toEqual([2026, 5, 30]);
    expect(p.seriesTime.time).toEqual([10, 0]);
    expect(p.seriesTime.duration).toBe(30);
    expect(await appt.getRecurrence()).toEqual({ ...weekly, endDate: "2026-06-30" });
  });

  it("leaves the time zone to Outlook when it has no Windows name for it", () => {
    const { office } = officeWith(composeItem());
    const appt = officeAppointment(office)!;
    return appt.setRecurrence({ ...weekly, timeZone: "Antarctica/Troll" }).then(() => {
      const pattern = (office.context.mailbox.item as unknown as MockItem).recurrence.pattern;
      expect(pattern.recurrenceTimeZone).toBeUndefined();
    });
  });

  it("invites only the people not on the list yet, comparing addresses case-insensitively", async () => {
    const { office, item } = officeWith(composeItem());
    const appt = officeAppointment(office)!;
    await appt.addRequiredAttendees([
      { email: "adele.vance@contoso.test", displayName: "Adele Vance" },
      { email: "megan.bowen@contoso.test", displayName: "Megan Bowen" },
      { email: "MEGAN.BOWEN@contoso.test" },
    ]);
    expect(item.requiredAttendees.list.map((a) => a.emailAddress)).toEqual(["Adele.Vance@contoso.test", "megan.bowen@contoso.test"]);
    expect(await appt.getRequiredAttendees()).toEqual([
      { email: "Adele.Vance@contoso.test", displayName: "Adele Vance" },
      { email: "megan.bowen@contoso.test", displayName: "Megan Bowen" },
    ]);
  });

  it("writes the schedule id into a custom property and saves it with the item", async () => {
    const { office, saved, calls } = officeWith(composeItem());
    const appt = officeAppointment(office)!;
    expect(await appt.getCustomProperty(SCHEDULE_PROPERTY)).toBeNull();
    await appt.setCustomProperty(SCHEDULE_PROPERTY, "sched-42");
    expect(saved).toEqual({ [SCHEDULE_PROPERTY]: "sched-42" });
    expect(calls).toContain("customProperties.saveAsync");
    expect(await appt.getCustomProperty(SCHEDULE_PROPERTY)).toBe("sched-42");
  });

  it("saves the item and gives its id in Outlook's and in Graph's form", async () => {
    const appt = officeAppointment(officeWith(composeItem()).office)!;
    expect(await appt.save()).toEqual({ itemId: "AAMkAD/series+1=", graphEventId: "rest(v2.0):AAMkAD-series+1=" });
  });

  it("reports Outlook's failures with the operation and Outlook's message", async () => {
    const appt = officeAppointment(officeWith(composeItem(), { failSetSubject: true }).office)!;
    const err = await appt.setSubject("x".repeat(300)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppointmentError);
    expect((err as AppointmentError).message).toBe("Set the subject: The subject is too long.");
    expect((err as AppointmentError).code).toBe(9000);
  });

  it("reads an occurrence: subject, ids in REST form, start; and refuses changes", async () => {
    const appt = officeAppointment(officeWith(readItem()).office)!;
    expect(await appt.getSubject()).toBe("Check-in: Cut loan decision time");
    expect(await appt.occurrence()).toEqual({ itemId: "rest(v2.0):AAMkAD-occurrence+7=", seriesId: "rest(v2.0):AAMkAD-series+1=", start: "2026-03-10T10:00:00.000Z" });
    expect(await appt.getRecurrence()).toBeNull();
    await expect(appt.setSubject("changed")).rejects.toThrow("Only the organizer can change the appointment");
    await expect(appt.save()).rejects.toBeInstanceOf(AppointmentError);
  });

  it("reads a weekly pattern and refuses other kinds", () => {
    const st = new FakeSeriesTime();
    st.setStartDate(2026, 2, 3);
    st.setStartTime(9, 5);
    st.setDuration(45);
    const pattern = { recurrenceType: "weekly", recurrenceProperties: { interval: 1, days: ["Mon", "thu"] }, recurrenceTimeZone: { name: "W. Europe Standard Time" }, seriesTime: st };
    expect(fromOfficePattern(pattern, "UTC")).toEqual({ interval: 1, days: ["mon", "thu"], startDate: "2026-03-03", startTime: "09:05", durationMinutes: 45, timeZone: "Europe/Berlin" });
    expect(fromOfficePattern({ ...pattern, recurrenceType: "daily" }, "UTC")).toBeNull();
    expect(fromOfficePattern({ ...pattern, recurrenceProperties: { interval: 3, days: ["mon"] } }, "UTC")).toBeNull();
  });
});
