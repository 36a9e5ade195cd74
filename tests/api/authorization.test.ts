import request from "supertest";
import { inDays, outcomeBody } from "../support/client";
import { startTestServer, type TestServer } from "../support/harness";

/**
 * The authorisation model as a table: every endpoint against each kind of caller, with the status
 * each must get. 404 means "may not even know it exists"; 403 "may see, may not do".
 */
const ROLES = {
  owner: "adele.vance@contoso.test",
  manager: "megan.bowen@contoso.test",
  teammate: "alex.wilber@contoso.test",
  otherTeam: "joni.sherman@contoso.test",
  compliance: "lidia.holloway@contoso.test",
  admin: "miriam.graham@contoso.test",
  otherTenantAdmin: "nestor.wilke@fabrikam.test",
} as const;
type Role = keyof typeof ROLES;

interface Fixture {
  teamOutcome: string;
  privateOutcome: string;
  checkIn: string;
  boundary: string;
  team: string;
  schedule: string;
}

interface Case {
  name: string;
  /** Builds the request for one caller; `fresh` gives a new agreed team outcome when state matters. */
  send(as: (r: request.Test) => request.Test, fx: Fixture, fresh: () => Promise<{ id: string; checkIn: string }>): Promise<request.Response>;
  expect: Record<Role, number>;
}

const all = (status: number): Record<Role, number> => Object.fromEntries(Object.keys(ROLES).map((r) => [r, status])) as Record<Role, number>;

