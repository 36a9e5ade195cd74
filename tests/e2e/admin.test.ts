// Compliance boundaries in the Teams tab: one admin proposes, a second approves (maker-checker),
// and the boundary then blocks a check-in, which the owner sees with its name and rule.
import type { Browser } from "playwright-core";
import { launchBrowser, newPage, screenshot, signIn } from "./support/browser";
import { ADELE, GRADY, LIDIA, MEGAN, MIRIAM, RETAIL_LENDING, adeleOutcome, type OutcomeLike } from "./support/people";
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

interface BoundaryLike {
  id: string;
  name: string;
  state: string;
  inForce: boolean;
  pendingVersion: number | null;
}

const NAME = "No card numbers in notes";

test("Miriam proposes a boundary, Grady approves it, and it then blocks a check-in with its name and rule", async () => {
  const miriam = (await newPage(browser)).page;
  await signIn(miriam, leeway.baseUrl, MIRIAM, "/admin");
  await miriam.getByTestId("admin-page").waitFor();
  await miriam.getByRole("button", { name: "New boundary" }).click();
  const form = miriam.getByRole("form", { name: "New boundary" });
  await form.getByRole("button", { name: "Create boundary" }).click();
  await form.getByText("Give the boundary a name.").waitFor();
  await form.getByRole("textbox", { name: "Name", exact: true }).fill(NAME);
  await form.getByLabel("Pattern 1 name").fill("Card number");
  await form.getByLabel("Pattern 1 regular expression").fill("(");
  await form.getByText("Not a valid regular expression.").waitFor();
  await form.getByLabel("Pattern 1 regular expression").fill("\\b(?:\\d[ -]?){13,16}\\b");
  await form.getByLabel("Reason").fill("Card data must stay in the card systems (PCI DSS).");
  await screenshot(miriam, "admin-1-new-boundary");
  await form.getByRole("button", { name: "Create boundary" }).click();

  const queue = miriam.getByTestId("approvals-queue");
  const mine = queue.locator("li", { hasText: NAME });
  await mine.waitFor();
  await mine.getByText("a different admin or compliance officer approves it").waitFor();
  expect(await mine.getByRole("button", { name: "Approve" }).count()).toBe(0);
  await screenshot(miriam, "admin-2-waiting-for-approval");

  const boundaries = await leeway.api<{ items: BoundaryLike[] }>(MIRIAM, "GET", "/boundaries?state=pending_approval");
  const proposed = boundaries.items.find((b) => b.name === NAME);
  expect(proposed).toBeDefined();

  const grady = (await newPage(browser)).page;
  await signIn(grady, leeway.baseUrl, GRADY, "/admin");
  const pending = grady.getByTestId("approvals-queue").locator("li", { hasText: NAME });
  await pending.waitFor();
  await pending.getByLabel("Note (optional)").fill("Checked against the PCI scope list.");
  await pending.getByRole("button", { name: "Approve" }).click();
  await pending.waitFor({ state: "detached" });
  const row = grady.locator(`[data-boundary-id="${proposed?.id}"]`);
  await row.getByText("In force").waitFor();
  await screenshot(grady, "admin-3-approved");

  const approved = await leeway.api<BoundaryLike>(GRADY, "GET", `/boundaries/${proposed?.id}`);
  expect(approved.state).toBe("active");
  expect(approved.inForce).toBe(true);

  // The owner meets the boundary when she writes a card number into a check-in.
  const o = await leeway.api<OutcomeLike>(ADELE, "POST", "/outcomes", adeleOutcome("Faster card dispute answers"));
  await leeway.api(MEGAN, "POST", `/outcomes/${o.id}/agreement`, { version: o.version });
  const adele = (await newPage(browser)).page;
  await signIn(adele, leeway.baseUrl, ADELE, `/outcome/${o.id}`);
  await adele.getByRole("button", { name: "Record a check-in" }).click();
  await adele.getByLabel("What happened").fill("Customer card 4111 1111 1111 1111 was refunded.");
  await adele.getByRole("button", { name: "Record check-in" }).click();
  const block = adele.getByTestId("boundary-block");
  await block.getByText(`Blocked by the compliance boundary “${NAME}”`).waitFor();
  await block.getByText(/^Rule: /).waitFor();
  const checkIn = adele.getByRole("form", { name: "Record a check-in" });
  await checkIn.getByText(/note contains text that looks like Card number/).waitFor();
  // Said once, beside the note: the bar names the boundary and its rule.
  expect(await checkIn.getByText(/contains text that looks like/).count()).toBe(1);
  await screenshot(adele, "admin-4-check-in-blocked");
});

