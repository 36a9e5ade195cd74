import {
  Client,
  GraphError,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from "@microsoft/microsoft-graph-client";
import type {
  ActivityNotification,
  CalendarRead,
  CalendarReadResult,
  FindMeetingTimesRequest,
  GetScheduleRequest,
  GraphApi,
  GraphCallOptions,
  GraphCaller,
  GraphEvent,
  GraphEventInput,
  GraphUser,
  MailboxSettings,
  MeetingTimesResult,
  ScheduleInformation,
} from "./graph-api";
import { GraphRequestError } from "./graph-api";
import { requestFor, resultFor, retryAfterSeconds, runBatch, toMailboxSettings, toMeetingTimes, toScheduleInformation, type BatchOptions, type BatchRequest, type BatchResponse } from "./graph-batch";
import type { GraphTokenProvider } from "./token-provider";

/**
 * Attaches the bearer token for one caller. The library's own AuthenticationHandler only does
 * so for https Graph hosts, which would leave the local tenant (plain http on loopback) without
 * a token; the rest of the chain (retries honouring Retry-After, the HTTP handler) is the library's.
 */
class BearerMiddleware implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly token: () => Promise<string>) {}

  async execute(context: Context): Promise<void> {
    const headers = new Headers(context.options?.headers as ConstructorParameters<typeof Headers>[0]);
    headers.set("Authorization", `Bearer ${await this.token()}`);
    context.options = { ...context.options, headers };
    if (!this.next) throw new Error("graph middleware chain has no next handler");
    return this.next.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

const USER_FIELDS = "id,displayName,mail,userPrincipalName,jobTitle,department";
const EVENT_FIELDS = "id,iCalUId,webLink,onlineMeeting,transactionId";
const enc = encodeURIComponent;

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com or <base>/local-m365/graph */
  baseUrl: string;
  tokens: GraphTokenProvider;
  maxRetries?: number;
  /** Default timeout of one call, retries included (default 15 s). */
  timeoutMs?: number;
  /** Retrying throttled parts of a `$batch` (tests shorten the waits). */
  batch?: BatchOptions;
}

export class MicrosoftGraph implements GraphApi {
  constructor(private readonly opts: GraphClientOptions) {}

  /** A client whose middleware chain carries this caller's token. */
  client(caller: GraphCaller, options: { retry?: boolean } = {}): Client {
    const auth = new BearerMiddleware(() => this.opts.tokens.getToken(caller));
    const retry = new RetryHandler(new RetryHandlerOptions(1, options.retry === false ? 0 : (this.opts.maxRetries ?? 3)));
    auth.setNext(retry);
    retry.setNext(new HTTPMessageHandler());
    return Client.initWithMiddleware({ middleware: auth, baseUrl: `${this.opts.baseUrl}/`, defaultVersion: "v1.0" });
  }

  async getUser(caller: GraphCaller, userId: string): Promise<GraphUser> {
    return toUser(await this.call(() => this.client(caller).api(`/users/${enc(userId)}`).select(USER_FIELDS).get()));
  }

  async getManager(caller: GraphCaller, userId: string): Promise<GraphUser | null> {
    try {
      return toUser(await this.call(() => this.client(caller).api(`/users/${enc(userId)}/manager`).select(USER_FIELDS).get()));
    } catch (err) {
      if (err instanceof GraphRequestError && err.status === 404) return null; // no manager: the top of the chain
      throw err;
    }
  }

  async getMailboxSettings(caller: GraphCaller, userId: string): Promise<MailboxSettings> {
    return toMailboxSettings(await this.call(() => this.client(caller).api(`/users/${enc(userId)}/mailboxSettings`).get()));
  }

  async createEvent(caller: GraphCaller, mailboxId: string, event: GraphEventInput, transactionId: string, options: GraphCallOptions = {}): Promise<GraphEvent> {
    const body = { ...event, transactionId };
    return toEvent(await this.call((signal) => this.client(caller, options).api(`/users/${enc(mailboxId)}/events`).select(EVENT_FIELDS).option("signal", signal).post(body), options));
  }

  async updateEvent(caller: GraphCaller, mailboxId: string, eventId: string, patch: Partial<GraphEventInput>, options: GraphCallOptions = {}): Promise<GraphEvent> {
    return toEvent(await this.call((signal) => this.client(caller, options).api(`/users/${enc(mailboxId)}/events/${enc(eventId)}`).select(EVENT_FIELDS).option("signal", signal).patch(patch), options));
  }

  async deleteEvent(caller: GraphCaller, mailboxId: string, eventId: string, options: GraphCallOptions = {}): Promise<boolean> {
    try {
      await this.call((signal) => this.client(caller, options).api(`/users/${enc(mailboxId)}/events/${enc(eventId)}`).option("signal", signal).delete(), options);
      return true;
    } catch (err) {
      if (err instanceof GraphRequestError && err.status === 404) return false;
      throw err;
    }
  }

