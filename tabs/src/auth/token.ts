// What every way of signing in gives the rest of the app: a bearer token for the Leeway API.

export interface SignedInAccount {
  oid: string;
  tenantId: string;
  name: string;
  username: string;
}

export interface TokenSource {
  /** How the token is obtained, shown in the header and useful when diagnosing a host. */
  readonly kind: "local" | "msal" | "naa" | "teams-sso";
  account(): SignedInAccount | null;
  /** A valid access token; `forceRefresh` after the API answered 401. */
  getToken(forceRefresh?: boolean): Promise<string>;
  /** Null when the host owns the session (inside Teams there is nothing to sign out of). */
  signOut: (() => void) | null;
}

/** Claims of an access token, read without verifying it: the server verifies every token. */
export function readClaims(token: string): Record<string, unknown> | null {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function accountFromToken(token: string): SignedInAccount | null {
  const c = readClaims(token);
  if (!c || typeof c.oid !== "string" || typeof c.tid !== "string") return null;
  return {
    oid: c.oid,
    tenantId: c.tid,
    name: typeof c.name === "string" ? c.name : "",
    username: typeof c.preferred_username === "string" ? c.preferred_username : "",
  };
}

export class SignInRequiredError extends Error {
  constructor(message = "Sign-in is required.") {
    super(message);
    this.name = "SignInRequiredError";
  }
}
