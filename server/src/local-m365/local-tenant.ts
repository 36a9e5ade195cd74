// The local Microsoft 365 tenant: Entra ID v2 and a Graph v1.0 subset with the real URL and JSON
// shapes, seeded with the demo organisations, for development, demos and tests. Mount the router
// at /local-m365. Never part of a production deployment.
import { randomUUID } from "node:crypto";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import { demoTenants, findPersonByUpn, findTenant, type DemoPerson } from "./demo-directory";
import { CalendarStore } from "./calendar-store";
import { createFaultController, faultSpecSchema, type FaultController } from "./faults";
import { GraphEngine } from "./graph-engine";
import { GRAPH_JSON, graphErrorBody } from "./graph-http";
import { createIdentityRouter } from "./identity-routes";
import type { LocalSigningKey } from "./keys";
import { renderErrorPage } from "./signin-page";
import { createGraphStats, type GraphStats } from "./stats";
import { AuthCodeStore, servicePrincipalOf } from "./token-endpoint";
import { API_SCOPE, GRAPH_APPLICATION_PERMISSIONS, GRAPH_DELEGATED_CONSENT, GRAPH_RESOURCE, LOCAL_DEFAULT_CLIENT_ID, TokenIssuer } from "./tokens";

export interface LocalM365Options {
  /** e.g. "http://127.0.0.1:3978"; read per request. Issuers are `${baseUrl()}/local-m365/${tid}/v2.0`. */
  baseUrl: () => string;
  signingKey: LocalSigningKey;
  /** Audience of Leeway API tokens (default "api://leeway"). */
  apiAudience?: string;
  /** Client id of the Leeway server app; when set, only it may use On-Behalf-Of. */
  apiClientId?: string;
  /** SQLite file for calendar events and notifications (default ":memory:"). */
  stateFile?: string;
  logger?: Logger;
  now?: () => Date;
}

export interface MintAccessTokenInput {
  upn: string;
  /** Default: the API audience. Use "https://graph.microsoft.com" for a Graph token. */
  audience?: string;
  /** Space-separated `scp`; defaults to access_as_user (API) or the consented Graph scopes. */
  scope?: string;
  expiresInSeconds?: number;
  clientId?: string;
}

export interface MintAppTokenInput {
  tenantId: string;
  audience?: string;
  roles?: string[];
  expiresInSeconds?: number;
  clientId?: string;
}

export interface LocalM365 {
  router: express.Router;
  faults: FaultController;
  stats: GraphStats;
  mintAccessToken(p: MintAccessTokenInput): Promise<string>;
  /** An app-only token (client credentials) of a tenant; Graph application permissions by default. */
  mintAppToken(p: MintAppTokenInput): Promise<string>;
  /** `${baseUrl()}/local-m365/${tenantId}`: the authority to give MSAL or a JWKS client. */
  authority(tenantId: string): string;
  /** `${baseUrl()}/local-m365/${tenantId}/v2.0`. */
  issuer(tenantId: string): string;
  /** `${baseUrl()}/local-m365/graph/v1.0`. */
  graphBaseUrl(): string;
  close(): void;
}