  async findEventByTransactionId(caller: GraphCaller, mailboxId: string, transactionId: string, options: GraphCallOptions = {}): Promise<GraphEvent | null> {
    const body = (await this.call(
      (signal) =>
        this.client(caller, options)
          .api(`/users/${enc(mailboxId)}/events`)
          .filter(`transactionId eq '${transactionId.replace(/'/g, "''")}'`)
          .select(EVENT_FIELDS)
          .top(1)
          .option("signal", signal)
          .get(),
      options,
    )) as { value?: unknown[] };
    const first = body.value?.[0];
    return first ? toEvent(first) : null;
  }

  async getSchedule(caller: GraphCaller, mailboxId: string, request: GetScheduleRequest): Promise<ScheduleInformation[]> {
    return toScheduleInformation(await this.call((signal) => this.client(caller).api(`/users/${enc(mailboxId)}/calendar/getSchedule`).option("signal", signal).post(request)));
  }

  async findMeetingTimes(caller: GraphCaller, mailboxId: string, request: FindMeetingTimesRequest): Promise<MeetingTimesResult> {
    const req = requestFor({ kind: "findMeetingTimes", mailboxId, request }, "1");
    return toMeetingTimes(await this.call((signal) => this.client(caller).api(req.url).option("signal", signal).post(req.body)));
  }

  async readMany(caller: GraphCaller, reads: CalendarRead[]): Promise<CalendarReadResult[]> {
    if (reads.length === 0) return [];
    const requests = reads.map((r, i) => requestFor(r, String(i + 1)));
    // The call's timeout covers the retried rounds too, as it does for a single call.
    const answers = await runBatch((chunk) => this.sendBatch(caller, chunk), requests, { budgetMs: this.opts.timeoutMs ?? 15_000, ...this.opts.batch });
    return reads.map((read, i) => resultFor(read, answers.get(String(i + 1)) ?? { id: String(i + 1), status: 502 }));
  }

  async getMailboxSettingsMany(caller: GraphCaller, userIds: string[]): Promise<Map<string, MailboxSettings | GraphRequestError>> {
    const ids = [...new Set(userIds)];
    const results = await this.readMany(caller, ids.map((userId) => ({ kind: "mailboxSettings" as const, userId })));
    return new Map(ids.map((id, i) => {
      const r = results[i]!;
      return [id, r.ok ? (r.value as MailboxSettings) : r.error];
    }));
  }

  async sendActivityNotification(caller: GraphCaller, userId: string, notification: ActivityNotification, options: GraphCallOptions = {}): Promise<void> {
    await this.call((signal) => this.client(caller, options).api(`/users/${enc(userId)}/teamwork/sendActivityNotification`).option("signal", signal).post(notification), options);
  }

  /** One `$batch` round trip; the whole batch is retried by the client when Graph throttles it as a whole. */
  private async sendBatch(caller: GraphCaller, requests: BatchRequest[]): Promise<BatchResponse[]> {
    const body = (await this.call((signal) => this.client(caller).api("/$batch").option("signal", signal).post({ requests }))) as { responses?: BatchResponse[] };
    return body.responses ?? [];
  }

  /** Turns the library's errors (and timeouts) into one error type the services can reason about. */
  async call<T>(fn: (signal: AbortSignal) => Promise<T>, options: GraphCallOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs ?? 15_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    try {
      return await fn(signal);
    } catch (err) {
      // The token exchange needs a person to act (consent, multifactor sign-in): not worth retrying.
      if (err instanceof GraphError && err.code === "GraphConsentRequiredError") {
        throw new GraphRequestError(403, "consent_required", "Microsoft Entra ID will not let Leeway read Microsoft 365 for this person until consent is given or a sign-in step is completed.");
      }
      // An answer from Graph is what it is, however late it came.
      if (err instanceof GraphError && err.statusCode > 0) {
        throw new GraphRequestError(err.statusCode, err.code ?? "unknown", err.message, retryAfterSeconds(err.headers?.get("retry-after")));
      }
      if (options.signal?.aborted) throw new GraphRequestError(0, "aborted", "The call was abandoned because the server is stopping.");
      if (timeout.aborted) throw new GraphRequestError(0, "timeout", `Microsoft Graph did not answer within ${timeoutMs} ms.`);
      if (err instanceof GraphError) throw new GraphRequestError(0, err.code ?? "network", err.message || "Microsoft Graph could not be reached.");
      if (err instanceof Error) throw new GraphRequestError(0, "network", `Microsoft Graph could not be reached: ${err.message}`);
      throw err;
    }
  }
}

function toUser(raw: unknown): GraphUser {
  const u = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : null);
  return {
    id: String(u.id),
    displayName: str(u.displayName) ?? String(u.id),
    mail: str(u.mail),
    userPrincipalName: str(u.userPrincipalName),
    jobTitle: str(u.jobTitle),
    department: str(u.department),
  };
}

function toEvent(raw: unknown): GraphEvent {
  const e = (raw ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : null);
  return {
    id: String(e.id),
    iCalUId: str(e.iCalUId),
    webLink: str(e.webLink),
    joinUrl: str((e.onlineMeeting as { joinUrl?: unknown } | null | undefined)?.joinUrl),
    transactionId: str(e.transactionId),
  };
}
