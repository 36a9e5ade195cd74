// Sign-in outside Outlook, against the local tenant that `npm start` serves: the OAuth 2.0
// authorization code flow with PKCE (RFC 7636), redirecting back to this page. MSAL cannot be used
// here because it refuses an authority that is not https (see NOTES.md).
import { API_SCOPE, CLIENT_ID } from "./config";
import { saveSession, sessionFromToken, type Session } from "./session";

const PENDING_KEY = "leeway.addin.pending-signin";
// offline_access: a refresh token, so that a Graph token (to look people up) needs no second redirect.
const SCOPE = `${API_SCOPE} openid profile offline_access`;
const REFRESH_KEY = "leeway.addin.refresh";
const GRAPH_SCOPE = "https://graph.microsoft.com/User.ReadBasic.All";

interface PendingSignIn {
  state: string;
  verifier: string;
  tenantId: string;
  redirectUri: string;
}

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(bytes = 32): string {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return base64url(a);
}

async function challengeOf(verifier: string): Promise<string> {
  if (!crypto.subtle) throw new Error("Signing in needs a secure page: open the task pane over https or on localhost / 127.0.0.1.");
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

/** This page without query or fragment: where the sign-in page sends the code back. */
export function redirectUri(loc: Location = window.location): string {
  return `${loc.origin}${loc.pathname}`;
}

function authority(tenantId: string): string {
  return `${window.location.origin}/local-m365/${encodeURIComponent(tenantId)}/oauth2/v2.0`;
}

/** Leaves for the local tenant's sign-in page; it comes back to this page with a code. */
export async function startLocalSignIn(tenantId: string, loginHint?: string): Promise<void> {
  const pending: PendingSignIn = { state: randomString(16), verifier: randomString(32), tenantId, redirectUri: redirectUri() };
  const params = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: "code",
    redirect_uri: pending.redirectUri,
    scope: SCOPE,
    state: pending.state,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: "S256",
    response_mode: "query",
    ...(loginHint ? { login_hint: loginHint } : {}),
  });
  window.sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  window.location.assign(`${authority(tenantId)}/authorize?${params.toString()}`);
}

export class SignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignInError";
  }
}

/**
 * When this page was opened by the sign-in redirect, redeems the code for a token and removes the
 * code from the address bar. Returns the new session, or null when there was nothing to finish.
 */
export function finishLocalSignIn(loc: Location = window.location): Promise<Session | null> {
  // The code can be redeemed once only; a second caller (React's strict mode runs effects twice)
  // waits for the same answer.
  finishing ??= redeem(loc);
  return finishing;
}

let finishing: Promise<Session | null> | null = null;

async function redeem(loc: Location): Promise<Session | null> {
  const query = new URLSearchParams(loc.search);
  const code = query.get("code");
  const error = query.get("error");
  if (!code && !error) return null;
  const raw = window.sessionStorage.getItem(PENDING_KEY);
  window.sessionStorage.removeItem(PENDING_KEY);
  window.history.replaceState(null, "", `${loc.pathname}${loc.hash}`);
  if (error) throw new SignInError(query.get("error_description") ?? error);
  const pending = raw ? (JSON.parse(raw) as PendingSignIn) : null;
  if (!pending || pending.state !== query.get("state")) throw new SignInError("The sign-in answer does not belong to this page's request; please sign in again.");
  const res = await fetch(`${authority(pending.tenantId)}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: CLIENT_ID,
      code: code ?? "",
      redirect_uri: pending.redirectUri,
      code_verifier: pending.verifier,
      scope: SCOPE,
    }),
  });
  const body = await tokenAnswer(res);
  const session = sessionFromToken(body.access_token, body.expires_in ?? 3600);
  saveSession(session);
  if (body.refresh_token) window.sessionStorage.setItem(REFRESH_KEY, JSON.stringify({ token: body.refresh_token, tenantId: pending.tenantId }));
  return session;
}

interface TokenAnswer {
  access_token: string;
  expires_in?: number;
  refresh_token?: string;
}

async function tokenAnswer(res: Response): Promise<TokenAnswer> {
  const body = (await res.json().catch(() => ({}))) as Partial<TokenAnswer> & { error_description?: string; error?: string };
  if (!res.ok || !body.access_token) throw new SignInError(body.error_description ?? body.error ?? `The token endpoint answered ${res.status}.`);
  return body as TokenAnswer;
}

let graph: { token: string; expiresAt: number } | null = null;

/** A Microsoft Graph token (User.ReadBasic.All) from the refresh token of the local sign-in. */
export async function localGraphToken(): Promise<string> {
  if (graph && graph.expiresAt - 60_000 > Date.now()) return graph.token;
  const raw = window.sessionStorage.getItem(REFRESH_KEY);
  if (!raw) throw new SignInError("Sign in again to look people up in the directory.");
  const refresh = JSON.parse(raw) as { token: string; tenantId: string };
  const res = await fetch(`${authority(refresh.tenantId)}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", client_id: CLIENT_ID, refresh_token: refresh.token, scope: GRAPH_SCOPE }),
  });
  const body = await tokenAnswer(res);
  if (body.refresh_token) window.sessionStorage.setItem(REFRESH_KEY, JSON.stringify({ token: body.refresh_token, tenantId: refresh.tenantId }));
  graph = { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
  return graph.token;
}

/** Where the local tenant serves its Graph stand-in. */
export const LOCAL_GRAPH_BASE = "/local-m365/graph/v1.0";

export function forgetLocalSignIn(): void {
  graph = null;
  window.sessionStorage.removeItem(REFRESH_KEY);
}
