// A manager's pages read their people's outcomes person by person: however many other outcomes
// the tenant shows them, a report's proposal still reaches them. Its own server, so the crowd of
// outcomes made here reaches no other test.
import type { Browser } from "playwright-core";
import { launchBrowser, newPage, signIn, tabUrl } from "./support/browser";
import { ADELE, MEGAN, MIRIAM, adeleOutcome, type OutcomeLike } from "./support/people";
import { startLeeway, type Leeway } from "./support/server";

jest.setTimeout(180_000);

let leeway: Leeway;
let browser: Browser;

beforeAll(async () => {
  [leeway, browser] = await Promise.all([startLeeway(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await leeway?.stop();
});

test("a report's proposal waits for Megan on both her pages, behind four hundred newer public outcomes of others", async () => {
  const proposal = await leeway.api<OutcomeLike>(ADELE, "POST", "/outcomes", adeleOutcome("Proposal among many"));
  const miriam = await leeway.api<{ id: string; teams: { id: string }[] }>(MIRIAM, "GET", "/me");
  // Newer public outcomes of someone who is not Megan's report: more than the pages read from one list.
  const body = (i: number) => ({ ...adeleOutcome(`Platform upgrade ${i}`), ownerId: miriam.id, teamId: miriam.teams[0]!.id, visibility: "public" });
  for (let i = 0; i < 410; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => leeway.api(MIRIAM, "POST", "/outcomes", body(i + j))));

  const { page } = await newPage(browser);
  await signIn(page, leeway.baseUrl, MEGAN, "/manager");
  await page.getByRole("region", { name: "Agreements to give" }).getByRole("article", { name: "Agreement: Proposal among many" }).waitFor();
  await page.getByRole("table", { name: "My people's outcomes" }).getByRole("row").filter({ hasText: "Proposal among many" }).waitFor();

  await page.goto(tabUrl(leeway.baseUrl, "/my"));
  await page.getByRole("region", { name: "Agreements waiting for you" }).getByText("Proposal among many").waitFor();
  expect(proposal.status).toBe("proposed");
});
