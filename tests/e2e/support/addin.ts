// The Outlook task pane for the browser tests: built into addin/dist when missing or older than its
// sources, opened outside Outlook (so it runs on its preview appointment), signed in on the local
// tenant's page.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { newPage } from "./browser";
import { ROOT, type Leeway } from "./server";

const ADDIN_DIR = path.join(ROOT, "addin");
const DIST_ENTRY = path.join(ADDIN_DIR, "dist", "taskpane.html");
const LOCK_DIR = path.join(os.tmpdir(), `leeway-addin-build-${Buffer.from(ROOT).toString("base64url").slice(-24)}.lock`);

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
  if (!fs.existsSync(DIST_ENTRY)) return true;
  const built = fs.statSync(DIST_ENTRY).mtimeMs;
  const lock = path.join(ROOT, "package-lock.json");
  return newestMtime(ADDIN_DIR) > built || (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > built);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Builds addin/dist when needed; one build at a time across jest workers. */
export async function ensureAddinBuilt(): Promise<void> {
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
      if (Date.now() > deadline) throw new Error("timed out waiting for another worker to build the Outlook add-in");
      await sleep(250);
    }
  }
  try {
    if (!isStale()) return;
    const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", "--config", path.join(ADDIN_DIR, "vite.config.ts"), "--logLevel", "warn"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`building the Outlook add-in failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

export function taskPaneUrl(baseUrl: string): string {
  return `${baseUrl}/addin/taskpane.html`;
}

/**
 * Office.js comes from Microsoft's CDN, which these machines cannot reach; answer its request at
 * once with a network error, as an offline browser would, so no test waits on a DNS timeout.
 */
export async function withoutOfficeCdn(page: Page): Promise<void> {
  await page.route("https://appsforoffice.microsoft.com/**", (route) => route.abort("internetdisconnected"));
}

/** Signs in to the task pane (already open, signed out) as a demo person. */
export async function signInToPane(page: Page, upn: string): Promise<void> {
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/local-m365\/.*\/authorize/);
  await page.locator(`button[name="upn"][value="${upn}"]`).click();
  await page.waitForURL(/\/addin\/taskpane\.html$/);
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

/** The preview appointment's panel, field by field, as a person reads it. */
export async function previewFields(page: Page): Promise<Record<"subject" | "recurrence" | "attendees" | "properties" | "itemId" | "body", string>> {
  const text = async (id: string) => (await page.getByTestId(id).innerText()).trim();
  return {
    subject: await text("preview-subject"),
    recurrence: await text("preview-recurrence"),
    attendees: await text("preview-attendees"),
    properties: await text("preview-properties"),
    itemId: await text("preview-item-id"),
    body: await text("preview-body"),
  };
}

/** A fresh browser profile with the task pane open outside Outlook, signed out. */
export async function openTaskPane(browser: Browser, baseUrl: string): Promise<Page> {
  const { page } = await newPage(browser);
  await withoutOfficeCdn(page);
  await page.goto(taskPaneUrl(baseUrl));
  await page.getByText("Preview: not running in Outlook").waitFor();
  return page;
}

/** An outcome proposed through the API (by the owner or the owner's manager). */
export async function proposeOutcome(leeway: Leeway, asUpn: string, o: { title: string; ownerId: string; teamId: string }): Promise<{ id: string; title: string }> {
  return leeway.api<{ id: string; title: string }>(asUpn, "POST", "/outcomes", {
    ...o,
    measure: { metric: "Median days to settle a card dispute", unit: "days", baseline: 20, target: 8 },
    deadline: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
    ifMissed: "We bring in the disputes team lead and re-plan together.",
    visibility: "team",
  });
}