describe("authorisation model: every endpoint x every kind of caller", () => {
  let s: TestServer;
  let tokens: Record<Role, string>;
  let fx: Fixture;
  let ids: Record<Role, string>;
  const api = () => request(s.baseUrl);

  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_RATE_LIMIT_PER_MINUTE: "100000" });
    tokens = Object.fromEntries(await Promise.all(Object.entries(ROLES).map(async ([r, upn]) => [r, await s.token(upn)]))) as Record<Role, string>;
    ids = {} as Record<Role, string>;
    let team = "";
    for (const r of Object.keys(ROLES) as Role[]) {
      const me = await api().get("/api/v1/me").set("Authorization", `Bearer ${tokens[r]}`).expect(200);
      ids[r] = me.body.id;
      if (r === "owner") team = me.body.teams[0].id;
    }
    const owner = (t: request.Test) => t.set("Authorization", `Bearer ${tokens.owner}`);
    const manager = (t: request.Test) => t.set("Authorization", `Bearer ${tokens.manager}`);
    const teamOutcome = (await owner(api().post("/api/v1/outcomes")).send(outcomeBody(ids.owner, team, { deadline: inDays(80) })).expect(201)).body.id;
    await manager(api().post(`/api/v1/outcomes/${teamOutcome}/agreement`)).send({ version: 1 }).expect(200);
    const privateOutcome = (await owner(api().post("/api/v1/outcomes")).send(outcomeBody(ids.owner, team, { visibility: "private", deadline: inDays(80) })).expect(201)).body.id;
    const checkIn = (await owner(api().post(`/api/v1/outcomes/${teamOutcome}/check-ins`)).send({ status: "on_track", confidence: 4, progress: 8, mode: "async" }).expect(201)).body.id;
    const boundaries = await api().get("/api/v1/boundaries").set("Authorization", `Bearer ${tokens.admin}`).expect(200);
    const schedule = await owner(api().post("/api/v1/check-in-schedules")).send({ outcomeId: teamOutcome, cadence: "weekly", firstStart: `${inDays(7)}T09:30:00+00:00`, durationMinutes: 30 });
    fx = { teamOutcome, privateOutcome, checkIn, boundary: boundaries.body.items[0]?.id ?? "none", team, schedule: schedule.body.id ?? "none" };
  });
  afterAll(() => s.close());

  const fresh = async () => {
    const o = (await api().post("/api/v1/outcomes").set("Authorization", `Bearer ${tokens.owner}`).send(outcomeBody(ids.owner, fx.team, { deadline: inDays(80) })).expect(201)).body.id;
    await api().post(`/api/v1/outcomes/${o}/agreement`).set("Authorization", `Bearer ${tokens.manager}`).send({ version: 1 }).expect(200);
    const c = (await api().post(`/api/v1/outcomes/${o}/check-ins`).set("Authorization", `Bearer ${tokens.owner}`).send({ status: "at_risk", confidence: 3, progress: 9, mode: "async" }).expect(201)).body.id;
    return { id: o, checkIn: c };
  };

  const cases: Case[] = [
    { name: "GET /me", send: (as) => as(api().get("/api/v1/me")), expect: all(200) },
    // Names only, as the directory shows them; the other tenant's admin gets an empty list (tested in the service suite).
    { name: "GET people by id", send: (as) => as(api().get(`/api/v1/people?ids=${ids.owner},${ids.manager}`)), expect: all(200) },
    {
      name: "GET a team-visible outcome",
      send: (as, f) => as(api().get(`/api/v1/outcomes/${f.teamOutcome}`)),
      expect: { owner: 200, manager: 200, teammate: 200, otherTeam: 404, compliance: 200, admin: 404, otherTenantAdmin: 404 },
    },
    {
      name: "GET a private outcome",
      send: (as, f) => as(api().get(`/api/v1/outcomes/${f.privateOutcome}`)),
      expect: { owner: 200, manager: 200, teammate: 404, otherTeam: 404, compliance: 200, admin: 404, otherTenantAdmin: 404 },
    },
    {
      name: "PATCH the approach (the how)",
      send: async (as, _f, mk) => as(api().patch(`/api/v1/outcomes/${(await mk()).id}`)).set("If-Match", '"v3"').send({ approach: { plan: "mine" } }),
      expect: { owner: 200, manager: 403, teammate: 403, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      name: "POST agreement on a fresh proposal",
      send: async (as) => {
        const o = (await api().post("/api/v1/outcomes").set("Authorization", `Bearer ${tokens.owner}`).send(outcomeBody(ids.owner, fx.team, { deadline: inDays(80) })).expect(201)).body.id;
        return as(api().post(`/api/v1/outcomes/${o}/agreement`)).send({ version: 1 });
      },
      // The owner proposed it, so only the manager's acceptance is still open.
      expect: { owner: 409, manager: 200, teammate: 403, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      name: "POST withdraw (or decline) the change on the table",
      send: async (as, _f, mk) => {
        const o = (await mk()).id;
        // The owner proposes a change to the agreed what (version 4 on the table).
        await api().patch(`/api/v1/outcomes/${o}`).set("Authorization", `Bearer ${tokens.owner}`).set("If-Match", '"v3"').send({ title: "A sharper title", reason: "Clearer" }).expect(200);
        return as(api().post(`/api/v1/outcomes/${o}/agreement/withdraw`)).send({ version: 4 });
      },
      // The owner withdraws it, the manager declines it; nobody else has a say.
      expect: { owner: 200, manager: 200, teammate: 403, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      name: "POST a check-in",
      send: async (as, _f, mk) => as(api().post(`/api/v1/outcomes/${(await mk()).id}/check-ins`)).send({ status: "on_track", confidence: 4, progress: 7, mode: "async" }),
      expect: { owner: 201, manager: 403, teammate: 403, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      name: "GET check-ins",
      send: (as, f) => as(api().get(`/api/v1/outcomes/${f.teamOutcome}/check-ins`)),
      expect: { owner: 200, manager: 200, teammate: 200, otherTeam: 404, compliance: 200, admin: 404, otherTenantAdmin: 404 },
    },
    {
      name: "POST a comment on a check-in",
      send: async (as, _f, mk) => as(api().post(`/api/v1/check-ins/${(await mk()).checkIn}/comments`)).send({ text: "How can I help?" }),
      expect: { owner: 201, manager: 201, teammate: 201, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      name: "POST a nudge",
      send: async (as, _f, mk) => as(api().post(`/api/v1/outcomes/${(await mk()).id}/nudges`)).send({}),
      expect: { owner: 403, manager: 201, teammate: 201, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      name: "POST a review of an open outcome",
      send: (as, f) => as(api().post(`/api/v1/outcomes/${f.teamOutcome}/reviews`)).send({ whatBlocked: "x", whatCouldImprove: "y", causes: ["process"], actions: [] }),
      expect: { owner: 409, manager: 409, teammate: 403, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      name: "POST risk-class approval",
      send: (as, f) => as(api().post(`/api/v1/outcomes/${f.teamOutcome}/approval`)).send({}),
      // Compliance may approve, but this outcome waits for no approval: a state conflict.
      expect: { owner: 403, manager: 403, teammate: 403, otherTeam: 404, compliance: 409, admin: 404, otherTenantAdmin: 404 },
    },
    { name: "GET boundaries", send: (as) => as(api().get("/api/v1/boundaries")), expect: all(200) },
    {
      name: "GET a Contoso boundary",
      send: (as, f) => as(api().get(`/api/v1/boundaries/${f.boundary}`)),
      expect: { owner: 200, manager: 200, teammate: 200, otherTeam: 200, compliance: 200, admin: 200, otherTenantAdmin: 404 },
    },
    {
      name: "POST a boundary (in the caller's own tenant)",
      send: (as) => as(api().post("/api/v1/boundaries")).send({ name: `Nudges ${Math.random()}`, scope: { level: "tenant" }, enforcement: "warn", rule: { kind: "nudge_limit", perOutcomePerWeek: 1 } }),
      expect: { owner: 403, manager: 403, teammate: 403, otherTeam: 403, compliance: 403, admin: 201, otherTenantAdmin: 201 },
    },
    {
      name: "GET boundary findings",
      send: (as) => as(api().get("/api/v1/boundary-findings")),
      expect: { owner: 403, manager: 403, teammate: 403, otherTeam: 403, compliance: 200, admin: 200, otherTenantAdmin: 200 },
    },
    {
      name: "GET audit events",
      send: (as) => as(api().get("/api/v1/audit/events")),
      expect: { ...all(403), compliance: 200 },
    },
    { name: "GET audit verify", send: (as) => as(api().get("/api/v1/audit/verify")), expect: { ...all(403), compliance: 200 } },
    { name: "GET audit export", send: (as) => as(api().get("/api/v1/audit/export?format=csv")), expect: { ...all(403), compliance: 200 } },
    {
      name: "GET the team dashboard",
      send: (as, f) => as(api().get(`/api/v1/dashboards/team/${f.team}`)),
      expect: { owner: 200, manager: 200, teammate: 200, otherTeam: 403, compliance: 200, admin: 200, otherTenantAdmin: 404 },
    },
    { name: "GET my dashboard", send: (as) => as(api().get("/api/v1/dashboards/me")), expect: all(200) },
    { name: "GET the teams whose dashboards I may read", send: (as) => as(api().get("/api/v1/dashboards/teams")), expect: all(200) },
    {
      name: "GET a check-in schedule",
      send: (as, f) => as(api().get(`/api/v1/check-in-schedules/${f.schedule}`)),
      expect: { owner: 200, manager: 200, teammate: 200, otherTeam: 404, compliance: 200, admin: 404, otherTenantAdmin: 404 },
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const got: Record<string, number> = {};
    for (const role of Object.keys(ROLES) as Role[]) {
      const res = await c.send((t) => t.set("Authorization", `Bearer ${tokens[role]}`), fx, fresh);
      got[role] = res.status;
      if (res.status >= 400) expect(res.headers["content-type"]).toContain("application/problem+json");
      // Nothing of another tenant ever appears in an answer.
      if (role === "otherTenantAdmin" && res.status === 200) expect(JSON.stringify(res.body)).not.toContain(ids.owner);
    }
    expect(got).toEqual(c.expect);
  });
});
