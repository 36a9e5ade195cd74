import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { FAST_OUTBOX } from "./wait";

const ROOT = path.resolve(__dirname, "../../..");

/** A child process whose output is kept, so a test can wait for a line and show the log when something fails. */
export class Child {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly proc: ChildProcess) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) this.output.push(line);
      if (this.output.length > 5000) this.output.splice(0, this.output.length - 5000);
    };
    proc.stdout?.on("data", keep);
    proc.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
  }

  /** Resolves with the first output line that matches, or fails when the process exits first or time runs out. */
  waitForLine(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${this.tail()}`)), timeoutMs);
      const check = setInterval(() => {
        const hit = this.output.find((l) => pattern.test(l));
        if (hit) done(null, hit);
      }, 25);
      const onExit = (code: number | null) => done(new Error(`process exited (${code}) before printing ${pattern}:\n${this.tail()}`));
      this.proc.once("exit", onExit);
      const done = (err: Error | null, line?: string) => {
        clearTimeout(timer);
        clearInterval(check);
        this.proc.off("exit", onExit);
        if (err) reject(err);
        else resolve(line!);
      };
    });
  }

  tail(lines = 40): string {
    return this.output.slice(-lines).join("\n");
  }

  /** SIGKILL: no cleanup, no graceful stop, exactly like a crash. */
  async kill9(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill("SIGKILL");
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill("SIGTERM");
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

function node(script: string, env: Record<string, string>): Child {
  return new Child(spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] }));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface LocalTenantProcess {
  /** Base URL; the tenant answers under `${base}/local-m365`. */
  base: string;
  child: Child;
  token(upn: string): Promise<string>;
}

/** The local Microsoft 365 tenant in its own process, its events kept in a file so they outlive any server. */
export async function startLocalTenant(dir: string): Promise<LocalTenantProcess> {
  const child = node("server/src/local-m365/main.ts", {
    NODE_ENV: "test",
    LOCAL_M365_PORT: "0",
    LOCAL_M365_STATE: path.join(dir, "local-m365-state.db"),
    LOCAL_M365_KEY_FILE: path.join(dir, "local-m365-key.json"),
  });
  const line = await child.waitForLine(/local Microsoft 365 tenant listening/);
  const url = (JSON.parse(line) as { url: string }).url;
  const base = url.replace(/\/local-m365\/?$/, "");
  return {
    base,
    child,
    async token(upn) {
      const tid = upn.endsWith("@fabrikam.test") ? "fabf0000-0000-4000-8000-000000000002" : "c0c0c0c0-0000-4000-8000-000000000001";
      const res = await fetch(`${base}/local-m365/${tid}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", username: upn, password: "local", client_id: "11111111-1eee-4a11-8000-00000000a001", scope: "api://leeway/access_as_user" }),
      });
      const body = (await res.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`no token for ${upn}: ${JSON.stringify(body)}`);
      return body.access_token;
    },
  };
}

export interface ServerProcess {
  baseUrl: string;
  child: Child;
}

/** Leeway as `npm start` runs it, in a child process, pointed at a local tenant in another process. */
export async function startServerProcess(opts: { port: number; dataDir: string; tenantBase: string; dbEnv: Record<string, string>; env?: Record<string, string> }): Promise<ServerProcess> {
  const child = node("server/src/main.ts", {
    NODE_ENV: "test",
    PORT: String(opts.port),
    LEEWAY_DATA_DIR: opts.dataDir,
    LEEWAY_LOCAL_M365_URL: opts.tenantBase,
    LOG_LEVEL: process.env.LEEWAY_TEST_LOG ?? "warn",
    ...FAST_OUTBOX,
    LEEWAY_OUTBOX_LEASE_SECONDS: "3",
    ...opts.dbEnv,
    ...(opts.env ?? {}),
  });
  await child.waitForLine(/Leeway is running at/, 90_000);
  return { baseUrl: `http://127.0.0.1:${opts.port}`, child };
}
