// The small part of Office.js (Outlook, Mailbox 1.8) that the task pane uses. Office.js is loaded
// from Microsoft's CDN at run time; only these shapes are relied on, and only the adapter in this
// folder touches them. Reference: https://learn.microsoft.com/javascript/api/outlook

declare namespace Office {
  interface AsyncError {
    name: string;
    message: string;
    code: number;
  }

  interface AsyncResult<T> {
    status: "succeeded" | "failed";
    value: T;
    error?: AsyncError;
  }

  type Callback<T> = (result: AsyncResult<T>) => void;

  interface EmailAddressDetails {
    emailAddress: string;
    displayName?: string;
  }

  /** https://learn.microsoft.com/javascript/api/outlook/office.seriestime */
  interface SeriesTime {
    getStartDate(): string;
    getEndDate(): string | null;
    getStartTime(): string;
    getDuration(): number;
    setStartDate(year: number, month: number, day: number): void;
    setEndDate(year: number, month: number, day: number): void;
    setStartTime(hours: number, minutes: number): void;
    setDuration(minutes: number): void;
  }

  interface RecurrenceProperties {
    interval?: number;
    days?: string[];
    firstDayOfWeek?: string;
  }

  /** https://learn.microsoft.com/javascript/api/outlook/office.recurrence */
  interface RecurrencePattern {
    recurrenceType: string;
    recurrenceProperties?: RecurrenceProperties;
    recurrenceTimeZone?: { name: string; offset?: number };
    seriesTime: SeriesTime;
  }

  interface Recurrence extends Partial<RecurrencePattern> {
    getAsync(callback: Callback<RecurrencePattern | null>): void;
    setAsync(pattern: RecurrencePattern, callback: Callback<void>): void;
  }

  interface CustomProperties {
    get(name: string): unknown;
    set(name: string, value: string): void;
    remove(name: string): void;
    saveAsync(callback: Callback<void>): void;
  }

  interface Body {
    getAsync(coercionType: string, callback: Callback<string>): void;
    prependAsync(data: string, options: { coercionType: string }, callback: Callback<void>): void;
  }

  interface ComposeAppointment {
    itemType: string;
    subject: { getAsync(callback: Callback<string>): void; setAsync(subject: string, callback: Callback<void>): void };
    body: Body;
    recurrence: Recurrence;
    requiredAttendees: {
      getAsync(callback: Callback<EmailAddressDetails[]>): void;
      addAsync(recipients: EmailAddressDetails[], callback: Callback<void>): void;
    };
    start: { getAsync(callback: Callback<Date>): void };
    seriesId?: string | null;
    loadCustomPropertiesAsync(callback: Callback<CustomProperties>): void;
    saveAsync(callback: Callback<string>): void;
    getItemIdAsync?(callback: Callback<string>): void;
  }

  interface ReadAppointment {
    itemType: string;
    subject: string;
    itemId: string;
    seriesId?: string | null;
    start: Date;
    end: Date;
    body: Body;
    recurrence: (RecurrencePattern & Partial<Recurrence>) | null;
    requiredAttendees: EmailAddressDetails[];
    organizer?: EmailAddressDetails;
    loadCustomPropertiesAsync(callback: Callback<CustomProperties>): void;
  }

  interface Mailbox {
    item: ComposeAppointment | ReadAppointment | null;
    userProfile: { emailAddress: string; displayName: string; timeZone?: string };
    convertToRestId(itemId: string, restVersion: string): string;
  }

  interface Context {
    mailbox: Mailbox;
    requirements: { isSetSupported(name: string, minVersion?: string): boolean };
  }

  /** The `Office` global. */
  interface Api {
    onReady(): Promise<{ host: string | null; platform: string | null }>;
    context: Context;
    AsyncResultStatus: { Succeeded: "succeeded"; Failed: "failed" };
    CoercionType: { Html: string; Text: string };
    MailboxEnums: {
      ItemType: { Appointment: string; Message: string };
      RecurrenceType: { Weekly: string };
      RestVersion: { v2_0: string };
    };
    SeriesTime: new () => SeriesTime;
    auth?: { getAccessToken(options?: { allowSignInPrompt?: boolean; allowConsentPrompt?: boolean; forMSGraphAccess?: boolean }): Promise<string> };
  }
}

interface Window {
  Office?: Office.Api;
}
