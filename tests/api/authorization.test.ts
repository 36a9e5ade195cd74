import request from "supertest";
import { ScheduleRepository } from "../../server/src/store/repositories/schedule.repository";
import { inDays, outcomeBody } from "../support/client";
import { CONTOSO, passDeadline, startTestServer, type TestServer } from "../support/harness";

/**
 * The authorisation model as a table: every endpoint against each kind of caller, with the status
 * each must get. 404 means "may not even know it exists"; 403 "may see, may not do". The expected
 * statuses come from the contract and the design (who agrees the what, who owns the how, who
 * checks in, who coaches, who configures and who audits), not from what the server happens to do.
 *
 * Every route of /api/v1 is in the table: a test below compares it with the OpenAPI document, so a
 * new route fails this suite until it has its row. Left out on purpose, because they are not part
 * of the authorised API and answer the same to everyone, token or not:
 * - GET /healthz, GET /readyz: liveness and readiness, no data.
 * - GET /api/openapi.json: the published description of the API itself.
 * - GET /.well-known/leeway/audit-signing-key (and .pem): the public key, public by design so that
 *   anyone holding an export can check it.
 * - GET / (local mode): the start page, links only.
 * - /local-m365/...: the local stand-in for Entra ID and Graph, not Leeway's API; its tokens are
 *   what this suite signs in with.
 * - /tabs, /addin, /icons: static front-end files.
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
const ROLE_NAMES = Object.keys(ROLES) as Role[];
/** A second Contoso admin: proposes the boundary changes the table's admin and compliance decide on. */
const SECOND_ADMIN = "grady.archie@contoso.test";
/** Every id the demo directory gives Contoso (tenant, people, teams, seeded history) starts so; Fabrikam's with `fabf0000-`. */
const CONTOSO_PREFIX = "c0c0c0c0-";
const FABRIKAM_PREFIX = "fabf0000-";
/** A risk class that the owner's team may only agree once compliance (or an admin) has approved it. */
const RISK_CLASS = "Model risk";

interface Fixture {
  team: string;
  otherTeam: string;
  teamOutcome: string;
  privateOutcome: string;
  publicOutcome: string;
  /** Agreed, and its deadline long gone: the kind of outcome that gets a blameless review. */
  missedOutcome: string;
  checkIn: string;
  /** A tenant-wide boundary from the demo history. */
  boundary: string;
  /** The check-in rhythms of the team, private and public outcomes. */
  schedule: string;
  privateSchedule: string;
  publicSchedule: string;
  /** Boundaries waiting for approval at each scope: visible to whom the scope concerns. */
  tenantBoundary: string;
  teamBoundary: string;
  otherTeamBoundary: string;
  personBoundary: string;
  /** Sequence number of the audit event that recorded the team outcome's creation. */
  auditSeq: number;
}

/** New objects for cases whose requests change state, so each caller meets the same starting point. */
interface Makers {
  /** A new agreed outcome of the owner (version 3, with one check-in). */
  outcome(over?: Record<string, unknown>): Promise<{ id: string; checkIn: string }>;
  /** The check-in rhythm of a new agreed outcome, as its owner set it up, with its ETag. */
  schedule(): Promise<{ id: string; etag: string }>;
  /** A tenant-wide boundary that changes nothing, proposed by `proposer` and, if asked, approved by compliance. */
  boundary(state: "pending" | "active", proposer?: "secondAdmin" | "admin"): Promise<string>;
}

interface Case {
  /** The operation as the OpenAPI document names it. */
  route: string;
  name: string;
  /** Builds the request for one caller. */
  send(as: (r: request.Test) => request.Test, fx: Fixture, make: Makers): Promise<request.Response>;
  expect: Record<Role, number>;
}

const all = (status: number): Record<Role, number> => Object.fromEntries(ROLE_NAMES.map((r) => [r, status])) as Record<Role, number>;
/** Who may read an outcome the owner shares with the team: the owner, their manager chain, the team and compliance. */
const teamReaders = (status: number): Record<Role, number> => ({ owner: status, manager: status, teammate: status, otherTeam: 404, compliance: status, admin: 404, otherTenantAdmin: 404 });
/** Who may set up and change an outcome's rhythm: its owner and the owner's manager; the rest of its readers may only look. */
const rhythmKeepers = (status: number): Record<Role, number> => ({ owner: status, manager: status, teammate: 403, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 });
/** Boundary changes are the admins' (Leeway.Admin); another tenant's admin cannot find Contoso's. */
const adminOnly = (status: number): Record<Role, number> => ({ ...all(403), admin: status, otherTenantAdmin: 404 });
/** Deciding on a change waiting for approval: a different person with Leeway.Admin or Leeway.Compliance. */
const checkers = (status: number): Record<Role, number> => ({ ...all(403), compliance: status, admin: status, otherTenantAdmin: 404 });

