import { checkInFacts } from "../../server/src/domain/check-in-facts";
import pino from "pino";
import request from "supertest";
import { createApp } from "../../server/src/app";
import { canApproveBoundary, scanFreeText } from "../../server/src/domain/boundaries";
import { classifyComment } from "../../server/src/domain/coaching";
import { detectPitfalls, type PitfallInput } from "../../server/src/domain/pitfalls";
import { signsOfBalance } from "../../server/src/domain/signs";
import { DAY_MS } from "../../server/src/domain/time";
import type { CauseCategory, CheckInStatus, OutcomeStatus } from "../../server/src/domain/types";
import { DEMO, demoTenants } from "../../server/src/local-m365/demo-directory";
import { DEMO_HISTORY, seedDemoHistory } from "../../server/src/services/demo-history";
import { seedDemoOrganisation } from "../../server/src/services/demo-seed";
import {
  AuditEventEntity, BoundaryEntity, CheckInEntity, CommentEntity, NudgeEntity, OutcomeAgreementEntity, OutcomeEntity, PersonEntity, ReviewEntity, TeamEntity, TeamMembershipEntity,
} from "../../server/src/store/entities";
import { BoundaryRepository } from "../../server/src/store/repositories/boundary.repository";
import { Tx } from "../../server/src/store/unit-of-work";
import type { DataSource } from "typeorm";
import { people, type As, type Who } from "../support/client";
import { CONTOSO, FABRIKAM, startTestServer, type TestServer } from "../support/harness";

const C = DEMO.contoso;
const H = DEMO_HISTORY;
const TABLES = [OutcomeEntity, OutcomeAgreementEntity, CheckInEntity, CommentEntity, NudgeEntity, ReviewEntity, BoundaryEntity, AuditEventEntity, TeamEntity, PersonEntity];

