// The owner and manager journey in the Teams tab, in real Chromium against the real server:
// propose, agree, decline and withdraw with a reason, check in, see it on the team dashboard; the
// manager cannot change the how.
import type { Browser, Page } from "playwright-core";
import { describeViolations, launchBrowser, newPage, screenshot, seriousViolations, signIn, tabUrl } from "./support/browser";
import { ADELE, GRADY, MEGAN, MIRIAM, RETAIL_LENDING, adeleOutcome, type OutcomeLike } from "./support/people";
import { startLeeway, type Leeway } from "./support/server";

jest.setTimeout(120_000);

let leeway: Leeway;
let browser: Browser;

beforeAll(async () => {
  [leeway, browser] = await Promise.all([startLeeway(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await leeway?.stop();
});

async function pageAs(upn: string, route: string): Promise<Page> {
  const { page } = await newPage(browser);
  await signIn(page, leeway.baseUrl, upn, route);
  return page;
}

async function agreedOutcome(title: string): Promise<OutcomeLike> {
  const o = await leeway.api<OutcomeLike>(ADELE, "POST", "/outcomes", adeleOutcome(title));
  return leeway.api<OutcomeLike>(MEGAN, "POST", `/outcomes/${o.id}/agreement`, { version: o.version });
}

test("Adele signs in and proposes an outcome; the form checks fields as she types", async () => {
  const page = await pageAs(ADELE, "/my");
  await page.getByTestId("my-outcomes").waitFor();
  await page.getByRole("button", { name: "New outcome" }).click();

  await page.getByLabel("Title").fill("Cu");
  await page.getByText("The title needs at least 3 characters.").waitFor();
  await page.getByLabel("Title").fill("Faster small-business loan decisions");
  await expect(page.getByText("The title needs at least 3 characters.").count()).resolves.toBe(0);
  await page.getByLabel("Measure").fill("Applications decided within five days");
  await page.getByLabel("Unit").fill("%");
  await page.getByLabel("Baseline").fill("40");
  await page.getByLabel("Target").fill("40");
  await page.getByText("The target must differ from the baseline").waitFor();
  await page.getByLabel("Target").fill("80");
  await page.getByLabel("Deadline").fill(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
  await page.getByLabel("If the mark is missed").fill("We review the intake steps together and set a new date.");
  await page.getByLabel("Plan").fill("Pre-check documents the day they arrive");
  await screenshot(page, "outcomes-1-new-outcome-form");
  await page.getByRole("button", { name: "Propose outcome" }).click();

  const outcomePage = page.getByTestId("outcome-page");
  await outcomePage.waitFor();
  await outcomePage.getByRole("heading", { name: "Faster small-business loan decisions" }).waitFor();
  await outcomePage.getByText("Proposed", { exact: true }).waitFor();
  // The page names her manager, looked up by id.
  await outcomePage.getByText(/waits for Megan Bowen to agree/).waitFor();
  await screenshot(page, "outcomes-1-proposed");
});

test("Christie proposes an outcome for Megan in Megan's team, which Christie is not in", async () => {
  const page = await pageAs("christie.cline@contoso.test", "/outcome/new");
  await page.getByLabel("Owner").selectOption({ label: "Megan Bowen" });
  await page.getByLabel("Team", { exact: true }).selectOption({ label: "Retail Lending" });
  await page.getByLabel("Title").fill("Mortgage offers within ten days");
  await page.getByLabel("Measure").fill("Offers made within ten days");
  await page.getByLabel("Unit").fill("%");
  await page.getByLabel("Baseline").fill("55");
  await page.getByLabel("Target").fill("85");
  await page.getByLabel("Deadline").fill(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
  await page.getByLabel("If the mark is missed").fill("We look at the valuation queue together.");
  await page.getByRole("button", { name: "Propose outcome" }).click();
  await page.getByTestId("outcome-page").getByRole("heading", { name: "Mortgage offers within ten days" }).waitFor();
  const id = decodeURIComponent(new URL(page.url()).hash.split("/").pop() ?? "");
  const stored = await leeway.api<{ ownerId: string; teamId: string }>(MEGAN, "GET", `/outcomes/${id}`);
  expect(stored.teamId).toBe(RETAIL_LENDING);
  expect(stored.ownerId).toBe((await leeway.api<{ id: string }>(MEGAN, "GET", "/me")).id);
});

test("Megan sees the agreement waiting for her and agrees to it", async () => {
  const o = await leeway.api<OutcomeLike>(ADELE, "POST", "/outcomes", adeleOutcome("Fewer incomplete mortgage files"));
  const page = await pageAs(MEGAN, "/my");
  const card = page.locator(`[data-agreement-for="${o.id}"]`);
  await card.waitFor();
  await screenshot(page, "outcomes-2-agreement-waiting");
  await card.getByRole("button", { name: `Agree to version ${o.version}` }).click();
  await card.waitFor({ state: "detached" });

  await page.goto(tabUrl(leeway.baseUrl, `/outcome/${o.id}`));
  await page.getByTestId("outcome-page").getByText("Agreed", { exact: true }).waitFor();
  await screenshot(page, "outcomes-2-agreed");
  const after = await leeway.api<OutcomeLike>(ADELE, "GET", `/outcomes/${o.id}`);
  expect(after.status).toBe("agreed");
});

test("Megan declines a change Adele proposed and Adele withdraws her next one, each saying why; the agreement history shows who did what", async () => {
  const o = await agreedOutcome("Faster answers on overdraft limits");
  const changed = await leeway.api<OutcomeLike>(ADELE, "PATCH", `/outcomes/${o.id}`, { measure: { target: 60 }, reason: "Fewer staff in December" }, { "If-Match": `"v${o.version}"` });
  const manager = await pageAs(MEGAN, "/my");
  const card = manager.locator(`[data-agreement-for="${o.id}"]`);
  await card.getByText("Proposed change").waitFor();
  await card.getByRole("button", { name: "Decline" }).click();
  const declining = manager.getByRole("dialog", { name: `Decline version ${changed.version}?` });
  const declineReason = declining.getByRole("textbox", { name: "Reason" });
  // The demo tenant's content boundary refuses an account number in the reason; the dialog keeps the text to fix.
  await declineReason.fill("Pay the overtime from GB82 WEST 1234 5698 7654 32 instead.");
  await declining.getByRole("button", { name: "Confirm" }).click();
  await declining.getByTestId("boundary-block").getByText("No account numbers in free text", { exact: false }).waitFor();
  expect(await declineReason.inputValue()).toBe("Pay the overtime from GB82 WEST 1234 5698 7654 32 instead.");
  expect(await declineReason.getAttribute("aria-invalid")).toBe("true");
  // What the boundary found is said once, at the reason; the bar names the boundary and its rule.
  expect(await declining.getByText(/contains text that looks like/).count()).toBe(1);
  await declining.getByTestId("boundary-block").getByText(/^Rule: /).waitFor();
  await screenshot(manager, "outcomes-2-decline-refused");
  expect(describeViolations(await seriousViolations(manager))).toBe("");
  await declineReason.fill("The temp pool covers December; keep the target.");
  await declining.getByRole("button", { name: "Confirm" }).click();
  await card.waitFor({ state: "detached" });
  await declining.waitFor({ state: "detached" });
  const declined = await leeway.api<OutcomeLike & { measure: { target: number }; agreement: { pending: unknown } }>(ADELE, "GET", `/outcomes/${o.id}`);
  expect(declined).toMatchObject({ version: changed.version + 1, measure: { target: 80 }, agreement: { pending: null } });

  const next = await leeway.api<OutcomeLike>(ADELE, "PATCH", `/outcomes/${o.id}`, { measure: { target: 70 }, reason: "Meet halfway" }, { "If-Match": `"v${declined.version}"` });
  const owner = await pageAs(ADELE, `/outcome/${o.id}`);
  await owner.getByText(`Version ${next.version} waits for`).waitFor();
  // Cancelling changes nothing.
  await owner.getByRole("button", { name: `Withdraw version ${next.version}` }).click();
  await owner.getByRole("dialog", { name: `Withdraw version ${next.version}?` }).getByRole("button", { name: "Cancel" }).click();
  await owner.getByRole("dialog").waitFor({ state: "detached" });
  await owner.getByText(`Version ${next.version} waits for`).waitFor();
  await owner.getByRole("button", { name: `Withdraw version ${next.version}` }).click();
  const withdrawing = owner.getByRole("dialog", { name: `Withdraw version ${next.version}?` });
  await withdrawing.getByRole("textbox", { name: "Reason" }).fill("The temp pool is enough after all.");
  await withdrawing.getByRole("button", { name: "Confirm" }).click();
  await owner.getByText(`· Version ${next.version + 1}`).waitFor();
  await expect(owner.getByText(`Version ${next.version} waits for`).count()).resolves.toBe(0);
  const ownersHistory = owner.getByRole("region", { name: "Agreement history" });
  const ownersWithdrawn = ownersHistory.getByRole("listitem").filter({ has: owner.getByRole("heading", { name: `Version ${next.version} · Change`, exact: true }) });
  await ownersWithdrawn.getByText("Withdrawn by Adele Vance (you)", { exact: false }).waitFor();
  await ownersWithdrawn.getByText("The temp pool is enough after all.").waitFor();

  // The manager reads the same history: newest first, each decision with its person and reason.
  await manager.goto(tabUrl(leeway.baseUrl, `/outcome/${o.id}`));
  const history = manager.getByRole("region", { name: "Agreement history" });
  const entry = (heading: string | RegExp) => history.getByRole("listitem").filter({ has: manager.getByRole("heading", { name: heading, exact: true }) });
  const withdrawn = entry(`Version ${next.version} · Change`);
  await withdrawn.getByText("Withdrawn by Adele Vance", { exact: false }).waitFor();
  await withdrawn.getByText("The temp pool is enough after all.").waitFor();
  await withdrawn.getByText("Meet halfway").waitFor();
  await withdrawn.getByText("target 70 %", { exact: false }).waitFor();
  const declinedEntry = entry(`Version ${changed.version} · Change`);
  await declinedEntry.getByText("Declined by Megan Bowen (you)", { exact: false }).waitFor();
  await declinedEntry.getByText("The temp pool covers December; keep the target.").waitFor();
  await declinedEntry.getByText("Fewer staff in December").waitFor();
  await declinedEntry.getByText("target 60 %", { exact: false }).waitFor();
  const headings = (await history.getByRole("heading", { level: 3 }).allInnerTexts()).map((h) => h.trim());
  expect(headings).toEqual([`Version ${next.version} · Change`, `Version ${changed.version} · Change`, expect.stringMatching(/^Version \d+ · New outcome$/)]);
  await entry(/^Version \d+ · New outcome$/).getByText("Agreed", { exact: false }).waitFor();
  await screenshot(manager, "outcomes-2-agreement-history");
  const stored = await leeway.api<{ items: { kind: string; state: string }[] }>(ADELE, "GET", `/outcomes/${o.id}/agreement`);
  expect(stored.items.map((h) => `${h.kind}:${h.state}`)).toEqual(["create:agreed", "change:declined", "change:withdrawn"]);
});

test("Adele records a check-in and gets coaching questions back", async () => {
  const o = await agreedOutcome("Same-day answers to loan questions");
  const page = await pageAs(ADELE, `/outcome/${o.id}`);
  await page.getByRole("button", { name: "Record a check-in" }).click();
  await page.getByRole("textbox", { name: /^Progress/ }).fill("55");
  await page.getByLabel("What happened").fill("Document pre-checks started on Monday; half the files arrive complete now.");
  await page.getByLabel("Blockers").fill("Scanning backlog on Fridays");
  await page.getByRole("button", { name: "Record check-in" }).click();

  const recorded = page.getByTestId("check-in-recorded");
  await recorded.waitFor();
  const questions = recorded.getByTestId("coaching-questions");
  await questions.waitFor();
  expect(await questions.locator("li").count()).toBeGreaterThan(0);
  await page.getByText("half the files arrive complete now").first().waitFor();
  await screenshot(page, "outcomes-3-check-in-recorded");
});

test("before Megan agrees, Adele records progress but is not offered Done, and the form says why", async () => {
  const o = await leeway.api<OutcomeLike>(ADELE, "POST", "/outcomes", adeleOutcome("Loan letters in plain language"));
  const page = await pageAs(ADELE, `/outcome/${o.id}`);
  await page.getByRole("button", { name: "Record a check-in" }).click();
  expect(await page.getByRole("radio", { name: "Done" }).isDisabled()).toBe(true);
  await page.getByText("Done can be recorded once the outcome is agreed with your manager.").waitFor();
  await page.getByRole("radio", { name: "At risk" }).check();
  await page.getByRole("textbox", { name: /^Progress/ }).fill("45");
  await page.getByRole("button", { name: "Record check-in" }).click();
  await page.getByTestId("check-in-recorded").waitFor();
  const { items } = await leeway.api<{ items: { status: string; progress: number }[] }>(MEGAN, "GET", `/outcomes/${o.id}/check-ins`);
  expect(items).toEqual([expect.objectContaining({ status: "at_risk", progress: 45 })]);
});

test("the team dashboard shows the check-in with signs of balance and pitfalls", async () => {
  const o = await agreedOutcome("Clear checklist for business accounts");
  await leeway.api(ADELE, "POST", `/outcomes/${o.id}/check-ins`, { status: "at_risk", confidence: 2, progress: 45, note: "Checklist draft blocked on legal review", mode: "async" });
  const page = await pageAs(MEGAN, "/team");
  const dashboard = page.getByTestId("team-dashboard");
  await dashboard.waitFor();
  await dashboard.getByTestId("team-check-ins").getByText("Checklist draft blocked on legal review").waitFor();
  await dashboard.getByRole("link", { name: "Clear checklist for business accounts" }).first().waitFor();
  // Signs of balance and pitfalls come from the server's team dashboard, each with its definition.
  await dashboard.getByTestId("signs").locator("[data-sign]").first().waitFor();
  expect(await dashboard.locator("[data-sign]").count()).toBe(4);
  expect(await dashboard.locator("[data-pitfall]").count()).toBe(4);
  await dashboard.locator("svg").first().waitFor();
  await screenshot(page, "outcomes-4-team-dashboard");
  // Each chart's figures are there as a table too, for anyone who does not see the chart.
  const weekly = dashboard.getByRole("figure", { name: "Week by week" });
  await weekly.getByText("Show as a table").click();
  const table = weekly.getByRole("table", { name: "Week by week" });
  await table.getByRole("columnheader", { name: "Check-ins" }).waitFor();
  const series = await leeway.api<{ series: { weeks: unknown[] } }>(MEGAN, "GET", `/dashboards/team/${RETAIL_LENDING}`);
  expect(await table.getByRole("row").count()).toBe(1 + series.series.weeks.length);
});

test("Megan edits the what of Adele's outcome and reads Adele's approach without a way to change it", async () => {
  const o = await agreedOutcome("Plain-language loan letters");
  const page = await pageAs(MEGAN, `/outcome/${o.id}`);
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByText("The approach belongs to the owner").waitFor();
  const approach = page.getByRole("form", { name: "Save changes" }).getByRole("definition").filter({ hasText: "Pre-check documents on arrival" });
  await approach.waitFor();
  expect(await page.getByLabel("Plan").count()).toBe(0);
  await screenshot(page, "outcomes-5-approach-read-only");
  // The server refuses a manager's change to the how whatever a page offers.
  const refused = await fetch(`${leeway.baseUrl}/api/v1/outcomes/${o.id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${await leeway.token(MEGAN)}`, "content-type": "application/json", "if-match": `"v${o.version}"` },
    body: JSON.stringify({ approach: { plan: "Use my template for every letter" } }),
  });
  expect(refused.status).toBe(403);
  const after = await leeway.api<{ approach: { plan?: string } }>(ADELE, "GET", `/outcomes/${o.id}`);
  expect(after.approach.plan).toBe("Pre-check documents on arrival");
});

test("while Adele's change waits, Megan's edit starts from that proposal, leaves Adele's own settings alone and asks why", async () => {
  const o = await agreedOutcome("Fewer repeat valuation visits");
  const later = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
  const proposed = await leeway.api<OutcomeLike>(ADELE, "PATCH", `/outcomes/${o.id}`, { deadline: later, reason: "The valuers' new tool arrives late." }, { "if-match": `"v${o.version}"` });
  const page = await pageAs(MEGAN, `/outcome/${o.id}`);
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByTestId("editing-proposal").getByText(`version ${proposed.version}`).waitFor();
  expect(await page.getByLabel("Deadline").inputValue()).toBe(later);
  // Who may see it and the risk class are Adele's to set: shown, not offered.
  expect(await page.getByRole("radio", { name: "Everyone" }).count()).toBe(0);
  expect(await page.getByLabel("Risk class (optional)").count()).toBe(0);
  await page.getByTestId("owner-settings").getByText("Only the owner changes these.").waitFor();

  await page.getByLabel("Target").fill("70");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByText("Say why, for the other side to read when they decide.").waitFor();
  const unchanged = await leeway.api<{ version: number }>(ADELE, "GET", `/outcomes/${o.id}`);
  expect(unchanged.version).toBe(proposed.version);
  await page.getByLabel(/^Why this change/).fill("Seventy is what the new tool allows this year.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("button", { name: "Edit" }).waitFor();
  const after = await leeway.api<{ agreement: { pending: { what: { deadline: string; measure: { target: number } }; reason: string } | null } }>(ADELE, "GET", `/outcomes/${o.id}`);
  expect(after.agreement.pending).toMatchObject({ what: { deadline: later, measure: { target: 70 } }, reason: "Seventy is what the new tool allows this year." });
});

test("a stale edit (412) offers to apply the change to the latest version", async () => {
  const o = await agreedOutcome("Shorter valuation queue");
  const page = await pageAs(ADELE, `/outcome/${o.id}`);
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Schedule").fill("Tuesdays and Thursdays");
  // Someone else saves first.
  await leeway.api(ADELE, "PATCH", `/outcomes/${o.id}`, { approach: { tools: ["Valuation tracker"] } }, { "if-match": `"v${o.version}"` });
  await page.getByRole("button", { name: "Save changes" }).click();
  const conflict = page.getByTestId("edit-conflict");
  await conflict.waitFor();
  await screenshot(page, "outcomes-6-conflict");
  await conflict.getByRole("button", { name: "Apply my changes to the latest" }).click();
  await page.getByText("Tuesdays and Thursdays").waitFor();
  const after = await leeway.api<{ approach: { tools?: string[]; schedule?: string } }>(ADELE, "GET", `/outcomes/${o.id}`);
  expect(after.approach.schedule).toBe("Tuesdays and Thursdays");
  expect(after.approach.tools).toEqual(["Valuation tracker"]);
});

test("an outcome that closes while it is being edited says so and shows it as it is", async () => {
  const o = await agreedOutcome("Same-day card replacements");
  const page = await pageAs(ADELE, `/outcome/${o.id}`);
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByLabel("Schedule").fill("Every morning");
  // Meanwhile Adele records it done from Outlook.
  await leeway.api(ADELE, "POST", `/outcomes/${o.id}/check-ins`, { status: "done", confidence: 5, progress: 95, mode: "async" });
  await page.getByRole("button", { name: "Save changes" }).click();
  const closed = page.getByTestId("edit-closed");
  await closed.getByText("This outcome is closed").waitFor();
  await closed.getByText(/Its status is now Done/).waitFor();
  expect(await page.getByTestId("edit-conflict").count()).toBe(0);
  await closed.getByRole("button", { name: "Show the outcome as it is" }).click();
  const outcomePage = page.getByTestId("outcome-page");
  await outcomePage.getByText("Done", { exact: true }).first().waitFor();
  expect(await page.getByRole("button", { name: "Save changes" }).count()).toBe(0);
  const after = await leeway.api<{ status: string; approach: { schedule?: string } }>(ADELE, "GET", `/outcomes/${o.id}`);
  expect(after.status).toBe("done");
  expect(after.approach.schedule).not.toBe("Every morning");

  // A closed outcome offers no edits, but its owner still decides who can see it.
  expect(await page.getByRole("button", { name: "Edit" }).count()).toBe(0);
  await page.getByRole("button", { name: "Change who can see it" }).click();
  const who = page.getByRole("form", { name: "Who can see it" });
  expect(await who.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
  await who.getByLabel("Everyone").check();
  await who.getByRole("button", { name: "Save" }).click();
  await who.waitFor({ state: "detached" });
  await outcomePage.getByText("everyone", { exact: true }).waitFor();
  const shared = await leeway.api<{ status: string; visibility: string; version: number }>(ADELE, "GET", `/outcomes/${o.id}`);
  expect(shared).toMatchObject({ status: "done", visibility: "public" });
  // Her manager sees the record, not the choice.
  const manager = await pageAs(MEGAN, `/outcome/${o.id}`);
  await manager.getByTestId("outcome-page").getByText("Done", { exact: true }).first().waitFor();
  expect(await manager.getByRole("button", { name: "Change who can see it" }).count()).toBe(0);
});

test("after a drop both agreed to, Adele writes a blameless review", async () => {
  const o = await agreedOutcome("Weekend callback service");
  const proposed = await leeway.api<OutcomeLike & { agreement: { pending: { version: number } | null } }>(ADELE, "POST", `/outcomes/${o.id}/drop`, { reason: "The branch network closes on weekends from next month." });
  const dropped = await leeway.api<OutcomeLike>(MEGAN, "POST", `/outcomes/${o.id}/agreement`, { version: proposed.agreement.pending?.version ?? proposed.version });
  expect(dropped.status).toBe("dropped");

  const page = await pageAs(ADELE, `/outcome/${o.id}`);
  await page.getByRole("button", { name: "Write a review" }).click();
  const form = page.getByRole("form", { name: "Write a review" });
  await form.getByRole("button", { name: "Save review" }).click();
  await form.getByText("Pick at least one cause category.").waitFor();
  await form.getByLabel("What blocked it").fill("Branch hours changed after we agreed the outcome.");
  await form.getByLabel("What could improve").fill("Check planned network changes before agreeing service outcomes.");
  await form.getByLabel(/^Process/).check();
  await form.getByLabel(/^External/).check();
  await form.getByRole("button", { name: "Add a follow-up action" }).click();
  await form.getByRole("textbox", { name: "Follow-up 1" }).fill("Ask Operations for the network calendar each quarter");
  await form.getByRole("button", { name: "Save review" }).click();
  const review = page.getByRole("article", { name: "Review" });
  await review.getByText("Causes: Process, External").waitFor();
  await review.getByText(/Ask Operations for the network calendar/).waitFor();
  // One review from each person: Adele's is written, so she is not offered another.
  expect(await page.getByRole("button", { name: "Write a review" }).count()).toBe(0);
  await screenshot(page, "outcomes-7-review");
});

test("past a nudge limit that only warns, Megan's nudge is sent and she is told", async () => {
  const o = await agreedOutcome("Quicker overdraft reviews");
  // The demo tenant allows two nudges per outcome a week, and warns beyond them.
  for (let i = 0; i < 2; i++) await leeway.api(MEGAN, "POST", `/outcomes/${o.id}/nudges`, {});
  const page = await pageAs(MEGAN, "/manager");
  const row = page.getByRole("table", { name: "Nudges left this week" }).getByRole("row").filter({ hasText: "Quicker overdraft reviews" });
  await row.getByText("none of 2 left this week").waitFor();
  await row.getByRole("button", { name: "Nudge Adele Vance about Quicker overdraft reviews" }).click();
  await row.getByText("Saved, with a compliance warning").waitFor();
  const sent = await leeway.api<{ items: unknown[] }>(ADELE, "GET", `/outcomes/${o.id}/nudges`);
  expect(sent.items).toHaveLength(3);
});

test("the team dashboard lists five outcomes under a pitfall and folds the rest behind 'N more'", async () => {
  // Three nudges in a week on each of six outcomes: over-monitoring, six times over.
  const chased: { id: string; title: string }[] = [];
  for (let i = 1; i <= 6; i++) {
    const title = `Branch queue pilot ${i}`;
    chased.push({ id: (await agreedOutcome(title)).id, title });
  }
  for (const o of chased) for (let n = 0; n < 3; n++) await leeway.api(MEGAN, "POST", `/outcomes/${o.id}/nudges`, {});
  const page = await pageAs(MEGAN, "/team");
  const tile = page.getByTestId("team-dashboard").locator("[data-pitfall=overMonitoring]");
  await tile.getByRole("link", { name: /^Branch queue pilot/ }).first().waitFor();
  // Five are listed; the others wait behind "N more", out of the way until asked for.
  expect(await tile.getByRole("link").count()).toBe(5);
  await tile.getByText(/^\d+ more$/).click();
  for (const o of chased) await tile.getByRole("link", { name: o.title }).waitFor();
  expect(await tile.getByRole("link").count()).toBeGreaterThanOrEqual(6);
});

test("Megan is told what a warning boundary found in her comment, after the check-in leaves her list", async () => {
  const created = await leeway.api<{ id: string; state: string }>(MIRIAM, "POST", "/boundaries", {
    name: "Careful with project code names",
    scope: { level: "tenant" },
    enforcement: "warn",
    rule: { kind: "content_pattern", patterns: [{ name: "Code name", regex: "Project Kestrel" }] },
    reason: "Code names stay inside the programme",
  });
  if (created.state !== "active") await leeway.api(GRADY, "POST", `/boundaries/${created.id}/approve`, {});
  const o = await agreedOutcome("Kestrel intake checks");
  await leeway.api(ADELE, "POST", `/outcomes/${o.id}/check-ins`, { status: "on_track", confidence: 4, progress: 50, mode: "async", note: "Intake checks are in place" });
  const other = await agreedOutcome("Kestrel archive checks");
  await leeway.api(ADELE, "POST", `/outcomes/${other.id}/check-ins`, { status: "on_track", confidence: 4, progress: 50, mode: "async", note: "Archive checks are in place" });
  const page = await pageAs(MEGAN, "/manager");
  const item = page.getByRole("region", { name: "Check-ins to coach" }).getByRole("listitem").filter({ hasText: "Kestrel intake checks" });
  await item.getByRole("textbox", { name: "Comment" }).fill("Is Project Kestrel what holds this up?");
  await item.getByRole("button", { name: "Add comment" }).click();
  await page.getByText("Saved, with a compliance warning").waitFor();
  await page.getByText(/Careful with project code names: .*Code name/).waitFor();
  // Commented on, the check-in leaves the list; the warning stays in view.
  await item.waitFor({ state: "detached" });
  await page.getByText("Saved, with a compliance warning").waitFor();
  // Until the next comment: one the demo's account-number boundary refuses says so, alone.
  const next = page.getByRole("region", { name: "Check-ins to coach" }).getByRole("listitem").filter({ hasText: "Kestrel archive checks" });
  await next.getByRole("textbox", { name: "Comment" }).fill("Is GB29NWBK60161331926819 the account to check?");
  await next.getByRole("button", { name: "Add comment" }).click();
  await next.getByText(/account number/i).first().waitFor();
  expect(await page.getByText("Saved, with a compliance warning").count()).toBe(0);
});

test("the team dashboard dates the next check-in of a biweekly outcome on its own rhythm", async () => {
  const o = await agreedOutcome("Fortnightly arrears review");
  // Next Tuesday at 10:00 UTC, inside Adele's working hours in London.
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + (((9 - day.getUTCDay()) % 7) || 7));
  const firstStart = `${day.toISOString().slice(0, 10)}T10:00:00.000Z`;
  await leeway.api(ADELE, "POST", "/check-in-schedules", { outcomeId: o.id, cadence: "biweekly", firstStart, durationMinutes: 30 });
  const page = await pageAs(MEGAN, "/team");
  const row = page.getByRole("table", { name: "The team's outcomes" }).getByRole("row").filter({ hasText: "Fortnightly arrears review" });
  // Agreed today: due two weeks on, not the one week a weekly rhythm would give.
  await row.getByText(/\(in 1[345] days\)/).waitFor();
});

test("a team link from another organisation says the team is not there; a choice left by someone else is not reused", async () => {
  const page = await pageAs(MEGAN, "/team/fabf0000-2000-4000-8000-000000000001");
  await page.getByText("This team is not there").waitFor();
  await page.getByRole("link", { name: "Choose a team" }).waitFor();
  expect(await page.getByTestId("team-dashboard").count()).toBe(0);
  // A team chosen in this window by someone else, not one of Megan's: her own team is shown.
  await page.evaluate(() => sessionStorage.setItem("leeway.team", "fabf0000-2000-4000-8000-000000000001"));
  await page.goto(tabUrl(leeway.baseUrl, "/team"));
  await page.getByRole("heading", { name: "Retail Lending: team dashboard" }).waitFor();
});
