// The Outlook appointment behind the Appointment interface, through Office.js item APIs
// (Mailbox 1.7 for recurrence, 1.8 for getItemIdAsync). The `Office` object is passed in, so
// tests can hand over a mock of it.
import {
  AppointmentError,
  missingAttendees,
  WEEKDAYS,
  type Appointment,
  type AppointmentMode,
  type Attendee,
  type Occurrence,
  type SavedItem,
  type Weekday,
  type WeeklyRecurrence,
} from "./appointment";
import { ianaZoneOf, windowsZoneOf } from "./time-zones";

type Item = Office.ComposeAppointment | Office.ReadAppointment;

/** Turns one callback-style Office call into a promise that rejects with an AppointmentError. */
function call<T>(office: Office.Api, operation: string, run: (done: Office.Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      run((result) => {
        if (result.status === office.AsyncResultStatus.Succeeded) resolve(result.value);
        else reject(new AppointmentError(operation, result.error?.message ?? "Outlook did not complete the request.", result.error?.code));
      });
    } catch (err) {
      reject(new AppointmentError(operation, err instanceof Error ? err.message : String(err)));
    }
  });
}

function isCompose(item: Item): item is Office.ComposeAppointment {
  // In compose mode the subject is an object with getAsync/setAsync; when reading it is a string.
  return typeof item.subject !== "string";
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Reads a pattern Outlook gives back; null for anything but a weekly series of interval 1 or 2. */
export function fromOfficePattern(pattern: Office.RecurrencePattern | null | undefined, fallbackZone: string): WeeklyRecurrence | null {
  if (!pattern || String(pattern.recurrenceType).toLowerCase() !== "weekly" || !pattern.seriesTime) return null;
  const interval = pattern.recurrenceProperties?.interval ?? 1;
  if (interval !== 1 && interval !== 2) return null;
  const days = (pattern.recurrenceProperties?.days ?? []).map((d) => d.toLowerCase().slice(0, 3)).filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d));
  const time = /(\d{1,2}):(\d{2})/.exec(pattern.seriesTime.getStartTime());
  const endDate = pattern.seriesTime.getEndDate();
  const zoneName = pattern.recurrenceTimeZone?.name;
  return {
    interval,
    days,
    startDate: pattern.seriesTime.getStartDate(),
    ...(endDate ? { endDate } : {}),
    startTime: time ? `${pad(Number(time[1]))}:${time[2]}` : "00:00",
    durationMinutes: pattern.seriesTime.getDuration(),
    timeZone: (zoneName && ianaZoneOf(zoneName)) || fallbackZone,
  };
}

