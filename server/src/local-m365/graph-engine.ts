// Runs Graph calls: authentication, injected faults, statistics, routing, and $batch. The HTTP
// layer and $batch both go through `execute`, so a request behaves the same either way.
import { randomUUID } from "node:crypto";
import { errors as joseErrors } from "jose";
import type { Logger } from "pino";
import { findPerson, findTenant } from "./demo-directory";
import type { FaultController, ActiveFault } from "./faults";
import { GraphError, errorResult, isObject, ok, type GraphCall, type GraphCaller, type GraphResult } from "./graph-http";
import { matchRoute, type RouteContext } from "./graph-routes";
import type { GraphStatsRecorder } from "./stats";
import { GRAPH_APP_ID, GRAPH_RESOURCE, type TokenIssuer } from "./tokens";

export const MAX_BATCH_REQUESTS = 20;

export interface GraphEngineDeps {
  routes: RouteContext;
  issuer: TokenIssuer;
  faults: FaultController;
  stats: GraphStatsRecorder;
  baseUrl: () => string;
  now: () => Date;
  logger?: Logger;
  /** Aborted when the local tenant closes, so held requests let go. */
  shutdown: AbortSignal;
}

export interface IncomingGraphRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal;
}

function sleep(ms: number, signals: (AbortSignal | undefined)[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const active = signals.filter((s): s is AbortSignal => s !== undefined);
    if (active.some((s) => s.aborted)) return reject(new Error("aborted"));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error("aborted"));
    };
    const timer = setTimeout(() => {
      for (const s of active) s.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    for (const s of active) s.addEventListener("abort", onAbort, { once: true });
  });
}

export class GraphEngine {
  constructor(private readonly deps: GraphEngineDeps) {}

  graphBase(): string {
    return `${this.deps.baseUrl()}/local-m365/graph/v1.0`;
  }

  private unauthorized(message: string): GraphError {
    return new GraphError(401, "InvalidAuthenticationToken", message, {
      "WWW-Authenticate": `Bearer realm="", authorization_uri="${this.deps.baseUrl()}/local-m365/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`,
    });
  }

