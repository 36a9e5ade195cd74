// Compliance boundaries in the Outlook task pane: a cadence the rules forbid cannot be picked and
// the pane says why; a rhythm the server refuses names the boundary and its rule, and leaves the
// appointment untouched. Its own server, so these boundaries reach no other test.
import type { Browser } from "playwright-core";
import { ensureAddinBuilt, openTaskPane, previewFields, proposeOutcome, signInToPane } from "./support/addin";
import { describeViolations, launchBrowser, screenshot, seriousViolations } from "./support/browser";
import { startLeeway, type Leeway } from "./support/server";

const MEGAN = "megan.bowen@contoso.test";
const ADELE = "adele.vance@contoso.test";
const MIRIAM = "miriam.graham@contoso.test"; // Leeway.Admin: proposes
const GRADY = "grady.archie@contoso.test"; // Leeway.Admin: approves (Contoso needs a second person)

let leeway: Leeway;
let browser: Browser;
let adele: { id: string; teams: { id: string; name: string }[] };
let retailLending: string;

beforeAll(async () => {
  await ensureAddinBuilt();
  [leeway, browser] = await Promise.all([startLeeway(), launchBrowser()]);
  adele = await leeway.api(ADELE, "GET", "/me");
  retailLending = adele.teams.find((t) => t.name === "Retail Lending")?.id ?? "";
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await leeway?.stop();
});

/** Proposes a boundary as one admin and approves it as another; answers it in force. */
async function boundaryInForce(body: Record<string, unknown>): Promise<{ id: string; name: string; ruleText: string }> {
  const created = await leeway.api<{ id: string; state: string }>(MIRIAM, "POST", "/boundaries", body);
  const b = created.state === "active" ? created : await leeway.api<{ id: string; state: string }>(GRADY, "POST", `/boundaries/${created.id}/approve`, {});
  expect(b.state).toBe("active");
  return leeway.api(MIRIAM, "GET", `/boundaries/${b.id}`);
}

test("a cadence the team's boundary forbids is disabled, with the boundary's name and rule", async () => {
  const boundary = await boundaryInForce({
    name: "Retail Lending: fortnightly at most",
    scope: { level: "team", teamId: retailLending },
    enforcement: "block",
    rule: { kind: "checkin_cadence", minDays: 10, maxDays: 14 },
  });
  const outcome = await proposeOutcome(leeway, MEGAN, { title: "Open savings accounts in one visit", ownerId: adele.id, teamId: retailLending });
  const page = await openTaskPane(browser, leeway.baseUrl);
  await signInToPane(page, MEGAN);
  await page.getByRole("checkbox", { name: outcome.title }).check();

  const weekly = page.getByRole("radio", { name: "Weekly" });
  await page.getByText(`Not allowed: ${boundary.name} requires at least 10 days between check-ins (${boundary.ruleText.replace(/\.$/, "")}).`).waitFor();
  expect(await weekly.isDisabled()).toBe(true);
  expect(await page.getByRole("radio", { name: "Every two weeks" }).isChecked()).toBe(true);
  await screenshot(page, "addin-boundary-cadence");
  expect(describeViolations(await seriousViolations(page))).toBe("");

  await page.getByRole("radiogroup", { name: "Suggested times" }).getByRole("radio").first().waitFor();
  await page.getByRole("button", { name: "Apply to this meeting" }).click();
  await page.getByText("The meeting is now a Leeway check-in").waitFor();
  expect((await previewFields(page)).recurrence).toMatch(/^Every 2 weeks on /);
  await page.context().close();
});

test("a first check-in outside working hours is refused by the server; the pane names the boundary and changes nothing", async () => {
  const boundary = await boundaryInForce({
    name: "Adele: check-ins in working hours",
    scope: { level: "person", personId: adele.id },
    enforcement: "block",
    rule: { kind: "working_hours_only" },
    reason: "Agreed with Adele while she works reduced hours.",
    expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  const outcome = await proposeOutcome(leeway, MEGAN, { title: "Answer mortgage questions on the same day", ownerId: adele.id, teamId: retailLending });
  const page = await openTaskPane(browser, leeway.baseUrl);
  await signInToPane(page, MEGAN);
  await page.getByRole("checkbox", { name: outcome.title }).check();
  await page.getByRole("radiogroup", { name: "Suggested times" }).getByRole("radio").first().waitFor();

  // 07:00 in London on a weekday next week, before Adele's working day starts at 08:30.
  const day = new Date(Date.now() + 7 * 86_400_000);
  while ([0, 6].includes(day.getUTCDay())) day.setUTCDate(day.getUTCDate() + 1);
  await page.getByLabel("First check-in").fill(`${day.toISOString().slice(0, 10)}T07:00`);
  await page.getByRole("button", { name: "Apply to this meeting" }).click();

  const refusal = page.getByTestId("boundary-problem");
  await refusal.getByText(boundary.name, { exact: true }).waitFor();
  expect(await refusal.innerText()).toContain(boundary.ruleText);
  await page.getByText("Blocked by a compliance boundary").waitFor();
  await screenshot(page, "addin-boundary-working-hours");
  expect(describeViolations(await seriousViolations(page))).toBe("");

  // The server said no before the appointment was touched, and kept no schedule.
  const appt = await previewFields(page);
  expect([appt.subject, appt.recurrence, appt.attendees, appt.properties]).toEqual(["(no subject)", "None (a single meeting)", "(none)", "(none)"]);
  expect(appt.body).not.toContain("Leeway check-in");
  expect((await leeway.api<{ items: unknown[] }>(MEGAN, "GET", `/check-in-schedules?outcomeId=${outcome.id}`)).items).toEqual([]);
  await page.context().close();
});
