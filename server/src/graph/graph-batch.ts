import type {
  CalendarRead,
  CalendarReadResult,
  GraphDateTime,
  MailboxSettings,
  MeetingTimesResult,
  ScheduleInformation,
} from "./graph-api";
import { GraphRequestError } from "./graph-api";

/** Graph accepts at most 20 requests in one `$batch`. */
export const MAX_BATCH = 20;

export interface BatchRequest {
  id: string;
  method: "GET" | "POST";
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface BatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchOptions {
  /** Rounds of retrying throttled or unavailable parts (default 4). */
  maxRounds?: number;
  /** Wait when a throttled part gave no Retry-After (default 1 s, doubling each round). */
  baseDelayMs?: number;
  /** Never wait longer than this for one round (default 30 s). */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The whole run's time, retries included: no wait is started that would end past it. */
  budgetMs?: number;
  /** The clock the budget is read from (tests move it with their sleep). */
  now?: () => number;
}

const RETRY_PART = new Set([429, 503, 504]);
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : undefined;
}

/** Retry-After in seconds (a number of seconds, or an HTTP date). */
export function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : undefined;
}

/**
 * Runs requests through `$batch`, 20 at a time. Graph answers a batch with 200 even when some of
 * its parts were throttled, so the client's retry handler never sees those: parts answered 429,
 * 503 or 504 are sent again (merged into as few batches as possible) after the longest
 * Retry-After they carried, or after an exponential wait when they carried none.
 */
export async function runBatch(send: (requests: BatchRequest[]) => Promise<BatchResponse[]>, requests: BatchRequest[], options: BatchOptions = {}): Promise<Map<string, BatchResponse>> {
  const sleep = options.sleep ?? wait;
  const maxRounds = options.maxRounds ?? 4;
  const base = options.baseDelayMs ?? 1000;
  const cap = options.maxDelayMs ?? 30_000;
  const now = options.now ?? Date.now;
  const deadline = options.budgetMs !== undefined ? now() + options.budgetMs : Number.POSITIVE_INFINITY;
  const done = new Map<string, BatchResponse>();
  const last = new Map<string, BatchResponse>();
  let todo = requests;
  for (let round = 0; todo.length > 0; round++) {
    const again: BatchRequest[] = [];
    let waitMs = 0;
    for (let i = 0; i < todo.length; i += MAX_BATCH) {
      const chunk = todo.slice(i, i + MAX_BATCH);
      const answers = new Map((await send(chunk)).map((r) => [String(r.id), r]));
      for (const req of chunk) {
        const answer = answers.get(req.id) ?? { id: req.id, status: 502, body: { error: { code: "missingResponse", message: "The batch answer left this request out." } } };
        if (RETRY_PART.has(answer.status) && round < maxRounds) {
          again.push(req);
          last.set(req.id, answer);
          const after = retryAfterSeconds(header(answer.headers, "retry-after"));
          waitMs = Math.max(waitMs, after !== undefined ? after * 1000 : base * 2 ** round);
          continue;
        }
        done.set(req.id, answer);
      }
    }
    todo = again;
    if (todo.length === 0) break;
    const pause = Math.min(cap, waitMs) + Math.floor(Math.random() * 100);
    if (now() + pause > deadline) {
      // No time left to wait for another round: the parts keep the refusal they last had.
      for (const req of todo) done.set(req.id, last.get(req.id)!);
      break;
    }
    await sleep(pause);
  }
  return done;
}

/** Turns a batch part that failed into the same error a direct call would throw. */
export function partError(r: BatchResponse): GraphRequestError {
  const err = (r.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return new GraphRequestError(r.status, err?.code ?? "unknown", err?.message ?? `Graph answered ${r.status}`, retryAfterSeconds(header(r.headers, "retry-after")));
}

const enc = encodeURIComponent;

export function requestFor(read: CalendarRead, id: string): BatchRequest {
  const json = { "content-type": "application/json" };
  switch (read.kind) {
    case "mailboxSettings":
      return { id, method: "GET", url: `/users/${enc(read.userId)}/mailboxSettings?$select=timeZone,workingHours` };
    case "getSchedule":
      return { id, method: "POST", url: `/users/${enc(read.mailboxId)}/calendar/getSchedule`, body: read.request, headers: json };
    case "findMeetingTimes":
      return {
        id,
        method: "POST",
        url: `/users/${enc(read.mailboxId)}/findMeetingTimes`,
        headers: json,
        body: {
          attendees: read.request.attendees,
          timeConstraint: { activityDomain: read.request.activityDomain ?? "work", timeslots: read.request.timeslots },
          meetingDuration: read.request.meetingDuration,
          maxCandidates: read.request.maxCandidates ?? 20,
          returnSuggestionReasons: true,
        },
      };
  }
}

export function toMailboxSettings(body: unknown): MailboxSettings {
  const b = (body ?? {}) as { timeZone?: string; workingHours?: MailboxSettings["workingHours"] };
  return { timeZone: b.timeZone ?? "UTC", workingHours: b.workingHours ?? null };
}

export function toScheduleInformation(body: unknown): ScheduleInformation[] {
  const value = ((body ?? {}) as { value?: Record<string, unknown>[] }).value ?? [];
  return value.map((v) => ({
    scheduleId: String(v.scheduleId ?? ""),
    availabilityView: typeof v.availabilityView === "string" ? v.availabilityView : "",
    scheduleItems: Array.isArray(v.scheduleItems)
      ? (v.scheduleItems as { status?: string; start: GraphDateTime; end: GraphDateTime }[]).map((i) => ({ status: i.status ?? "busy", start: i.start, end: i.end }))
      : [],
    workingHours: (v.workingHours as ScheduleInformation["workingHours"]) ?? null,
    error: v.error ? String((v.error as { message?: string }).message ?? "unavailable") : null,
  }));
}

export function toMeetingTimes(body: unknown): MeetingTimesResult {
  const b = (body ?? {}) as { meetingTimeSuggestions?: Record<string, unknown>[]; emptySuggestionsReason?: string };
  return {
    emptySuggestionsReason: b.emptySuggestionsReason || null,
    suggestions: (b.meetingTimeSuggestions ?? []).map((s) => {
      const slot = s.meetingTimeSlot as { start: GraphDateTime; end: GraphDateTime };
      const attendees = (s.attendeeAvailability as { attendee?: { emailAddress?: { address?: string } }; availability?: string }[] | undefined) ?? [];
      return {
        confidence: Number(s.confidence ?? 0),
        organizerAvailability: String(s.organizerAvailability ?? "unknown"),
        attendeeAvailability: attendees.map((a) => ({ address: a.attendee?.emailAddress?.address ?? "", availability: a.availability ?? "unknown" })),
        start: slot.start,
        end: slot.end,
      };
    }),
  };
}

export function resultFor(read: CalendarRead, r: BatchResponse): CalendarReadResult {
  if (r.status >= 400) return { kind: read.kind, ok: false, error: partError(r) };
  switch (read.kind) {
    case "mailboxSettings":
      return { kind: "mailboxSettings", ok: true, value: toMailboxSettings(r.body) };
    case "getSchedule":
      return { kind: "getSchedule", ok: true, value: toScheduleInformation(r.body) };
    case "findMeetingTimes":
      return { kind: "findMeetingTimes", ok: true, value: toMeetingTimes(r.body) };
  }
}
