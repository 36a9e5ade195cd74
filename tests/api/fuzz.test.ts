import vm from "node:vm";
import fc from "fast-check";
import request from "supertest";
import { inDays, outcomeBody, people, UPN, type As, type Who } from "../support/client";
import { buildBoundary } from "../support/factories";
import { CONTOSO, startTestServer, type TestServer } from "../support/harness";
import { SchemaArbitraries, type Schema } from "../support/schema-arbitrary";
import { tableChanges, tableDigest, type Row, type TableChange, type TableDigest } from "../support/table-digest";

const RUNS = Number(process.env.LEEWAY_FUZZ_RUNS ?? 20);
const PROBLEMS = "https://leeway.example/problems/";
const CALLERS = ["adele", "megan", "miriam", "lidia"] as const;

interface Operation {
  method: "get" | "post" | "patch" | "put" | "delete";
  path: string;
  params: { name: string; in: string; schema: Schema; required?: boolean }[];
  body?: Schema;
}

/** A refused request: its answer, and who sent it, to recognise what the refusal may record. */
interface Refusal {
  status: number;
  body: { type?: string; boundary?: { id?: string } };
  requestId: string;
  tenantId: string;
  actorId: string;
}

const describeChanges = (changes: Record<string, TableChange>) =>
  Object.entries(changes)
    .map(([t, c]) => `${t}: ${c.added.length} added, ${c.removed.length} removed`)
    .join("; ");

/**
 * A refused request leaves the database as it found it, with one exception: a write that a
 * boundary blocked is always recorded, after its own unit of work rolled back, in a unit of its
 * own (BoundaryEnforcement.guard). That unit appends the blocking findings and exactly one
 * `boundary.blocked` audit event of the caller, for this request; the event moves the tenant's
 * chain head (PostgreSQL keeps it in a row) and, when it lands on a checkpoint sequence, a
 * signed checkpoint of that head is appended as well. Nothing else may change, and nothing
 * that was there may change or go.
 */
function expectOnlyTheRefusalRecorded(r: Refusal, before: TableDigest, after: TableDigest, checkpointEvery: number): void {
  const changes = tableChanges(before, after);
  const where = `${r.status} ${r.body.type ?? ""} changed ${describeChanges(changes) || "nothing"}`;
  if (!(r.status === 422 && r.body.type === `${PROBLEMS}boundary-blocked`)) {
    if (Object.keys(changes).length > 0) throw new Error(`a refused request wrote: ${where}`);
    return;
  }

  const allowed = ["audit_checkpoint", "audit_event", "audit_head", "boundary_finding"];
  expect({ where, tables: Object.keys(changes).filter((t) => !allowed.includes(t)) }).toEqual({ where, tables: [] });

  const events = changes.audit_event ?? { added: [] as Row[], removed: [] as Row[] };
  expect(events.removed).toEqual([]);
  expect(events.added).toEqual([expect.objectContaining({ tenant_id: r.tenantId, actor_id: r.actorId, action: "boundary.blocked", request_id: r.requestId })]);
  const event = events.added[0]!;

  const findings = changes.boundary_finding ?? { added: [] as Row[], removed: [] as Row[] };
  expect(findings.removed).toEqual([]);
  expect(findings.added.length).toBeGreaterThan(0);
  for (const f of findings.added) expect(f).toMatchObject({ tenant_id: r.tenantId, actor_id: r.actorId, enforcement: "block" });
  expect(findings.added.map((f) => f.boundary_id)).toContain(r.body.boundary?.id);

  const head = changes.audit_head;
  if (after.audit_head) {
    expect(head?.added).toEqual([{ tenant_id: r.tenantId, seq: event.seq, hash: event.hash, occurred_at: event.occurred_at }]);
    expect(head?.removed).toEqual([expect.objectContaining({ tenant_id: r.tenantId })]);
  } else {
    expect(head).toBeUndefined();
  }

  const checkpoints = changes.audit_checkpoint ?? { added: [] as Row[], removed: [] as Row[] };
  expect(checkpoints.removed).toEqual([]);
  const signs = Number(event.seq) % checkpointEvery === 0;
  expect(checkpoints.added).toEqual(signs ? [expect.objectContaining({ tenant_id: r.tenantId, seq: event.seq, head_hash: event.hash })] : []);
}

