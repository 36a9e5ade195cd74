// The browser tests run against the built front ends: each is built with Vite when its dist is
// missing or older than its sources, one build at a time across jest workers.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../../..");

const FRONT_ENDS = {
  tabs: { label: "the Teams tab", entry: "index.html" },
  addin: { label: "the Outlook add-in", entry: "taskpane.html" },
} as const;
export type FrontEnd = keyof typeof FRONT_ENDS;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(app: FrontEnd): boolean {
  const dir = path.join(ROOT, app);
  const entry = path.join(dir, "dist", FRONT_ENDS[app].entry);
  if (!fs.existsSync(entry)) return true;
  const built = fs.statSync(entry).mtimeMs;
  const lock = path.join(ROOT, "package-lock.json");
  return newestMtime(dir) > built || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > built);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function ensureBuilt(app: FrontEnd): Promise<void> {
  if (!isStale(app)) return;
  const lockDir = path.join(os.tmpdir(), `leeway-${app}-build-${Buffer.from(ROOT).toString("base64url").slice(-24)}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch {
      // Another worker is building; a lock older than three minutes belongs to a dead run.
      const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) fs.rmSync(lockDir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another worker to build ${FRONT_ENDS[app].label}`);
      await sleep(250);
    }
  }
  try {
    if (!isStale(app)) return;
    const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--config", path.join(ROOT, app, "vite.config.ts"), "--logLevel", "warn"], {
      cwd: ROOT,
      encoding: "utf8",
      // jest sets NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: "production", VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" },
    });
    if (r.status !== 0) throw new Error(`building ${FRONT_ENDS[app].label} failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}
