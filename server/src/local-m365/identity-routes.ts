// Entra ID v2 endpoints of the local tenant: discovery, JWKS, token, authorize and logout.
import { randomUUID } from "node:crypto";
import express, { type Request, type Response } from "express";
import type { Logger } from "pino";
import { findTenant, type DemoTenant } from "./demo-directory";
import type { LocalSigningKey } from "./keys";
import { renderErrorPage, renderFormPost, renderSignInPage } from "./signin-page";
import { handleTokenRequest, type AuthCodeStore } from "./token-endpoint";
import { OAuthError, clientInfo, resolveScope, type ScopeConfig, type TokenIssuer } from "./tokens";

export interface IdentityDeps {
  issuer: TokenIssuer;
  scopes: ScopeConfig;
  codes: AuthCodeStore;
  signingKey: LocalSigningKey;
  baseUrl: () => string;
  now: () => Date;
  logger?: Logger;
}

type Form = Record<string, string | undefined>;

function toForm(source: unknown): Form {
  const form: Form = {};
  if (source && typeof source === "object") {
    for (const [k, v] of Object.entries(source as Record<string, unknown>)) if (typeof v === "string") form[k] = v;
  }
  return form;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The local tenant has no app registrations, so it cannot compare redirect URIs with registered
 * ones as Entra does. Instead it only sends codes back to its own origin or to loopback: that is
 * where the local server, the dev servers of the front ends and test clients live. Any other
 * host would make the sign-in page an open redirector that hands codes to whoever asks.
 */
export function isAllowedRedirectUri(uri: string, baseUrl: string): boolean {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return false;
  if (u.username || u.password || u.hash) return false;
  return LOOPBACK_HOSTS.has(u.hostname) || u.origin === new URL(baseUrl).origin;
}

function entraTimestamp(d: Date): string {
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export function oauthErrorBody(err: OAuthError, baseUrl: string, now: Date): Record<string, unknown> {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = entraTimestamp(now);
  return {
    error: err.error,
    error_description: `AADSTS${err.aadsts}: ${err.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [err.aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${baseUrl}/local-m365/error?code=${err.aadsts}`,
  };
}

function unknownTenant(tid: string): OAuthError {
  return new OAuthError("invalid_tenant", 90002, `Tenant '${tid}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
}

function cors(res: Response): void {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Expose-Headers", "x-ms-request-id, client-request-id");
}

function pageHeaders(res: Response, formTargets: string[] = []): void {
  res.setHeader("Content-Security-Policy", `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${formTargets.join(" ")}; frame-ancestors 'none'; base-uri 'none'`.replace(/\s+;/g, ";"));
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.type("html");
}

export function discoveryDocument(baseUrl: string, tenant: DemoTenant, issuer: string): Record<string, unknown> {
  const root = `${baseUrl}/local-m365/${tenant.id}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${root}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    code_challenge_methods_supported: ["S256"],
    grant_types_supported: ["authorization_code", "refresh_token", "password", "client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer"],
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "auth_time", "nonce", "preferred_username", "name", "tid", "ver", "oid", "email", "roles", "scp"],
    tenant_region_scope: "EU",
    cloud_instance_name: "local-m365",
    msgraph_host: `${new URL(baseUrl).host}/local-m365/graph`,
  };
}

interface AuthorizeRequest {
  tenant: DemoTenant;
  clientId: string;
  redirectUri: string;
  params: Record<string, string>;
}

/** Turns an authorize request into an answer that goes back to the client, or to the browser when that is unsafe. */
export function createIdentityRouter(deps: IdentityDeps): express.Router {
  const router = express.Router();
  const urlencoded = express.urlencoded({ extended: false, limit: "64kb" });

  const sendOAuthError = (res: Response, err: unknown): void => {
    const oauth = err instanceof OAuthError ? err : new OAuthError("server_error", 50000, "There was an error issuing a token.", 500);
    if (!(err instanceof OAuthError)) deps.logger?.error({ err }, "local tenant token endpoint failed");
    cors(res);
    res.status(oauth.status).setHeader("Cache-Control", "no-store").json(oauthErrorBody(oauth, deps.baseUrl(), deps.now()));
  };

  router.options(["/:tid/oauth2/v2.0/token", "/:tid/v2.0/.well-known/openid-configuration", "/:tid/discovery/v2.0/keys"], (req, res) => {
    cors(res);
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    res.setHeader("Access-Control-Allow-Headers", req.get("access-control-request-headers") ?? "content-type");
    res.setHeader("Access-Control-Max-Age", "600");
    res.status(204).end();
  });

  router.get("/:tid/v2.0/.well-known/openid-configuration", (req, res) => {
    const tenant = findTenant(req.params.tid);
    if (!tenant) return sendOAuthError(res, unknownTenant(req.params.tid));
    cors(res);
    res.json(discoveryDocument(deps.baseUrl(), tenant, deps.issuer.issuer(tenant.id)));
  });

  router.get("/:tid/discovery/v2.0/keys", (req, res) => {
    if (!findTenant(req.params.tid)) return sendOAuthError(res, unknownTenant(req.params.tid));
    cors(res);
    res.json({ keys: [deps.signingKey.publicJwk] });
  });

  router.post("/:tid/oauth2/v2.0/token", urlencoded, async (req, res) => {
    const tenant = findTenant(req.params.tid);
    if (!tenant) return sendOAuthError(res, unknownTenant(req.params.tid));
    const form = toForm(req.body);
    try {
      const body = await handleTokenRequest({ issuer: deps.issuer, scopes: deps.scopes, codes: deps.codes }, tenant, form, req.get("authorization"));
      deps.logger?.debug({ grant: form.grant_type, tid: tenant.id, clientId: form.client_id }, "local tenant issued a token");
      cors(res);
      res.setHeader("Cache-Control", "no-store");
      res.json(body);
    } catch (err) {
      sendOAuthError(res, err);
    }
  });

  /** Validates what must be right before anything may be sent to redirect_uri. */
  const preflight = (req: Request, res: Response, form: Form): AuthorizeRequest | undefined => {
    const tenant = findTenant(String(req.params.tid));
    const fail = (message: string): undefined => {
      pageHeaders(res);
      res.status(400).send(renderErrorPage("Sorry, but we’re having trouble signing you in.", message));
      return undefined;
    };
    if (!tenant) return fail(`AADSTS90002: Tenant '${String(req.params.tid)}' not found.`);
    if (!form.client_id) return fail("AADSTS900144: The request body must contain the following parameter: 'client_id'.");
    if (!form.redirect_uri || !isAllowedRedirectUri(form.redirect_uri, deps.baseUrl())) {
      return fail("AADSTS50011: The redirect URI must be this server's own origin or a loopback address (127.0.0.1, localhost, [::1]) for the local tenant.");
    }
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(form)) if (v !== undefined && k !== "upn") params[k] = v;
    return { tenant, clientId: form.client_id, redirectUri: form.redirect_uri, params };
  };

  const respond = (res: Response, ar: AuthorizeRequest, fields: Record<string, string>): void => {
    const all: Record<string, string> = { ...fields };
    if (ar.params.state !== undefined) all.state = ar.params.state;
    const mode = ar.params.response_mode ?? "query";
    if (mode === "form_post") {
      pageHeaders(res, [new URL(ar.redirectUri).origin]);
      res.send(renderFormPost(ar.redirectUri, all));
      return;
    }
    const target = new URL(ar.redirectUri);
    const encoded = new URLSearchParams(all).toString();
    if (mode === "fragment") target.hash = encoded;
    else for (const [k, v] of Object.entries(all)) target.searchParams.set(k, v);
    res.setHeader("Cache-Control", "no-store");
    res.redirect(302, target.toString());
  };

  /** Checks the OAuth parameters whose errors are reported to the client; returns an error or nothing. */
  const protocolError = (ar: AuthorizeRequest): Record<string, string> | undefined => {
    const p = ar.params;
    if (p.response_type !== "code") return { error: "unsupported_response_type", error_description: "AADSTS700054: The local tenant supports response_type=code only." };
    if (!p.code_challenge || p.code_challenge_method !== "S256") {
      return { error: "invalid_request", error_description: "AADSTS9002325: Proof Key for Code Exchange (code_challenge with code_challenge_method=S256) is required." };
    }
    try {
      resolveScope(p.scope, deps.scopes, "delegated");
    } catch (err) {
      const e = err as OAuthError;
      return { error: e.error ?? "invalid_scope", error_description: `AADSTS${e.aadsts}: ${e.description}` };
    }
    return undefined;
  };

  const issueCode = (res: Response, ar: AuthorizeRequest, personId: string): void => {
    const code = deps.codes.issue({
      tenantId: ar.tenant.id,
      personId,
      clientId: ar.clientId,
      redirectUri: ar.redirectUri,
      scope: ar.params.scope ?? "",
      codeChallenge: ar.params.code_challenge ?? "",
      nonce: ar.params.nonce,
    });
    deps.logger?.debug({ tid: ar.tenant.id, clientId: ar.clientId }, "local tenant issued an authorization code");
    respond(res, ar, { code, client_info: clientInfo(personId, ar.tenant.id), session_state: randomUUID() });
  };

  const findByUpn = (tenant: DemoTenant, upn: string | undefined) => tenant.people.find((p) => p.userPrincipalName.toLowerCase() === (upn ?? "").toLowerCase());

  router.get("/:tid/oauth2/v2.0/authorize", (req, res) => {
    const ar = preflight(req, res, toForm(req.query));
    if (!ar) return;
    const error = protocolError(ar);
    if (error) return respond(res, ar, error);
    if (ar.params.prompt === "none") {
      // Silent renewal: the local tenant keeps no session, so only a login_hint can identify someone.
      const hinted = findByUpn(ar.tenant, ar.params.login_hint);
      if (hinted) return issueCode(res, ar, hinted.id);
      return respond(res, ar, { error: "login_required", error_description: "AADSTS50058: A silent sign-in request was sent but no user is signed in." });
    }
    pageHeaders(res, [new URL(ar.redirectUri).origin]);
    res.send(renderSignInPage({ tenant: ar.tenant, params: ar.params, loginHint: ar.params.login_hint, clientId: ar.clientId }));
  });

  router.post("/:tid/oauth2/v2.0/authorize", urlencoded, (req, res) => {
    const form = toForm(req.body);
    const ar = preflight(req, res, form);
    if (!ar) return;
    const error = protocolError(ar);
    if (error) return respond(res, ar, error);
    const person = findByUpn(ar.tenant, form.upn);
    if (!person) {
      pageHeaders(res, [new URL(ar.redirectUri).origin]);
      res.status(400).send(renderSignInPage({ tenant: ar.tenant, params: ar.params, clientId: ar.clientId, error: "Choose one of the people below." }));
      return;
    }
    issueCode(res, ar, person.id);
  });

  router.get("/:tid/oauth2/v2.0/logout", (req, res) => {
    const target = typeof req.query.post_logout_redirect_uri === "string" ? req.query.post_logout_redirect_uri : undefined;
    if (target && isAllowedRedirectUri(target, deps.baseUrl())) {
      const url = new URL(target);
      if (typeof req.query.state === "string") url.searchParams.set("state", req.query.state);
      return res.redirect(302, url.toString());
    }
    pageHeaders(res);
    res.send(renderErrorPage("You have signed out", "The local tenant keeps no session, so there is nothing else to do. You can close this window."));
  });

  router.get("/error", (req, res) => {
    pageHeaders(res);
    res.send(renderErrorPage(`AADSTS${String(req.query.code ?? "")}`, "An error from the local stand-in for Microsoft Entra ID. The error_description of the response explains it."));
  });

  return router;
}
