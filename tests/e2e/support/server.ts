// Starts Leeway for the browser tests the way the README does (`node --import tsx
// server/src/main.ts`: local tenant, embedded SQLite, demo organisation seeded), on a free port
// with a fresh data directory, after making sure the Teams tab is built.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnLeeway } from "../../support/spawn-leeway";
import { ROOT, ensureBuilt } from "./build";

export { ROOT };

export const CONTOSO = "c0c0c0c0-0000-4000-8000-000000000001";
export const CLIENT_ID = "11111111-1eee-4a11-8000-00000000a001";

/** Builds tabs/dist when it is missing or older than its sources. */
export const ensureTabBuilt = () => ensureBuilt("tabs");

export interface Leeway {
  baseUrl: string;
  /** An access token for a demo person (password grant of the local tenant). */
  token(upn: string): Promise<string>;
  /** Calls the API as a demo person; answers the parsed JSON, throws on an error status. */
  api<T = unknown>(upn: string, method: string, apiPath: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  stop(): Promise<void>;
}

export async function startLeeway(env: Record<string, string> = {}): Promise<Leeway> {
  await ensureTabBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "leeway-e2e-"));
  const proc = await spawnLeeway({ NODE_ENV: "development", LEEWAY_DATA_DIR: dir, DATABASE_URL: path.join(dir, "leeway.db"), LEEWAY_RATE_LIMIT_PER_MINUTE: "100000", ...env });
  const baseUrl = proc.url;
  const tokens = new Map<string, string>();
  const token = async (upn: string) => {
    const cached = tokens.get(upn);
    if (cached) return cached;
    const tenant = upn.endsWith("@fabrikam.test") ? "fabf0000-0000-4000-8000-000000000002" : CONTOSO;
    const res = await fetch(`${baseUrl}/local-m365/${tenant}/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "password", username: upn, password: "x", client_id: CLIENT_ID, scope: "api://leeway/access_as_user" }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`no token for ${upn}: ${JSON.stringify(body)}`);
    tokens.set(upn, body.access_token);
    return body.access_token;
  };
  return {
    baseUrl,
    token,
    async api<T>(upn: string, method: string, apiPath: string, body?: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(`${baseUrl}/api/v1${apiPath}`, {
        method,
        headers: { authorization: `Bearer ${await token(upn)}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${apiPath} as ${upn}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async stop() {
      await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
