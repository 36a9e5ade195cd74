import fc from "fast-check";
import request from "supertest";
import { inDays, outcomeBody, people, type As, type Who } from "../support/client";
import { startTestServer, type TestServer } from "../support/harness";
import { SchemaArbitraries, type Schema } from "../support/schema-arbitrary";

const TABLES = ["outcome", "outcome_agreement", "check_in", "check_in_comment", "nudge", "review", "boundary", "audit_event"];
const RUNS = Number(process.env.LEEWAY_FUZZ_RUNS ?? 20);

interface Operation {
  method: "get" | "post" | "patch" | "put" | "delete";
  path: string;
  params: { name: string; in: string; schema: Schema; required?: boolean }[];
  body?: Schema;
}

describe("every route that takes input, fed generated and hostile input", () => {
  let s: TestServer;
  let p: Record<Who, As>;
  let tokens: Record<string, string>;
  let ops: Operation[];
  let arb: SchemaArbitraries;
  const ids: Record<string, string[]> = {};

  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_RATE_LIMIT_PER_MINUTE: "1000000" });
    p = await people(s, ["adele", "megan", "miriam", "lidia", "nestor"]);
    tokens = Object.fromEntries(await Promise.all((["adele.vance", "megan.bowen", "miriam.graham", "lidia.holloway"] as const).map(async (u) => [u, await s.token(`${u}@contoso.test`)])));
    const team = p.adele.teams[0]!.id;
    const o = (await p.adele.post("/api/v1/outcomes", outcomeBody(p.adele.id, team, { deadline: inDays(90) })).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    const ci = await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, { status: "on_track", confidence: 4, progress: 8, mode: "async" });
    ids.outcome = [o.id];
    ids.checkIn = ci.status === 201 ? [ci.body.id] : [];
    const doc = (await p.adele.get("/api/openapi.json").expect(200)).body as { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, Schema> } };
    arb = new SchemaArbitraries(doc.components.schemas);
    ops = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const params = (op.parameters ?? []) as Operation["params"];
        const body = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content?.["application/json"]?.schema;
        if (params.length === 0 && !body) continue;
        ops.push({ method: method as Operation["method"], path, params, ...(body ? { body } : {}) });
      }
    }
  });
  afterAll(() => s.close());

  async function counts(): Promise<Record<string, number>> {
    const ds = s.leeway.context.dataSource;
    const out: Record<string, number> = {};
    for (const t of TABLES) out[t] = Number((await ds.query(`SELECT count(*) AS n FROM ${t}`))[0].n);
    return out;
  }

  it("covers the API's input routes", () => {
    expect(ops.length).toBeGreaterThanOrEqual(8);
    expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(["post /api/v1/outcomes", "patch /api/v1/outcomes/{id}", "post /api/v1/outcomes/{id}/check-ins"]));
  });

  it("never answers 5xx and never writes part of a refused request", async () => {
    for (const op of ops) {
      const pathParams = op.params.filter((x) => x.in === "path");
      const query = op.params.filter((x) => x.in === "query");
      const idPool = [...(op.path.includes("check-ins/{id}") ? ids.checkIn! : ids.outcome!), "does-not-exist", "../x"];
      const input = fc.record({
        who: fc.constantFrom(...Object.keys(tokens)),
        pathIds: fc.array(fc.oneof(fc.constantFrom(...idPool), fc.string({ maxLength: 12 })), { minLength: pathParams.length, maxLength: pathParams.length }),
        query: fc.record(Object.fromEntries(query.map((q) => [q.name, arb.hostile(q.schema)])), { requiredKeys: [] }),
        body: op.body ? arb.hostile(op.body) : fc.constant(undefined),
        etag: fc.constantFrom('"v1"', '"v2"', '"v999"', "garbage", undefined),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ who, pathIds, query: q, body, etag }) => {
          let url = op.path;
          pathParams.forEach((param, i) => (url = url.replace(`{${param.name}}`, encodeURIComponent(pathIds[i] ?? "x"))));
          const qs = new URLSearchParams();
          for (const [k, v] of Object.entries(q)) if (v !== undefined) qs.set(k, typeof v === "string" ? v : JSON.stringify(v));
          const before = await counts();
          let req = request(s.baseUrl)[op.method](`${url}${qs.size ? `?${qs}` : ""}`).set("Authorization", `Bearer ${tokens[who]}`);
          if (etag) req = req.set("If-Match", etag);
          if (body !== undefined) req = req.set("content-type", "application/json").send(JSON.stringify(body));
          const res = await req;
          if (res.status >= 500) throw new Error(`${op.method.toUpperCase()} ${url} answered ${res.status}: ${res.text.slice(0, 300)}`);
          if (res.status >= 400) {
            if (!String(res.headers["content-type"]).includes("application/problem+json")) {
              throw new Error(`${op.method.toUpperCase()} ${url} answered ${res.status} without a problem document: ${res.text.slice(0, 200)}`);
            }
            const after = await counts();
            // A blocked write is itself recorded (audited); nothing else may change.
            if (res.status === 422) for (const t of TABLES.filter((x) => x !== "audit_event")) expect(after[t]).toBe(before[t]);
            else expect(after).toEqual(before);
          }
        }),
        { numRuns: RUNS },
      );
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).toBe(false);
  }, 300_000);
});
