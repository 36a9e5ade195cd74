// Headless Chromium for the browser tests: sign-in through the local tenant's page, screenshots
// of what each test checked, and axe-core accessibility checks.
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { launchOptions } from "../../support/chromium.cjs";
import { ROOT } from "./server";

export const ARTIFACTS = path.join(ROOT, "tests", "artifacts");

export function launchBrowser(): Promise<Browser> {
  return chromium.launch(launchOptions());
}

/** A fresh browser profile (own sessionStorage); CSP is bypassed only so axe-core can be injected. */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

export type ThemeName = "light" | "dark" | "contrast";

export function tabUrl(baseUrl: string, route: string, theme?: ThemeName): string {
  return `${baseUrl}/tabs/index.html${theme ? `?theme=${theme}` : ""}#${route}`;
}

/** Opens the tab, signs in as a demo person on the local tenant's page and waits for the app. */
export async function signIn(page: Page, baseUrl: string, upn: string, route = "/my", theme?: ThemeName): Promise<void> {
  await page.goto(tabUrl(baseUrl, route, theme));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/local-m365\/.*\/authorize/);
  await page.locator(`button[name="upn"][value="${upn}"]`).click();
  await page.getByTestId("signed-in-as").waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Serious and critical axe-core violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Expressions as strings: this file is compiled without the DOM library.
  const hasAxe = await page.evaluate<boolean>("typeof axe !== 'undefined'");
  if (!hasAxe) await page.addScriptTag({ path: path.join(ROOT, "node_modules", "axe-core", "axe.min.js") });
  // Tabster's focus guards (<i data-tabster-dummy aria-hidden tabindex=0>, added by Fluent UI around
  // focus zones such as charts and dialogs) hand focus straight on and are never announced; axe
  // cannot know that, so they are left out of the check.
  const result = await page.evaluate<{ violations: AxeViolation[] }>(
    "axe.run({ include: [document], exclude: [['[data-tabster-dummy]']] }, { resultTypes: ['violations'] })",
  );
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
}

export function describeViolations(vs: AxeViolation[]): string {
  return vs.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `   ${n.target.join(" ")} ${n.failureSummary ?? ""}`).join("\n")}`).join("\n");
}
