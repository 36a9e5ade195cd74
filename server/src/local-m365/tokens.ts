// Minting and checking the local tenant's tokens, and turning an OAuth `scope` parameter into
// the resource (audience) and permissions a token carries, the way Entra ID v2 does.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { SignJWT, jwtVerify, type JWTPayload } from "jose";
import type { DemoPerson, DemoTenant } from "./demo-directory";
import type { LocalSigningKey } from "./keys";

export const GRAPH_RESOURCE = "https://graph.microsoft.com";
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/** Client id used when a caller does not say which app it is (tests, mintAccessToken). */
export const LOCAL_DEFAULT_CLIENT_ID = "0e1ee000-0000-4000-8000-0000000c11e7";
export const API_SCOPE = "access_as_user";

/** Graph permissions "consented" for the Leeway app in every demo tenant. */
export const GRAPH_DELEGATED_CONSENT = ["Calendars.ReadWrite", "MailboxSettings.Read", "TeamsActivity.Send", "User.Read", "User.ReadBasic.All"];
export const GRAPH_APPLICATION_PERMISSIONS = ["Calendars.ReadWrite", "MailboxSettings.Read", "TeamsActivity.Send", "User.Read.All"];

const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);
const REFRESH_AUDIENCE = "urn:local-m365:refresh-token";

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

export interface ResolvedScope {
  resource: "api" | "graph";
  audience: string;
  /** Permission names for the `scp` claim (delegated) or an empty list for `.default` in app flows. */
  permissions: string[];
  isDefault: boolean;
  oidc: Set<string>;
  /** The `scope` field of the token response. */
  responseScope: string;
}

export interface ScopeConfig {
  apiAudience: string;
  apiClientId?: string;
}

function apiPrefixes(cfg: ScopeConfig): string[] {
  const prefixes = [`${cfg.apiAudience}/`];
  if (cfg.apiClientId) prefixes.push(`api://${cfg.apiClientId}/`, `${cfg.apiClientId}/`);
  return prefixes;
}

/**
 * Resolves a space-separated scope list. Mixed resources are refused as Entra does
 * (AADSTS28000); client credentials need exactly `<resource>/.default`.
 */
