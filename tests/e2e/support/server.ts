// Starts Leeway for the browser tests the way the README does (`node --import tsx
// server/src/main.ts`: local tenant, embedded SQLite, demo organisation seeded), on a free port
// with a fresh data directory, after making sure the Teams tab is built.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../../..");
const TAB_DIR = path.join(ROOT, "tabs");
const DIST_INDEX = path.join(TAB_DIR, "dist", "index.html");
const LOCK_DIR = path.join(os.tmpdir(), `leeway-tab-build-${Buffer.from(ROOT).toString("base64url").slice(-24)}.lock`);

export const CONTOSO = "c0c0c0c0-0000-4000-8000-000000000001";
export const CLIENT_ID = "11111111-1eee-4a11-8000-00000000a001";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  if (!fs.existsSync(DIST_INDEX)) return true;
  const built = fs.statSync(DIST_INDEX).mtimeMs;
  const lock = path.join(ROOT, "package-lock.json");
  return newestMtime(TAB_DIR) > built || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > built);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds tabs/dist when it is missing or older than its sources; one build at a time across jest workers. */
export async function ensureTabBuilt(): Promise<void> {
  if (!isStale()) return;
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      break;
    } catch {
      // Another worker is building; a lock older than three minutes belongs to a dead run.
      const age = Date.now() - (fs.statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error("timed out waiting for another worker to build the Teams tab");
      await sleep(250);
    }
  }
  try {
    if (!isStale()) return;
    const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--config", path.join(TAB_DIR, "vite.config.ts"), "--logLevel", "warn"], {
      cwd: ROOT,
      encoding: "utf8",
      // jest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: "production", VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" },
    });
    if (r.status !== 0) throw new Error(`building the Teams tab failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

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
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "development",
      PORT: "0",
      LEEWAY_DATA_DIR: dir,
      DATABASE_URL: path.join(dir, "leeway.db"),
      LOG_LEVEL: "warn",
      LEEWAY_RATE_LIMIT_PER_MINUTE: "100000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Leeway did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Leeway is running at (\S+?)\/?\s/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Leeway exited (${code}) before it was ready:\n${output}`));
    });
  });
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
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
