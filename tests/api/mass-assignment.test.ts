import vm from "node:vm";
import { randomUUID } from "node:crypto";
import request from "supertest";
import { DEMO } from "../../server/src/local-m365/demo-directory";
import { outcomeBody, people, UPN, type As, type Who } from "../support/client";
import { buildBoundary } from "../support/factories";
import { CONTOSO, FABRIKAM, passDeadline, startTestServer, type TestServer } from "../support/harness";
import { tableChanges, tableDigest, tableHashes, type Row } from "../support/table-digest";
import { nextWeekdayAt } from "../reliability/support/wait";

const C = DEMO.contoso;
const PROBLEMS = "https://leeway.example/problems/";
const SCHEDULES = "/api/v1/check-in-schedules";

type Method = "post" | "patch" | "put" | "delete";

/** What one request acts on: its URL, the If-Match it needs, and a body that is valid as it stands. */
interface Target {
  url: string;
  ifMatch?: string;
  body?: Record<string, unknown>;
  /** The id of the resource the route changes, when the answer names it. */
  id?: string;
}

interface WriteRoute {
  method: Method;
  /** As the OpenAPI document writes it. */
  path: string;
  who: Who;
  /** The success status of the valid request. */
  ok: number;
  /** A route that takes no body (the OpenAPI document says so too). */
  bodyless?: true;
  /** Makes a fresh thing for the route to act on. */
  arrange(): Promise<Target>;
}

/**
 * Fields a client might add to take what is not theirs: another tenant, another owner, a version,
 * status, id or creation time of its choosing. Each value is one the server would never choose
 * itself here, so finding it anywhere in the database would show that it was taken from the body.
 */
const HOSTILE: Record<string, unknown> = {
  tenantId: FABRIKAM,
  ownerId: DEMO.fabrikam.nestor,
  version: 987_654,
  status: "agreed",
  id: randomUUID(),
  createdAt: "2001-02-03T04:05:06.000Z",
};

/**
 * Keys of the prototype chain, as JSON text so that each is an own key of the parsed body. (A list,
 * not an object literal: in a literal, `__proto__:` would set the literal's prototype instead.)
 */
const PROTOTYPE_KEYS: [string, string][] = [
  ["__proto__", '"__proto__":{"polluted":true}'],
  ["constructor", '"constructor":{"prototype":{"polluted":true}}'],
];

