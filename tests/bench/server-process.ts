import { spawnLeeway, type LeewayProcess } from "../support/spawn-leeway";

export type RunningServer = LeewayProcess;

/** Starts Leeway the way the README does (a separate process), on a free loopback port. */
export const startServer = (env: Record<string, string>): Promise<RunningServer> => spawnLeeway(env, 180_000);

export async function tokenFor(base: string, upn: string): Promise<string> {
  const tid = upn.endsWith("@fabrikam.test") ? "fabf0000-0000-4000-8000-000000000002" : "c0c0c0c0-0000-4000-8000-000000000001";
  const res = await fetch(`${base}/local-m365/${tid}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "password", username: upn, password: "x", client_id: "11111111-1eee-4a11-8000-00000000a001", scope: "api://leeway/access_as_user" }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token for ${upn}`);
  return body.access_token;
}

export async function api<T>(base: string, token: string, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