/** ISO-8601 week of an instant, e.g. 2026-W07. */
function isoWeek(at: string): string {
  const d = new Date(at.slice(0, 10) + "T00:00:00Z");
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round((d.getTime() - firstThursday.getTime()) / (7 * DAY_MS) - ((firstThursday.getUTCDay() + 6) % 7 - 3) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

interface TeamRows {
  outcomes: OutcomeEntity[];
  checkIns: CheckInEntity[];
  comments: CommentEntity[];
  nudges: NudgeEntity[];
  reviews: ReviewEntity[];
}

/** A team's history as the signs and pitfalls read it, from stored rows. */
function historyOf(rows: TeamRows, members: { id: string; timeZone: string }[], rhythm: "weekly" | "biweekly", teamId: string, now: string, from: string | null): PitfallInput {
  const mine = <T extends { teamId: string }>(list: T[]) => list.filter((x) => x.teamId === teamId);
  return {
    now, from,
    outcomes: mine(rows.outcomes).map((o) => ({
      id: o.id, ownerId: o.ownerId, teamId: o.teamId, title: o.title, deadline: o.deadline, ifMissed: o.ifMissed, status: o.status as OutcomeStatus, createdAt: o.createdAt, agreedAt: o.agreedAt, doneAt: o.doneAt,
      measure: { metric: o.metric, unit: o.unit, baseline: Number(o.baseline), target: Number(o.target), current: o.currentValue },
    })),
    checkIns: mine(rows.checkIns).map((c) => ({ id: c.id, outcomeId: c.outcomeId, authorId: c.authorId, at: c.at, status: c.status as CheckInStatus, confidence: c.confidence, progress: Number(c.progress), mode: c.mode as "meeting" | "async", ...checkInFacts({ ideas: JSON.parse(c.ideas) as string[], supportNeeded: c.supportNeeded }) })),
    comments: mine(rows.comments).map((k) => ({ id: k.id, checkInId: k.checkInId, outcomeId: k.outcomeId, authorId: k.authorId, at: k.at, kind: k.kind as "coaching" | "directive" })),
    // Escalations ask the manager to offer support; like the dashboard, count them as neither reminders nor nudges.
    nudges: mine(rows.nudges)
      .filter((n) => n.kind === "reminder" || n.kind === "nudge")
      .map((n) => ({ id: n.id, outcomeId: n.outcomeId, ownerId: n.ownerId, senderId: n.senderId, at: n.at, kind: n.kind as "reminder" | "nudge" })),
    reviews: mine(rows.reviews).map((r) => ({ id: r.id, outcomeId: r.outcomeId, at: r.at, causes: JSON.parse(r.causes) as CauseCategory[] })),
    people: members,
    rhythms: [{ teamId, cadence: rhythm }],
  };
}

const LENDING_MEMBERS = [C.megan, C.adele, C.alex, C.diego].map((id) => ({ id, timeZone: "Europe/London" }));
const EXPECTED_PITFALLS = {
  vagueExpectations: [H.remortgageDraft],
  overMonitoring: [H.switchJourney],
  ignoredUnderperformance: [H.arrears],
  activityWithoutResults: [H.paperwork],
};

const SIGN_KEYS = ["deadlinesMetWithoutReminders", "ideasPerPersonPerMonth", "medianTimeToSelfCorrect", "coachingVsChasing"];

/**
 * A sign shows something that happened: a figure from a sample of at least one, above the 0 that
 * would only say nothing happened. Deadlines met without reminders stays short of 100: the story
 * has one deadline met cleanly, one met after a reminder and a nudge, and one missed.
 */
function isRealFigure(sign: { key: string; value: number | null; sample: number }): boolean {
  if (sign.value === null || sign.sample < 1 || !(sign.value > 0)) return false;
  return sign.key !== "deadlinesMetWithoutReminders" || sign.value < 100;
}

/** The four signs in their order, none of them without a real figure (the failure lists those). */
function expectRealSigns(signs: { key: string; value: number | null; sample: number }[]): void {
  expect(signs.map((x) => x.key)).toEqual(SIGN_KEYS);
  expect(signs.filter((x) => !isRealFigure(x))).toEqual([]);
}

/** Every sign has a real figure and each pitfall names its one outcome, as the domain rules compute them. */
function expectRealFigures(h: PitfallInput): void {
  expectRealSigns(signsOfBalance(h));
  expect(Object.fromEntries(detectPitfalls(h).map((x) => [x.key, x.items.map((i) => i.outcomeId)]))).toEqual(EXPECTED_PITFALLS);
}

/** Runs the seeding against a stand-in transaction that keeps the rows instead of writing them. */
async function dryRun(now: Date): Promise<TeamRows & { all: Map<unknown, object[]>; audit: number }> {
  const all = new Map<unknown, object[]>();
  const manager = {
    update: async () => ({}),
    createQueryBuilder: () => ({ insert: () => ({ into: (entity: unknown) => ({ values: (rows: object[]) => ({ updateEntity: () => ({ execute: async () => all.set(entity, [...(all.get(entity) ?? []), ...rows]) }) }) }) }) }),
  };
  const tx = new Tx(manager as never, { tenantId: CONTOSO, actor: { tenantId: CONTOSO, userId: "system" } });
  const tenant = demoTenants.find((t) => t.id === CONTOSO)!;
  await seedDemoHistory(tx, tenant, now);
  const get = <T>(e: new () => T) => (all.get(e) ?? []) as T[];
  return { all, audit: tx.auditDrafts.length, outcomes: get(OutcomeEntity), checkIns: get(CheckInEntity), comments: get(CommentEntity), nudges: get(NudgeEntity), reviews: get(ReviewEntity) };
}

async function counts(ds: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const entity of TABLES) out[ds.getMetadata(entity).tableName] = await ds.getRepository(entity).count();
  return out;
}

describe("demo history", () => {
  let s: TestServer;
  let p: Record<Who, As>;
  const ds = () => s.leeway.context.dataSource;
  const rulesFor = (teamIds: string[], personId: string) => s.leeway.context.boundaries.rulesFor(ds().manager, CONTOSO, { teamIds, personId }, new Date().toISOString());

  beforeAll(async () => {
    s = await startTestServer();
    p = await people(s, ["megan", "adele", "diego", "lidia", "grady", "miriam", "nestor"]);
  });
  afterAll(() => s.close());

  /** A demo person the shared client does not name, by user principal name. */
  const asPerson = async (upn: string): Promise<Pick<As, "get">> => {
    const token = await s.token(upn);
    return { get: (path) => request(s.baseUrl).get(path).set("Authorization", `Bearer ${token}`) };
  };

  it("has at least 12 weeks of check-ins across the Contoso teams, recorded by owners who belong to the outcome's team", async () => {
    const now = Date.now();
    const checkIns = await ds().manager.findBy(CheckInEntity, { tenantId: CONTOSO });
    expect(new Set(checkIns.map((c) => isoWeek(c.at))).size).toBeGreaterThanOrEqual(12);
    const outcomes = new Map((await ds().manager.findBy(OutcomeEntity, { tenantId: CONTOSO })).map((o) => [o.id, o]));
    const members = new Set((await ds().manager.findBy(TeamMembershipEntity, { tenantId: CONTOSO })).map((x) => `${x.teamId}/${x.personId}`));
    for (const o of outcomes.values()) expect(members.has(`${o.teamId}/${o.ownerId}`)).toBe(true);
    for (const c of checkIns) {
      const o = outcomes.get(c.outcomeId)!;
      expect({ id: c.id, author: c.authorId, owner: c.ownerId, team: c.teamId }).toEqual({ id: c.id, author: o.ownerId, owner: o.ownerId, team: o.teamId });
      expect(Date.parse(c.at)).toBeLessThan(now);
      expect(o.agreedAt !== null && c.at > o.agreedAt).toBe(true);
    }
    for (const team of [C.teams.retailLending, C.teams.paymentsOperations, C.teams.riskAndCompliance, C.teams.technologyPlatform]) {
      const times = checkIns.filter((c) => c.teamId === team).map((c) => Date.parse(c.at));
      expect((Math.max(...times) - Math.min(...times)) / DAY_MS).toBeGreaterThanOrEqual(11 * 7);
    }
    // Risk & Compliance meets every other week; its check-ins are a fortnight apart.
    expect((await ds().manager.findOneByOrFail(TeamEntity, { tenantId: CONTOSO, id: C.teams.riskAndCompliance })).rhythm).toBe("biweekly");
    const allan = checkIns.filter((c) => c.ownerId === C.allan).map((c) => Date.parse(c.at)).sort();
    for (let i = 1; i < allan.length; i++) expect(Math.round((allan[i]! - allan[i - 1]!) / DAY_MS)).toBe(14);
    expect(new Set([...outcomes.values()].map((o) => o.status))).toEqual(new Set(["draft", "proposed", "agreed", "at_risk", "done", "missed"]));
    const fabrikam = await ds().manager.countBy(CheckInEntity, { tenantId: FABRIKAM });
    expect(fabrikam).toBeGreaterThan(0);
  });

  it("keeps a proposal waiting for Megan and a change by Megan waiting for Adele, with their history", async () => {
    const proposal = (await p.megan.get(`/api/v1/outcomes/${H.fraudWriteOffs}`).expect(200)).body;
    expect(proposal).toMatchObject({ status: "proposed", ownerId: C.diego, managerId: C.megan, agreement: { agreedWhat: null, pending: { version: 1, proposedBy: "owner", waitingFor: ["manager"] } } });

    const changed = (await p.adele.get(`/api/v1/outcomes/${H.decisionTime}`).expect(200)).body;
    expect(changed).toMatchObject({ status: "agreed", measure: { target: 7 }, agreement: { agreedWhat: { measure: { target: 7 } }, pending: { proposedBy: "manager", waitingFor: ["owner"], what: { measure: { target: 6 } } } } });
    expect(changed.agreement.pending.reason).toMatch(/six/);
    expect(changed.version).toBeGreaterThanOrEqual(changed.agreement.pending.version);
    const history = (await p.megan.get(`/api/v1/outcomes/${H.decisionTime}/agreement`).expect(200)).body.items;
    expect(history.map((h: { kind: string; state: string }) => `${h.kind}:${h.state}`)).toEqual(["create:agreed", "change:pending"]);
    expect(history[1]).toMatchObject({ proposedBy: C.megan, proposedAs: "manager", managerId: C.megan, ownerAcceptedAt: null });

    const draft = (await p.megan.get(`/api/v1/outcomes/${H.remortgageDraft}`).expect(200)).body;
    expect(draft).toMatchObject({ status: "draft", ifMissed: "", measure: { baseline: 0, target: 0 } });
  });

  it("has a missed outcome with a blameless review that names system and process causes and follow-ups with owners", async () => {
    const missed = (await p.megan.get(`/api/v1/outcomes/${H.affordabilityModel}`).expect(200)).body;
    expect(missed.status).toBe("missed");
    const reviews = (await p.diego.get(`/api/v1/outcomes/${H.affordabilityModel}/reviews`).expect(200)).body.items;
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ authorId: C.diego, causes: ["system", "process"] });
    expect(reviews[0].actions.map((a: { ownerId: string }) => a.ownerId)).toEqual([C.megan, C.grady, C.diego]);
    const atRisk = (await p.megan.get(`/api/v1/outcomes/${H.arrears}`).expect(200)).body;
    expect(atRisk.status).toBe("at_risk");
    const nudges = (await p.megan.get(`/api/v1/outcomes/${H.arrears}/nudges`).expect(200)).body.items;
    expect(nudges.map((n: { kind: string }) => n.kind).sort()).toEqual(["escalation", "nudge"]);
  });

  it("has Contoso's boundaries: account numbers blocked, a rhythm, a nudge limit, escalation, and one change waiting for approval", async () => {
    const listed = (await p.lidia.get("/api/v1/boundaries").expect(200)).body.items.map((b: { id: string }) => b.id);
    expect(listed).toEqual(expect.arrayContaining([H.accountNumbers, H.cadence, H.nudgeLimit, H.escalation]));
    const pending = (await p.lidia.get("/api/v1/boundaries?state=pending_approval").expect(200)).body.items.map((b: { id: string }) => b.id);
    expect(pending).toEqual([H.accountNumbers]);
    expect((await p.nestor.get("/api/v1/boundaries").expect(200)).body.items).toEqual([]);

    const stored = await new BoundaryRepository().all(ds().manager, CONTOSO);
    const byKind = Object.fromEntries(stored.filter((b) => b.state === "active").map((b) => [b.rule.kind, b]));
    expect(byKind.checkin_cadence).toMatchObject({ scope: { level: "tenant" }, rule: { minDays: 1, maxDays: 14 } });
    expect(byKind.nudge_limit).toMatchObject({ enforcement: "warn", rule: { perOutcomePerWeek: 2 } });
    expect(byKind.escalation).toMatchObject({ rule: { atRiskCheckIns: 3 } });
    expect(byKind.content_pattern).toMatchObject({ scope: { level: "tenant" }, enforcement: "block", proposedBy: C.miriam, decidedBy: C.lidia });
    const change = stored.filter((b) => b.state === "pending_approval");
    expect(change).toEqual([expect.objectContaining({ id: H.accountNumbers, version: 2, proposedBy: C.miriam, decidedBy: null })]);
    expect(canApproveBoundary(change[0]!, { id: C.miriam, roles: ["Leeway.Admin"] }).ok).toBe(false);
    for (const approver of [C.grady, C.lidia]) expect(canApproveBoundary(change[0]!, { id: approver, roles: ["Leeway.Admin"] }).ok).toBe(true);

    const rules = await rulesFor([C.teams.retailLending], C.adele);
    const found = (text: string) => scanFreeText(rules, [{ path: "note", text }]).map((f) => f.enforcement);
    for (const text of ["Refund to GB29 NWBK 6016 1331 9268 19 today", "IBAN GB29NWBK60161331926819", "DE89 3704 0044 0532 0130 00", "sort code 20-00-00 12345678", "paid from 200000, 12345678", "Account number: 12345678", "a/c no 87654321"]) {
      expect({ text, found: found(text) }).toEqual({ text, found: ["block"] });
    }
    for (const text of ["Cut decision time from 12 to 7 days by Q3 2026", "Arrears at 402 cases; 350 is the target", "Call 0800 123 4567", "Ticket 12345678 is closed"]) {
      expect({ text, found: found(text) }).toEqual({ text, found: [] });
    }
  });

  it("writes no free text that the content boundary (or its pending change) would refuse, and labels comments as the classifier reads them", async () => {
    const m = ds().manager;
    const texts: string[] = [];
    for (const c of await m.findBy(CheckInEntity, { tenantId: CONTOSO })) texts.push(c.note ?? "", c.blockers ?? "", c.supportNeeded ?? "", c.nextStep ?? "", ...(JSON.parse(c.ideas) as string[]));
    for (const n of await m.findBy(NudgeEntity, { tenantId: CONTOSO })) texts.push(n.message ?? "");
    for (const r of await m.findBy(ReviewEntity, { tenantId: CONTOSO })) {
      texts.push(r.whatBlocked, r.whatCouldImprove, r.supportNeeded ?? "", ...(JSON.parse(r.actions) as { description: string }[]).map((a) => a.description));
    }
    for (const o of await m.findBy(OutcomeEntity, { tenantId: CONTOSO })) {
      const how = JSON.parse(o.approach) as { plan?: string; tools?: string[]; schedule?: string };
      texts.push(o.title, o.metric, o.unit, o.ifMissed, how.plan ?? "", how.schedule ?? "", ...(how.tools ?? []));
    }
    const comments = await m.findBy(CommentEntity, { tenantId: CONTOSO });
    texts.push(...comments.map((k) => k.text ?? ""));
    const pending = (await new BoundaryRepository().versions(m, CONTOSO, H.accountNumbers)).find((v) => v.state === "pending_approval")!;
    const strictest = [{ kind: "content_pattern" as const, rule: pending.rule as never, enforcement: "block" as const, text: "", sources: [{ boundaryId: pending.id, boundaryName: pending.name, version: 2, scope: pending.scope, enforcement: pending.enforcement, rule: pending.rule, text: "" }] }];
    expect(scanFreeText(strictest, texts.map((text, i) => ({ path: String(i), text })))).toEqual([]);
    expect(comments.map((k) => ({ text: k.text, kind: classifyComment(k.text ?? "").kind }))).toEqual(comments.map((k) => ({ text: k.text, kind: k.kind })));
    expect(new Set(comments.map((k) => k.kind))).toEqual(new Set(["coaching", "directive"]));
  });

  it("shows Retail Lending's members and their manager a real figure for every sign, every pitfall with its outcome, and the review's causes", async () => {
    const christie = await asPerson("christie.cline@contoso.test");
    const month = new Date(Date.now() - 30 * DAY_MS).toISOString();
    for (const [who, access] of [[p.megan, "member"], [p.adele, "member"], [christie, "manager"]] as const) {
      // The dashboard's own 90 days, and the last 30.
      for (const query of ["", `?from=${encodeURIComponent(month)}`]) {
        const board = (await who.get(`/api/v1/dashboards/team/${C.teams.retailLending}${query}`).expect(200)).body;
        expect({ access: board.access, team: board.team.name }).toEqual({ access, team: "Retail Lending" });
        expectRealSigns(board.signs);
        for (const sign of board.signs) expect({ key: sign.key, defined: /\w/.test(sign.definition) }).toEqual({ key: sign.key, defined: true });
        const pitfalls = board.pitfalls as { key: string; detected: boolean; count: number; items: { outcomeId: string }[]; hiddenItems: number; definition: string }[];
        expect(Object.fromEntries(pitfalls.map((x) => [x.key, x.items.map((i) => i.outcomeId)]))).toEqual(EXPECTED_PITFALLS);
        for (const x of pitfalls) {
          expect({ key: x.key, detected: x.detected, count: x.count, hidden: x.hiddenItems, defined: /\w/.test(x.definition) }).toEqual({ key: x.key, detected: true, count: x.items.length, hidden: 0, defined: true });
        }
      }
      // The one review, of the missed affordability model, is blameless: it names system and process
      // causes and no individual one.
      const causes = (await who.get(`/api/v1/dashboards/team/${C.teams.retailLending}`).expect(200)).body.reviewCauses;
      expect(causes).toMatchObject({ reviews: 1, counts: { system: 1, process: 1 }, systemCauses: 2, systemShare: 100 });
      expect(causes.definition).toMatch(/\w/);
    }
  });

  it("shows no sign as 0 on any Contoso team's dashboard: a figure from what happened, or none when nothing did", async () => {
    const johanna = await asPerson("johanna.lorenz@contoso.test");
    const boards: [Pick<As, "get">, string][] = [
      [p.megan, C.teams.retailLending],
      [johanna, C.teams.paymentsOperations],
      [p.lidia, C.teams.riskAndCompliance],
      [p.grady, C.teams.technologyPlatform],
      [p.miriam, C.teams.executiveLeadership],
    ];
    for (const [who, team] of boards) {
      const board = (await who.get(`/api/v1/dashboards/team/${team}`).expect(200)).body;
      expect(board.access).toBe("member");
      const shown = (board.signs as { key: string; value: number | null; sample: number }[]).map((x) => ({ team: board.team.name, key: x.key, value: x.value, sample: x.sample }));
      expect(shown.filter((x) => (x.value === null ? x.sample !== 0 : !(x.value > 0 && x.sample > 0)))).toEqual([]);
    }
  });

  it("gives the people their own dashboards with real figures: progress, agreements waiting for them, and what needs Megan's attention", async () => {
    const megan = (await p.megan.get("/api/v1/dashboards/me").expect(200)).body;
    expect(megan.pendingAgreements).toEqual([expect.objectContaining({ outcomeId: H.fraudWriteOffs, ownerId: C.diego, as: "manager", proposedBy: "owner" })]);
    const attention = Object.fromEntries((megan.asManager.attention as { outcomeId: string }[]).map((a) => [a.outcomeId, a]));
    // The nudge limit is the demo's own boundary: two a week per outcome.
    expect(attention[H.arrears]).toMatchObject({ status: "at_risk", reasons: ["at_risk"], atRiskSince: expect.any(String), nudges: { limit: 2 } });
    expect(attention[H.fraudWriteOffs]).toMatchObject({ reasons: ["awaiting_my_agreement"] });

    const adele = (await p.adele.get("/api/v1/dashboards/me").expect(200)).body;
    const decision = adele.outcomes.find((o: { id: string }) => o.id === H.decisionTime);
    expect(decision).toMatchObject({ status: "agreed", waitingFor: ["owner"], measure: { baseline: 12, target: 7 }, nextCheckInDue: expect.any(String) });
    expect({ progress: decision.progress, between: decision.progress > 0 && decision.progress < 1 }).toEqual({ progress: decision.progress, between: true });
    expect(adele.pendingAgreements).toEqual([expect.objectContaining({ outcomeId: H.decisionTime, as: "owner", proposedBy: "manager", kind: "change" })]);
    expect(adele.nextCheckIns.map((n: { outcomeId: string }) => n.outcomeId)).toEqual(expect.arrayContaining([H.decisionTime, H.paperwork]));

    const diego = (await p.diego.get("/api/v1/dashboards/me").expect(200)).body;
    expect(Object.fromEntries(diego.outcomes.map((o: { id: string; status: string }) => [o.id, o.status]))).toMatchObject({ [H.arrears]: "at_risk", [H.affordabilityModel]: "missed", [H.fraudWriteOffs]: "proposed" });
  });

  it("computes from the stored rows, through the domain rules, the very signs and pitfalls Megan's dashboard shows", async () => {
    // The replay below checks the story at other instants this way, so it must agree with the dashboard.
    const m = ds().manager;
    const rows = { outcomes: await m.findBy(OutcomeEntity, { tenantId: CONTOSO }), checkIns: await m.findBy(CheckInEntity, { tenantId: CONTOSO }), comments: await m.findBy(CommentEntity, { tenantId: CONTOSO }), nudges: await m.findBy(NudgeEntity, { tenantId: CONTOSO }), reviews: await m.findBy(ReviewEntity, { tenantId: CONTOSO }) };
    const month = new Date(Date.now() - 30 * DAY_MS).toISOString();
    for (const query of ["", `?from=${encodeURIComponent(month)}`]) {
      const board = (await p.megan.get(`/api/v1/dashboards/team/${C.teams.retailLending}${query}`).expect(200)).body;
      const h = historyOf(rows, LENDING_MEMBERS, "weekly", C.teams.retailLending, board.period.to, board.period.from);
      const figures = (signs: { key: string; value: number | null; sample: number }[]) => signs.map((x) => ({ key: x.key, value: x.value, sample: x.sample }));
      expect(figures(signsOfBalance(h))).toEqual(figures(board.signs));
      const named = (pitfalls: { key: string; items: { outcomeId: string }[] }[]) => Object.fromEntries(pitfalls.map((x) => [x.key, x.items.map((i) => i.outcomeId)]));
      expect(named(detectPitfalls(h))).toEqual(named(board.pitfalls));
    }
  });

  it("tells the same story whatever the day and hour the server starts", async () => {
    // Two fortnights around the European clock changes, at uneven steps so every weekday and hour comes up.
    const start = Date.parse("2027-03-22T00:00:00Z");
    const instants: number[] = [];
    for (const from of [start, Date.parse("2027-10-25T00:00:00Z")]) for (let at = from; at < from + 15 * DAY_MS; at += 19 * 3_600_000 + 7 * 60_000) instants.push(at);
    for (const at of instants) {
      const now = new Date(at);
      const rows = await dryRun(now);
      const weeks = new Set(rows.checkIns.map((c) => isoWeek(c.at)));
      const newest = Math.max(...rows.checkIns.map((c) => Date.parse(c.at)));
      expect({ now: now.toISOString(), weeks: weeks.size >= 12, fresh: at - newest < 9 * DAY_MS }).toEqual({ now: now.toISOString(), weeks: true, fresh: true });
      for (const days of [90, 30]) expectRealFigures(historyOf(rows, LENDING_MEMBERS, "weekly", C.teams.retailLending, now.toISOString(), new Date(at - days * DAY_MS).toISOString()));
      const open = rows.outcomes.filter((o) => ["proposed", "agreed", "at_risk"].includes(o.status));
      expect(open.every((o) => o.deadline > now.toISOString().slice(0, 10))).toBe(true);
      const future = [...rows.all.values()].flat().flatMap((row) => Object.values(row)).filter((v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) && Date.parse(v) >= at);
      expect(future).toEqual([]);
    }
    const [a, b] = [await dryRun(new Date(start)), await dryRun(new Date(start))];
    expect(b.checkIns).toEqual(a.checkIns);
    expect(b.audit).toBe(a.audit);
  });

  it("audits every row it wrote as the system, with the reason 'demo history', and the chains verify", async () => {
    for (const tenantId of [CONTOSO, FABRIKAM]) {
      const events = await ds().manager.findBy(AuditEventEntity, { tenantId, reason: "demo history" });
      expect(new Set(events.map((e) => e.actorId))).toEqual(new Set(["system"]));
      const ids = new Set(events.map((e) => e.entityId));
      for (const entity of [OutcomeEntity, CheckInEntity, CommentEntity, NudgeEntity, ReviewEntity, BoundaryEntity]) {
        for (const row of await ds().manager.findBy(entity, { tenantId })) expect(ids.has((row as { id: string }).id)).toBe(true);
      }
      expect((await s.leeway.context.chain.verify(ds().manager, tenantId)).ok).toBe(true);
    }
  });

  it("seeds nothing twice when a server starts again on the same data", async () => {
    const before = await counts(ds());
    const again = await createApp(s.config, { logger: pino({ level: "silent" }) });
    try {
      expect(await counts(again.context.dataSource)).toEqual(before);
      expect(await seedDemoOrganisation(again.context.uow, pino({ level: "silent" }))).toEqual([]);
    } finally {
      await again.close();
    }
    expect(await counts(ds())).toEqual(before);
  });

  it("leaves the history out when LEEWAY_DEMO_HISTORY is false, seeding only the directory", async () => {
    const bare = await startTestServer({ LEEWAY_DEMO_HISTORY: "false" });
    try {
      const m = bare.leeway.context.dataSource.manager;
      expect(await m.count(PersonEntity)).toBeGreaterThan(0);
      expect({ outcomes: await m.count(OutcomeEntity), boundaries: await m.count(BoundaryEntity), history: await m.countBy(AuditEventEntity, { reason: "demo history" }) }).toEqual({ outcomes: 0, boundaries: 0, history: 0 });
    } finally {
      await bare.close();
    }
  });

  it("lets the people finish what is pending through the API", async () => {
    const proposal = (await p.megan.get(`/api/v1/outcomes/${H.fraudWriteOffs}`).expect(200)).body;
    const agreed = (await p.megan.post(`/api/v1/outcomes/${H.fraudWriteOffs}/agreement`, { version: proposal.version }).expect(200)).body;
    expect(agreed).toMatchObject({ status: "agreed", agreement: { pending: null } });
    const changed = (await p.adele.get(`/api/v1/outcomes/${H.decisionTime}`).expect(200)).body;
    const accepted = (await p.adele.post(`/api/v1/outcomes/${H.decisionTime}/agreement`, { version: changed.version }).expect(200)).body;
    expect(accepted).toMatchObject({ measure: { target: 6 }, agreement: { pending: null } });
    const checkIn = await p.diego.post(`/api/v1/outcomes/${H.arrears}/check-ins`, { status: "at_risk", confidence: 2, progress: 399, mode: "async", note: "Plan shared with Megan." });
    expect(checkIn.status).toBe(201);
    expect((await p.grady.post(`/api/v1/boundaries/${H.accountNumbers}/approve`, {})).status).toBe(200);
    expect((await s.leeway.context.chain.verify(ds().manager, CONTOSO)).ok).toBe(true);
  });
});
