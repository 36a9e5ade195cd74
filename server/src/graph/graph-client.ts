import {
  Client,
  GraphError,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from "@microsoft/microsoft-graph-client";
import type { GraphApi, GraphCaller, GraphUser, MailboxSettings } from "./graph-api";
import { GraphRequestError } from "./graph-api";
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

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com or <base>/local-m365/graph */
  baseUrl: string;
  tokens: GraphTokenProvider;
  maxRetries?: number;
}

export class MicrosoftGraph implements GraphApi {
  constructor(private readonly opts: GraphClientOptions) {}

  /** A client whose middleware chain carries this caller's token. */
  client(caller: GraphCaller): Client {
    const auth = new BearerMiddleware(() => this.opts.tokens.getToken(caller));
    const retry = new RetryHandler(new RetryHandlerOptions(1, this.opts.maxRetries ?? 3));
    auth.setNext(retry);
    retry.setNext(new HTTPMessageHandler());
    return Client.initWithMiddleware({ middleware: auth, baseUrl: `${this.opts.baseUrl}/`, defaultVersion: "v1.0" });
  }

  async getUser(caller: GraphCaller, userId: string): Promise<GraphUser> {
    return toUser(await this.call(() => this.client(caller).api(`/users/${encodeURIComponent(userId)}`).select(USER_FIELDS).get()));
  }

  async getManager(caller: GraphCaller, userId: string): Promise<GraphUser | null> {
    try {
      return toUser(await this.call(() => this.client(caller).api(`/users/${encodeURIComponent(userId)}/manager`).select(USER_FIELDS).get()));
    } catch (err) {
      if (err instanceof GraphRequestError && err.status === 404) return null; // no manager: the top of the chain
      throw err;
    }
  }

  async getMailboxSettings(caller: GraphCaller, userId: string): Promise<MailboxSettings> {
    const body = (await this.call(() => this.client(caller).api(`/users/${encodeURIComponent(userId)}/mailboxSettings`).get())) as {
      timeZone?: string;
      workingHours?: MailboxSettings["workingHours"];
    };
    return { timeZone: body.timeZone ?? "UTC", workingHours: body.workingHours ?? null };
  }

  /** Turns the library's errors into one error type the services can reason about. */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof GraphError) throw new GraphRequestError(err.statusCode, err.code ?? "unknown", err.message);
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