export function resolveScope(scope: string | undefined, cfg: ScopeConfig, flow: "delegated" | "app"): ResolvedScope {
  const items = (scope ?? "").split(/\s+/).filter(Boolean);
  const oidc = new Set(items.filter((s) => OIDC_SCOPES.has(s)));
  const api: string[] = [];
  const graph: string[] = [];
  for (const item of items) {
    if (OIDC_SCOPES.has(item)) continue;
    const apiPrefix = apiPrefixes(cfg).find((p) => item.toLowerCase().startsWith(p.toLowerCase()));
    if (apiPrefix) api.push(item.slice(apiPrefix.length));
    else if (item.toLowerCase().startsWith(`${GRAPH_RESOURCE}/`)) graph.push(item.slice(GRAPH_RESOURCE.length + 1));
    else if (item.toLowerCase().startsWith(`${GRAPH_APP_ID}/`)) graph.push(item.slice(GRAPH_APP_ID.length + 1));
    else if (!item.includes("/") && !item.includes(":")) graph.push(item);
    else throw new OAuthError("invalid_resource", 500011, `The resource principal named ${item.replace(/\/[^/]*$/, "")} was not found in the tenant.`);
  }
  if (api.length > 0 && graph.length > 0) {
    throw new OAuthError("invalid_request", 28000, "Provided value for the input parameter scope is not valid because it contains more than one resource.");
  }
  if (flow === "app") {
    const [only, ...rest] = api.length > 0 ? api : graph;
    if (only !== ".default" || rest.length > 0 || oidc.size > 0) {
      throw new OAuthError("invalid_scope", 1002012, `The provided value for scope ${scope ?? ""} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const resource = api.length > 0 ? "api" : "graph";
    return { resource, audience: resource === "api" ? cfg.apiAudience : GRAPH_RESOURCE, permissions: [], isDefault: true, oidc, responseScope: `${resource === "api" ? cfg.apiAudience : GRAPH_RESOURCE}/.default` };
  }
  if (api.length > 0) {
    const unknown = api.find((s) => s !== API_SCOPE && s !== ".default");
    if (unknown) throw new OAuthError("invalid_scope", 70011, `The provided value for the input parameter 'scope' is not valid. The scope '${unknown}' does not exist on ${cfg.apiAudience}.`);
    return { resource: "api", audience: cfg.apiAudience, permissions: [API_SCOPE], isDefault: api.includes(".default"), oidc, responseScope: `${cfg.apiAudience}/${API_SCOPE}` };
  }
  const isDefault = graph.length === 0 || graph.includes(".default");
  const permissions = graph.length === 0 ? ["User.Read"] : isDefault ? [...GRAPH_DELEGATED_CONSENT] : [...new Set(graph)];
  return { resource: "graph", audience: GRAPH_RESOURCE, permissions, isDefault, oidc, responseScope: permissions.map((p) => `${GRAPH_RESOURCE}/${p}`).join(" ") };
}

/** Entra's `sub` is pairwise: stable per user and app, different between apps. */
export function pairwiseSubject(oid: string, appId: string): string {
  return createHash("sha256").update(`${oid}:${appId}`).digest("base64url").slice(0, 43);
}

export function clientInfo(oid: string, tid: string): string {
  return Buffer.from(JSON.stringify({ uid: oid, utid: tid })).toString("base64url");
}

export interface TokenIssuerOptions {
  key: LocalSigningKey;
  baseUrl: () => string;
  now: () => Date;
}

export interface DelegatedTokenInput {
  tenant: DemoTenant;
  person: DemoPerson;
  audience: string;
  permissions: string[];
  roles: string[];
  clientId: string;
  expiresInSeconds: number;
}

export interface AppTokenInput {
  tenant: DemoTenant;
  audience: string;
  roles: string[];
  clientId: string;
  servicePrincipalId: string;
  expiresInSeconds: number;
}

export interface VerifiedToken {
  payload: JWTPayload & Record<string, unknown>;
  tenantId: string;
}

export class TokenIssuer {
  constructor(private readonly opts: TokenIssuerOptions) {}

  issuer(tenantId: string): string {
    return `${this.opts.baseUrl()}/local-m365/${tenantId}/v2.0`;
  }

  private async sign(claims: Record<string, unknown>, expiresInSeconds: number, typ = "JWT"): Promise<string> {
    const iat = Math.floor(this.opts.now().getTime() / 1000);
    return new SignJWT({ ...claims, uti: randomBytes(16).toString("base64url"), jti: randomUUID() })
      .setProtectedHeader({ alg: "RS256", typ, kid: this.opts.key.kid })
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + expiresInSeconds)
      .sign(this.opts.key.privateKey);
  }

  async delegatedAccessToken(input: DelegatedTokenInput): Promise<string> {
    const { tenant, person } = input;
    const claims: Record<string, unknown> = {
      iss: this.issuer(tenant.id),
      aud: input.audience,
      tid: tenant.id,
      oid: person.id,
      sub: pairwiseSubject(person.id, input.audience),
      preferred_username: person.userPrincipalName,
      name: person.displayName,
      given_name: person.givenName,
      family_name: person.surname,
      scp: input.permissions.join(" "),
      azp: input.clientId,
      azpacr: "0",
      idtyp: "user",
      ver: "2.0",
    };
    if (input.roles.length > 0) claims.roles = [...input.roles];
    return this.sign(claims, input.expiresInSeconds);
  }

  async appAccessToken(input: AppTokenInput): Promise<string> {
    const claims: Record<string, unknown> = {
      iss: this.issuer(input.tenant.id),
      aud: input.audience,
      tid: input.tenant.id,
      oid: input.servicePrincipalId,
      sub: input.servicePrincipalId,
      azp: input.clientId,
      azpacr: "1",
      idtyp: "app",
      ver: "2.0",
    };
    if (input.roles.length > 0) claims.roles = [...input.roles];
    return this.sign(claims, input.expiresInSeconds);
  }

  async idToken(tenant: DemoTenant, person: DemoPerson, clientId: string, nonce: string | undefined): Promise<string> {
    const claims: Record<string, unknown> = {
      iss: this.issuer(tenant.id),
      aud: clientId,
      tid: tenant.id,
      oid: person.id,
      sub: pairwiseSubject(person.id, clientId),
      preferred_username: person.userPrincipalName,
      name: person.displayName,
      email: person.mail,
      ver: "2.0",
    };
    if (nonce) claims.nonce = nonce;
    return this.sign(claims, 3600);
  }

  /** Refresh tokens are signed too, so they survive a restart like the access tokens do. */
  async refreshToken(tenant: DemoTenant, person: DemoPerson, clientId: string, scope: string): Promise<string> {
    return this.sign({ iss: this.issuer(tenant.id), aud: REFRESH_AUDIENCE, tid: tenant.id, oid: person.id, azp: clientId, scope }, 90 * 24 * 3600, "RT+JWT");
  }

  async verifyRefreshToken(token: string, tenant: DemoTenant): Promise<{ oid: string; clientId: string; scope: string }> {
    try {
      const { payload } = await jwtVerify(token, this.opts.key.publicKey, {
        algorithms: ["RS256"],
        audience: REFRESH_AUDIENCE,
        issuer: this.issuer(tenant.id),
        typ: "RT+JWT",
        currentDate: this.opts.now(),
      });
      return { oid: String(payload.oid), clientId: String(payload.azp), scope: String(payload.scope ?? "") };
    } catch (err) {
      throw new OAuthError("invalid_grant", 9002313, `Invalid request. Request is malformed or invalid: refresh token rejected (${(err as Error).message}).`);
    }
  }

  /**
   * Checks signature, lifetime, audience and that `iss` is this tenant's issuer for the token's
   * own `tid`. Throws with a short reason.
   */
  async verify(token: string, audiences: string[]): Promise<VerifiedToken> {
    const { payload } = await jwtVerify(token, this.opts.key.publicKey, {
      algorithms: ["RS256"],
      audience: audiences,
      currentDate: this.opts.now(),
      typ: "JWT",
    });
    const tid = typeof payload.tid === "string" ? payload.tid : "";
    if (!tid || payload.iss !== this.issuer(tid)) throw new Error("issuer does not match the token's tenant");
    return { payload: payload as JWTPayload & Record<string, unknown>, tenantId: tid };
  }
}