describe("every route that takes input, fed generated and hostile input", () => {
  let s: TestServer;
  let p: Record<Who, As>;
  let tokens: Record<(typeof CALLERS)[number], string>;
  let ops: Operation[];
  let arb: SchemaArbitraries;
  const ids: Record<"outcome" | "checkIn" | "schedule" | "boundary" | "team", string[]> = { outcome: [], checkIn: [], schedule: [], boundary: [], team: [] };
  const refusals: Record<number, number> = {};

  beforeAll(async () => {
    // Only the requests under test write: no outbox deliveries, sweeps or reminders on timers of
    // their own, which would change rows between the two readings around a refused request.
    s = await startTestServer({ LEEWAY_RATE_LIMIT_PER_MINUTE: "1000000", LEEWAY_OUTBOX_WORKER: "false", LEEWAY_HOUSEKEEPING: "false", LEEWAY_REMINDER_INTERVAL_SECONDS: "0" });
    p = await people(s, ["adele", "megan", "miriam", "lidia", "nestor"]);
    tokens = Object.fromEntries(await Promise.all(CALLERS.map(async (who) => [who, await s.token(UPN[who])]))) as typeof tokens;
    const team = p.adele.teams[0]!.id;
    const o = (await p.adele.post("/api/v1/outcomes", outcomeBody(p.adele.id, team, { deadline: inDays(90) })).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    const ci = await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, { status: "on_track", confidence: 4, progress: 8, mode: "async" });
    const schedule = await p.adele.post("/api/v1/check-in-schedules", { outcomeId: o.id, cadence: "weekly", firstStart: `${inDays(3)}T09:00:00Z`, durationMinutes: 30 });
    const boundary = await p.miriam.post("/api/v1/boundaries", {
      name: "Keep free text for ten years",
      scope: { level: "tenant" },
      enforcement: "warn",
      rule: { kind: "retention", freeTextDays: 3650 },
      reason: "Record keeping",
    });
    ids.outcome = [o.id];
    ids.checkIn = ci.status === 201 ? [ci.body.id] : [];
    ids.schedule = schedule.status === 202 ? [schedule.body.id] : [];
    ids.boundary = boundary.status === 201 ? [boundary.body.id] : [];
    ids.team = [team];
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

  const digest = () => tableDigest(s.leeway.context.dataSource);
  const poolFor = (path: string): string[] => {
    if (path.startsWith("/api/v1/check-ins/")) return ids.checkIn;
    if (path.startsWith("/api/v1/check-in-schedules/")) return ids.schedule;
    if (path.startsWith("/api/v1/boundaries/")) return ids.boundary;
    if (path.includes("{teamId}")) return ids.team;
    return ids.outcome;
  };

  it("covers the API's input routes", () => {
    expect(ops.length).toBeGreaterThanOrEqual(8);
    expect(ops.map((o) => `${o.method} ${o.path}`)).toEqual(expect.arrayContaining(["post /api/v1/outcomes", "patch /api/v1/outcomes/{id}", "post /api/v1/outcomes/{id}/check-ins"]));
    for (const pool of Object.values(ids)) expect(pool).toHaveLength(1);
  });

  it("never answers 5xx and never writes part of a refused request", async () => {
    // The reading after a refusal is the reading before the next request: nothing else writes.
    let current: TableDigest | null = null;
    for (const op of ops) {
      const pathParams = op.params.filter((x) => x.in === "path");
      const query = op.params.filter((x) => x.in === "query");
      const idPool = [...poolFor(op.path), "does-not-exist", "../x"];
      const input = fc.record({
        who: fc.constantFrom(...CALLERS),
        pathIds: fc.array(fc.oneof(fc.constantFrom(...idPool), fc.string({ maxLength: 12 })), { minLength: pathParams.length, maxLength: pathParams.length }),
        query: fc.record(Object.fromEntries(query.map((q) => [q.name, arb.hostile(q.schema)])), { requiredKeys: [] }),
        body: op.body ? arb.hostile(op.body) : fc.constant(undefined),
        etag: fc.constantFrom('"v1"', '"v2"', '"v999"', 'W/"1"', "garbage", undefined),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ who, pathIds, query: q, body, etag }) => {
          let url = op.path;
          pathParams.forEach((param, i) => (url = url.replace(`{${param.name}}`, encodeURIComponent(pathIds[i] ?? "x"))));
          const qs = new URLSearchParams();
          for (const [k, v] of Object.entries(q)) if (v !== undefined) qs.set(k, typeof v === "string" ? v : JSON.stringify(v));
          const before = current ?? (await digest());
          current = null;
          let req = request(s.baseUrl)[op.method](`${url}${qs.size ? `?${qs}` : ""}`).set("Authorization", `Bearer ${tokens[who]}`);
          if (etag) req = req.set("If-Match", etag);
          if (body !== undefined) req = req.set("content-type", "application/json").send(JSON.stringify(body));
          const res = await req;
          const line = `${op.method.toUpperCase()} ${url} answered ${res.status}`;
          if (res.status >= 500) throw new Error(`${line}: ${res.text.slice(0, 300)}`);
          if (res.status < 400) return;
          if (!String(res.headers["content-type"]).includes("application/problem+json")) throw new Error(`${line} without a problem document: ${res.text.slice(0, 200)}`);
          refusals[res.status] = (refusals[res.status] ?? 0) + 1;
          const after = await digest();
          expectOnlyTheRefusalRecorded({ status: res.status, body: res.body, requestId: String(res.headers["x-request-id"]), tenantId: CONTOSO, actorId: p[who].id }, before, after, s.config.audit.checkpointEvery);
          current = after;
        }),
        { numRuns: RUNS },
      );
    }
    // The comparison above ran: most generated input is refused.
    expect(Object.values(refusals).reduce((a, b) => a + b, 0)).toBeGreaterThan(ops.length);
    // Neither the realm the tests and the in-process server share nor the process's own realm gained a property.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const proto of [Object.prototype, vm.runInThisContext("Object.prototype") as object]) expect(Object.getOwnPropertyNames(proto)).not.toContain("polluted");
  }, 300_000);

  it("lets a write a boundary blocked record the refusal and nothing else", async () => {
    const team = p.adele.teams[0]!.id;
    const o = (await p.adele.post("/api/v1/outcomes", outcomeBody(p.adele.id, team, { title: "Nudged too often" })).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    const boundaryId = await buildBoundary(s, { name: "No nudges this week", rule: { kind: "nudge_limit", perOutcomePerWeek: 0 }, scope: { level: "team", teamId: team } });
    const before = await digest();
    const res = await p.megan.post(`/api/v1/outcomes/${o.id}/nudges`, { message: "How is it going?" });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ type: `${PROBLEMS}boundary-blocked`, boundary: { id: boundaryId } });
    const after = await digest();
    const refusal: Refusal = { status: res.status, body: res.body, requestId: String(res.headers["x-request-id"]), tenantId: CONTOSO, actorId: p.megan.id };
    expectOnlyTheRefusalRecorded(refusal, before, after, s.config.audit.checkpointEvery);
    // The record is there, and the nudge is not.
    const changes = tableChanges(before, after);
    expect(Object.keys(changes)).toEqual(expect.arrayContaining(["audit_event", "boundary_finding"]));
    expect(changes.nudge).toBeUndefined();
    expect(changes.outbox_message).toBeUndefined();
    // A block left unrecorded, another request's id, another actor, or a row changed on the side would each be refused.
    expect(() => expectOnlyTheRefusalRecorded(refusal, before, before, s.config.audit.checkpointEvery)).toThrow();
    expect(() => expectOnlyTheRefusalRecorded({ ...refusal, requestId: "another-request" }, before, after, s.config.audit.checkpointEvery)).toThrow();
    expect(() => expectOnlyTheRefusalRecorded({ ...refusal, actorId: p.adele.id }, before, after, s.config.audit.checkpointEvery)).toThrow();
    const tampered: TableDigest = { ...after, outcome: { hash: "changed", rows: [...after.outcome!.rows.slice(1)] } };
    expect(() => expectOnlyTheRefusalRecorded(refusal, before, tampered, s.config.audit.checkpointEvery)).toThrow(/outcome/);
  });

  it("reads every table of the schema but the migrations bookkeeping", async () => {
    const tables = Object.keys(await digest());
    expect(tables).toEqual(expect.arrayContaining(["check_in_schedule", "check_in_reminder", "outbox_message", "boundary_finding", "audit_event", "person", "team_membership"]));
    expect(tables).not.toContain("migrations");
  });
});

