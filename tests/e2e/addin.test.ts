// The Outlook task pane in real Chromium, outside Outlook: it works on its preview appointment.
// Compose: a manager turns the meeting into an outcome's check-in series, registered with Leeway
// as a series made in Outlook (no second series from the server). Read: the owner records the
// check-in of this occurrence, and it reaches the team dashboard.
import type { Browser, Page } from "playwright-core";
import { ensureAddinBuilt, openTaskPane, previewFields, proposeOutcome, signInToPane } from "./support/addin";
import { describeViolations, launchBrowser, newPage, screenshot, seriousViolations, signIn } from "./support/browser";
import { startLeeway, type Leeway } from "./support/server";

const MEGAN = "megan.bowen@contoso.test";
const ADELE = "adele.vance@contoso.test";

interface Me {
  id: string;
  teams: { id: string; name: string }[];
}
interface Schedule {
  id: string;
  outcomeId: string;
  cadence: string;
  syncState: string;
  origin: string;
  status: string;
  externalItemId: string | null;
  graphEventId: string | null;
}
interface CheckIn {
  id: string;
  at: string;
  mode: string;
  occurrenceId: string | null;
  note: string | null;
  nextStep: string | null;
  supportNeeded: string | null;
}

let leeway: Leeway;
let browser: Browser;
let megan: Me;
let adele: Me;
let retailLending: string;

beforeAll(async () => {
  await ensureAddinBuilt();
  [leeway, browser] = await Promise.all([startLeeway(), launchBrowser()]);
  [megan, adele] = await Promise.all([leeway.api<Me>(MEGAN, "GET", "/me"), leeway.api<Me>(ADELE, "GET", "/me")]);
  retailLending = adele.teams.find((t) => t.name === "Retail Lending")?.id ?? "";
  expect(retailLending).not.toBe("");
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await leeway?.stop();
});

/** An outcome of Adele's, proposed by Megan, with a title no other test uses. */
function adelesOutcome(title: string): Promise<{ id: string; title: string }> {
  return proposeOutcome(leeway, MEGAN, { title, ownerId: adele.id, teamId: retailLending });
}

const openPane = () => openTaskPane(browser, leeway.baseUrl);

/** Organizer flow in the pane: pick the outcome, keep the first suggested time, apply. */
async function composeFor(page: Page, title: string, cadence: "Weekly" | "Every two weeks" = "Weekly"): Promise<void> {
  await page.getByRole("heading", { name: "Make this meeting a check-in" }).waitFor();
  await page.getByRole("checkbox", { name: title }).check();
  await page.getByRole("radio", { name: cadence }).check();
  // Slots come from the server's suggestions (Graph findMeetingTimes of the local tenant).
  await page.getByRole("radiogroup", { name: "Suggested times" }).getByRole("radio").first().waitFor();
  await page.getByRole("button", { name: "Apply to this meeting" }).click();
  await page.getByText("The meeting is now a Leeway check-in").waitFor();
}

