import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import zlib from "node:zlib";
import { chromium, type Page } from "playwright-core";
import { launchOptions } from "../support/chromium.cjs";
import { ADELE } from "../e2e/support/people";
import { ROOT, ensureTabBuilt, startLeeway } from "../e2e/support/server";

/**
 * `npm run bench:web [-- --runs 20]`: how quickly the Teams tab's personal page shows its data,
 * and how much JavaScript the first load carries. A benchmark, never a test: it prints, it does
 * not assert. The server is started as the README does and warmed up; everything is loopback.
 *
 * - navigation → data visible: from the navigation's start to the frame after "My outcomes"
 *   rendered the signed-in person's outcomes (the tab marks it as `leeway:my-data`), read from
 *   the page's own performance timeline. Cold = browser cache emptied before each run; warm =
 *   assets cached, as when a person comes back to the tab.
 * - initial JavaScript: every script the browser fetched for that first screen (the entry, the
 *   app it imports at once, and their modules), each gzipped at level 9 from tabs/dist.
 *
 * BENCH_WEB_TRACE=1 also prints each run's timeline (HTML, boot, scripts and API requests).
 */
const { values } = parseArgs({ options: { runs: { type: "string", default: "20" } } });
const RUNS = Math.max(3, Number(values.runs));
const DIST = path.join(ROOT, "tabs", "dist");

function gzipSize(file: string): number {
  return zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

/** Sizes of the scripts a page fetched, from its resource timeline and the built files. */
async function scriptsLoaded(page: Page): Promise<{ files: { name: string; raw: number; gzip: number }[]; raw: number; gzip: number }> {
  const urls = await page.evaluate(() => performance.getEntriesByType("resource").map((r) => r.name).filter((n) => /\/tabs\/assets\/[^/]+\.js$/.test(n)));
  const names = [...new Set(urls.map((u) => `assets/${u.split("/").pop() as string}`))];
  const files = names.map((name) => ({ name, raw: fs.statSync(path.join(DIST, name)).size, gzip: gzipSize(path.join(DIST, name)) }));
  return { files, raw: files.reduce((n, f) => n + f.raw, 0), gzip: files.reduce((n, f) => n + f.gzip, 0) };
}

function lazyChunks(initial: Set<string>): { name: string; gzip: number }[] {
  return fs
    .readdirSync(path.join(DIST, "assets"))
    .filter((f) => f.endsWith(".js") && !initial.has(`assets/${f}`))
    .map((f) => ({ name: f, gzip: gzipSize(path.join(DIST, "assets", f)) }))
    .sort((a, b) => b.gzip - a.gzip);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const ms = (n: number) => `${n.toFixed(0)} ms`;

function stats(values: number[]): { median: number; p95: number; min: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
  return { median: at(0.5), p95: at(0.95), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

async function measure(page: Page, url: string): Promise<number> {
  await page.goto("about:blank");
  await page.goto(url);
  const handle = await page.waitForFunction(() => performance.getEntriesByName("leeway:my-data")[0]?.startTime, undefined, { timeout: 30_000, polling: 20 });
  const value = (await handle.jsonValue()) as number;
  if (process.env.BENCH_WEB_TRACE) {
    console.log(
      await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const boot = performance.getEntriesByName("leeway:boot")[0]?.startTime ?? NaN;
        const rows = [`html ${nav.responseEnd.toFixed(0)} boot ${boot.toFixed(0)} dcl ${nav.domContentLoadedEventEnd.toFixed(0)}`];
        for (const r of performance.getEntriesByType("resource") as PerformanceResourceTiming[]) {
          if (/api|config|assets/.test(r.name)) rows.push(`${r.name.replace(/^.*\/(api\/v1|tabs)/, "").slice(0, 28)} ${r.startTime.toFixed(0)}/${r.requestStart.toFixed(0)}→${r.responseEnd.toFixed(0)}`);
        }
        return rows.join(" | ");
      }),
    );
  }
  return value;
}

async function main(): Promise<void> {
  await ensureTabBuilt();
  const leeway = await startLeeway();
  const browser = await chromium.launch(launchOptions());
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const url = `${leeway.baseUrl}/tabs/index.html#/my`;
    // Sign in once through the local tenant's page; the session stays in this tab's sessionStorage.
    await page.goto(url);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(`button[name="upn"][value="${ADELE}"]`).click();
    await page.getByTestId("my-outcomes").waitFor();
    const cdp = await context.newCDPSession(page);
    for (let i = 0; i < 3; i++) await measure(page, url); // warm the server and the JIT

    const cold: number[] = [];
    const warm: number[] = [];
    let js: Awaited<ReturnType<typeof scriptsLoaded>> | null = null;
    for (let i = 0; i < RUNS; i++) {
      await cdp.send("Network.clearBrowserCache");
      cold.push(await measure(page, url));
      js ??= await scriptsLoaded(page);
      warm.push(await measure(page, url));
    }
    if (!js) throw new Error("no run");
    const c = stats(cold);
    const w = stats(warm);
    const lazy = lazyChunks(new Set(js.files.map((f) => f.name)));
    const line = (label: string, s: ReturnType<typeof stats>) => `  ${label.padEnd(24)} median ${ms(s.median).padStart(7)}   p95 ${ms(s.p95).padStart(7)}   min ${ms(s.min).padStart(7)}   max ${ms(s.max).padStart(7)}`;
    console.log(`\nTeams tab: navigation → personal tab data visible (${RUNS} runs each, loopback, warm server)`);
    console.log(line("cold browser cache", c));
    console.log(line("warm browser cache", w));
    console.log(`\nInitial JavaScript (all ${js.files.length} scripts of the first screen): ${kb(js.gzip)} gzip, ${kb(js.raw)} raw`);
    if (process.env.BENCH_WEB_TRACE) console.log(js.files.map((f) => `  ${f.name} ${kb(f.gzip)}`).join("\n"));
    console.log(`Largest lazy chunks (gzip): ${lazy.slice(0, 5).map((l) => `${l.name.replace(/-[\w-]{8}\.js$/, "")} ${kb(l.gzip)}`).join(", ")}`);
    console.log(`Targets: data visible ≤ 600 ms; initial JavaScript ≤ 160 kB gzip.`);
  } finally {
    await browser.close();
    await leeway.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
