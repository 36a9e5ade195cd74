import { SCHEDULE_PROPERTY, type WeeklyRecurrence } from "./appointment";
import { PreviewAppointment, type StateStore } from "./preview-appointment";

class MemoryStore implements StateStore {
  readonly data = new Map<string, string>();
  getItem(k: string) { return this.data.get(k) ?? null; }
  setItem(k: string, v: string) { this.data.set(k, v); }
  removeItem(k: string) { this.data.delete(k); }
}

const weekly: WeeklyRecurrence = { interval: 1, days: ["tue"], startDate: "2026-03-03", startTime: "10:00", durationMinutes: 30, timeZone: "Europe/London" };

describe("the preview appointment", () => {
  it("records every change the organizer makes, and keeps it across a page load", async () => {
    const store = new MemoryStore();
    const appt = new PreviewAppointment(store, undefined, () => new Date("2026-03-01T08:00:00Z"));
    await appt.setSubject("Check-in");
    await appt.prependBodyHtml("<h2>Agenda</h2>");
    await appt.setRecurrence(weekly);
    await appt.addRequiredAttendees([{ email: "adele.vance@contoso.test" }, { email: "ADELE.VANCE@contoso.test" }]);
    const { itemId } = await appt.save();
    await appt.setCustomProperty(SCHEDULE_PROPERTY, "s-1");

    const reopened = new PreviewAppointment(store);
    const s = reopened.snapshot();
    expect(s.subject).toBe("Check-in");
    expect(s.bodyHtml.startsWith("<h2>Agenda</h2><p>")).toBe(true);
    expect(s.recurrence).toEqual(weekly);
    expect(s.attendees).toEqual([{ email: "adele.vance@contoso.test" }]);
    expect(s.customProperties).toEqual({ [SCHEDULE_PROPERTY]: "s-1" });
    expect(itemId).toMatch(/^preview-[0-9a-f]{24}$/);
    expect(s.start).toBe("2026-03-03T10:00:00.000Z");
  });

  it("as an attendee, opens the current occurrence and refuses changes", async () => {
    let now = new Date("2026-03-10T10:10:00Z");
    const appt = new PreviewAppointment(null, undefined, () => now);
    await appt.setRecurrence(weekly);
    const { itemId } = await appt.save();
    appt.switchMode("attendee");
    expect(await appt.occurrence()).toEqual({ itemId: `${itemId}_20260310`, seriesId: itemId, start: "2026-03-10T10:00:00.000Z" });
    now = new Date("2026-03-10T11:00:00Z");
    expect((await appt.occurrence()).start).toBe("2026-03-17T10:00:00.000Z");
    await expect(appt.setSubject("x")).rejects.toThrow("Only the organizer");
  });

  it("starts over as a different item, empty again", async () => {
    const appt = new PreviewAppointment(null);
    await appt.setSubject("Check-in");
    await appt.save();
    const before = appt.snapshot().generation;
    appt.reset();
    const s = appt.snapshot();
    expect([s.generation, s.subject, s.itemId, s.customProperties]).toEqual([before + 1, "", null, {}]);
  });

  it("tells listeners about each change", async () => {
    const appt = new PreviewAppointment(null);
    const seen: string[] = [];
    const stop = appt.subscribe((s) => seen.push(s.subject));
    await appt.setSubject("a");
    stop();
    await appt.setSubject("b");
    expect(seen).toEqual(["a"]);
  });

  it("refuses a series without days, or one that ends before it starts", async () => {
    const appt = new PreviewAppointment(null);
    await expect(appt.setRecurrence({ ...weekly, days: [] })).rejects.toThrow("at least one day");
    await expect(appt.setRecurrence({ ...weekly, endDate: "2026-01-01" })).rejects.toThrow("ends before it starts");
  });
});
