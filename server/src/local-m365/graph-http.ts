// The shapes shared by every Graph handler: a call (one HTTP request, or one request inside a
// $batch), its caller, and its result, plus Graph's error envelope.
import type { DemoPerson, DemoTenant } from "./demo-directory";

export type GraphCaller =
  | { kind: "delegated"; tenant: DemoTenant; user: DemoPerson; permissions: string[]; clientId: string }
  | { kind: "app"; tenant: DemoTenant; permissions: string[]; clientId: string; servicePrincipalId: string };

export interface GraphCall {
  method: string;
  /** Path below /v1.0, starting with "/", without the query string: "/users/x/events". */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: unknown;
  caller: GraphCaller;
  requestId: string;
  /** The absolute base of Graph v1.0 on this server, for @odata.context and nextLink. */
  graphBase: string;
  /** Lets a held (slow/timeout) call end early when the client goes away. */
  signal?: AbortSignal;
}

export interface GraphResult {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const GRAPH_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

function graphDate(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, "");
}

export function graphErrorBody(code: string, message: string, requestId: string, clientRequestId: string, now: Date): Record<string, unknown> {
  return {
    error: {
      code,
      message,
      innerError: { date: graphDate(now), "request-id": requestId, "client-request-id": clientRequestId },
    },
  };
}

export function errorResult(err: GraphError, call: Pick<GraphCall, "requestId" | "headers">, now: Date): GraphResult {
  const clientRequestId = call.headers["client-request-id"] ?? call.requestId;
  return {
    status: err.status,
    headers: { "Content-Type": GRAPH_JSON, ...err.headers },
    body: graphErrorBody(err.code, err.message, call.requestId, clientRequestId, now),
  };
}

export function ok(body: unknown, status = 200, headers: Record<string, string> = {}): GraphResult {
  return { status, headers: { "Content-Type": GRAPH_JSON, ...headers }, body };
}

export function noContent(): GraphResult {
  return { status: 204, headers: {} };
}

/** Fails with 403 unless the caller holds one of the permissions (scp or roles). */
export function requirePermission(caller: GraphCaller, anyOf: string[]): void {
  if (anyOf.some((p) => caller.permissions.includes(p))) return;
  throw new GraphError(403, "Authorization_RequestDenied", `Insufficient privileges to complete the operation. One of these permissions is needed: ${anyOf.join(", ")}.`);
}

/** For mailbox data a delegated caller may only reach their own mailbox; apps reach any in the tenant. */
export function requireOwnMailbox(caller: GraphCaller, mailbox: DemoPerson): void {
  if (caller.kind === "delegated" && caller.user.id !== mailbox.id) {
    throw new GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
  }
}

export function resourceNotFound(id: string): GraphError {
  return new GraphError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

export function badRequest(message: string, code = "BadRequest"): GraphError {
  return new GraphError(400, code, message);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