test("a team boundary looser than the organisation's is refused with the reason, not as a blocked change", async () => {
  const miriam = (await newPage(browser)).page;
  await signIn(miriam, leeway.baseUrl, MIRIAM, "/admin");
  await miriam.getByRole("button", { name: "New boundary" }).click();
  const form = miriam.getByRole("form", { name: "New boundary" });
  await form.getByRole("textbox", { name: "Name", exact: true }).fill("Platform checks in every three weeks");
  await form.getByLabel("Kind of rule").selectOption({ label: "Check-in cadence" });
  await form.getByRole("radio", { name: "Warn" }).check();
  await form.getByLabel("Maximum days between check-ins").fill("21");
  await form.getByLabel("Applies to").selectOption({ label: "One team" });
  await form.getByRole("button", { name: "Create boundary" }).click();
  const problem = form.getByTestId("problem");
  await problem.getByText("Looser than a wider boundary").waitFor();
  await problem.getByText(/A narrower scope may only tighten a wider one\./).waitFor();
  expect(await form.getByTestId("boundary-block").count()).toBe(0);
  expect(await form.getByText(/^Rule:/).count()).toBe(0);
});

test("an admin sets a boundary for a team she is not in, chosen and shown by its name", async () => {
  const miriam = (await newPage(browser)).page;
  await signIn(miriam, leeway.baseUrl, MIRIAM, "/admin");
  await miriam.getByRole("button", { name: "New boundary" }).click();
  const form = miriam.getByRole("form", { name: "New boundary" });
  await form.getByRole("textbox", { name: "Name", exact: true }).fill("Retail Lending: one nudge a week");
  await form.getByLabel("Kind of rule").selectOption({ label: "Nudge limit" });
  await form.getByRole("radio", { name: "Warn" }).check();
  await form.getByLabel("Nudges per outcome per week").fill("1");
  await form.getByLabel("Applies to").selectOption({ label: "One team" });
  // Miriam leads Technology Platform and sits on the executive team; Retail Lending is neither.
  await form.getByRole("combobox", { name: "Team" }).selectOption({ label: "Retail Lending" });
  await form.getByLabel("Reason").fill("Retail Lending coaches more than it chases.");
  await form.getByRole("button", { name: "Create boundary" }).click();
  const queued = miriam.getByTestId("approvals-queue").locator("li", { hasText: "Retail Lending: one nudge a week" });
  await queued.getByText("Team: Retail Lending").waitFor();
  const stored = await leeway.api<{ items: (BoundaryLike & { scope: { teamId?: string } })[] }>(MIRIAM, "GET", "/boundaries?state=pending_approval");
  expect(stored.items.find((b) => b.name === "Retail Lending: one nudge a week")?.scope.teamId).toBe(RETAIL_LENDING);
});

test("an approval of a change that a newer one replaced meanwhile decides nothing, and the queue shows the newer one", async () => {
  const { items } = await leeway.api<{ items: BoundaryLike[] }>(MIRIAM, "GET", "/boundaries");
  const id = items.find((b) => b.name === NAME)!.id;
  const propose = async (enforcement: "warn" | "block", reason: string) => {
    const current = await fetch(`${leeway.baseUrl}/api/v1/boundaries/${id}`, { headers: { authorization: `Bearer ${await leeway.token(MIRIAM)}` } });
    await leeway.api(MIRIAM, "PATCH", `/boundaries/${id}`, { enforcement, reason }, { "if-match": current.headers.get("etag")! });
  };
  // Miriam proposes a small change, and Grady opens the queue with it.
  await propose("block", "Also covers notes written by delegates.");
  const grady = (await newPage(browser)).page;
  await signIn(grady, leeway.baseUrl, GRADY, "/admin");
  const entry = grady.locator(`[data-pending-boundary="${id}"]`);
  const stale = entry.filter({ hasText: "(version 2)" });
  await stale.waitFor();

  // Before he decides, Lidia rejects it and Miriam proposes turning the block into a warning.
  await leeway.api(LIDIA, "POST", `/boundaries/${id}/reject`, { note: "Say which delegates." });
  await propose("warn", "Warn only while the card systems are migrated.");

  await stale.getByRole("button", { name: "Approve" }).click();
  await grady.getByTestId("approval-replaced").getByText("Nothing was decided").waitFor();
  const fresh = entry.filter({ hasText: "(version 3)" });
  await fresh.getByText("warns").waitFor();
  await screenshot(grady, "admin-5-approval-replaced");

  const after = await leeway.api<BoundaryLike & { enforcement: string }>(GRADY, "GET", `/boundaries/${id}`);
  expect(after).toMatchObject({ state: "active", enforcement: "block", pendingVersion: 3 });
});
