// axe-core in every page of the tab, in the light, dark and high-contrast themes: no serious or
// critical violations.
import type { Browser, Page } from "playwright-core";
import { describeViolations, launchBrowser, newPage, screenshot, seriousViolations, signIn, tabUrl, type ThemeName } from "./support/browser";
import { ADELE, LIDIA, MEGAN, MIRIAM, adeleOutcome, type OutcomeLike } from "./support/people";
import { startLeeway, type Leeway } from "./support/server";

jest.setTimeout(240_000);

let leeway: Leeway;
let browser: Browser;
let outcomeId: string;

beforeAll(async () => {
  [leeway, browser] = await Promise.all([startLeeway(), launchBrowser()]);
  const o = await leeway.api<OutcomeLike>(ADELE, "POST", "/outcomes", adeleOutcome("Accessible outcome"));
  await leeway.api(MEGAN, "POST", `/outcomes/${o.id}/agreement`, { version: o.version });
  await leeway.api(ADELE, "POST", `/outcomes/${o.id}/check-ins`, { status: "on_track", confidence: 4, progress: 50, note: "Going well", mode: "async" });
  outcomeId = o.id;
});

afterAll(async () => {
  await browser?.close();
  await leeway?.stop();
});

const THEMES: ThemeName[] = ["light", "dark", "contrast"];

interface Check {
  route: string;
  ready: string;
}

/** Opens each route in each theme (one sign-in per person) and collects serious and critical violations. */
async function audit(upn: string, checks: Check[], name: string): Promise<string[]> {
  const { page } = await newPage(browser);
  await signIn(page, leeway.baseUrl, upn, checks[0]?.route ?? "/my");
  const problems: string[] = [];
  for (const theme of THEMES) {
    for (const check of checks) {
      await open(page, check, theme);
      const violations = await seriousViolations(page);
      if (violations.length) problems.push(`${check.route} (${theme}):\n${describeViolations(violations)}`);
    }
    await screenshot(page, `a11y-${name}-${theme}`);
  }
  return problems;
}

async function open(page: Page, check: Check, theme: ThemeName): Promise<void> {
  await page.goto("about:blank");
  await page.goto(tabUrl(leeway.baseUrl, check.route, theme));
  await page.locator(check.ready).first().waitFor();
  await page.locator(".fui-Spinner").first().waitFor({ state: "detached" }).catch(() => undefined);
  await page.waitForFunction(() => document.querySelectorAll(".fui-Spinner").length === 0, undefined, { timeout: 15_000 });
}

test("the owner's and manager's pages have no serious accessibility violations in any theme", async () => {
  const problems = await audit(
    MEGAN,
    [
      { route: "/my", ready: "[data-testid=my-outcomes]" },
      { route: `/outcome/${outcomeId}`, ready: "[data-testid=outcome-page]" },
      { route: "/outcome/new", ready: "form" },
      { route: "/team", ready: "[data-testid=team-dashboard] svg" },
      { route: "/config", ready: "[data-testid=config-page]" },
      { route: "/manager", ready: "[data-testid=manager-page]" },
    ],
    "manager",
  );
  expect(problems.join("\n\n")).toBe("");
});

test("the admin and compliance pages have no serious accessibility violations in any theme", async () => {
  const admin = await audit(MIRIAM, [{ route: "/admin", ready: "[data-testid=approvals-queue]" }], "admin");
  const compliance = await audit(LIDIA, [{ route: "/compliance", ready: "[data-testid=audit-results]" }], "compliance");
  expect([...admin, ...compliance].join("\n\n")).toBe("");
});

test("the sign-in screen has no serious accessibility violations", async () => {
  const { page } = await newPage(browser);
  const problems: string[] = [];
  for (const theme of THEMES) {
    await page.goto(tabUrl(leeway.baseUrl, "/my", theme));
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    const violations = await seriousViolations(page);
    if (violations.length) problems.push(`sign-in (${theme}):\n${describeViolations(violations)}`);
  }
  expect(problems.join("\n\n")).toBe("");
});

test("the tab works from the keyboard: skip link, page links and the outcome form", async () => {
  const { page } = await newPage(browser);
  await signIn(page, leeway.baseUrl, ADELE, "/my");
  await page.getByTestId("my-outcomes").waitFor();
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
  await page.keyboard.press("Enter");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

  // Tab through the page to "New outcome" and open the form with the keyboard.
  for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.textContent)) !== "New outcome"; i++) await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("New outcome");
  await page.keyboard.press("Enter");
  await page.getByRole("form", { name: "Propose outcome" }).waitFor();
  // Submitting an empty form moves focus to the first field that needs attention.
  await page.getByRole("button", { name: "Propose outcome" }).focus();
  await page.keyboard.press("Enter");
  await page.getByText("Give the outcome a title.").waitFor();
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe("title");
  await screenshot(page, "a11y-keyboard-form");
});
