// A stand-in appointment for a plain browser (no Outlook): the same interface as the Outlook item,
// kept in memory and in sessionStorage so that it survives the sign-in redirect. The task pane
// shows it in a panel, so whatever the add-in does to "the appointment" can be seen and tested.
import { nextOccurrence, wallClock } from "../lib/zoned-time";
import {
  AppointmentError,
  missingAttendees,
  type Appointment,
  type AppointmentMode,
  type Attendee,
  type Occurrence,
  type SavedItem,
  type WeeklyRecurrence,
} from "./appointment";

export interface PreviewState {
  /** Counts "start over": each new preview appointment is a different item. */
  generation: number;
  mode: AppointmentMode;
  /** Assigned on the first save, as Outlook does. */
  itemId: string | null;
  subject: string;
  bodyHtml: string;
  recurrence: WeeklyRecurrence | null;
  attendees: Attendee[];
  customProperties: Record<string, string>;
  /** Start of the appointment as first created (ISO), used when it does not recur. */
  start: string;
  durationMinutes: number;
  savedAt: string | null;
}

/** Storage the preview keeps its state in (sessionStorage in the browser). */
export interface StateStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY = "leeway.addin.preview-appointment";

/** A new appointment as Outlook opens one: empty subject, next hour, 30 minutes. */
export function blankPreview(now = new Date()): PreviewState {
  const start = new Date(now);
  start.setUTCMinutes(0, 0, 0);
  start.setUTCHours(start.getUTCHours() + 1);
  return {
    generation: 1,
    mode: "organizer",
    itemId: null,
    subject: "",
    bodyHtml: "<p>Agenda and notes for our regular check-in.</p>",
    recurrence: null,
    attendees: [],
    customProperties: {},
    start: start.toISOString(),
    durationMinutes: 30,
    savedAt: null,
  };
}

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class PreviewAppointment implements Appointment {
  readonly host = "preview" as const;
  private state: PreviewState;
  private readonly listeners = new Set<(s: PreviewState) => void>();

  constructor(
    private readonly store: StateStore | null = null,
    initial?: PreviewState,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.state = initial ?? PreviewAppointment.load(store) ?? blankPreview(now());
  }

  static load(store: StateStore | null): PreviewState | null {
    const raw = store?.getItem(KEY);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as PreviewState;
    } catch {
      return null;
    }
  }

  get mode(): AppointmentMode {
    return this.state.mode;
  }

  snapshot(): PreviewState {
    return structuredClone(this.state);
  }

  subscribe(listener: (s: PreviewState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(change: Partial<PreviewState>): void {
    this.state = { ...this.state, ...change };
    this.store?.setItem(KEY, JSON.stringify(this.state));
    const copy = this.snapshot();
    for (const l of this.listeners) l(copy);
  }

  /** Opens the same appointment as an attendee reading it, or back as the organizer composing it. */
  switchMode(mode: AppointmentMode): void {
    this.update({ mode });
  }

  /** Starts over with a new, empty appointment. */
  reset(): void {
    this.update({ ...blankPreview(this.now()), generation: (this.state.generation ?? 0) + 1 });
  }

  private requireOrganizer(operation: string): void {
    if (this.state.mode !== "organizer") throw new AppointmentError(operation, "Only the organizer can change the appointment, while composing it.");
  }

  async getSubject(): Promise<string> {
    return this.state.subject;
  }

  async setSubject(subject: string): Promise<void> {
    this.requireOrganizer("Set the subject");
    this.update({ subject });
  }

  async getBodyHtml(): Promise<string> {
    return this.state.bodyHtml;
  }

  async prependBodyHtml(html: string): Promise<void> {
    this.requireOrganizer("Add the agenda");
    this.update({ bodyHtml: html + this.state.bodyHtml });
  }

  async getRecurrence(): Promise<WeeklyRecurrence | null> {
    return this.state.recurrence ? structuredClone(this.state.recurrence) : null;
  }

  async setRecurrence(recurrence: WeeklyRecurrence): Promise<void> {
    this.requireOrganizer("Set the recurrence");
    if (recurrence.days.length === 0) throw new AppointmentError("Set the recurrence", "A weekly series needs at least one day.");
    if (recurrence.endDate && recurrence.endDate < recurrence.startDate) throw new AppointmentError("Set the recurrence", "The series ends before it starts.", "InvalidEndTime");
    const first = nextOccurrence(recurrence, new Date(0));
    this.update({ recurrence: structuredClone(recurrence), durationMinutes: recurrence.durationMinutes, ...(first ? { start: first.toISOString() } : {}) });
  }

  async getRequiredAttendees(): Promise<Attendee[]> {
    return structuredClone(this.state.attendees);
  }

  async addRequiredAttendees(attendees: Attendee[]): Promise<void> {
    this.requireOrganizer("Invite the attendees");
    const missing = missingAttendees(this.state.attendees, attendees);
    if (missing.length) this.update({ attendees: [...this.state.attendees, ...missing] });
  }

  async getCustomProperty(name: string): Promise<string | null> {
    return this.state.customProperties[name] ?? null;
  }

  async setCustomProperty(name: string, value: string): Promise<void> {
    this.update({ customProperties: { ...this.state.customProperties, [name]: value } });
  }

  async save(): Promise<SavedItem> {
    this.requireOrganizer("Save the appointment");
    const itemId = this.state.itemId ?? `preview-${randomId()}`;
    this.update({ itemId, savedAt: this.now().toISOString() });
    return { itemId, graphEventId: null };
  }

  /**
   * A reader opens one occurrence: the next one from now (or the last one, once the series is
   * over). Its id is the series id with the occurrence's start date, the way Outlook names the
   * instances of a series it has not synced yet.
   */
  async occurrence(): Promise<Occurrence> {
    const r = this.state.recurrence;
    let start = new Date(this.state.start);
    if (r) {
      const now = this.now();
      // An occurrence that started within the meeting's length still counts as "now".
      start = nextOccurrence(r, new Date(now.getTime() - r.durationMinutes * 60_000)) ?? start;
    }
    const seriesId = this.state.itemId;
    const day = r ? wallClock(start, r.timeZone).date.replaceAll("-", "") : null;
    return {
      itemId: seriesId && day ? `${seriesId}_${day}` : seriesId,
      seriesId: r ? seriesId : null,
      start: start.toISOString(),
    };
  }
}