function headerRecord(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function personById(id: string): DemoPerson | undefined {
  const key = id.toLowerCase();
  for (const t of demoTenants) {
    const p = t.people.find((x) => x.id === key);
    if (p) return p;
  }
  return findPersonByUpn(id);
}

export async function createLocalM365(options: LocalM365Options): Promise<LocalM365> {
  const now = options.now ?? (() => new Date());
  const baseUrl = (): string => options.baseUrl().replace(/\/+$/, "");
  const apiAudience = options.apiAudience ?? "api://leeway";
  const scopes = { apiAudience, apiClientId: options.apiClientId };
  const issuer = new TokenIssuer({ key: options.signingKey, baseUrl, now });
  const store = new CalendarStore(options.stateFile ?? ":memory:");
  const faults = createFaultController();
  const stats = createGraphStats();
  const shutdown = new AbortController();
  const logger = options.logger;
  const engine = new GraphEngine({ routes: { store, now, baseUrl }, issuer, faults, stats, baseUrl, now, logger, shutdown: shutdown.signal });

  const router = express.Router();
  router.use(createIdentityRouter({ issuer, scopes, codes: new AuthCodeStore(now), signingKey: options.signingKey, baseUrl, now, logger }));

  // ---- Graph v1.0 ----
  const graph = express.Router();
  graph.use((req, res, next) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Expose-Headers", "request-id, client-request-id, Retry-After, Location, Preference-Applied");
    if (req.method !== "OPTIONS") return next();
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE, OPTIONS");
    res.setHeader("Access-Control-Allow-Headers", req.get("access-control-request-headers") ?? "authorization, content-type");
    res.setHeader("Access-Control-Max-Age", "600");
    res.status(204).end();
  });
  graph.use(express.json({ limit: "4mb", type: ["application/json", "application/*+json"] }));
  graph.use(async (req: Request, res: Response) => {
    const aborted = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) aborted.abort();
    });
    const url = new URL(req.originalUrl, "http://graph.local");
    try {
      const result = await engine.execute(
        { method: req.method, path: req.path, query: url.searchParams, headers: headerRecord(req), body: req.body as unknown, signal: aborted.signal },
        undefined,
        false,
      );
      res.status(result.status);
      for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
      if (result.body === undefined) res.end();
      else res.send(JSON.stringify(result.body));
    } catch (_err) {
      // Held by an injected fault and let go: the client left or the tenant is closing.
      if (!res.headersSent && !res.destroyed) res.status(503).setHeader("Content-Type", GRAPH_JSON).send(JSON.stringify(graphErrorBody("ServiceUnavailable", "The local tenant is shutting down.", "", "", now())));
    }
  });
  graph.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status === 413 ? 413 : 400;
    const requestId = randomUUID();
    res.status(status).setHeader("Content-Type", GRAPH_JSON).setHeader("request-id", requestId);
    res.send(JSON.stringify(graphErrorBody(status === 413 ? "RequestEntityTooLarge" : "BadRequest", status === 413 ? "The request body is too large." : "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.", requestId, req.get("client-request-id") ?? requestId, now())));
  });
  router.use("/graph/v1.0", graph);

  // ---- Helpers that exist only in the local tenant (tests and demos) ----
  const helpers = express.Router();
  helpers.use(express.json({ limit: "64kb" }));
  helpers.get("/_faults", (_req, res) => {
    res.json({ value: faults.list(), held: faults.held() });
  });
  helpers.post("/_faults", (req, res) => {
    const parsed = faultSpecSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: { code: "BadRequest", message: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") } });
      return;
    }
    res.status(201).json(faults.inject(parsed.data));
  });
  helpers.delete("/_faults", (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  helpers.get("/_stats", (_req, res) => {
    res.json(stats.snapshot());
  });
  helpers.delete("/_stats", (_req, res) => {
    stats.reset();
    res.status(204).end();
  });
  helpers.get("/_events", (req, res) => {
    const person = typeof req.query.userId === "string" ? personById(req.query.userId) : undefined;
    if (!person) {
      res.status(400).json({ error: { code: "BadRequest", message: "userId must name a demo person (object id or UPN)." } });
      return;
    }
    res.json({ value: store.listEvents(person.tenantId, person.id).map((e) => ({ ...e.data, mailboxId: e.mailboxId })) });
  });
  helpers.get("/_notifications", (req, res) => {
    const userId = typeof req.query.userId === "string" ? req.query.userId : undefined;
    const person = userId ? personById(userId) : undefined;
    if (userId && !person) {
      res.status(400).json({ error: { code: "BadRequest", message: "userId must name a demo person (object id or UPN)." } });
      return;
    }
    res.json({ value: store.listNotifications(person ? { tenantId: person.tenantId, userId: person.id } : {}).map((n) => n.data) });
  });
  // Join links and web links of events point here rather than at real Microsoft hosts.
  helpers.get(["/owa/*rest", "/teams/*rest"], (_req, res) => {
    res.type("html").setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    res.send(renderErrorPage("Local Microsoft 365 stand-in", "This link would open Outlook or Teams in a real tenant. The local tenant has no user interface for it."));
  });
  router.use(helpers);

  return {
    router,
    faults,
    stats,
    async mintAccessToken(p) {
      const person = findPersonByUpn(p.upn);
      if (!person) throw new Error(`no demo person has the UPN ${p.upn}`);
      const tenant = findTenant(person.tenantId);
      if (!tenant) throw new Error(`tenant ${person.tenantId} is missing`);
      const audience = p.audience ?? apiAudience;
      const isGraph = audience === GRAPH_RESOURCE;
      return issuer.delegatedAccessToken({
        tenant,
        person,
        audience,
        permissions: (p.scope ?? (isGraph ? GRAPH_DELEGATED_CONSENT.join(" ") : API_SCOPE)).split(/\s+/).filter(Boolean),
        roles: isGraph ? [] : person.roles,
        clientId: p.clientId ?? LOCAL_DEFAULT_CLIENT_ID,
        expiresInSeconds: p.expiresInSeconds ?? 3600,
      });
    },
    async mintAppToken(p) {
      const tenant = findTenant(p.tenantId);
      if (!tenant) throw new Error(`no demo tenant ${p.tenantId}`);
      const audience = p.audience ?? GRAPH_RESOURCE;
      return issuer.appAccessToken({
        tenant,
        audience,
        roles: p.roles ?? (audience === GRAPH_RESOURCE ? GRAPH_APPLICATION_PERMISSIONS : []),
        clientId: p.clientId ?? options.apiClientId ?? LOCAL_DEFAULT_CLIENT_ID,
        servicePrincipalId: servicePrincipalOf(tenant),
        expiresInSeconds: p.expiresInSeconds ?? 3600,
      });
    },
    authority: (tenantId) => `${baseUrl()}/local-m365/${tenantId}`,
    issuer: (tenantId) => issuer.issuer(tenantId),
    graphBaseUrl: () => engine.graphBase(),
    close() {
      shutdown.abort();
      store.close();
    },
  };
}