/** Builds the pattern `item.recurrence.setAsync` takes (months in SeriesTime count from 0). */
export function toOfficePattern(office: Office.Api, r: WeeklyRecurrence): Office.RecurrencePattern {
  const [y, m, d] = r.startDate.split("-").map(Number);
  const [hh, mm] = r.startTime.split(":").map(Number);
  const seriesTime = new office.SeriesTime();
  seriesTime.setStartDate(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  if (r.endDate) {
    const [ey, em, ed] = r.endDate.split("-").map(Number);
    seriesTime.setEndDate(ey ?? 1970, (em ?? 1) - 1, ed ?? 1);
  }
  seriesTime.setStartTime(hh ?? 0, mm ?? 0);
  seriesTime.setDuration(r.durationMinutes);
  const zone = windowsZoneOf(r.timeZone);
  return {
    seriesTime,
    recurrenceType: office.MailboxEnums.RecurrenceType.Weekly,
    recurrenceProperties: { interval: r.interval, days: [...r.days], firstDayOfWeek: "mon" },
    // Without a known Windows name, Outlook uses the item's own time zone.
    ...(zone ? { recurrenceTimeZone: { name: zone } } : {}),
  };
}

export class OfficeAppointment implements Appointment {
  readonly host = "outlook" as const;
  readonly mode: AppointmentMode;

  constructor(
    private readonly office: Office.Api,
    private readonly item: Item,
  ) {
    this.mode = isCompose(item) ? "organizer" : "attendee";
  }

  private get zone(): string {
    return this.office.context.mailbox.userProfile.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  }

  private compose(operation: string): Office.ComposeAppointment {
    if (!isCompose(this.item)) throw new AppointmentError(operation, "Only the organizer can change the appointment, while composing it.");
    return this.item;
  }

  private restId(id: string): string {
    try {
      return this.office.context.mailbox.convertToRestId(id, this.office.MailboxEnums.RestVersion.v2_0);
    } catch {
      // Some clients already hand out REST ids and refuse to convert them again.
      return id;
    }
  }

  async getSubject(): Promise<string> {
    const item = this.item;
    if (!isCompose(item)) return item.subject;
    return call<string>(this.office, "Read the subject", (done) => item.subject.getAsync(done));
  }

  async setSubject(subject: string): Promise<void> {
    const item = this.compose("Set the subject");
    await call<void>(this.office, "Set the subject", (done) => item.subject.setAsync(subject, done));
  }

  async getBodyHtml(): Promise<string> {
    return call<string>(this.office, "Read the body", (done) => this.item.body.getAsync(this.office.CoercionType.Html, done));
  }

  async prependBodyHtml(html: string): Promise<void> {
    const item = this.compose("Add the agenda");
    await call<void>(this.office, "Add the agenda", (done) => item.body.prependAsync(html, { coercionType: this.office.CoercionType.Html }, done));
  }

  async getRecurrence(): Promise<WeeklyRecurrence | null> {
    const item = this.item;
    if (!isCompose(item)) return fromOfficePattern(item.recurrence, this.zone);
    const pattern = await call<Office.RecurrencePattern | null>(this.office, "Read the recurrence", (done) => item.recurrence.getAsync(done));
    return fromOfficePattern(pattern, this.zone);
  }

  async setRecurrence(recurrence: WeeklyRecurrence): Promise<void> {
    const item = this.compose("Set the recurrence");
    const pattern = toOfficePattern(this.office, recurrence);
    await call<void>(this.office, "Set the recurrence", (done) => item.recurrence.setAsync(pattern, done));
  }

  async getRequiredAttendees(): Promise<Attendee[]> {
    const item = this.item;
    const list = isCompose(item)
      ? await call<Office.EmailAddressDetails[]>(this.office, "Read the attendees", (done) => item.requiredAttendees.getAsync(done))
      : item.requiredAttendees;
    return (list ?? []).map((a) => ({ email: a.emailAddress, ...(a.displayName ? { displayName: a.displayName } : {}) }));
  }

  async addRequiredAttendees(attendees: Attendee[]): Promise<void> {
    const item = this.compose("Invite the attendees");
    const missing = missingAttendees(await this.getRequiredAttendees(), attendees);
    if (missing.length === 0) return;
    const recipients = missing.map((a) => ({ emailAddress: a.email, displayName: a.displayName ?? a.email }));
    await call<void>(this.office, "Invite the attendees", (done) => item.requiredAttendees.addAsync(recipients, done));
  }

  private loadProperties(): Promise<Office.CustomProperties> {
    return call<Office.CustomProperties>(this.office, "Read the add-in's properties", (done) => this.item.loadCustomPropertiesAsync(done));
  }

  async getCustomProperty(name: string): Promise<string | null> {
    const value = (await this.loadProperties()).get(name);
    return typeof value === "string" && value !== "" ? value : null;
  }

  async setCustomProperty(name: string, value: string): Promise<void> {
    const props = await this.loadProperties();
    props.set(name, value);
    await call<void>(this.office, "Save the add-in's properties", (done) => props.saveAsync(done));
  }

  async save(): Promise<SavedItem> {
    const item = this.compose("Save the appointment");
    // https://learn.microsoft.com/javascript/api/outlook/office.appointmentcompose#outlook-office-appointmentcompose-saveasync-member(1)
    const itemId = await call<string>(this.office, "Save the appointment", (done) => item.saveAsync(done));
    if (!itemId) return { itemId: null, graphEventId: null };
    return { itemId, graphEventId: this.restId(itemId) };
  }

  async occurrence(): Promise<Occurrence> {
    const item = this.item;
    if (!isCompose(item)) {
      return {
        itemId: item.itemId ? this.restId(item.itemId) : null,
        seriesId: item.seriesId ? this.restId(item.seriesId) : null,
        start: item.start instanceof Date ? item.start.toISOString() : null,
      };
    }
    const getId = item.getItemIdAsync;
    const itemId = getId ? await call<string>(this.office, "Read the item id", (done) => getId.call(item, done)).catch(() => null) : null;
    const start = await call<Date>(this.office, "Read the start", (done) => item.start.getAsync(done));
    return { itemId: itemId ? this.restId(itemId) : null, seriesId: item.seriesId ? this.restId(item.seriesId) : null, start: start.toISOString() };
  }
}

/** The appointment the task pane is open on, or null when Outlook has no appointment open. */
export function officeAppointment(office: Office.Api): OfficeAppointment | null {
  const item = office.context.mailbox?.item;
  if (!item || item.itemType !== office.MailboxEnums.ItemType.Appointment) return null;
  return new OfficeAppointment(office, item);
}
