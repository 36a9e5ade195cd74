// POST /{tid}/oauth2/v2.0/token: the grants Leeway and its clients use, answered in Entra's shape.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { DEMO, type DemoPerson, type DemoTenant } from "./demo-directory";
import {
  GRAPH_APPLICATION_PERMISSIONS,
  OAuthError,
  clientInfo,
  resolveScope,
  type ResolvedScope,
  type ScopeConfig,
  type TokenIssuer,
} from "./tokens";

export const ACCESS_TOKEN_LIFETIME = 3599;
const CODE_LIFETIME_MS = 10 * 60 * 1000;

const SERVICE_PRINCIPALS: Record<string, string> = {
  [DEMO.contoso.tenantId]: DEMO.contoso.servicePrincipal,
  [DEMO.fabrikam.tenantId]: DEMO.fabrikam.servicePrincipal,
};

export function servicePrincipalOf(tenant: DemoTenant): string {
  return SERVICE_PRINCIPALS[tenant.id] ?? tenant.id;
}

export interface AuthCodeGrant {
  tenantId: string;
  personId: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string;
  nonce?: string;
  expiresAt: number;
}

/** Authorization codes live in memory, are single-use and expire after ten minutes, as in Entra. */
export class AuthCodeStore {
  private readonly codes = new Map<string, AuthCodeGrant>();

  constructor(private readonly now: () => Date) {}

  issue(grant: Omit<AuthCodeGrant, "expiresAt">): string {
    const t = this.now().getTime();
    for (const [code, g] of this.codes) if (g.expiresAt <= t) this.codes.delete(code);
    const code = `1.local.${randomBytes(32).toString("base64url")}`;
    this.codes.set(code, { ...grant, expiresAt: t + CODE_LIFETIME_MS });
    return code;
  }

  redeem(code: string): AuthCodeGrant | undefined {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    if (!grant || grant.expiresAt <= this.now().getTime()) return undefined;
    return grant;
  }
}

export interface TokenEndpointContext {
  issuer: TokenIssuer;
  scopes: ScopeConfig;
  codes: AuthCodeStore;
}

type Form = Record<string, string | undefined>;

