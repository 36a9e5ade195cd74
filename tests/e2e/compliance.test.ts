// The compliance officer's view: audit search with filters and paging, event detail with
// before and after, export with progress, chain verification and boundary violations.
import type { Browser } from "playwright-core";
import { launchBrowser, newPage, screenshot, signIn, tabUrl } from "./support/browser";
import { ADELE, LIDIA, MEGAN, MIRIAM, RETAIL_LENDING, adeleOutcome, type OutcomeLike } from "./support/people";
import { startLeeway, type Leeway } from "./support/server";

jest.setTimeout(120_000);

let leeway: Leeway;
let browser: Browser;

beforeAll(async () => {
  [leeway, browser] = await Promise.all([startLeeway(), launchBrowser()]);
  const o = await leeway.api<OutcomeLike>(ADELE, "POST", "/outcomes", adeleOutcome("Audit me: quicker credit memos"));
  await leeway.api(MEGAN, "POST", `/outcomes/${o.id}/agreement`, { version: o.version });
});

afterAll(async () => {
  await browser?.close();
  await leeway?.stop();
});

test("Lidia searches the audit trail, opens an event, exports it with progress and sees the chain verified", async () => {
  const { page } = await newPage(browser);
  await signIn(page, leeway.baseUrl, LIDIA, "/compliance");
  await page.getByTestId("compliance-page").waitFor();

  const chain = page.getByTestId("chain-status");
  await chain.getByTestId("chain-verdict").getByText("Chain verified").waitFor();
  await chain.getByText(/All \d+ events link up/).waitFor();

  const search = page.getByTestId("audit-search");
  await search.getByTestId("audit-results").waitFor();
  await search.getByLabel("Action").fill("outcome.created");
  await search.getByRole("button", { name: "Search" }).click();
  const rows = search.getByTestId("audit-results").locator("tbody tr");
  // The page shown before holds rows of the searched action too: wait (up to 10 s) for the
  // search's own answer, a page of rows with no other action on it.
  const actionsOnly = async (action: string): Promise<string[]> => {
    let actions: string[] = [];
    for (const until = Date.now() + 10_000; Date.now() < until; await page.waitForTimeout(50)) {
      actions = await rows.locator("td:nth-child(4)").allInnerTexts();
      if (actions.length > 0 && actions.every((a) => a === action)) break;
    }
    return actions;
  };
  const actions = await actionsOnly("outcome.created");
  expect(actions.length).toBeGreaterThan(0);
  expect(new Set(actions)).toEqual(new Set(["outcome.created"]));

  // Paging: a small page, then the next (older) one.
  await search.getByLabel("Action").fill("");
  await search.getByLabel("Per page").selectOption("25");
  await search.getByRole("button", { name: "Search" }).click();
  await search.getByText("Page 1").waitFor();
  const firstSeq = await rows.first().getAttribute("data-seq");
  await search.getByRole("button", { name: "Older" }).click();
  await search.getByText("Page 2").waitFor();
  await page.waitForFunction((seq) => document.querySelector("[data-testid=audit-results] tbody tr")?.getAttribute("data-seq") !== seq, firstSeq);
  await search.getByRole("button", { name: "Newer" }).click();
  await search.getByText("Page 1").waitFor();

  await search.getByLabel("Action").fill("outcome.agreed");
  await search.getByRole("button", { name: "Search" }).click();
  expect(new Set(await actionsOnly("outcome.agreed"))).toEqual(new Set(["outcome.agreed"]));
  await search.getByRole("button", { name: /^Details of event/ }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("table", { name: "Changes, before and after" }).waitFor();
  await dialog.getByRole("columnheader", { name: "Before" }).waitFor();
  await screenshot(page, "compliance-1-event-detail");
  await dialog.getByRole("button", { name: "Close" }).click();
  await dialog.waitFor({ state: "detached" });

  const exportPanel = page.getByTestId("audit-export");
  const download = page.waitForEvent("download");
  await exportPanel.getByRole("button", { name: "Export audit trail" }).click();
  await exportPanel.getByTestId("export-progress").waitFor();
  await exportPanel.getByText("Export complete").waitFor();
  await exportPanel.getByText(/^\d+ of \d+ events/).waitFor();
  await exportPanel.getByTestId("export-file").waitFor();
  expect((await download).suggestedFilename()).toMatch(/\.jsonl$/);
  await screenshot(page, "compliance-2-exported");

  // The export is itself audited, and the chain still verifies afterwards.
  await chain.getByRole("button", { name: "Verify again" }).click();
  await chain.getByTestId("chain-verdict").getByText("Chain verified").waitFor();
  const verify = await leeway.api<{ ok: boolean }>(LIDIA, "GET", "/audit/verify");
  expect(verify.ok).toBe(true);
});

test("boundary violations are listed for compliance", async () => {
  const findings = await leeway.api<{ items: unknown[] }>(LIDIA, "GET", "/boundary-findings");
  const { page } = await newPage(browser);
  await signIn(page, leeway.baseUrl, LIDIA, "/compliance");
  const panel = page.getByTestId("boundary-findings");
  await panel.waitFor();
  if (findings.items.length > 0) await panel.getByRole("table", { name: "Boundary violations" }).waitFor();
  else await panel.getByText("No violations recorded").waitFor();
  await screenshot(page, "compliance-3-violations");
});

test("Lidia approves a risk class that waits for compliance, with a note; the outcome can then be agreed", async () => {
  // Maker-checker: Miriam proposes the rule, Lidia approves it.
  const rule = await leeway.api<{ id: string; state: string }>(MIRIAM, "POST", "/boundaries", {
    name: "High-risk lending outcomes need approval",
    scope: { level: "team", teamId: RETAIL_LENDING },
    enforcement: "block",
    rule: { kind: "approval_for_risk_class", riskClasses: ["High"] },
    reason: "Credit risk policy",
  });
  if (rule.state === "pending_approval") await leeway.api(LIDIA, "POST", `/boundaries/${rule.id}/approve`, {});
  const o = await leeway.api<OutcomeLike>(ADELE, "POST", "/outcomes", { ...adeleOutcome("Unsecured lending to new customers"), riskClass: "High" });

  const { page } = await newPage(browser);
  await signIn(page, leeway.baseUrl, LIDIA, "/compliance");
  const queue = page.getByTestId("risk-approvals");
  const row = queue.getByRole("row").filter({ hasText: "Unsecured lending to new customers" });
  await row.getByRole("cell", { name: "High", exact: true }).waitFor();
  await row.getByRole("cell", { name: "Adele Vance", exact: true }).waitFor();
  await row.getByRole("button", { name: "Approve the risk class of Unsecured lending to new customers" }).click();
  const dialog = page.getByRole("dialog", { name: "Approve the risk class “High”?" });
  await dialog.getByRole("textbox", { name: "Note" }).fill("Within the new-customer appetite agreed by the risk committee.");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await queue.getByRole("status").getByText("The risk class of “Unsecured lending to new customers” is approved.").waitFor();
  await row.waitFor({ state: "detached" });
  await screenshot(page, "compliance-4-risk-approved");

  const approved = await leeway.api<{ agreement: { approval: { state: string; approvedBy: string } } }>(ADELE, "GET", `/outcomes/${o.id}`);
  expect(approved.agreement.approval.state).toBe("approved");
  const trail = await leeway.api<{ items: { actor: { id: string; displayName: string }; reason: string }[] }>(LIDIA, "GET", `/audit/events?entityId=${o.id}&action=outcome.risk_approved`);
  expect(trail.items).toEqual([expect.objectContaining({ actor: expect.objectContaining({ id: approved.agreement.approval.approvedBy, displayName: "Lidia Holloway" }), reason: "Within the new-customer appetite agreed by the risk committee." })]);
  // Megan can now agree it.
  expect((await leeway.api<OutcomeLike>(MEGAN, "POST", `/outcomes/${o.id}/agreement`, { version: 1 })).status).toBe("agreed");
  // The outcome page says who approved it.
  await page.goto(tabUrl(leeway.baseUrl, `/outcome/${o.id}`));
  await page.getByTestId("outcome-page").getByText("High · approved by Lidia Holloway (you)").waitFor();

  // The outcome page itself offers the approval to compliance.
  const next = await leeway.api<OutcomeLike>(ADELE, "POST", "/outcomes", { ...adeleOutcome("Overdraft limits for new customers"), riskClass: "High" });
  await page.goto(tabUrl(leeway.baseUrl, `/outcome/${next.id}`));
  await page.getByText("needs a compliance approval", { exact: false }).waitFor();
  await page.getByRole("button", { name: "Approve risk class" }).click();
  await page.getByRole("dialog", { name: "Approve the risk class “High”?" }).getByRole("button", { name: "Confirm" }).click();
  await page.getByTestId("outcome-page").getByText("High · approved by Lidia Holloway (you)").waitFor();
  expect(await page.getByText("needs a compliance approval", { exact: false }).count()).toBe(0);

  // Dropped before anyone approved it, an outcome's class waits for nobody, on its page or in the queue.
  const dropped = await leeway.api<OutcomeLike>(ADELE, "POST", "/outcomes", { ...adeleOutcome("Instant card replacement for new customers"), riskClass: "High" });
  await leeway.api(ADELE, "POST", `/outcomes/${dropped.id}/drop`, { reason: "The card scheme changed its rules" });
  expect((await leeway.api<OutcomeLike>(MEGAN, "POST", `/outcomes/${dropped.id}/agreement`, { version: 2 })).status).toBe("dropped");
  await page.goto(tabUrl(leeway.baseUrl, `/outcome/${dropped.id}`));
  await page.getByTestId("outcome-page").getByText("Instant card replacement for new customers", { exact: false }).first().waitFor();
  await page.getByTestId("outcome-page").getByText(/^High$/).waitFor();
  expect(await page.getByText("needs a compliance approval", { exact: false }).count()).toBe(0);
  expect(await page.getByRole("button", { name: "Approve risk class" }).count()).toBe(0);
});

test("a filter the server refuses is named beside its field", async () => {
  const { page } = await newPage(browser);
  await signIn(page, leeway.baseUrl, LIDIA, "/compliance");
  const search = page.getByTestId("audit-search");
  await search.getByTestId("audit-results").waitFor();
  // A sign-in name is not an actor id.
  await search.getByLabel("Actor id").fill("megan.bowen@contoso.test");
  await search.getByRole("button", { name: "Search" }).click();
  await search.getByText("The search failed").waitFor();
  expect(await search.getByLabel("Actor id").getAttribute("aria-invalid")).toBe("true");
  expect(await search.getByLabel("Action").getAttribute("aria-invalid")).not.toBe("true");
  // Corrected, the search runs and the field is clear again.
  await search.getByLabel("Actor id").fill("");
  await search.getByRole("button", { name: "Search" }).click();
  await search.getByTestId("audit-results").waitFor();
  expect(await search.getByLabel("Actor id").getAttribute("aria-invalid")).not.toBe("true");
});

test("people without the role see neither the compliance page nor its link", async () => {
  const { page } = await newPage(browser);
  await signIn(page, leeway.baseUrl, ADELE, "/my");
  const nav = page.getByRole("navigation", { name: "Pages" });
  await nav.getByRole("link", { name: "My outcomes" }).waitFor();
  expect(await nav.getByRole("link", { name: "Compliance" }).count()).toBe(0);
  expect(await nav.getByRole("link", { name: "Admin" }).count()).toBe(0);
  await page.goto(tabUrl(leeway.baseUrl, "/compliance"));
  await page.getByText("This page is not available to you").waitFor();
});

test("a compliance officer chooses any team's dashboard, not only her own team's", async () => {
  const { page } = await newPage(browser);
  await signIn(page, leeway.baseUrl, LIDIA, "/config");
  const team = page.getByTestId("config-page").getByRole("combobox", { name: "Team" });
  await team.selectOption({ label: "Retail Lending" });
  await page.getByRole("button", { name: "Show dashboard" }).click();
  await page.getByRole("heading", { name: "Retail Lending: team dashboard" }).waitFor();
  expect(page.url()).toContain(`#/team/${RETAIL_LENDING}`);
});
