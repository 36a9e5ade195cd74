// The signed-in person's access token, kept in memory and in sessionStorage (never localStorage),
// so that it lasts as long as the task pane's tab and no longer.

export interface Session {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  name: string;
  username: string;
  tenantId: string;
}

export class SignInRequiredError extends Error {
  constructor(message = "Please sign in.") {
    super(message);
    this.name = "SignInRequiredError";
  }
}

const KEY = "leeway.addin.session";
let current: Session | null = null;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Claims of a JWT, without checking it (the server does that); only to show who is signed in. */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) return {};
  try {
    const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function sessionFromToken(accessToken: string, expiresInSeconds: number, now = Date.now()): Session {
  const c = jwtClaims(accessToken);
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    accessToken,
    expiresAt: typeof c.exp === "number" ? c.exp * 1000 : now + expiresInSeconds * 1000,
    name: text(c.name),
    username: text(c.preferred_username) || text(c.upn),
    tenantId: text(c.tid),
  };
}

export function saveSession(session: Session): void {
  current = session;
  storage()?.setItem(KEY, JSON.stringify(session));
}

/** The stored session while its token is valid for at least another minute; else null. */
export function loadSession(now = Date.now()): Session | null {
  if (!current) {
    const raw = storage()?.getItem(KEY);
    if (raw) {
      try {
        current = JSON.parse(raw) as Session;
      } catch {
        current = null;
      }
    }
  }
  if (current && current.expiresAt - 60_000 > now) return current;
  return null;
}

export function clearSession(): void {
  current = null;
  storage()?.removeItem(KEY);
}
