import request from "supertest";
import { DEMO } from "../../server/src/local-m365/demo-directory";
import type { Outcome } from "../../server/src/store/repositories/outcome.repository";
import { buildBoundary, buildCheckIn, buildComment, buildNudge, buildOutcome, buildReview, buildTeam, daysBefore, whatOf } from "../support/factories";
import { startTestServer, type TestServer } from "../support/harness";

const DAY = 86_400_000;
const C = DEMO.contoso;

describe("dashboards", () => {
  let s: TestServer;
  const tokens: Record<string, string> = {};
  let team: string;
  const o: Record<string, Outcome> = {};
  // The period ends a week ago at noon UTC and lasts 4 weeks; all data is placed relative to it.
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const TO = today - 7 * DAY + 12 * 3_600_000;
  const FROM = TO - 28 * DAY;
  const d = (n: number) => daysBefore(TO, n);
  const date = (n: number) => d(n).slice(0, 10);
  const period = `from=${encodeURIComponent(new Date(FROM).toISOString())}&to=${encodeURIComponent(new Date(TO).toISOString())}`;

  const get = (path: string, who: string) => request(s.baseUrl).get(path).set("Authorization", `Bearer ${tokens[who]}`);
  const teamBoard = (who: string, query = period) => get(`/api/v1/dashboards/team/${team}?${query}`, who);

  beforeAll(async () => {
    s = await startTestServer();
    for (const who of ["adele.vance", "alex.wilber", "megan.bowen", "diego.siciliani", "lidia.holloway", "miriam.graham"]) tokens[who.split(".")[0]!] = await s.token(`${who}@contoso.test`);
    tokens.nestor = await s.token("nestor.wilke@fabrikam.test");
    team = await buildTeam(s, { name: "Lending Operations", memberIds: [C.adele, C.alex], leadId: C.adele });
    await buildBoundary(s, { name: "Two nudges a week", rule: { kind: "nudge_limit", perOutcomePerWeek: 2 }, scope: { level: "team", teamId: team } });

    o.one = await buildOutcome(s, { ownerId: C.adele, teamId: team, title: "Faster loan decisions", status: "at_risk", agreedAt: d(40), atRiskSince: d(18), deadline: date(-60) });
    const c1 = [
      await buildCheckIn(s, o.one, { at: d(25), status: "on_track", progress: 9, ideas: ["Pre-fill forms"] }),
      await buildCheckIn(s, o.one, { at: d(18), status: "at_risk", progress: 8 }),
      await buildCheckIn(s, o.one, { at: d(11), status: "at_risk", progress: 8 }),
      await buildCheckIn(s, o.one, { at: d(4), status: "at_risk", progress: 8, supportNeeded: "Need analyst time" }),
    ];
    await buildComment(s, o.one, c1[2]!, { at: d(11), kind: "coaching", authorId: C.megan });
    await buildNudge(s, o.one, { at: d(4), kind: "escalation" });
    await buildNudge(s, o.one, { at: new Date(Date.now() - DAY).toISOString(), kind: "nudge", senderId: C.megan });

    const two = { ownerId: C.alex, teamId: team, title: "Fewer payment errors", baseline: 100, target: 50, visibility: "private" as const, agreedAt: d(30), deadline: date(-30), version: 3 };
    o.two = await buildOutcome(s, {
      ...two,
      pending: { what: { ...whatOf({ ...two, metric: "Median days to decision", unit: "days", ifMissed: "We re-plan with the risk team." }), deadline: date(-45) }, proposedBy: "manager", proposedAtVersion: 3, reason: "Scope grew", kind: "change", acceptedBy: ["manager"] },
    });
    const c2 = await buildCheckIn(s, o.two, { at: d(20), status: "off_track", progress: 90 });
    await buildCheckIn(s, o.two, { at: d(13), status: "on_track", progress: 80 });
    await buildCheckIn(s, o.two, { at: d(12), status: "on_track", progress: 70 });
    await buildCheckIn(s, o.two, { at: d(10), status: "on_track", progress: 60 });
    await buildComment(s, o.two, c2, { at: d(19), kind: "directive", authorId: C.megan });
    await buildNudge(s, o.two, { at: d(9), kind: "nudge", senderId: C.megan });

    o.three = await buildOutcome(s, { ownerId: C.adele, teamId: team, title: "Mortgage checklist", visibility: "public", status: "done", agreedAt: d(60), deadline: date(5), doneAt: d(8), closedAt: d(8), updatedAt: d(8) });
    o.four = await buildOutcome(s, { ownerId: C.alex, teamId: team, title: "Train branch staff", status: "missed", agreedAt: d(60), deadline: date(15), closedAt: d(14), updatedAt: d(14) });
    await buildReview(s, o.four, { at: d(10), causes: ["resources", "skills"] });
    o.five = await buildOutcome(s, {
      ownerId: C.adele,
      teamId: team,
      title: "Something about quality",
      visibility: "private",
      status: "proposed",
      baseline: 5,
      target: 5,
      createdAt: d(3),
      pending: { what: whatOf({ title: "Something about quality", metric: "Median days to decision", unit: "days", baseline: 5, target: 5, deadline: date(-60), ifMissed: "x" }), proposedBy: "owner", proposedAtVersion: 1, reason: null, kind: "change", acceptedBy: ["owner"] },
    });
  });
  afterAll(() => s.close());

  describe("team", () => {
    it("answers 401 without a token, 403 to someone with no tie to the team, 404 for an unknown or foreign team", async () => {
      await request(s.baseUrl).get(`/api/v1/dashboards/team/${team}`).expect(401);
      const forbidden = await teamBoard("diego").expect(403);
      expect(forbidden.headers["content-type"]).toContain("application/problem+json");
      await teamBoard("nestor").expect(404);
      await get(`/api/v1/dashboards/team/${C.teams.retailLending}`, "nestor").expect(404);
      await get("/api/v1/dashboards/team/no-such-team", "lidia").expect(404);
    });

    it("refuses bad queries with 400 and field paths", async () => {
      const cases: [string, string][] = [
        ["from=yesterday", "from"],
        ["from=2026-03-02&to=2026-03-01", "to"],
        ["from=2024-01-01&to=2026-01-01", "from"],
        ["colour=blue", "colour"],
      ];
      for (const [query, path] of cases) {
        const res = await teamBoard("adele", query).expect(400);
        expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      }
      const bad = await get("/api/v1/dashboards/team/bad%20id", "adele").expect(400);
      expect(bad.body.errors[0].path).toBe("teamId");
    });

    it("refuses a start in the future when the period ends now", async () => {
      const tomorrow = new Date(today + DAY).toISOString();
      for (const from of [tomorrow, tomorrow.slice(0, 10)]) {
        const res = await teamBoard("adele", `from=${encodeURIComponent(from)}`).expect(400);
        expect(res.headers["content-type"]).toContain("application/problem+json");
        expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["from"]);
      }
      // Today's start is not after now: the period runs from midnight UTC to now.
      const board = (await teamBoard("adele", `from=${new Date(today).toISOString().slice(0, 10)}`).expect(200)).body;
      expect(board.period.from <= board.period.to).toBe(true);
    });

    it("tells each reader why they may read it", async () => {
      const access = async (who: string) => (await teamBoard(who).expect(200)).body.access;
      expect(await access("adele")).toBe("member");
      expect(await access("megan")).toBe("manager");
      expect(await access("lidia")).toBe("compliance");
      expect(await access("miriam")).toBe("admin");
    });

    it("summarises only the outcomes the caller may see, by status and by owner", async () => {
      const all = (await teamBoard("megan").expect(200)).body;
      expect(all.team).toMatchObject({ id: team, name: "Lending Operations", rhythm: "weekly" });
      expect(all.team.members.map((m: { displayName: string }) => m.displayName)).toEqual(["Adele Vance", "Alex Wilber"]);
      expect(all.period).toEqual({ from: new Date(FROM).toISOString(), to: new Date(TO).toISOString() });
      expect(all.outcomes.visible).toBe(5);
      expect(all.outcomes.byStatus).toEqual({ draft: 0, proposed: 1, agreed: 1, at_risk: 1, done: 1, missed: 1, dropped: 0 });
      expect(all.outcomes.byOwner.map((x: { displayName: string; total: number }) => [x.displayName, x.total])).toEqual([["Adele Vance", 3], ["Alex Wilber", 2]]);
      expect(all.outcomes.items[0]).toMatchObject({ id: o.one!.id, status: "at_risk", progress: 0.4, ownerName: "Adele Vance" });
      expect(all.outcomes.items.find((x: { id: string }) => x.id === o.two!.id).progress).toBe(0.8);

      const adele = (await teamBoard("adele").expect(200)).body;
      expect(adele.outcomes.visible).toBe(4);
      expect(adele.outcomes.items.map((x: { id: string }) => x.id)).not.toContain(o.two!.id);
      const alex = (await teamBoard("alex").expect(200)).body;
      expect(alex.outcomes.items.map((x: { id: string }) => x.id).sort()).toEqual([o.one!.id, o.two!.id, o.three!.id, o.four!.id].sort());
      const miriam = (await teamBoard("miriam").expect(200)).body;
      expect(miriam.outcomes.items.map((x: { id: string }) => x.id)).toEqual([o.three!.id]);
    });

    it("measures rhythm adherence per cadence window and states the definition", async () => {
      const { rhythm } = (await teamBoard("megan").expect(200)).body;
      // Four weekly windows; both committed outcomes were agreed before the first. The at-risk
      // one kept all four, the agreed one two (its check-ins bunch in one week): 6 of 8.
      expect(rhythm).toMatchObject({ cadence: "weekly", windowDays: 7, windows: 4, outcomes: 2, windowsDue: 8, windowsKept: 6, adherence: 75, onRhythmNow: 50 });
      expect(rhythm.definition).toContain("window");
      // Adele may not see Alex's private outcome, so her figure is her own outcome's: 4 of 4.
      expect((await teamBoard("adele").expect(200)).body.rhythm).toMatchObject({ outcomes: 1, windowsDue: 4, windowsKept: 4, adherence: 100 });
    });

    it("computes the signs of balance from the stored history, each with its definition", async () => {
      const { signs } = (await teamBoard("lidia").expect(200)).body;
      const sign = (key: string) => signs.find((x: { key: string }) => x.key === key);
      // Done on time without reminders: the checklist; missed: the training. 1 of 2.
      expect(sign("deadlinesMetWithoutReminders")).toMatchObject({ value: 50, sample: 2 });
      // One idea, two members, 28 days = 28/30 of a month.
      expect(sign("ideasPerPersonPerMonth")).toMatchObject({ value: 0.54, sample: 8 });
      // Off track 20 days before the end, back on track 13 days before: 7 days.
      expect(sign("medianTimeToSelfCorrect")).toMatchObject({ value: 7, sample: 1 });
      // One coaching comment against one directive and one nudge (the escalation is not chasing).
      expect(sign("coachingVsChasing")).toMatchObject({ value: 33.3, sample: 3 });
      for (const x of signs) expect(x.definition.length).toBeGreaterThan(20);
    });

    it("detects pitfalls and lists only the items the caller may see", async () => {
      const pitfall = (board: { pitfalls: { key: string }[] }, key: string) => board.pitfalls.find((x) => x.key === key);
      const lidia = (await teamBoard("lidia").expect(200)).body;
      expect(pitfall(lidia, "vagueExpectations")).toMatchObject({ detected: true, count: 1, hiddenItems: 0, items: [{ outcomeId: o.five!.id, reason: expect.stringContaining("target equals the baseline") }] });
      expect(pitfall(lidia, "overMonitoring")).toMatchObject({ detected: true, count: 1, items: [{ outcomeId: o.two!.id }] });
      expect(pitfall(lidia, "ignoredUnderperformance")).toMatchObject({ detected: false, count: 0, items: [] });
      expect(pitfall(lidia, "activityWithoutResults")).toMatchObject({ detected: true, count: 1, items: [{ outcomeId: o.one!.id, title: "Faster loan decisions" }] });

      // Alex's private outcome is over-monitored and Adele's private proposal is vague: neither
      // shows through a count to a teammate who may not see it.
      const adele = (await teamBoard("adele").expect(200)).body;
      expect(pitfall(adele, "overMonitoring")).toMatchObject({ detected: false, count: 0, items: [], hiddenItems: 0 });
      expect(pitfall(adele, "vagueExpectations")).toMatchObject({ count: 1, items: [{ outcomeId: o.five!.id }], hiddenItems: 0 });
      const alex = (await teamBoard("alex").expect(200)).body;
      expect(pitfall(alex, "vagueExpectations")).toMatchObject({ detected: false, count: 0, items: [], hiddenItems: 0 });
      expect(pitfall(alex, "overMonitoring")).toMatchObject({ count: 1, items: [{ outcomeId: o.two!.id }] });
    });

    it("aggregates review causes into system and individual shares", async () => {
      const { reviewCauses } = (await teamBoard("megan").expect(200)).body;
      expect(reviewCauses).toMatchObject({ reviews: 1, total: 2, systemCauses: 1, individualCauses: 1, systemShare: 50, individualShare: 50 });
      expect(reviewCauses.counts).toMatchObject({ resources: 1, skills: 1, system: 0 });
    });

    it("charts twelve ISO weeks ending with the period's last week", async () => {
      const { series } = (await teamBoard("megan").expect(200)).body;
      expect(series.weeks).toHaveLength(12);
      const last = series.weeks[11];
      expect(new Date(`${last.start}T00:00:00Z`).getUTCDay()).toBe(1);
      expect(Date.parse(last.start)).toBeLessThanOrEqual(TO);
      expect(TO - Date.parse(last.start)).toBeLessThan(7 * DAY);
      const sum = (k: string) => series.weeks.reduce((n: number, w: Record<string, number>) => n + (w[k] ?? 0), 0);
      expect(sum("checkIns")).toBe(8);
      expect(sum("nudges")).toBe(1);
      expect(sum("coachingComments")).toBe(1);
      expect(sum("directives")).toBe(1);
      const onTrack = series.weeks.reduce((n: number, w: { checkIns: number; onTrackShare: number | null }) => n + Math.round(((w.onTrackShare ?? 0) * w.checkIns) / 100), 0);
      expect(onTrack).toBe(4);
      expect(series.weeks.every((w: { week: string }) => /^\d{4}-W\d{2}$/.test(w.week))).toBe(true);
    });

    it("defaults to the 90 days up to now", async () => {
      const res = await get(`/api/v1/dashboards/team/${team}`, "adele").expect(200);
      const { from, to } = res.body.period;
      expect(Date.parse(to) - Date.parse(from)).toBe(90 * DAY);
      expect(Math.abs(Date.parse(to) - Date.now())).toBeLessThan(60_000);
    });

    it("shows a change at once, even right after the same dashboard was read", async () => {
      const before = (await get(`/api/v1/dashboards/team/${C.teams.retailLending}`, "megan").expect(200)).body;
      const fresh = await buildOutcome(s, { ownerId: C.diego, teamId: C.teams.retailLending, title: "Shorter credit memos", agreedAt: d(3) });
      await buildCheckIn(s, fresh, { at: new Date().toISOString(), status: "on_track", progress: 7 });
      const after = (await get(`/api/v1/dashboards/team/${C.teams.retailLending}`, "megan").expect(200)).body;
      expect(after.outcomes.visible).toBe(before.outcomes.visible + 1);
      const count = (b: { series: { weeks: { checkIns: number }[] } }) => b.series.weeks.reduce((n, w) => n + w.checkIns, 0);
      expect(count(after)).toBe(count(before) + 1);
    });

    describe("records of outcomes not listed", () => {
      const figuresOf = (b: Record<string, unknown>) => ({ rhythm: b.rhythm, signs: b.signs, pitfalls: b.pitfalls, reviewCauses: b.reviewCauses, series: b.series });
      const board = async (teamId: string, who: string) => (await get(`/api/v1/dashboards/team/${teamId}?${period}`, who).expect(200)).body;
      const sum = (b: { series: { weeks: Record<string, number>[] } }, k: string) => b.series.weeks.reduce((n, w) => n + (w[k] ?? 0), 0);
      const sign = (b: { signs: { key: string }[] }, key: string) => b.signs.find((x) => x.key === key);
      /** An outcome missed long before the period: not listed, but reviewed in it. */
      const missedLongAgo = (teamId: string, ownerId: string, title: string, visibility: "private" | "public") =>
        buildOutcome(s, { ownerId, teamId, title, visibility, status: "missed", agreedAt: d(300), deadline: date(120), closedAt: d(119), updatedAt: d(119) });

      it("count only for the readers who may see them", async () => {
        const desk = await buildTeam(s, { name: "Collections", memberIds: [C.adele, C.alex], leadId: C.adele });
        const listed = await buildOutcome(s, { ownerId: C.adele, teamId: desk, title: "Answer every dispute", visibility: "public", agreedAt: d(40), deadline: date(-60) });
        await buildCheckIn(s, listed, { at: d(6), status: "on_track", progress: 7 });
        const open = await missedLongAgo(desk, C.adele, "Close the old arrears", "public");
        await buildReview(s, open, { at: d(2), causes: ["process"] });
        // Alex's private outcome, missed months ago: reviewed and commented on in the period.
        const closed = await missedLongAgo(desk, C.alex, "Recover the written-off loans", "private");
        const old = await buildCheckIn(s, closed, { at: d(150), status: "off_track", progress: 2 });
        await buildReview(s, closed, { at: d(2), causes: ["individual"] });
        await buildComment(s, closed, old, { at: d(3), kind: "directive", authorId: C.megan });
        await buildNudge(s, closed, { at: d(3), kind: "nudge", senderId: C.megan });

        // Adele sees every listed outcome but not Alex's private one: none of its records count for her.
        const adele = await board(desk, "adele");
        expect(adele.outcomes.items.map((x: { id: string }) => x.id)).toEqual([listed.id]);
        expect(adele.reviewCauses).toMatchObject({ reviews: 1, total: 1, systemShare: 100, individualShare: 0 });
        expect(adele.reviewCauses.counts).toMatchObject({ process: 1, individual: 0 });
        expect(sign(adele, "coachingVsChasing")).toMatchObject({ value: null, sample: 0 });
        expect([sum(adele, "directives"), sum(adele, "nudges"), sum(adele, "checkIns")]).toEqual([0, 0, 1]);
        // Alex owns it, Megan manages him: theirs count it.
        for (const who of ["alex", "megan"]) {
          const b = await board(desk, who);
          expect(b.reviewCauses).toMatchObject({ reviews: 2, total: 2, systemShare: 50, individualShare: 50 });
          expect(sign(b, "coachingVsChasing")).toMatchObject({ value: 0, sample: 2 });
          expect([sum(b, "directives"), sum(b, "nudges")]).toEqual([1, 1]);
        }
        // Miriam, an admin outside the team, sees the same outcomes as Adele and gets the same figures.
        expect(figuresOf(await board(desk, "miriam"))).toEqual(figuresOf(adele));
      });

      it("count for a reader who cannot see some listed outcome, as for any other reader who sees the same", async () => {
        const desk = await buildTeam(s, { name: "Recoveries", memberIds: [C.adele, C.alex], leadId: C.adele });
        await buildOutcome(s, { ownerId: C.adele, teamId: desk, title: "Call back within a day", visibility: "public", agreedAt: d(40), deadline: date(-60) });
        await buildOutcome(s, { ownerId: C.alex, teamId: desk, title: "Fewer repossessions", visibility: "private", agreedAt: d(40), deadline: date(-60) });
        const open = await missedLongAgo(desk, C.adele, "Settle the old claims", "public");
        await buildReview(s, open, { at: d(2), causes: ["resources", "skills"] });

        // Neither Adele nor Miriam may see Alex's listed outcome; both see the public one reviewed in the period.
        const adele = await board(desk, "adele");
        expect(adele.outcomes.visible).toBe(1);
        expect(adele.reviewCauses).toMatchObject({ reviews: 1, total: 2, systemCauses: 1, individualCauses: 1 });
        expect(figuresOf(await board(desk, "miriam"))).toEqual(figuresOf(adele));
        expect((await board(desk, "megan")).reviewCauses).toMatchObject({ reviews: 1, total: 2 });
      });
    });

    it("measures a stretch at risk from its start, however long before the period it began", async () => {
      const desk = await buildTeam(s, { name: "Deposit Operations", memberIds: [C.adele, C.alex], leadId: C.adele });
      // Off track five months before the end of the period, back on track five days before it.
      const recovered = await buildOutcome(s, { ownerId: C.adele, teamId: desk, title: "Open accounts in a day", agreedAt: d(250), deadline: date(-60) });
      await buildCheckIn(s, recovered, { at: d(200), status: "on_track", progress: 1 });
      await buildCheckIn(s, recovered, { at: d(150), status: "off_track", progress: 2 });
      await buildCheckIn(s, recovered, { at: d(120), status: "at_risk", progress: 3 });
      await buildCheckIn(s, recovered, { at: d(5), status: "on_track", progress: 4 });
      // At risk since long before the period, without support; and the same, coached early on.
      const alone = await buildOutcome(s, { ownerId: C.alex, teamId: desk, title: "Fewer dormant accounts", status: "at_risk", agreedAt: d(250), atRiskSince: d(150), deadline: date(-60) });
      const coached = await buildOutcome(s, { ownerId: C.alex, teamId: desk, title: "Faster address changes", status: "at_risk", agreedAt: d(250), atRiskSince: d(150), deadline: date(-60) });
      for (const x of [alone, coached]) {
        await buildCheckIn(s, x, { at: d(200), status: "on_track", progress: 1 });
        const first = await buildCheckIn(s, x, { at: d(150), status: "at_risk", progress: 2 });
        if (x === coached) await buildComment(s, x, first, { at: d(149), kind: "coaching", authorId: C.megan });
        await buildCheckIn(s, x, { at: d(20), status: "at_risk", progress: 3 });
        await buildCheckIn(s, x, { at: d(10), status: "at_risk", progress: 4 });
      }

      const b = (await get(`/api/v1/dashboards/team/${desk}?${period}`, "megan").expect(200)).body;
      expect(b.signs.find((x: { key: string }) => x.key === "medianTimeToSelfCorrect")).toMatchObject({ value: 145, sample: 1 });
      expect(b.pitfalls.find((x: { key: string }) => x.key === "ignoredUnderperformance").items).toEqual([
        expect.objectContaining({ outcomeId: alone.id, reason: "at risk or off track for 3 check-ins in a row with no coaching recorded" }),
      ]);
    });

    it("leaves out an outcome closed long before the period whose deadline lies after it", async () => {
      const early = await buildOutcome(s, { ownerId: C.diego, teamId: C.teams.retailLending, title: "Archive the old statements", status: "done", agreedAt: d(300), doneAt: d(200), closedAt: d(200), updatedAt: d(200), deadline: date(-300) });
      const board = (await get(`/api/v1/dashboards/team/${C.teams.retailLending}?from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}`, "megan").expect(200)).body;
      expect(board.outcomes.items.map((x: { id: string }) => x.id)).not.toContain(early.id);
    });
  });

  describe("me", () => {
    const mine = async (who: string) => (await get("/api/v1/dashboards/me", who).expect(200)).body;
    /** Only the entries about outcomes this suite made: the demo organisation has outcomes of its own. */
    const ours = (list: { outcomeId: string; [k: string]: unknown }[]) => list.filter((x) => Object.values(o).some((y) => y.id === x.outcomeId));

    it("answers 401 without a token", async () => {
      await request(s.baseUrl).get("/api/v1/dashboards/me").expect(401);
    });

    it("lists the caller's outcomes with progress, rhythm and the next check-in date", async () => {
      const me = await mine("adele");
      const ids = me.outcomes.map((x: { id: string }) => x.id);
      expect(ids).toEqual(expect.arrayContaining([o.one!.id, o.three!.id, o.five!.id]));
      expect(ids).not.toContain(o.two!.id);
      const one = me.outcomes.find((x: { id: string }) => x.id === o.one!.id);
      const due = new Date(Date.parse(d(4)) + 7 * DAY).toISOString().slice(0, 10);
      expect(one).toMatchObject({ status: "at_risk", progress: 0.4, cadence: "weekly", teamName: "Lending Operations", lastCheckInAt: d(4), nextCheckInDue: due, checkInOverdue: true, waitingFor: [] });
      expect(me.outcomes.find((x: { id: string }) => x.id === o.five!.id)).toMatchObject({ nextCheckInDue: null, waitingFor: ["manager"] });
      expect(ours(me.nextCheckIns)).toEqual([expect.objectContaining({ outcomeId: o.one!.id, role: "owner", dueDate: due, overdue: true })]);
      expect(ours(me.pendingAgreements)).toEqual([]);
      expect(me.asManager.directReports).toEqual([]);
      expect(me.definitions.nextCheckInDue).toContain("rhythm");
    });

    it("shows the owner a change the manager proposed and waits for", async () => {
      const me = await mine("alex");
      expect(ours(me.pendingAgreements)).toEqual([
        { outcomeId: o.two!.id, title: "Fewer payment errors", ownerId: C.alex, ownerName: "Alex Wilber", as: "owner", kind: "change", proposedBy: "manager", reason: "Scope grew", pendingVersion: 3, version: 3, status: "agreed" },
      ]);
    });

    it("shows a manager the reports' outcomes needing attention, with nudges left under the limit", async () => {
      const me = await mine("megan");
      expect(me.asManager.directReports.map((r: { displayName: string }) => r.displayName)).toEqual(["Adele Vance", "Alex Wilber", "Diego Siciliani"]);
      expect(ours(me.asManager.attention)).toEqual([
        expect.objectContaining({ outcomeId: o.one!.id, reasons: ["at_risk", "check_in_overdue"], nudges: { thisWeek: 1, limit: 2, left: 1 } }),
        expect.objectContaining({ outcomeId: o.two!.id, reasons: ["check_in_overdue"], nudges: { thisWeek: 0, limit: 2, left: 2 } }),
        expect.objectContaining({ outcomeId: o.five!.id, reasons: ["awaiting_my_agreement"], ownerName: "Adele Vance" }),
      ]);
      expect(ours(me.pendingAgreements)).toEqual([expect.objectContaining({ outcomeId: o.five!.id, as: "manager", proposedBy: "owner", kind: "change" })]);
      expect(ours(me.nextCheckIns).map((n) => [n.outcomeId, n.role])).toEqual([[o.two!.id, "manager"], [o.one!.id, "manager"]]);
    });

    it("shows only the caller's tenant", async () => {
      const me = await mine("nestor");
      const ids = new Set(Object.values(o).map((x) => x.id));
      for (const list of [me.outcomes.map((x: { id: string }) => x.id), me.nextCheckIns, me.pendingAgreements, me.asManager.attention].flat()) {
        expect(ids.has(typeof list === "string" ? list : list.outcomeId)).toBe(false);
      }
      expect(me.asManager.directReports.every((r: { id: string }) => r.id.startsWith("fabf0000"))).toBe(true);
    });
  });

  it("lists the teams whose dashboards each caller may read, with why, and each of them opens", async () => {
    const teamsOf = async (who: string) => (await get("/api/v1/dashboards/teams", who).expect(200)).body.items as { id: string; name: string; access: string }[];
    const adele = await teamsOf("adele");
    expect(adele).toEqual(expect.arrayContaining([{ id: team, name: "Lending Operations", access: "member" }]));
    // Megan manages Adele and Alex without being in their team; Lidia reads every team as compliance.
    const megan = await teamsOf("megan");
    expect(megan).toEqual(expect.arrayContaining([{ id: team, name: "Lending Operations", access: "manager" }]));
    const lidia = await teamsOf("lidia");
    expect(lidia).toEqual(expect.arrayContaining([{ id: team, name: "Lending Operations", access: "compliance" }]));
    expect(lidia.length).toBeGreaterThan(megan.length);
    expect(lidia.map((t) => t.name)).toEqual([...lidia.map((t) => t.name)].sort((a, b) => a.localeCompare(b)));
    for (const t of megan) expect((await get(`/api/v1/dashboards/team/${t.id}`, "megan").expect(200)).body.access).toBe(t.access);
    // Diego, in none of Lending Operations' chain, does not get it; nor does another organisation.
    expect((await teamsOf("diego")).map((t) => t.id)).not.toContain(team);
    expect((await teamsOf("nestor")).map((t) => t.id)).not.toContain(team);
  });

  it("gives a manager the next check-in of every report's outcome, however many there are", async () => {
    const desk = await buildTeam(s, { name: "Service Desk", memberIds: [C.diego], leadId: C.diego });
    const built: string[] = [];
    for (let i = 0; i < 24; i++) {
      const x = await buildOutcome(s, { ownerId: C.diego, teamId: desk, title: `Desk queue ${i}`, status: "agreed", agreedAt: new Date(Date.now() - DAY).toISOString(), deadline: date(-90) });
      built.push(x.id);
    }
    const me = (await get("/api/v1/dashboards/me", "megan").expect(200)).body;
    const listed = new Set(me.nextCheckIns.filter((n: { role: string }) => n.role === "manager").map((n: { outcomeId: string }) => n.outcomeId));
    expect(built.filter((id) => !listed.has(id))).toEqual([]);
  });

  describe("rhythms agreed in check-in schedules", () => {
    const post = (path: string, who: string, body: object) => request(s.baseUrl).post(path).set("Authorization", `Bearer ${tokens[who]}`).send(body);
    // Next Tuesday, 10:00 UTC: inside everyone's working hours.
    const tuesday = () => {
      const t = new Date(today + ((9 - new Date(today).getUTCDay()) % 7 || 7) * DAY + 10 * 3_600_000);
      return t.toISOString();
    };

    it("counts each outcome against its own schedule's rhythm, else the team's schedule's, else the team's default", async () => {
      const cards = await buildTeam(s, { name: "Card Operations", memberIds: [C.adele, C.diego], leadId: C.adele });
      const ago = (n: number) => new Date(Date.now() - n * DAY).toISOString();
      const diegos = await buildOutcome(s, { ownerId: C.diego, teamId: cards, title: "Card disputes answered in a day", status: "agreed", agreedAt: ago(60), deadline: date(-90) });
      const adeles = await buildOutcome(s, { ownerId: C.adele, teamId: cards, title: "Card replacements in two days", status: "agreed", agreedAt: ago(60), deadline: date(-90) });
      // Both checked in ten days ago at noon UTC: late on a weekly rhythm, in time on a biweekly one.
      const tenDaysAgo = today - 10 * DAY + 12 * 3_600_000;
      for (const x of [diegos, adeles]) await buildCheckIn(s, x, { at: new Date(tenDaysAgo).toISOString(), status: "on_track", progress: 5 });
      const board = async () => (await get(`/api/v1/dashboards/team/${cards}`, "adele").expect(200)).body;
      expect((await board()).rhythm).toMatchObject({ cadence: "weekly", windowDays: 7, onRhythmNow: 0 });

      await post("/api/v1/check-in-schedules", "adele", { teamId: cards, cadence: "biweekly", firstStart: tuesday(), durationMinutes: 30 }).expect(202);
      const biweekly = await board();
      expect(biweekly.team.rhythm).toBe("biweekly");
      expect(biweekly.rhythm).toMatchObject({ cadence: "biweekly", windowDays: 14, onRhythmNow: 100 });

      // Diego agrees a weekly rhythm for his own outcome: it is late again, Adele's is not.
      await post("/api/v1/check-in-schedules", "diego", { outcomeId: diegos.id, cadence: "weekly", firstStart: tuesday(), durationMinutes: 30 }).expect(202);
      expect((await board()).rhythm).toMatchObject({ cadence: "biweekly", outcomes: 2, onRhythmNow: 50 });
      const dueAfter = (days: number) => new Date(tenDaysAgo + days * DAY).toISOString().slice(0, 10);
      const diego = (await get("/api/v1/dashboards/me", "diego").expect(200)).body.outcomes.find((x: { id: string }) => x.id === diegos.id);
      expect(diego).toMatchObject({ cadence: "weekly", nextCheckInDue: dueAfter(7), checkInOverdue: true });
      const adele = (await get("/api/v1/dashboards/me", "adele").expect(200)).body.outcomes.find((x: { id: string }) => x.id === adeles.id);
      expect(adele).toMatchObject({ cadence: "biweekly", nextCheckInDue: dueAfter(14), checkInOverdue: false });
      // The team's list says the same of each outcome, so its readers see no false overdue.
      const items = new Map((await board()).outcomes.items.map((x: { id: string }) => [x.id, x]));
      expect(items.get(diegos.id)).toMatchObject({ nextCheckInDue: dueAfter(7), checkInOverdue: true });
      expect(items.get(adeles.id)).toMatchObject({ nextCheckInDue: dueAfter(14), checkInOverdue: false });
    });

    it("judges an outcome closed in the period by the rhythm it kept until it closed", async () => {
      const loans = await buildTeam(s, { name: "Loan Servicing", memberIds: [C.adele, C.diego], leadId: C.adele });
      await post("/api/v1/check-in-schedules", "adele", { teamId: loans, cadence: "biweekly", firstStart: tuesday(), durationMinutes: 30 }).expect(202);
      const ago = (n: number) => new Date(Date.now() - n * DAY).toISOString();
      const weekly = await buildOutcome(s, { ownerId: C.diego, teamId: loans, title: "Arrears letters within a week", status: "agreed", agreedAt: ago(60), deadline: date(-30) });
      await post("/api/v1/check-in-schedules", "diego", { outcomeId: weekly.id, cadence: "weekly", firstStart: tuesday(), durationMinutes: 30 }).expect(202);
      // Weekly check-ins, then done: three inside fourteen days, one a week as agreed.
      for (const n of [13, 6]) await buildCheckIn(s, weekly, { at: ago(n), status: "on_track", progress: 20 * (14 - n) });
      await post(`/api/v1/outcomes/${weekly.id}/check-ins`, "diego", { status: "done", confidence: 5, progress: 100, mode: "async" }).expect(201);
      const schedules = (await get(`/api/v1/check-in-schedules?outcomeId=${weekly.id}`, "diego").expect(200)).body.items as { status: string }[];
      expect(schedules.map((x) => x.status)).toEqual(["cancelled"]);

      // Another kept a weekly rhythm only until its owner cancelled it, before it closed: from
      // then on the team's fortnightly rhythm was the agreed one.
      const dropped = await buildOutcome(s, { ownerId: C.diego, teamId: loans, title: "Arrears calls within a day", status: "agreed", agreedAt: ago(60), deadline: date(-30) });
      const own = (await post("/api/v1/check-in-schedules", "diego", { outcomeId: dropped.id, cadence: "weekly", firstStart: tuesday(), durationMinutes: 30 }).expect(202)).body as { id: string };
      await post(`/api/v1/check-in-schedules/${own.id}/cancel`, "diego", {}).expect(200);
      for (const n of [13, 6]) await buildCheckIn(s, dropped, { at: ago(n), status: "on_track", progress: 20 * (14 - n) });
      await post(`/api/v1/outcomes/${dropped.id}/check-ins`, "diego", { status: "done", confidence: 5, progress: 100, mode: "async" }).expect(201);

      const board = (await get(`/api/v1/dashboards/team/${loans}`, "adele").expect(200)).body;
      expect(board.outcomes.items.map((x: { id: string; status: string }) => [x.id, x.status])).toContainEqual([weekly.id, "done"]);
      const over = board.pitfalls.find((x: { key: string }) => x.key === "overMonitoring");
      expect(over.items.map((x: { outcomeId: string }) => x.outcomeId)).not.toContain(weekly.id);
      expect(over.items.map((x: { outcomeId: string }) => x.outcomeId)).toContain(dropped.id);
    });
  });
});