const withKey = (body: Record<string, unknown>, raw: string) => JSON.stringify(body).replace(/^\{/, `{${raw}${Object.keys(body).length ? "," : ""}`);

/**
 * The realm jest runs the tests and the in-process server in, and the process's own realm behind
 * it (where Node's built-in modules make their objects): neither may have gained a property.
 */
const OUTER_OBJECT_PROTOTYPE = vm.runInThisContext("Object.prototype") as object;
function expectNoPollution(): void {
  for (const proto of [Object.prototype, OUTER_OBJECT_PROTOTYPE]) {
    expect(Object.getOwnPropertyNames(proto)).not.toContain("polluted");
    expect((Object.create(proto) as Record<string, unknown>).polluted).toBeUndefined();
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((JSON.parse("{}") as Record<string, unknown>).polluted).toBeUndefined();
}

describe("mass assignment and prototype keys on every write route", () => {
  let s: TestServer;
  let p: Record<Who, As>;
  let tokens: Record<Who, string>;
  let doc: { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema: { $ref?: string } }> } }>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
  const team = C.teams.retailLending;

  beforeAll(async () => {
    // Only the requests under test write: no outbox deliveries, sweeps or reminders on timers of
    // their own. The demo history stays out so no boundary of its own judges the fixtures.
    s = await startTestServer({
      LEEWAY_DEMO_HISTORY: "false",
      LEEWAY_OUTBOX_WORKER: "false",
      LEEWAY_HOUSEKEEPING: "false",
      LEEWAY_REMINDER_INTERVAL_SECONDS: "0",
      LEEWAY_OUTBOX_MAX_ATTEMPTS: "1",
      LEEWAY_RATE_LIMIT_PER_MINUTE: "1000000",
    });
    const who: Who[] = ["adele", "megan", "miriam", "lidia"];
    p = await people(s, who);
    tokens = Object.fromEntries(await Promise.all(who.map(async (w) => [w, await s.token(UPN[w])]))) as Record<Who, string>;
    doc = (await p.adele.get("/api/openapi.json").expect(200)).body;
  });
  afterAll(() => s.close());

  const digest = () => tableDigest(s.leeway.context.dataSource);

  const send = (method: Method, who: Who, t: Target, text?: string) => {
    let req = request(s.baseUrl)[method](t.url).set("Authorization", `Bearer ${tokens[who]}`);
    if (t.ifMatch) req = req.set("If-Match", t.ifMatch);
    return text === undefined ? req : req.set("content-type", "application/json").send(text);
  };

  // ---- what the routes act on ----

  const proposed = async (over: Record<string, unknown> = {}) => {
    const o = (await p.adele.post("/api/v1/outcomes", outcomeBody(p.adele.id, team, over)).expect(201)).body;
    return o.id as string;
  };
  const agreed = async () => {
    const id = await proposed();
    await p.megan.post(`/api/v1/outcomes/${id}/agreement`, { version: 1 }).expect(200);
    return id;
  };
  let slot = 0;
  /** A schedule of its own agreed outcome (one rhythm each), at a slot no other schedule has. */
  const schedule = async () => {
    const outcomeId = await agreed();
    slot += 1;
    const res = await p.adele.post(SCHEDULES, { outcomeId, cadence: "weekly", firstStart: nextWeekdayAt(1 + (slot % 5), 9 + (slot % 7)), durationMinutes: 30 }).expect(202);
    return { id: res.body.id as string, etag: res.headers.etag as string };
  };
  /** A schedule whose delivery to Outlook failed: Graph answers 503 and one attempt is all there is. */
  const failedSchedule = async () => {
    const outbox = s.leeway.context.outbox!;
    const faults = s.leeway.context.localM365!.faults;
    await outbox.drain();
    const sch = await schedule();
    faults.inject({ route: "POST /users/.*/events$", kind: "unavailable", count: 1000 });
    try {
      await outbox.drain();
    } finally {
      faults.clear();
    }
    expect((await p.adele.get(`${SCHEDULES}/${sch.id}`).expect(200)).body.syncState).toBe("failed");
    return sch.id;
  };
  const activeBoundary = () => buildBoundary(s, { name: "Keep free text for ten years", enforcement: "warn", rule: { kind: "retention", freeTextDays: 3650 } });
  const newBoundary = { name: "Keep free text for twenty years", scope: { level: "tenant" }, enforcement: "warn", rule: { kind: "retention", freeTextDays: 7300 }, reason: "Record keeping" };
  const pendingBoundary = async () => {
    const res = await p.miriam.post("/api/v1/boundaries", newBoundary).expect(201);
    expect(res.body.state).toBe("pending_approval");
    return res.body.id as string;
  };

  const routes: WriteRoute[] = [
    { method: "post", path: "/api/v1/outcomes", who: "adele", ok: 201, arrange: async () => ({ url: "/api/v1/outcomes", body: outcomeBody(p.adele.id, team) }) },
    {
      method: "patch", path: "/api/v1/outcomes/{id}", who: "adele", ok: 200,
      arrange: async () => {
        const id = await proposed();
        return { url: `/api/v1/outcomes/${id}`, ifMatch: '"v1"', body: { approach: { plan: "Pilot with two branches" } }, id };
      },
    },
    {
      method: "post", path: "/api/v1/outcomes/{id}/agreement", who: "megan", ok: 200,
      arrange: async () => {
        const id = await proposed();
        return { url: `/api/v1/outcomes/${id}/agreement`, body: { version: 1 }, id };
      },
    },
    {
      method: "post", path: "/api/v1/outcomes/{id}/agreement/withdraw", who: "adele", ok: 200,
      arrange: async () => {
        const id = await agreed();
        await p.adele.patch(`/api/v1/outcomes/${id}`, { title: "Cut loan decision time by half", reason: "Clearer wording" }, '"v2"').expect(200);
        return { url: `/api/v1/outcomes/${id}/agreement/withdraw`, body: { version: 3, reason: "The old wording was fine" }, id };
      },
    },
    {
      method: "post", path: "/api/v1/outcomes/{id}/drop", who: "adele", ok: 200,
      arrange: async () => {
        const id = await agreed();
        return { url: `/api/v1/outcomes/${id}/drop`, body: { reason: "The branch network is being sold" }, id };
      },
    },
    {
      method: "post", path: "/api/v1/outcomes/{id}/approval", who: "lidia", ok: 200,
      arrange: async () => {
        await buildBoundary(s, { name: "High-risk outcomes need compliance approval", rule: { kind: "approval_for_risk_class", riskClasses: ["High"] }, scope: { level: "team", teamId: team } });
        const id = await proposed({ riskClass: "High" });
        return { url: `/api/v1/outcomes/${id}/approval`, body: { note: "Checked against the credit risk policy", version: 1 }, id };
      },
    },
    {
      method: "post", path: "/api/v1/outcomes/{id}/check-ins", who: "adele", ok: 201,
      arrange: async () => ({ url: `/api/v1/outcomes/${await agreed()}/check-ins`, body: { status: "on_track", confidence: 4, progress: 7, mode: "async" } }),
    },
    {
      method: "post", path: "/api/v1/check-ins/{id}/comments", who: "megan", ok: 201,
      arrange: async () => {
        const outcomeId = await agreed();
        const ci = (await p.adele.post(`/api/v1/outcomes/${outcomeId}/check-ins`, { status: "at_risk", confidence: 2, progress: 8, mode: "async" }).expect(201)).body;
        return { url: `/api/v1/check-ins/${ci.id}/comments`, body: { text: "What would help you most this week?", kind: "coaching" } };
      },
    },
    { method: "post", path: "/api/v1/outcomes/{id}/nudges", who: "megan", ok: 201, arrange: async () => ({ url: `/api/v1/outcomes/${await agreed()}/nudges`, body: { message: "How is it going?" } }) },
    {
      method: "post", path: "/api/v1/outcomes/{id}/reviews", who: "adele", ok: 201,
      arrange: async () => {
        const id = await agreed();
        await passDeadline(s.db, id);
        return { url: `/api/v1/outcomes/${id}/reviews`, body: { whatBlocked: "Training slots were cancelled.", whatCouldImprove: "Book trainers a quarter ahead.", causes: ["resources"], actions: [] } };
      },
    },
    {
      method: "post", path: SCHEDULES, who: "adele", ok: 202,
      arrange: async () => ({ url: SCHEDULES, body: { outcomeId: await agreed(), cadence: "weekly", firstStart: nextWeekdayAt(2, 10), durationMinutes: 30 } }),
    },
    {
      method: "post", path: `${SCHEDULES}/suggestions`, who: "adele", ok: 200,
      arrange: async () => ({ url: `${SCHEDULES}/suggestions`, body: { outcomeId: await agreed(), durationMinutes: 30 } }),
    },
    {
      method: "patch", path: `${SCHEDULES}/{id}`, who: "adele", ok: 200,
      arrange: async () => {
        const sch = await schedule();
        return { url: `${SCHEDULES}/${sch.id}`, ifMatch: sch.etag, body: { durationMinutes: 45 }, id: sch.id };
      },
    },
    {
      method: "post", path: `${SCHEDULES}/{id}/cancel`, who: "adele", ok: 200, bodyless: true,
      arrange: async () => {
        const { id } = await schedule();
        return { url: `${SCHEDULES}/${id}/cancel`, id };
      },
    },
    {
      method: "post", path: `${SCHEDULES}/{id}/retry`, who: "adele", ok: 202, bodyless: true,
      arrange: async () => {
        const id = await failedSchedule();
        return { url: `${SCHEDULES}/${id}/retry`, id };
      },
    },
    { method: "post", path: "/api/v1/boundaries", who: "miriam", ok: 201, arrange: async () => ({ url: "/api/v1/boundaries", body: newBoundary }) },
    {
      method: "patch", path: "/api/v1/boundaries/{id}", who: "miriam", ok: 200,
      arrange: async () => {
        const id = await activeBoundary();
        return { url: `/api/v1/boundaries/${id}`, body: { name: "Keep free text for eleven years", rule: { kind: "retention", freeTextDays: 4015 } }, id };
      },
    },
    {
      method: "post", path: "/api/v1/boundaries/{id}/retire", who: "miriam", ok: 200,
      arrange: async () => {
        const id = await activeBoundary();
        return { url: `/api/v1/boundaries/${id}/retire`, body: { reason: "Replaced by the group policy" }, id };
      },
    },
    {
      method: "post", path: "/api/v1/boundaries/{id}/approve", who: "lidia", ok: 200,
      arrange: async () => {
        const id = await pendingBoundary();
        return { url: `/api/v1/boundaries/${id}/approve`, body: { note: "Checked against policy CP-12" }, id };
      },
    },
    {
      method: "post", path: "/api/v1/boundaries/{id}/reject", who: "lidia", ok: 200,
      arrange: async () => {
        const id = await pendingBoundary();
        return { url: `/api/v1/boundaries/${id}/reject`, body: { note: "Retention is set by the group" }, id };
      },
    },
    { method: "post", path: "/api/v1/audit/checkpoints", who: "lidia", ok: 201, bodyless: true, arrange: async () => ({ url: "/api/v1/audit/checkpoints" }) },
  ];

  /** The top-level fields of a route's body, as the OpenAPI document (built from the zod schemas) lists them; null for a route without a body. */
  const bodyFields = (r: WriteRoute): string[] | null => {
    const schema = doc.paths[r.path]?.[r.method]?.requestBody?.content?.["application/json"]?.schema;
    if (!schema) return null;
    const resolved = schema.$ref ? doc.components.schemas[schema.$ref.split("/").pop()!] : (schema as { properties?: Record<string, unknown> });
    return Object.keys(resolved?.properties ?? {});
  };

  it("covers every write route of the API", () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => ["post", "patch", "put", "delete"].includes(m)).map((m) => `${m} ${path}`));
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
  });

  it.each(routes.filter((r) => !r.bodyless).map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    "%s refuses each field it does not take, and prototype keys, with 400 and nothing written",
    async (_name, route) => {
      const fields = bodyFields(route);
      expect(fields).not.toBeNull();
      const t = await route.arrange();
      const cases: [string, string][] = [
        ...Object.entries(HOSTILE)
          .filter(([key]) => !fields!.includes(key))
          .map(([key, value]) => [key, JSON.stringify({ ...t.body, [key]: value })] as [string, string]),
        ...PROTOTYPE_KEYS.map(([key, raw]) => [key, withKey(t.body!, raw)] as [string, string]),
      ];
      // The legitimate fields are a few; every route has most of the hostile ones to refuse, and both prototype keys.
      expect(cases.length).toBeGreaterThanOrEqual(7);
      expect(cases.map(([key]) => key)).toEqual(expect.arrayContaining(["__proto__", "constructor", "tenantId", "id", "createdAt"]));
      for (const [key, text] of cases) {
        const before = await digest();
        const res = await send(route.method, route.who, t, text);
        expect({ key, status: res.status, type: res.body.type, contentType: res.headers["content-type"] }).toEqual({ key, status: 400, type: `${PROBLEMS}validation`, contentType: expect.stringContaining("application/problem+json") });
        expect({ key, paths: res.body.errors.map((e: { path: string }) => e.path) }).toEqual({ key, paths: [key] });
        expect({ key, tables: tableHashes(await digest()) }).toEqual({ key, tables: tableHashes(before) });
        expectNoPollution();
      }
      // The same body without the extra field is accepted: each refusal was for that field alone.
      const plain = await send(route.method, route.who, t, JSON.stringify(t.body));
      expect({ status: plain.status, body: plain.body }).toEqual({ status: route.ok, body: expect.anything() });
      if (t.id) expect(plain.body.id).toBe(t.id);
      expectNoPollution();
    },
  );

  it.each(routes.filter((r) => r.bodyless).map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    "%s takes no body: whatever is sent is ignored, and nothing of it is stored",
    async (_name, route) => {
      expect(bodyFields(route)).toBeNull();
      const cases: [string, string | undefined][] = [
        ["(no body)", undefined],
        ...Object.entries(HOSTILE).map(([key, value]) => [key, JSON.stringify({ [key]: value })] as [string, string]),
        ...PROTOTYPE_KEYS.map(([key, raw]) => [key, `{${raw}}`] as [string, string]),
      ];
      for (const [key, text] of cases) {
        const t = await route.arrange();
        const before = await digest();
        const res = await send(route.method, route.who, t, text);
        expect({ key, status: res.status }).toEqual({ key, status: route.ok });
        if (t.id) expect({ key, id: res.body.id }).toEqual({ key, id: t.id });
        const added: Row[] = Object.values(tableChanges(before, await digest())).flatMap((c) => c.added);
        expect(added.length).toBeGreaterThan(0);
        for (const row of added) {
          if ("tenant_id" in row) expect({ key, tenant: row.tenant_id }).toEqual({ key, tenant: CONTOSO });
          for (const [field, value] of Object.entries(HOSTILE)) expect({ key, field, stored: Object.values(row).includes(value) }).toEqual({ key, field, stored: false });
        }
        for (const [field, value] of Object.entries(HOSTILE)) if (field in res.body) expect({ key, field, answered: res.body[field] }).not.toEqual({ key, field, answered: value });
        expectNoPollution();
      }
    },
  );

  it("runs the server in the realm whose prototypes are checked", () => {
    // The server runs in this process and this realm: its objects share the prototype checked above.
    expect(Object.getPrototypeOf(s.leeway.context)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(s.config)).toBe(Object.prototype);
    // The process's own realm is another one, checked as well.
    expect(OUTER_OBJECT_PROTOTYPE).not.toBe(Object.prototype);
    expectNoPollution();
  });

  it("refuses the fields on the way in even with a stale If-Match or for someone who may not write", async () => {
    const id = await proposed();
    const before = await digest();
    for (const [who, ifMatch] of [["adele", '"v9"'], ["lidia", '"v1"']] as const) {
      const res = await send("patch", who, { url: `/api/v1/outcomes/${id}`, ifMatch }, JSON.stringify({ title: "Taken over", tenantId: FABRIKAM, ownerId: p.lidia.id }));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["ownerId", "tenantId"]);
    }
    expect(tableHashes(await digest())).toEqual(tableHashes(before));
    const stored = (await p.adele.get(`/api/v1/outcomes/${id}`).expect(200)).body;
    expect(stored).toMatchObject({ ownerId: p.adele.id, version: 1, status: "proposed", title: outcomeBody(p.adele.id, team).title });
  });
});