  /** Turns the Authorization header into a caller, or throws Graph's 401. */
  async authenticate(authorization: string | undefined): Promise<GraphCaller> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (!token) throw this.unauthorized("Access token is empty.");
    let payload: Record<string, unknown>;
    try {
      payload = (await this.deps.issuer.verify(token, [GRAPH_RESOURCE, GRAPH_APP_ID])).payload;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw this.unauthorized("Lifetime validation failed, the token is expired.");
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === "aud") throw this.unauthorized("Invalid audience.");
      if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw this.unauthorized("Access token validation failure. Invalid signature.");
      throw this.unauthorized("Access token validation failure.");
    }
    const tenant = findTenant(String(payload.tid));
    if (!tenant) throw this.unauthorized("Access token validation failure. Unknown tenant.");
    const clientId = typeof payload.azp === "string" ? payload.azp : "";
    if (payload.idtyp === "app" || typeof payload.scp !== "string") {
      const roles = Array.isArray(payload.roles) ? payload.roles.map(String) : [];
      return { kind: "app", tenant, permissions: roles, clientId, servicePrincipalId: String(payload.oid) };
    }
    const user = findPerson(tenant.id, String(payload.oid));
    if (!user) throw this.unauthorized("Access token validation failure. Unknown user.");
    return { kind: "delegated", tenant, user, permissions: payload.scp.split(" ").filter(Boolean), clientId };
  }

  private async applyFault(fault: ActiveFault, call: GraphCall): Promise<GraphResult | undefined> {
    const now = this.deps.now();
    const retryAfter = (fallback?: number): Record<string, string> => {
      const seconds = fault.retryAfterSeconds ?? fallback;
      return seconds === undefined ? {} : { "Retry-After": String(seconds) };
    };
    switch (fault.kind) {
      case "throttle":
        return errorResult(new GraphError(429, "TooManyRequests", "Too many requests. Please retry after the time given in the Retry-After header.", retryAfter(1)), call, now);
      case "unavailable":
        return errorResult(new GraphError(503, "ServiceUnavailable", "The service is temporarily unavailable. Please retry later.", retryAfter()), call, now);
      case "slow":
        await this.deps.faults.hold(sleep(fault.delayMs ?? 1000, [call.signal, this.deps.shutdown]));
        return undefined;
      case "timeout":
        await this.deps.faults.hold(sleep(fault.delayMs ?? 30_000, [call.signal, this.deps.shutdown]));
        return errorResult(new GraphError(504, "GatewayTimeout", "The request timed out."), call, this.deps.now());
    }
  }

  /** One call, from routing to result; `batched` says whether it arrived inside a $batch. */
  async execute(req: IncomingGraphRequest, caller: GraphCaller | undefined, batched: boolean): Promise<GraphResult> {
    const requestId = randomUUID();
    const method = req.method.toUpperCase();
    const isBatch = method === "POST" && req.path.toLowerCase() === "/$batch";
    const route = isBatch ? undefined : matchRoute(method, req.path);
    const template = isBatch ? "POST /$batch" : (route?.template ?? `${method} (no route)`);
    if (batched) this.deps.stats.recordBatched(template);
    else this.deps.stats.recordRoundTrip(template);

    const call: GraphCall = { ...req, method, caller: caller as GraphCaller, requestId, graphBase: this.graphBase() };
    let result: GraphResult;
    try {
      call.caller = caller ?? (await this.authenticate(req.headers.authorization));
      const fault = this.deps.faults.take(`${method} ${req.path}`);
      const faulted = fault ? await this.applyFault(fault, call) : undefined;
      if (faulted) result = faulted;
      else if (isBatch) {
        if (batched) throw new GraphError(400, "BadRequest", "A $batch request cannot contain another $batch request.");
        result = await this.batch(call);
      } else if (!route) {
        const segment = req.path.split("/").filter(Boolean).pop() ?? "";
        throw new GraphError(400, "BadRequest", `Resource not found for the segment '${segment}'.`);
      } else {
        result = route.run(this.deps.routes, call);
      }
    } catch (err) {
      if (err instanceof GraphError) result = errorResult(err, call, this.deps.now());
      else if (err instanceof Error && err.message === "aborted") throw err;
      else {
        this.deps.logger?.error({ err, template }, "local Graph handler failed");
        result = errorResult(new GraphError(500, "generalException", "An unexpected error occurred in the local Graph stand-in."), call, this.deps.now());
      }
    }
    const clientRequestId = req.headers["client-request-id"] ?? requestId;
    result.headers = { ...result.headers, "request-id": requestId, "client-request-id": clientRequestId };
    return result;
  }

  /** POST /$batch: up to 20 requests, run in order with the batch's own caller. */
  private async batch(call: GraphCall): Promise<GraphResult> {
    const body = call.body;
    const requests = isObject(body) && Array.isArray(body.requests) ? (body.requests as unknown[]) : undefined;
    if (!requests || requests.length === 0) throw new GraphError(400, "BadRequest", "Invalid batch payload format: 'requests' must be a non-empty array.");
    if (requests.length > MAX_BATCH_REQUESTS) throw new GraphError(400, "BadRequest", `The number of batch requests exceeds the maximum of ${MAX_BATCH_REQUESTS}.`);
    const ids = new Set<string>();
    for (const r of requests) {
      if (!isObject(r) || typeof r.id !== "string" || !r.id || typeof r.method !== "string" || typeof r.url !== "string") {
        throw new GraphError(400, "BadRequest", "Every batch request needs a string id, method and url.");
      }
      if (ids.has(r.id)) throw new GraphError(400, "BadRequest", `Batch request ids must be unique; '${r.id}' appears twice.`);
      ids.add(r.id);
    }
    const statuses = new Map<string, number>();
    const responses: Record<string, unknown>[] = [];
    for (const raw of requests as Record<string, unknown>[]) {
      const id = String(raw.id);
      const headers: Record<string, string> = {};
      if (isObject(raw.headers)) for (const [k, v] of Object.entries(raw.headers)) headers[k.toLowerCase()] = String(v);
      const dependsOn = Array.isArray(raw.dependsOn) ? raw.dependsOn.map(String) : [];
      let result: GraphResult;
      if (dependsOn.some((d) => (statuses.get(d) ?? 424) >= 400)) {
        result = errorResult(new GraphError(424, "FailedDependency", "A request this one depends on failed."), { requestId: randomUUID(), headers }, this.deps.now());
      } else if (raw.body !== undefined && !headers["content-type"]) {
        result = errorResult(new GraphError(400, "BadRequest", `Write request id : ${id} does not contain Content-Type header or body.`), { requestId: randomUUID(), headers }, this.deps.now());
      } else {
        const url = new URL(String(raw.url).replace(/^\/?/, "/"), "http://graph.local");
        result = await this.execute(
          { method: String(raw.method), path: url.pathname, query: url.searchParams, headers: { ...headers, prefer: headers.prefer ?? call.headers.prefer ?? "" }, body: raw.body, signal: call.signal },
          call.caller,
          true,
        );
      }
      statuses.set(id, result.status);
      const entry: Record<string, unknown> = { id, status: result.status, headers: result.headers };
      if (result.body !== undefined) entry.body = result.body;
      responses.push(entry);
    }
    return ok({ responses });
  }
}
