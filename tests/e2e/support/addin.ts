// The Outlook task pane for the browser tests: built into addin/dist when missing or older than its
// sources, opened outside Outlook (so it runs on its preview appointment), signed in on the local
// tenant's page.
import type { Browser, Page } from "playwright-core";
import { newPage } from "./browser";
import { ensureBuilt } from "./build";
import type { Leeway } from "./server";

/** Builds addin/dist when it is missing or older than its sources. */
export const ensureAddinBuilt = () => ensureBuilt("addin");

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
