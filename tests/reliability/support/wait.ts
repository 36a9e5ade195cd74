import request from "supertest";
import type { TestServer } from "../../support/harness";

/** Polls `probe` until it answers something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface LocalEvent {
  id: string;
  subject: string;
  transactionId: string | null;
  iCalUId: string;
  mailboxId: string;
  body: { contentType: string; content: string };
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  recurrence: { pattern: { type: string; interval: number; daysOfWeek: string[] }; range: { type: string; startDate: string; recurrenceTimeZone?: string } } | null;
  attendees: { emailAddress: { address: string } }[];
  isOnlineMeeting: boolean;
  onlineMeetingProvider: string;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

/**
 * A meeting a demo person makes in Outlook: posted to their own calendar through Graph with their
 * own token, as Outlook would, so Leeway finds it there without having made it. Times in UTC.
 */
export async function meetingMadeInOutlook(s: TestServer, upn: string, m: { subject: string; start: string; end: string; weekly?: boolean }): Promise<{ id: string; iCalUId: string }> {
  const token = await s.leeway.context.localM365!.mintAccessToken({ upn, audience: "https://graph.microsoft.com" });
  const utc = (iso: string) => ({ dateTime: iso.slice(0, 19), timeZone: "UTC" });
  const weekday = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"][new Date(m.start).getUTCDay()]!;
  const recurrence = m.weekly ? { pattern: { type: "weekly", interval: 1, daysOfWeek: [weekday] }, range: { type: "noEnd", startDate: m.start.slice(0, 10) } } : undefined;
  const res = await fetch(`${s.baseUrl}/local-m365/graph/v1.0/me/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ subject: m.subject, start: utc(m.start), end: utc(m.end), ...(recurrence ? { recurrence } : {}) }),
  });
  if (res.status !== 201) throw new Error(`the meeting could not be made: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; iCalUId: string };
}

/** Events in a demo person's mailbox, through the local tenant's test helper. `base` is the URL the tenant is mounted under /local-m365 at. */
export async function eventsOf(base: string, userId: string): Promise<LocalEvent[]> {
  const res = await request(base).get(`/local-m365/_events?userId=${encodeURIComponent(userId)}`);
  if (res.status !== 200) throw new Error(`_events answered ${res.status}`);
  return res.body.value as LocalEvent[];
}

export async function notificationsOf(base: string, userId: string): Promise<Record<string, unknown>[]> {
  const res = await request(base).get(`/local-m365/_notifications?userId=${encodeURIComponent(userId)}`);
  if (res.status !== 200) throw new Error(`_notifications answered ${res.status}`);
  return res.body.value as Record<string, unknown>[];
}

/** Next `weekday` (0 = Sunday) at `hh:mm` UTC, at least a day from now, as an ISO instant. */
export function nextWeekdayAt(weekday: number, hh: number, mm = 0, weeksAhead = 0): string {
  const d = new Date(Date.now() + 86_400_000);
  d.setUTCHours(hh, mm, 0, 0);
  while (d.getUTCDay() !== weekday) d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCDate(d.getUTCDate() + weeksAhead * 7);
  return d.toISOString().replace(".000Z", "Z");
}

/** Environment that makes the outbox quick enough for tests. */
export const FAST_OUTBOX = {
  LEEWAY_OUTBOX_POLL_MS: "100",
  LEEWAY_OUTBOX_BACKOFF_MS: "100",
  LEEWAY_OUTBOX_LEASE_SECONDS: "30",
  LEEWAY_REMINDER_INTERVAL_SECONDS: "0",
};