function required(form: Form, name: string): string {
  const value = form[name];
  if (!value) throw new OAuthError("invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`);
  return value;
}

/** Returns the client id after checking a confidential client presented some credential. */
function confidentialClient(form: Form, authorization: string | undefined): string {
  let clientId = form.client_id;
  let secret = form.client_secret ?? form.client_assertion;
  if (authorization?.startsWith("Basic ")) {
    const decoded = Buffer.from(authorization.slice(6), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      clientId = clientId ?? decodeURIComponent(decoded.slice(0, colon));
      secret = secret ?? decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  if (!clientId) throw new OAuthError("invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
  // The local tenant keeps no client secrets: any credential is accepted, but one must be sent,
  // so code that forgets to authenticate as a confidential client fails here as it would in Entra.
  if (!secret) throw new OAuthError("invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", 401);
  return clientId;
}

function personOf(tenant: DemoTenant, id: string): DemoPerson {
  const person = tenant.people.find((p) => p.id === id);
  if (!person) throw new OAuthError("invalid_grant", 50034, `The user account ${id} does not exist in the ${tenant.domain} directory.`);
  return person;
}

async function delegatedResponse(ctx: TokenEndpointContext, tenant: DemoTenant, person: DemoPerson, scope: ResolvedScope, rawScope: string, clientId: string, opts: { nonce?: string; allowRefresh?: boolean } = {}): Promise<Record<string, unknown>> {
  const access_token = await ctx.issuer.delegatedAccessToken({
    tenant,
    person,
    audience: scope.audience,
    permissions: scope.permissions,
    roles: scope.resource === "api" ? person.roles : [],
    clientId,
    expiresInSeconds: ACCESS_TOKEN_LIFETIME,
  });
  const body: Record<string, unknown> = {
    token_type: "Bearer",
    scope: scope.responseScope,
    expires_in: ACCESS_TOKEN_LIFETIME,
    ext_expires_in: ACCESS_TOKEN_LIFETIME,
    access_token,
    client_info: clientInfo(person.id, tenant.id),
  };
  if (scope.oidc.has("openid")) body.id_token = await ctx.issuer.idToken(tenant, person, clientId, opts.nonce);
  if (scope.oidc.has("offline_access") && opts.allowRefresh !== false) {
    body.refresh_token = await ctx.issuer.refreshToken(tenant, person, clientId, rawScope);
  }
  return body;
}

async function passwordGrant(ctx: TokenEndpointContext, tenant: DemoTenant, form: Form): Promise<Record<string, unknown>> {
  const clientId = required(form, "client_id");
  const username = required(form, "username").toLowerCase();
  const person = tenant.people.find((p) => p.userPrincipalName.toLowerCase() === username);
  if (!person) throw new OAuthError("invalid_grant", 50034, `The user account ${username} does not exist in the ${tenant.domain} directory. To sign into this application, the account must be added to the directory.`);
  const scope = resolveScope(form.scope, ctx.scopes, "delegated");
  return delegatedResponse(ctx, tenant, person, scope, form.scope ?? "", clientId);
}

async function clientCredentialsGrant(ctx: TokenEndpointContext, tenant: DemoTenant, form: Form, authorization?: string): Promise<Record<string, unknown>> {
  const clientId = confidentialClient(form, authorization);
  const scope = resolveScope(required(form, "scope"), ctx.scopes, "app");
  const access_token = await ctx.issuer.appAccessToken({
    tenant,
    audience: scope.audience,
    roles: scope.resource === "graph" ? GRAPH_APPLICATION_PERMISSIONS : [],
    clientId,
    servicePrincipalId: servicePrincipalOf(tenant),
    expiresInSeconds: ACCESS_TOKEN_LIFETIME,
  });
  return { token_type: "Bearer", expires_in: ACCESS_TOKEN_LIFETIME, ext_expires_in: ACCESS_TOKEN_LIFETIME, access_token };
}

async function onBehalfOfGrant(ctx: TokenEndpointContext, tenant: DemoTenant, form: Form, authorization?: string): Promise<Record<string, unknown>> {
  if (form.requested_token_use !== "on_behalf_of") {
    throw new OAuthError("invalid_request", 50027, "The jwt-bearer grant needs requested_token_use=on_behalf_of.");
  }
  const clientId = confidentialClient(form, authorization);
  const assertion = required(form, "assertion");
  if (ctx.scopes.apiClientId && clientId !== ctx.scopes.apiClientId) {
    throw new OAuthError("invalid_grant", 50013, "Assertion audience does not match the Client app presenting the assertion.");
  }
  const audiences = [ctx.scopes.apiAudience, ...(ctx.scopes.apiClientId ? [ctx.scopes.apiClientId] : [])];
  let payload: Record<string, unknown>;
  try {
    payload = (await ctx.issuer.verify(assertion, audiences)).payload;
  } catch (err) {
    throw new OAuthError("invalid_grant", 50013, `Assertion failed signature validation. [Reason - ${(err as Error).message}]`);
  }
  if (payload.tid !== tenant.id) throw new OAuthError("invalid_grant", 50013, "Assertion was issued by a different tenant.");
  if (typeof payload.scp !== "string" || typeof payload.oid !== "string") {
    throw new OAuthError("invalid_grant", 50013, "The assertion is not a delegated user token.");
  }
  const person = personOf(tenant, payload.oid);
  const scope = resolveScope(required(form, "scope"), ctx.scopes, "delegated");
  return delegatedResponse(ctx, tenant, person, scope, form.scope ?? "", clientId, { allowRefresh: false });
}

function pkceMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

async function authorizationCodeGrant(ctx: TokenEndpointContext, tenant: DemoTenant, form: Form): Promise<Record<string, unknown>> {
  const clientId = required(form, "client_id");
  const grant = ctx.codes.redeem(required(form, "code"));
  if (!grant || grant.tenantId !== tenant.id) {
    throw new OAuthError("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity, or was already redeemed.");
  }
  if (grant.clientId !== clientId) throw new OAuthError("invalid_grant", 70002, "The authorization code was issued to a different client.");
  if (grant.redirectUri !== form.redirect_uri) {
    throw new OAuthError("invalid_grant", 500112, "The reply address does not match the reply address provided when requesting the authorization code.");
  }
  const verifier = required(form, "code_verifier");
  if (!pkceMatches(verifier, grant.codeChallenge)) {
    throw new OAuthError("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
  }
  const rawScope = form.scope ?? grant.scope;
  const scope = resolveScope(rawScope, ctx.scopes, "delegated");
  return delegatedResponse(ctx, tenant, personOf(tenant, grant.personId), scope, rawScope, clientId, { nonce: grant.nonce });
}

async function refreshTokenGrant(ctx: TokenEndpointContext, tenant: DemoTenant, form: Form): Promise<Record<string, unknown>> {
  const clientId = required(form, "client_id");
  const refresh = await ctx.issuer.verifyRefreshToken(required(form, "refresh_token"), tenant);
  if (refresh.clientId !== clientId) throw new OAuthError("invalid_grant", 70000, "The refresh token was issued to a different client.");
  // Entra lets a refresh token be exchanged for another resource; offline_access carries over.
  const rawScope = form.scope ? `${form.scope} ${refresh.scope.split(/\s+/).filter((s) => s === "offline_access").join(" ")}`.trim() : refresh.scope;
  const scope = resolveScope(rawScope, ctx.scopes, "delegated");
  return delegatedResponse(ctx, tenant, personOf(tenant, refresh.oid), scope, rawScope, clientId);
}

/** Runs one token request; throws OAuthError for anything Entra would refuse. */
export async function handleTokenRequest(ctx: TokenEndpointContext, tenant: DemoTenant, form: Form, authorization?: string): Promise<Record<string, unknown>> {
  const grantType = required(form, "grant_type");
  switch (grantType) {
    case "password":
      return passwordGrant(ctx, tenant, form);
    case "client_credentials":
      return clientCredentialsGrant(ctx, tenant, form, authorization);
    case "urn:ietf:params:oauth:grant-type:jwt-bearer":
      return onBehalfOfGrant(ctx, tenant, form, authorization);
    case "authorization_code":
      return authorizationCodeGrant(ctx, tenant, form);
    case "refresh_token":
      return refreshTokenGrant(ctx, tenant, form);
    default:
      throw new OAuthError("unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`);
  }
}
