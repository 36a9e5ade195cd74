// Sign-in against the server's local Microsoft 365 tenant from a plain browser: authorization
// code with PKCE (S256), the code returned in the fragment, exchanged at the token endpoint.
// The access token lives in sessionStorage, so it ends with the browser tab.
import type { TabConfig } from "../config";
import { SignInRequiredError, accountFromToken, type SignedInAccount, type TokenSource } from "./token";

const SESSION_KEY = "leeway.session";
const PENDING_KEY = "leeway.signin";
/** Renew this long before expiry, so a request never leaves with a token about to lapse. */
const RENEW_MARGIN_MS = 2 * 60 * 1000;

interface StoredSession {
  accessToken: string;
  expiresAt: number;
  tenantId: string;
}

interface PendingSignIn {
  state: string;
  verifier: string;
  tenantId: string;
  redirectUri: string;
  route: string;
}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function randomString(byteCount: number): string {
  const bytes = new Uint8Array(byteCount);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

async function challengeOf(verifier: string): Promise<string> {
  if (!crypto.subtle) throw new Error("This page needs a secure context (https or a loopback address) to sign in.");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function readJson<T>(key: string): T | null {
  const raw = sessionStorage.getItem(key);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    sessionStorage.removeItem(key);
    return null;
  }
}

const authorityOf = (tenantId: string) => `${location.origin}/local-m365/${encodeURIComponent(tenantId)}/oauth2/v2.0`;
const currentRoute = () => (location.hash.startsWith("#/") ? location.hash.slice(1) : "/my");

export interface StartSignInOptions {
  tenantId: string;
  loginHint?: string;
  /** prompt=none: renew without showing the sign-in page (the local tenant needs the login hint). */
  silent?: boolean;
  route?: string;
}

/** Leaves the page for the local tenant's sign-in page; it comes back with a code in the fragment. */
export async function startLocalSignIn(config: TabConfig, opts: StartSignInOptions): Promise<never> {
  const verifier = randomString(48);
  const state = randomString(16);
  const redirectUri = `${location.origin}${location.pathname}${location.search}`;
  const pending: PendingSignIn = { state, verifier, tenantId: opts.tenantId, redirectUri, route: opts.route ?? currentRoute() };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const params = new URLSearchParams({
    client_id: config.clientId,
    response_type: "code",
    response_mode: "fragment",
    redirect_uri: redirectUri,
    scope: `${config.apiScope} openid profile`,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: "S256",
    state,
    nonce: randomString(16),
  });
  if (opts.loginHint) params.set("login_hint", opts.loginHint);
  if (opts.silent) params.set("prompt", "none");
  location.assign(`${authorityOf(opts.tenantId)}/authorize?${params.toString()}`);
  // The page is being replaced; nothing after this runs.
  return new Promise<never>(() => undefined);
}

export class SignInFailedError extends Error {}

/**
 * Finishes a sign-in when the page is the redirect target (the fragment carries `code` or
 * `error` and our `state`). Answers the route to show afterwards, or null when the page was not
 * a sign-in redirect.
 */
export async function completeLocalSignIn(config: TabConfig): Promise<string | null> {
  if (!isSignInAnswer()) return null;
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  const state = fragment.get("state") ?? "";
  const pending = readJson<PendingSignIn>(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const route = pending?.route ?? "/my";
  history.replaceState(null, "", `${location.pathname}${location.search}#${route}`);
  if (!pending || pending.state !== state) throw new SignInFailedError("The sign-in answer did not match a sign-in started here. Please sign in again.");
  const error = fragment.get("error");
  if (error) {
    if (error === "login_required" || error === "interaction_required") return null;
    throw new SignInFailedError(fragment.get("error_description") ?? error);
  }
  const res = await fetch(`${authorityOf(pending.tenantId)}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: fragment.get("code") ?? "",
      code_verifier: pending.verifier,
      client_id: config.clientId,
      redirect_uri: pending.redirectUri,
      scope: `${config.apiScope} openid profile`,
    }),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error_description?: string };
  if (!res.ok || !body.access_token) throw new SignInFailedError(body.error_description ?? `The token endpoint answered ${res.status}.`);
  const session: StoredSession = { accessToken: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000, tenantId: pending.tenantId };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return route;
}

/** Whether this page load is the sign-in page sending the person back with a code or an error. */
export function isSignInAnswer(): boolean {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  return fragment.has("state") && (fragment.has("code") || fragment.has("error"));
}

/**
 * The token source of a browser signed in to the local tenant, or null when nobody is. It reads
 * sessionStorage synchronously, so the first API requests need not wait for config.json; the
 * configuration is only needed to renew the session.
 */
export function localTokenSource(config: () => Promise<TabConfig>): TokenSource | null {
  const session = readJson<StoredSession>(SESSION_KEY);
  if (!session) return null;
  let account: SignedInAccount | null = accountFromToken(session.accessToken);
  return {
    kind: "local",
    account: () => account,
    async getToken(forceRefresh = false) {
      const current = readJson<StoredSession>(SESSION_KEY);
      if (current && !forceRefresh && current.expiresAt - Date.now() > RENEW_MARGIN_MS) {
        account = accountFromToken(current.accessToken);
        return current.accessToken;
      }
      sessionStorage.removeItem(SESSION_KEY);
      if (account?.username) {
        // Renew silently: the local tenant issues a new code for the hinted person without a page.
        return startLocalSignIn(await config(), { tenantId: session.tenantId, loginHint: account.username, silent: true });
      }
      throw new SignInRequiredError("Your session has ended. Please sign in again.");
    },
    signOut() {
      sessionStorage.removeItem(SESSION_KEY);
      account = null;
      location.reload();
    },
  };
}