describe("authorisation model: every endpoint x every kind of caller", () => {
  let s: TestServer;
  let tokens: Record<Role, string>;
  let secondAdmin: string;
  let fx: Fixture;
  let ids: Record<Role, string>;
  /** Ids of the Contoso objects this suite made, none of which may reach the other tenant. */
  const ours = new Set<string>();
  const keep = (id: string): string => {
    ours.add(id);
    return id;
  };
  const api = () => request(s.baseUrl);
  const bearer = (token: string) => (t: request.Test) => t.set("Authorization", `Bearer ${token}`);
  const by = (r: Role) => bearer(tokens[r]);
  const scheduleBody = (outcomeId: string) => ({ outcomeId, cadence: "weekly", firstStart: `${inDays(7)}T09:30:00+00:00`, durationMinutes: 30 });

  beforeAll(async () => {
    // Delivery to Outlook is the outbox's business, not this suite's: rhythms stay as the API leaves them.
    s = await startTestServer({ LEEWAY_RATE_LIMIT_PER_MINUTE: "100000", LEEWAY_OUTBOX_WORKER: "false" });
    tokens = Object.fromEntries(await Promise.all(ROLE_NAMES.map(async (r) => [r, await s.token(ROLES[r])]))) as Record<Role, string>;
    secondAdmin = await s.token(SECOND_ADMIN);
    ids = {} as Record<Role, string>;
    const teams = {} as Record<Role, string>;
    for (const r of ROLE_NAMES) {
      const me = await by(r)(api().get("/api/v1/me")).expect(200);
      ids[r] = me.body.id;
      teams[r] = me.body.teams[0]?.id;
    }
    const team = teams.owner;
    const owner = by("owner");
    const manager = by("manager");
    const propose = async (over: Record<string, unknown>) => keep((await owner(api().post("/api/v1/outcomes")).send(outcomeBody(ids.owner, team, { deadline: inDays(80), ...over })).expect(201)).body.id);
    const agree = (id: string) => manager(api().post(`/api/v1/outcomes/${id}/agreement`)).send({ version: 1 }).expect(200);
    const rhythm = async (outcomeId: string) => keep((await owner(api().post("/api/v1/check-in-schedules")).send(scheduleBody(outcomeId)).expect(202)).body.id);
    const proposeBoundary = async (body: Record<string, unknown>) =>
      keep((await bearer(secondAdmin)(api().post("/api/v1/boundaries")).send({ enforcement: "warn", reason: "Set for the authorisation model", ...body }).expect(201)).body.id);

    const teamOutcome = await propose({});
    await agree(teamOutcome);
    const privateOutcome = await propose({ visibility: "private" });
    const publicOutcome = await propose({ visibility: "public" });
    await agree(publicOutcome);
    const missedOutcome = await propose({ title: "Close the backlog of appeals" });
    await agree(missedOutcome);
    await passDeadline(s.db, missedOutcome);
    const checkIn = keep((await owner(api().post(`/api/v1/outcomes/${teamOutcome}/check-ins`)).send({ status: "on_track", confidence: 4, progress: 8, mode: "async" }).expect(201)).body.id);
    const demoBoundaries = (await by("admin")(api().get("/api/v1/boundaries?scope=tenant")).expect(200)).body.items as { id: string }[];
    expect(demoBoundaries.length).toBeGreaterThan(0);

    // Outcomes of the owner's team in this risk class wait for compliance before they are agreed.
    const riskRule = await proposeBoundary({ name: "Model risk needs approval", scope: { level: "team", teamId: team }, enforcement: "block", rule: { kind: "approval_for_risk_class", riskClasses: [RISK_CLASS] } });
    await by("compliance")(api().post(`/api/v1/boundaries/${riskRule}/approve`)).send({}).expect(200);
    // Contoso requires a second person's approval, so these stay proposals: listed, never enforced.
    const nudgeLimit = { kind: "nudge_limit", perOutcomePerWeek: 1 };
    const tenantBoundary = await proposeBoundary({ name: "One nudge a week", scope: { level: "tenant" }, rule: nudgeLimit });
    const teamBoundary = await proposeBoundary({ name: "One nudge a week in Retail Lending", scope: { level: "team", teamId: team }, rule: nudgeLimit });
    const otherTeamBoundary = await proposeBoundary({ name: "One nudge a week in Payments", scope: { level: "team", teamId: teams.otherTeam }, rule: nudgeLimit });
    const personBoundary = await proposeBoundary({ name: "One nudge a week for Adele", scope: { level: "person", personId: ids.owner }, rule: nudgeLimit, expiresAt: `${inDays(30)}T00:00:00Z` });

    const events = await by("compliance")(api().get(`/api/v1/audit/events?entityId=${teamOutcome}&action=outcome.created`)).expect(200);
    fx = {
      team,
      otherTeam: teams.otherTeam,
      teamOutcome,
      privateOutcome,
      publicOutcome,
      missedOutcome,
      checkIn,
      boundary: demoBoundaries[0]!.id,
      schedule: await rhythm(teamOutcome),
      privateSchedule: await rhythm(privateOutcome),
      publicSchedule: await rhythm(publicOutcome),
      tenantBoundary,
      teamBoundary,
      otherTeamBoundary,
      personBoundary,
      auditSeq: events.body.items[0].seq,
    };
    ours.add(team);
    for (const r of ROLE_NAMES) if (r !== "otherTenantAdmin") ours.add(ids[r]);
  });
  afterAll(() => s.close());

  let boundaries = 0;
  const make: Makers = {
    outcome: async (over = {}) => {
      const o = keep((await by("owner")(api().post("/api/v1/outcomes")).send(outcomeBody(ids.owner, fx.team, { deadline: inDays(80), ...over })).expect(201)).body.id);
      await by("manager")(api().post(`/api/v1/outcomes/${o}/agreement`)).send({ version: 1 }).expect(200);
      const c = keep((await by("owner")(api().post(`/api/v1/outcomes/${o}/check-ins`)).send({ status: "at_risk", confidence: 3, progress: 9, mode: "async" }).expect(201)).body.id);
      return { id: o, checkIn: c };
    },
    schedule: async () => {
      const res = await by("owner")(api().post("/api/v1/check-in-schedules")).send(scheduleBody((await make.outcome()).id)).expect(202);
      return { id: keep(res.body.id), etag: res.headers.etag! };
    },
    boundary: async (state, proposer = "secondAdmin") => {
      const created = await bearer(proposer === "admin" ? tokens.admin : secondAdmin)(api().post("/api/v1/boundaries"))
        .send({ name: `A pattern nobody writes ${++boundaries}`, scope: { level: "tenant" }, enforcement: "warn", rule: { kind: "content_pattern", patterns: [{ name: "never written", regex: "zq-never-written-[0-9]{24}" }] } })
        .expect(201);
      expect(created.body.state).toBe("pending_approval");
      if (state === "active") await by("compliance")(api().post(`/api/v1/boundaries/${created.body.id}/approve`)).send({}).expect(200);
      return keep(created.body.id);
    },
  };

  /** Whatever a caller is answered, nothing of the other tenant is in it. */
  const expectTenantWall = (role: Role, res: request.Response) => {
    if (res.status < 200 || res.status >= 300) return;
    const text = res.text || JSON.stringify(res.body ?? "");
    if (role === "otherTenantAdmin") {
      expect(text).not.toContain(CONTOSO_PREFIX);
      expect([...ours].filter((id) => text.includes(id))).toEqual([]);
    } else {
      expect(text).not.toContain(FABRIKAM_PREFIX);
    }
  };

  /** Every page of a cursor-paged list, as ids. */
  const listAll = async (role: Role, path: string): Promise<Set<string>> => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      const res: request.Response = await by(role)(api().get(`${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)).expect(200);
      expectTenantWall(role, res);
      for (const item of res.body.items as { id: string }[]) seen.add(item.id);
      cursor = res.body.nextCursor;
      if (!cursor) return seen;
    }
    throw new Error(`${path} did not end within 50 pages`);
  };

  /** Which of `mine` each caller finds in a list: names, in the order given. */
  const whoSeesWhat = async <K extends string>(mine: Record<K, string>, list: (role: Role) => Promise<Set<string>>): Promise<Record<Role, K[]>> => {
    const got = {} as Record<Role, K[]>;
    for (const role of ROLE_NAMES) {
      const seen = await list(role);
      got[role] = (Object.keys(mine) as K[]).filter((k) => seen.has(mine[k]));
    }
    return got;
  };

  describe("what each caller sees in the lists", () => {
    /** Private: owner, manager chain, compliance. Team: also the team. Public: the whole tenant, and no one outside it. */
    const byVisibility = {
      owner: ["private", "team", "public"],
      manager: ["private", "team", "public"],
      teammate: ["team", "public"],
      otherTeam: ["public"],
      compliance: ["private", "team", "public"],
      admin: ["public"],
      otherTenantAdmin: [],
    };

    it("GET /outcomes lists exactly the owner's outcomes each caller may see", async () => {
      const mine = { private: fx.privateOutcome, team: fx.teamOutcome, public: fx.publicOutcome };
      expect(await whoSeesWhat(mine, (role) => listAll(role, "/api/v1/outcomes?limit=200"))).toEqual(byVisibility);
      // Filtering by the owner narrows the list; it never widens it.
      expect(await whoSeesWhat(mine, (role) => listAll(role, `/api/v1/outcomes?ownerId=${ids.owner}&limit=200`))).toEqual(byVisibility);
    });

    it("GET /check-in-schedules lists the rhythms of those outcomes to the same people", async () => {
      const mine = { private: fx.privateSchedule, team: fx.schedule, public: fx.publicSchedule };
      const listed = async (role: Role, query: string) => {
        const res = await by(role)(api().get(`/api/v1/check-in-schedules${query}`)).expect(200);
        expectTenantWall(role, res);
        return new Set((res.body.items as { id: string }[]).map((x) => x.id));
      };
      expect(await whoSeesWhat(mine, (role) => listed(role, `?teamId=${fx.team}`))).toEqual(byVisibility);
      // Without a filter: the rhythms the caller organizes or is invited to (the owner and the manager).
      const invited = { ...Object.fromEntries(ROLE_NAMES.map((r) => [r, []])), owner: ["private", "team", "public"], manager: ["private", "team", "public"] };
      expect(await whoSeesWhat(mine, (role) => listed(role, ""))).toEqual(invited);
    });

    it("GET /boundaries lists tenant-wide boundaries to all, a team's to its members, a person's to them; all to admins and compliance", async () => {
      const mine = { tenant: fx.tenantBoundary, team: fx.teamBoundary, otherTeam: fx.otherTeamBoundary, person: fx.personBoundary };
      const listed = async (role: Role) => {
        const res = await by(role)(api().get("/api/v1/boundaries")).expect(200);
        expectTenantWall(role, res);
        return new Set((res.body.items as { id: string }[]).map((x) => x.id));
      };
      expect(await whoSeesWhat(mine, listed)).toEqual({
        owner: ["tenant", "team", "person"],
        manager: ["tenant", "team"],
        teammate: ["tenant", "team"],
        otherTeam: ["tenant", "otherTeam"],
        compliance: ["tenant", "team", "otherTeam", "person"],
        admin: ["tenant", "team", "otherTeam", "person"],
        otherTenantAdmin: [],
      });
    });
  });

  const cases: Case[] = [
    // ---- the caller and the directory ----
    { route: "GET /api/v1/me", name: "GET /me", send: (as) => as(api().get("/api/v1/me")), expect: all(200) },
    // Names only, as the directory shows them; the other tenant's admin gets an empty list.
    { route: "GET /api/v1/people", name: "GET people by id", send: (as) => as(api().get(`/api/v1/people?ids=${ids.owner},${ids.manager}`)), expect: all(200) },

    // ---- outcomes: the what is agreed between owner and manager; the how is the owner's ----
    {
      route: "POST /api/v1/outcomes",
      name: "POST an outcome for the owner",
      send: async (as) => {
        const res = await as(api().post("/api/v1/outcomes")).send(outcomeBody(ids.owner, fx.team, { deadline: inDays(80) }));
        if (res.status === 201) keep(res.body.id);
        return res;
      },
      // Proposed by the owner or the owner's manager only. To the other tenant the owner is nobody
      // in their organisation: the same 400 as any unknown id, which tells them nothing.
      expect: { owner: 201, manager: 201, teammate: 403, otherTeam: 403, compliance: 403, admin: 403, otherTenantAdmin: 400 },
    },
    // What each caller finds in the list is in "what each caller sees in the lists" above.
    { route: "GET /api/v1/outcomes", name: "GET the outcomes list", send: (as) => as(api().get("/api/v1/outcomes?limit=5")), expect: all(200) },
    {
      route: "GET /api/v1/outcomes/{id}",
      name: "GET a team-visible outcome",
      send: (as, f) => as(api().get(`/api/v1/outcomes/${f.teamOutcome}`)),
      expect: teamReaders(200),
    },
    {
      route: "GET /api/v1/outcomes/{id}",
      name: "GET a private outcome",
      send: (as, f) => as(api().get(`/api/v1/outcomes/${f.privateOutcome}`)),
      expect: { owner: 200, manager: 200, teammate: 404, otherTeam: 404, compliance: 200, admin: 404, otherTenantAdmin: 404 },
    },
    {
      route: "GET /api/v1/outcomes/{id}",
      name: "GET a public outcome",
      send: (as, f) => as(api().get(`/api/v1/outcomes/${f.publicOutcome}`)),
      expect: { ...all(200), otherTenantAdmin: 404 },
    },
    {
      route: "PATCH /api/v1/outcomes/{id}",
      name: "PATCH the approach (the how)",
      send: async (as, _f, make) => as(api().patch(`/api/v1/outcomes/${(await make.outcome()).id}`)).set("If-Match", '"v3"').send({ approach: { plan: "mine" } }),
      expect: { owner: 200, manager: 403, teammate: 403, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      route: "PATCH /api/v1/outcomes/{id}",
      name: "PATCH the what (title), with a reason",
      send: async (as, _f, make) => as(api().patch(`/api/v1/outcomes/${(await make.outcome()).id}`)).set("If-Match", '"v3"').send({ title: "Cut loan decision time to three days", reason: "The board asked for more" }),
      // Either side of the agreement may propose a change of the what; nobody else may.
      expect: rhythmKeepers(200),
    },
    {
      route: "POST /api/v1/outcomes/{id}/agreement",
      name: "POST agreement on a fresh proposal",
      send: async (as) => {
        const o = keep((await by("owner")(api().post("/api/v1/outcomes")).send(outcomeBody(ids.owner, fx.team, { deadline: inDays(80) })).expect(201)).body.id);
        return as(api().post(`/api/v1/outcomes/${o}/agreement`)).send({ version: 1 });
      },
      // The owner proposed it, so only the manager's acceptance is still open.
      expect: { owner: 409, manager: 200, teammate: 403, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      route: "POST /api/v1/outcomes/{id}/agreement/withdraw",
      name: "POST withdraw (or decline) the change on the table",
      send: async (as, _f, make) => {
        const o = (await make.outcome()).id;
        // The owner proposes a change to the agreed what (version 4 on the table).
        await by("owner")(api().patch(`/api/v1/outcomes/${o}`)).set("If-Match", '"v3"').send({ title: "A sharper title", reason: "Clearer" }).expect(200);
        return as(api().post(`/api/v1/outcomes/${o}/agreement/withdraw`)).send({ version: 4 });
      },
      // The owner withdraws it, the manager declines it; nobody else has a say.
      expect: rhythmKeepers(200),
    },
    {
      route: "GET /api/v1/outcomes/{id}/agreement",
      name: "GET the agreement history of a private outcome",
      send: (as, f) => as(api().get(`/api/v1/outcomes/${f.privateOutcome}/agreement`)),
      expect: { owner: 200, manager: 200, teammate: 404, otherTeam: 404, compliance: 200, admin: 404, otherTenantAdmin: 404 },
    },
    {
      route: "GET /api/v1/outcomes/{id}/agreement",
      name: "GET the agreement history of a team-visible outcome",
      send: (as, f) => as(api().get(`/api/v1/outcomes/${f.teamOutcome}/agreement`)),
      expect: teamReaders(200),
    },
    {
      route: "POST /api/v1/outcomes/{id}/drop",
      name: "POST a proposal to drop",
      send: async (as, _f, make) => as(api().post(`/api/v1/outcomes/${(await make.outcome()).id}/drop`)).send({ reason: "The product line is closing" }),
      // Dropping is a change of the what: owner or manager propose it, the other side accepts.
      expect: rhythmKeepers(200),
    },
    {
      route: "POST /api/v1/outcomes/{id}/approval",
      name: "POST risk-class approval of an outcome that waits for none",
      send: (as, f) => as(api().post(`/api/v1/outcomes/${f.teamOutcome}/approval`)).send({}),
      // Compliance may approve, but this outcome waits for no approval: a state conflict. The admin
      // may approve only what they may see, and a team outcome of another team is not that.
      expect: { owner: 403, manager: 403, teammate: 403, otherTeam: 404, compliance: 409, admin: 404, otherTenantAdmin: 404 },
    },
    {
      route: "POST /api/v1/outcomes/{id}/approval",
      name: "POST risk-class approval of a public outcome waiting for it",
      send: async (as) => {
        const o = keep((await by("owner")(api().post("/api/v1/outcomes")).send(outcomeBody(ids.owner, fx.team, { deadline: inDays(80), visibility: "public", riskClass: RISK_CLASS })).expect(201)).body.id);
        return as(api().post(`/api/v1/outcomes/${o}/approval`)).send({ note: "Model validated" });
      },
      // Compliance or an admin who is not a party to it; owner and manager never approve their own.
      expect: { owner: 403, manager: 403, teammate: 403, otherTeam: 403, compliance: 200, admin: 200, otherTenantAdmin: 404 },
    },

    // ---- check-ins, comments, nudges and reviews ----
    {
      route: "POST /api/v1/outcomes/{id}/check-ins",
      name: "POST a check-in",
      send: async (as, _f, make) => as(api().post(`/api/v1/outcomes/${(await make.outcome()).id}/check-ins`)).send({ status: "on_track", confidence: 4, progress: 7, mode: "async" }),
      expect: { owner: 201, manager: 403, teammate: 403, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      route: "GET /api/v1/outcomes/{id}/check-ins",
      name: "GET check-ins",
      send: (as, f) => as(api().get(`/api/v1/outcomes/${f.teamOutcome}/check-ins`)),
      expect: teamReaders(200),
    },
    {
      route: "POST /api/v1/check-ins/{id}/comments",
      name: "POST a comment on a check-in",
      send: async (as, _f, make) => as(api().post(`/api/v1/check-ins/${(await make.outcome()).checkIn}/comments`)).send({ text: "How can I help?" }),
      expect: { owner: 201, manager: 201, teammate: 201, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      route: "POST /api/v1/outcomes/{id}/nudges",
      name: "POST a nudge",
      send: async (as, _f, make) => as(api().post(`/api/v1/outcomes/${(await make.outcome()).id}/nudges`)).send({}),
      expect: { owner: 403, manager: 201, teammate: 201, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      route: "POST /api/v1/outcomes/{id}/nudges",
      name: "POST a nudge on a private outcome",
      send: async (as, _f, make) => as(api().post(`/api/v1/outcomes/${(await make.outcome({ visibility: "private" })).id}/nudges`)).send({}),
      // The team does not see it, so it does not chase it; compliance sees it to look, not to chase.
      expect: { owner: 403, manager: 201, teammate: 404, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      route: "GET /api/v1/outcomes/{id}/nudges",
      name: "GET nudges",
      send: (as, f) => as(api().get(`/api/v1/outcomes/${f.teamOutcome}/nudges`)),
      expect: teamReaders(200),
    },
    {
      route: "POST /api/v1/outcomes/{id}/reviews",
      name: "POST a review of an open outcome",
      send: (as, f) => as(api().post(`/api/v1/outcomes/${f.teamOutcome}/reviews`)).send({ whatBlocked: "x", whatCouldImprove: "y", causes: ["process"], actions: [] }),
      expect: { owner: 409, manager: 409, teammate: 403, otherTeam: 404, compliance: 403, admin: 404, otherTenantAdmin: 404 },
    },
    {
      route: "POST /api/v1/outcomes/{id}/reviews",
      name: "POST a review of a missed outcome",
      send: (as, f) => as(api().post(`/api/v1/outcomes/${f.missedOutcome}/reviews`)).send({ whatBlocked: "Appeals doubled in March", whatCouldImprove: "Plan for seasonal peaks", causes: ["resources"], actions: [] }),
      // The owner and the manager each write theirs; the team and compliance read them.
      expect: rhythmKeepers(201),
    },
    {
      route: "GET /api/v1/outcomes/{id}/reviews",
      name: "GET reviews",
      send: (as, f) => as(api().get(`/api/v1/outcomes/${f.teamOutcome}/reviews`)),
      expect: teamReaders(200),
    },

    // ---- compliance boundaries ----
    { route: "GET /api/v1/boundaries", name: "GET boundaries", send: (as) => as(api().get("/api/v1/boundaries")), expect: all(200) },
    {
      route: "GET /api/v1/boundaries/{id}",
      name: "GET a Contoso tenant-wide boundary",
      send: (as, f) => as(api().get(`/api/v1/boundaries/${f.boundary}`)),
      expect: { ...all(200), otherTenantAdmin: 404 },
    },
    {
      route: "GET /api/v1/boundaries/{id}",
      name: "GET a boundary on one person",
      send: (as, f) => as(api().get(`/api/v1/boundaries/${f.personBoundary}`)),
      expect: { owner: 200, manager: 404, teammate: 404, otherTeam: 404, compliance: 200, admin: 200, otherTenantAdmin: 404 },
    },
    {
      route: "POST /api/v1/boundaries",
      name: "POST a boundary (in the caller's own tenant)",
      send: (as) => as(api().post("/api/v1/boundaries")).send({ name: `Nudges ${Math.random()}`, scope: { level: "tenant" }, enforcement: "warn", rule: { kind: "nudge_limit", perOutcomePerWeek: 1 } }),
      expect: { ...all(403), admin: 201, otherTenantAdmin: 201 },
    },
    {
      route: "PATCH /api/v1/boundaries/{id}",
      name: "PATCH a boundary in force",
      send: async (as, _f, make) => as(api().patch(`/api/v1/boundaries/${await make.boundary("active")}`)).send({ name: "A pattern nobody writes, renamed" }),
      expect: adminOnly(200),
    },
    {
      route: "POST /api/v1/boundaries/{id}/retire",
      name: "POST retire a boundary in force",
      send: async (as, _f, make) => as(api().post(`/api/v1/boundaries/${await make.boundary("active")}/retire`)).send({ reason: "No longer needed" }),
      expect: adminOnly(200),
    },
    {
      route: "POST /api/v1/boundaries/{id}/approve",
      name: "POST approve another admin's proposal",
      send: async (as, _f, make) => as(api().post(`/api/v1/boundaries/${await make.boundary("pending")}/approve`)).send({}),
      expect: checkers(200),
    },
    {
      route: "POST /api/v1/boundaries/{id}/approve",
      name: "POST approve the table's admin's own proposal",
      send: async (as, _f, make) => as(api().post(`/api/v1/boundaries/${await make.boundary("pending", "admin")}/approve`)).send({}),
      // Nobody approves their own change.
      expect: { ...checkers(200), admin: 403 },
    },
    {
      route: "POST /api/v1/boundaries/{id}/reject",
      name: "POST reject another admin's proposal",
      send: async (as, _f, make) => as(api().post(`/api/v1/boundaries/${await make.boundary("pending")}/reject`)).send({ note: "Not this quarter" }),
      expect: checkers(200),
    },
    {
      route: "GET /api/v1/boundary-findings",
      name: "GET boundary findings",
      send: (as) => as(api().get("/api/v1/boundary-findings")),
      expect: { ...all(403), compliance: 200, admin: 200, otherTenantAdmin: 200 },
    },

    // ---- the audit trail: compliance officers only ----
    { route: "GET /api/v1/audit/events", name: "GET audit events", send: (as) => as(api().get("/api/v1/audit/events")), expect: { ...all(403), compliance: 200 } },
    { route: "GET /api/v1/audit/events/{seq}", name: "GET one audit event", send: (as, f) => as(api().get(`/api/v1/audit/events/${f.auditSeq}`)), expect: { ...all(403), compliance: 200 } },
    { route: "GET /api/v1/audit/verify", name: "GET audit verify", send: (as) => as(api().get("/api/v1/audit/verify")), expect: { ...all(403), compliance: 200 } },
    { route: "GET /api/v1/audit/export", name: "GET audit export", send: (as) => as(api().get("/api/v1/audit/export?format=csv")), expect: { ...all(403), compliance: 200 } },
    { route: "GET /api/v1/audit/checkpoints", name: "GET signed checkpoints", send: (as) => as(api().get("/api/v1/audit/checkpoints")), expect: { ...all(403), compliance: 200 } },
    { route: "POST /api/v1/audit/checkpoints", name: "POST sign the chain head", send: (as) => as(api().post("/api/v1/audit/checkpoints")), expect: { ...all(403), compliance: 201 } },

    // ---- dashboards ----
    {
      route: "GET /api/v1/dashboards/team/{teamId}",
      name: "GET the team dashboard",
      send: (as, f) => as(api().get(`/api/v1/dashboards/team/${f.team}`)),
      // Team members, managers above a member, compliance and admins. The team exists for every
      // Contoso caller (403), not for the other tenant (404).
      expect: { owner: 200, manager: 200, teammate: 200, otherTeam: 403, compliance: 200, admin: 200, otherTenantAdmin: 404 },
    },
    { route: "GET /api/v1/dashboards/me", name: "GET my dashboard", send: (as) => as(api().get("/api/v1/dashboards/me")), expect: all(200) },
    { route: "GET /api/v1/dashboards/teams", name: "GET the teams whose dashboards I may read", send: (as) => as(api().get("/api/v1/dashboards/teams")), expect: all(200) },

    // ---- check-in rhythms ----
    {
      route: "POST /api/v1/check-in-schedules",
      name: "POST a check-in rhythm for an outcome",
      send: async (as, _f, make) => {
        const res = await as(api().post("/api/v1/check-in-schedules")).send(scheduleBody((await make.outcome()).id));
        if (res.status === 202) keep(res.body.id);
        return res;
      },
      expect: rhythmKeepers(202),
    },
    {
      route: "POST /api/v1/check-in-schedules",
      name: "POST a check-in rhythm for the team",
      send: async (as, f) => {
        const res = await as(api().post("/api/v1/check-in-schedules")).send({ teamId: f.team, cadence: "biweekly", firstStart: `${inDays(8)}T10:00:00+00:00`, durationMinutes: 30 });
        if (res.status === 202) keep(res.body.id);
        return res;
      },
      // The team's lead (the manager here); a member, another team or a role is not enough. The team
      // is directory knowledge within Contoso (403), and nothing to the other tenant (404).
      expect: { ...all(403), manager: 202, otherTenantAdmin: 404 },
    },
    {
      route: "POST /api/v1/check-in-schedules/suggestions",
      name: "POST for suggested slots",
      send: (as, f) => as(api().post("/api/v1/check-in-schedules/suggestions")).send({ outcomeId: f.teamOutcome, durationMinutes: 30, maxCandidates: 3 }),
      expect: rhythmKeepers(200),
    },
    {
      route: "GET /api/v1/check-in-schedules",
      name: "GET the rhythms of an outcome",
      send: (as, f) => as(api().get(`/api/v1/check-in-schedules?outcomeId=${f.teamOutcome}`)),
      expect: teamReaders(200),
    },
    // Which rhythms each caller finds in the list is in "what each caller sees in the lists" above.
    { route: "GET /api/v1/check-in-schedules", name: "GET my rhythms", send: (as) => as(api().get("/api/v1/check-in-schedules")), expect: all(200) },
    {
      route: "GET /api/v1/check-in-schedules/{id}",
      name: "GET a check-in rhythm",
      send: (as, f) => as(api().get(`/api/v1/check-in-schedules/${f.schedule}`)),
      expect: teamReaders(200),
    },
    {
      route: "GET /api/v1/check-in-schedules/{id}",
      name: "GET the rhythm of a private outcome",
      send: (as, f) => as(api().get(`/api/v1/check-in-schedules/${f.privateSchedule}`)),
      expect: { owner: 200, manager: 200, teammate: 404, otherTeam: 404, compliance: 200, admin: 404, otherTenantAdmin: 404 },
    },
    {
      route: "PATCH /api/v1/check-in-schedules/{id}",
      name: "PATCH a check-in rhythm",
      send: async (as, _f, make) => {
        const r = await make.schedule();
        return as(api().patch(`/api/v1/check-in-schedules/${r.id}`)).set("If-Match", r.etag).send({ durationMinutes: 45 });
      },
      expect: rhythmKeepers(200),
    },
    {
      route: "POST /api/v1/check-in-schedules/{id}/cancel",
      name: "POST cancel a check-in rhythm",
      send: async (as, _f, make) => as(api().post(`/api/v1/check-in-schedules/${(await make.schedule()).id}/cancel`)),
      expect: rhythmKeepers(200),
    },
    {
      route: "POST /api/v1/check-in-schedules/{id}/retry",
      name: "POST retry a rhythm whose delivery failed",
      send: async (as, _f, make) => {
        const r = await make.schedule();
        // Delivery gave up: as the outbox records it after its last attempt.
        await new ScheduleRepository().setSync(s.leeway.context.dataSource.manager, CONTOSO, r.id, { syncState: "failed" });
        return as(api().post(`/api/v1/check-in-schedules/${r.id}/retry`));
      },
      expect: rhythmKeepers(202),
    },
  ];

  it("names every route of the API in the table", async () => {
    const doc = (await api().get("/api/openapi.json").expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const methods = new Set(["get", "put", "post", "patch", "delete"]);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => methods.has(m)).map((m) => `${m.toUpperCase()} ${path}`));
    expect([...new Set(cases.map((c) => c.route))].sort()).toEqual(documented.sort());
  });

  it.each(cases.map((c) => [`${c.name} (${c.route})`, c] as const))("%s", async (_name, c) => {
    const got: Record<string, number> = {};
    for (const role of ROLE_NAMES) {
      const res = await c.send(by(role), fx, make);
      got[role] = res.status;
      if (res.status >= 400) expect(res.headers["content-type"]).toContain("application/problem+json");
      // Nothing of another tenant ever appears in an answer.
      expectTenantWall(role, res);
    }
    expect(got).toEqual(c.expect);
  });
});