async function eventsOf(userId: string): Promise<{ subject?: string }[]> {
  const res = await fetch(`${leeway.baseUrl}/local-m365/_events?userId=${encodeURIComponent(userId)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: { subject?: string }[] }).value;
}

test("compose: a manager makes the meeting an outcome's weekly check-in, registered as the series made in Outlook", async () => {
  const outcome = await adelesOutcome("Settle card disputes faster (compose)");
  const page = await openPane();
  expect(await page.locator("html").getAttribute("data-host")).toBe("preview");
  await page.getByRole("heading", { name: "Sign in to Leeway" }).waitFor();
  await screenshot(page, "addin-signin");
  expect(describeViolations(await seriousViolations(page))).toBe("");
  await signInToPane(page, MEGAN);
  await composeFor(page, outcome.title);

  // The appointment as Outlook would now hold it.
  const appt = await previewFields(page);
  expect(appt.subject).toBe(`Check-in: ${outcome.title}`);
  expect(appt.recurrence).toMatch(/^Every week on (Monday|Tuesday|Wednesday|Thursday|Friday) at \d\d:\d\d \(Europe\/London\), 30 min, from \d{4}-\d\d-\d\d$/);
  expect(appt.attendees).toContain("Adele Vance <adele.vance@contoso.test>");
  // The agenda went in before what the organizer had written.
  const agendaAt = appt.body.indexOf("Leeway check-in");
  expect(agendaAt).toBeGreaterThanOrEqual(0);
  expect(appt.body.indexOf(outcome.title)).toBeGreaterThan(agendaAt);
  for (const q of ["What's your plan?", "What do you need to succeed?", "What's your next step?"]) expect(appt.body).toContain(q);
  expect(appt.body.indexOf("Agenda and notes for our regular check-in.")).toBeGreaterThan(appt.body.indexOf("What's your next step?"));
  const scheduleId = /^leewayScheduleId = ([0-9a-f-]{36})$/.exec(appt.properties)?.[1];
  expect(scheduleId).toBeDefined();
  await screenshot(page, "addin-compose-applied");

  // Leeway holds the schedule as the series this item is, and made no series of its own.
  const schedule = await leeway.api<Schedule>(MEGAN, "GET", `/check-in-schedules/${scheduleId}`);
  expect(schedule).toMatchObject({ outcomeId: outcome.id, cadence: "weekly", origin: "outlook", syncState: "linked", status: "active", externalItemId: appt.itemId });
  const listed = await leeway.api<{ items: Schedule[] }>(ADELE, "GET", `/check-in-schedules?outcomeId=${outcome.id}`);
  expect(listed.items.map((s) => s.id)).toEqual([scheduleId]);
  await new Promise((r) => setTimeout(r, 1500)); // time enough for the outbox worker, had it anything to deliver
  for (const person of [megan.id, adele.id]) {
    expect((await eventsOf(person)).filter((e) => e.subject?.includes(outcome.title))).toEqual([]);
  }
  expect((await leeway.api<Schedule>(MEGAN, "GET", `/check-in-schedules/${scheduleId}`)).syncState).toBe("linked");

  // Opening the pane again on the same meeting shows the series instead of a second Apply.
  await page.reload();
  await page.getByTestId("linked-schedule").getByText(outcome.title).waitFor();
  await expect(page.getByRole("button", { name: "Apply to this meeting" }).count()).resolves.toBe(0);

  const violations = await seriousViolations(page);
  expect(describeViolations(violations)).toBe("");

  // Another meeting for the same outcome: the pane says it already has its rhythm and offers no Apply.
  await page.getByRole("button", { name: "Start over with a new appointment" }).click();
  await page.getByRole("checkbox", { name: outcome.title }).check();
  await page.getByTestId("rhythm-exists").getByText(outcome.title, { exact: false }).waitFor();
  expect(await page.getByRole("button", { name: "Apply to this meeting" }).isDisabled()).toBe(true);
  await page.context().close();
});

test("read: the owner records this occurrence's check-in with the coaching questions, and the team dashboard shows it", async () => {
  const outcome = await adelesOutcome("Settle card disputes faster (read)");
  const page = await openPane();
  // Adele organizes her own check-in (Megan is invited), then opens the meeting as a reader.
  await signInToPane(page, ADELE);
  await composeFor(page, outcome.title, "Every two weeks");
  const appt = await previewFields(page);
  expect(appt.recurrence).toMatch(/^Every 2 weeks on /);
  expect(appt.attendees).toContain("Megan Bowen <megan.bowen@contoso.test>");
  await page.getByRole("radio", { name: "Attendee, reading" }).check();

  const card = page.getByTestId("meeting-outcome").filter({ hasText: outcome.title });
  await card.getByText("No check-in yet.").waitFor();
  const form = card.getByRole("form", { name: `Record check-in: ${outcome.title}` });
  // Megan proposed it and Adele has not agreed yet, so Done is not offered, and the form says why.
  expect(await form.getByRole("radio", { name: "Done" }).isDisabled()).toBe(true);
  await form.getByText("Done can be recorded once the outcome is agreed with your manager.").waitFor();
  await form.getByRole("radio", { name: "At risk" }).check();
  await form.getByRole("radio", { name: "3", exact: true }).check();
  await form.getByLabel(/^Progress/).fill("17");
  await form.getByLabel("What do you need to succeed?").fill("Two more people on the fast lane for a month.");
  await form.getByLabel("What's your next step?").fill("Agree the fast-lane rules with the card operations lead.");

  // The demo tenant's content boundary refuses an account number: said beside the field, with the boundary and its rule.
  await form.getByLabel("What's your plan?").fill("Refund GB82 WEST 1234 5698 7654 32 first.");
  await form.getByRole("button", { name: "Record check-in" }).click();
  await form.getByText("note contains text that looks like IBAN, which must not be written here.", { exact: true }).waitFor();
  expect(await form.getByLabel("What's your plan?").getAttribute("aria-invalid")).toBe("true");
  const refusal = form.getByTestId("boundary-problem");
  await refusal.getByText("No account numbers in free text", { exact: true }).waitFor();
  expect(await refusal.innerText()).toContain("Free text must not contain: IBAN");
  await screenshot(page, "addin-read-boundary-refusal");
  expect(describeViolations(await seriousViolations(page))).toBe("");

  await form.getByLabel("What's your plan?").fill("Route disputes under 50 pounds to the fast lane.");
  await form.getByRole("button", { name: "Record check-in" }).click();
  await card.getByText("Check-in recorded for this meeting").waitFor();
  await card.getByTestId("last-check-in").getByText("At risk").waitFor();
  await screenshot(page, "addin-read-recorded");
  expect(describeViolations(await seriousViolations(page))).toBe("");

  const [{ items }, itemId] = [await leeway.api<{ items: CheckIn[] }>(MEGAN, "GET", `/outcomes/${outcome.id}/check-ins`), (await previewFields(page)).itemId];
  expect(items).toHaveLength(1);
  const recorded = items[0] as CheckIn;
  expect(recorded).toMatchObject({
    mode: "meeting",
    note: "Route disputes under 50 pounds to the fast lane.",
    supportNeeded: "Two more people on the fast lane for a month.",
    nextStep: "Agree the fast-lane rules with the card operations lead.",
  });
  // The occurrence is named by the series item and the occurrence's date, as the preview opened it.
  expect(recorded.occurrenceId).toMatch(new RegExp(`^${itemId}_\\d{8}$`));

  // The same check-in, seen from the team's dashboard (API and the Teams tab's page).
  const dashboard = await leeway.api<{ outcomes: { items: { id: string; status: string; lastCheckInAt: string | null }[] } }>(MEGAN, "GET", `/dashboards/team/${retailLending}`);
  expect(dashboard.outcomes.items.find((o) => o.id === outcome.id)).toMatchObject({ lastCheckInAt: recorded.at });
  const tab = await newPage(browser);
  await signIn(tab.page, leeway.baseUrl, MEGAN, `/team/${retailLending}`);
  await tab.page.getByText("Route disputes under 50 pounds to the fast lane.").first().waitFor();
  await screenshot(tab.page, "addin-read-team-dashboard");
  await tab.context.close();

  // Opening the meeting again: this occurrence is done, and no second form is offered.
  await page.reload();
  await card.getByText("A check-in for this meeting is already recorded.").waitFor();
  await expect(card.getByRole("button", { name: "Record check-in" }).count()).resolves.toBe(0);
  await page.context().close();
});
