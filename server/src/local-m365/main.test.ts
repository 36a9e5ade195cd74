// The standalone local tenant (main.ts) as a separate process: it starts, serves, stops on
// SIGTERM, and a restart keeps both its signing key and its calendar state.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const ROOT = resolve(__dirname, "../../..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const TID = "c0c0c0c0-0000-4000-8000-000000000001";

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

function start(env: Record<string, string>): Promise<Running> {
  const child = spawn(TSX, [join(__dirname, "main.ts")], { cwd: ROOT, env: { ...process.env, NODE_ENV: "test", ...env } });
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error("the local tenant did not start within 20 s")), 20_000);
    createInterface({ input: child.stdout }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === "local Microsoft 365 tenant listening" && entry.url) {
          clearTimeout(timer);
          resolveStart({ child, url: entry.url });
        }
      } catch {
        // not a log line
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the local tenant exited early with ${String(code)}`));
    });
  });
}

function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolveStop) => {
    child.once("exit", (code) => resolveStop(code));
    child.kill("SIGTERM");
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "local-m365-main-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it("serves the tenant on its own port and keeps key and state across a SIGTERM restart", async () => {
  const env = { LOCAL_M365_PORT: "0", LOCAL_M365_STATE: join(dir, "state.sqlite"), LOCAL_M365_KEY_FILE: join(dir, "key.json") };
  const first = await start(env);
  expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/local-m365$/);

  const discovery = (await (await fetch(`${first.url}/${TID}/v2.0/.well-known/openid-configuration`)).json()) as { issuer: string };
  expect(discovery.issuer).toBe(`${first.url}/${TID}/v2.0`);

  const tokenResponse = await fetch(`${first.url}/${TID}/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "password", client_id: "standalone-test", username: "megan.bowen@contoso.test", password: "x", scope: "https://graph.microsoft.com/.default" }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const created = await fetch(`${first.url}/graph/v1.0/me/events`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ subject: "Kept", start: { dateTime: "2031-02-03T09:00:00", timeZone: "UTC" }, end: { dateTime: "2031-02-03T09:30:00", timeZone: "UTC" } }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect(await stop(first.child)).toBe(0);

  // A fixed port keeps the issuer (and so the old token) valid after the restart.
  const port = new URL(first.url).port;
  const second = await start({ ...env, LOCAL_M365_PORT: port });
  try {
    const again = await fetch(`${second.url}/graph/v1.0/me/events/${id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { subject: string }).subject).toBe("Kept");
  } finally {
    expect(await stop(second.child)).toBe(0);
  }
}, 60_000);
