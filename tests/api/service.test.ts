import { connect } from "node:net";
import { Writable } from "node:stream";
import request from "supertest";
import { addressKey } from "../../server/src/http/rate-limit";
import { createApp } from "../../server/src/app";
import { createLogger } from "../../server/src/logger";
import { startTestServer, type TestServer } from "../support/harness";

describe("service surface", () => {
  let s: TestServer;
  let adele: string;
  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_BODY_LIMIT: "2kb" });
    adele = await s.token("adele.vance@contoso.test");
  });
  afterAll(() => s.close());

  it("answers health without a token and readiness from the database", async () => {
    await request(s.baseUrl).get("/healthz").expect(200, { status: "ok" });
    const ready = await request(s.baseUrl).get("/readyz");
    expect(ready.status).toBe(200);
  });

  it("returns a request id on every response and keeps a well-formed one the caller sent", async () => {
    const res = await request(s.baseUrl).get("/healthz").set("X-Request-Id", "trace-1234567890");
    expect(res.headers["x-request-id"]).toBe("trace-1234567890");
    const fresh = await request(s.baseUrl).get("/healthz").set("X-Request-Id", "bad id with spaces");
    expect(fresh.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("never advertises the framework and forbids framing of API responses", async () => {
    const res = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${adele}`);
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
  });

  it("lets Teams, Outlook and Microsoft 365 frame the pages people use", async () => {
    const res = await request(s.baseUrl).get("/");
    expect(res.status).toBe(200);
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("https://teams.microsoft.com");
    expect(csp).toContain("https://outlook.office.com");
    expect(csp).toContain("https://*.cloud.microsoft");
    expect(csp).not.toContain("frame-ancestors 'none'");
    expect(res.headers["x-frame-options"]).toBeUndefined();
  });

  it("links every page of the Teams tab and the Outlook task pane from the local start page", async () => {
    const res = await request(s.baseUrl).get("/");
    for (const page of ["#/my", "#/team", "#/outcome/new", "#/manager", "#/admin", "#/compliance", "/addin/taskpane.html"]) expect(res.text).toContain(page);
  });

  it("describes /me in an OpenAPI 3.1 document with problem responses", async () => {
    const res = await request(s.baseUrl).get("/api/openapi.json").expect(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(res.body.paths["/api/v1/me"].get.responses["401"].content["application/problem+json"]).toBeDefined();
    expect(res.body.components.schemas.Problem).toBeDefined();
  });

  it("documents which routes answer with an ETag and which take If-Match, required or optional", async () => {
    const { paths } = (await request(s.baseUrl).get("/api/openapi.json").expect(200)).body;
    const ifMatch = (op: { parameters?: { in: string; name: string; required?: boolean }[] }) => op.parameters?.find((x) => x.in === "header" && x.name === "If-Match");
    const outcome = paths["/api/v1/outcomes/{id}"];
    expect(outcome.get.responses["200"].headers.ETag).toBeDefined();
    expect(ifMatch(outcome.patch)).toMatchObject({ required: true });
    expect(Object.keys(outcome.patch.responses)).toEqual(expect.arrayContaining(["412", "428"]));
    expect(paths["/api/v1/outcomes"].post.responses["201"].headers.ETag).toBeDefined();

    const boundary = paths["/api/v1/boundaries/{id}"];
    expect(ifMatch(boundary.patch)).toBeDefined();
    expect(ifMatch(boundary.patch)!.required).not.toBe(true);
    expect(Object.keys(boundary.patch.responses)).toContain("412");
    expect(Object.keys(boundary.patch.responses)).not.toContain("428");
    expect(ifMatch(paths["/api/v1/check-in-schedules/{id}"].patch)).toMatchObject({ required: true });
    // A route without the precondition does not claim it.
    expect(ifMatch(paths["/api/v1/outcomes/{id}/check-ins"].post)).toBeUndefined();
  });

  it("answers /me with the caller, their manager and teams, as read from the directory", async () => {
    const res = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${adele}`).expect(200);
    expect(res.body).toMatchObject({ displayName: "Adele Vance", roles: [] });
    const megan = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${await s.token("megan.bowen@contoso.test")}`).expect(200);
    expect(res.body.managerId).toBe(megan.body.id);
    expect(res.body.teams.length).toBeGreaterThan(0);
    expect(megan.body.directReports.map((p: { displayName: string }) => p.displayName).sort()).toEqual(
      expect.arrayContaining(["Adele Vance", "Alex Wilber", "Diego Siciliani"]),
    );
    const lidia = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${await s.token("lidia.holloway@contoso.test")}`).expect(200);
    expect(lidia.body.roles).toEqual(["Leeway.Compliance"]);
    // Christie is on no team of Megan's, and proposes outcomes for her in Megan's own team.
    const christie = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${await s.token("christie.cline@contoso.test")}`).expect(200);
    expect(christie.body.teams.map((t: { name: string }) => t.name)).not.toContain("Retail Lending");
    expect(christie.body.directReports.find((r: { id: string }) => r.id === megan.body.id)).toEqual({ id: megan.body.id, displayName: "Megan Bowen", teams: megan.body.teams });
  });

  it("names people of the caller's tenant by id, and nobody of another tenant", async () => {
    const me = async (token: string) => (await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${token}`).expect(200)).body;
    const lidia = await me(await s.token("lidia.holloway@contoso.test"));
    const patti = await me(await s.token("patti.fernandez@fabrikam.test"));
    const self = await me(adele);
    const names = await request(s.baseUrl).get(`/api/v1/people?ids=${lidia.id},${patti.id},unknown-person,${self.id}`).set("Authorization", `Bearer ${adele}`).expect(200);
    expect(names.body.items.sort((a: { displayName: string }, b: { displayName: string }) => a.displayName.localeCompare(b.displayName))).toEqual([
      { id: self.id, displayName: "Adele Vance" },
      { id: lidia.id, displayName: "Lidia Holloway" },
    ]);

    const tooMany = await request(s.baseUrl).get(`/api/v1/people?ids=${Array.from({ length: 101 }, (_, i) => `p${i}`).join(",")}`).set("Authorization", `Bearer ${adele}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0].path).toBe("ids");
    expect((await request(s.baseUrl).get("/api/v1/people?ids=a,,b").set("Authorization", `Bearer ${adele}`)).status).toBe(400);
    expect((await request(s.baseUrl).get(`/api/v1/people?ids=${lidia.id}`)).status).toBe(401);
  });

  it("answers an unknown API route with a 404 problem", async () => {
    const res = await request(s.baseUrl).get("/api/v1/nothing-here").set("Authorization", `Bearer ${adele}`);
    expect(res.status).toBe(404);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.body).toMatchObject({ status: 404, title: "Not found" });
  });

  it("answers an oversized URL with a 431 problem document, not Node's bare status line", async () => {
    const res = await request(s.baseUrl).get(`/api/v1/outcomes?ownerId=${"x".repeat(20_000)}`).set("Authorization", `Bearer ${adele}`);
    expect(res.status).toBe(431);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.body).toMatchObject({ status: 431 });
  });

  it("answers a URL that is not valid percent-encoding, and a request that is not HTTP, with a 400 that lists what is wrong", async () => {
    const res = await request(s.baseUrl).get("/api/v1/outcomes/%ZZ").set("Authorization", `Bearer ${adele}`);
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.body.errors).toEqual([{ path: "", message: expect.stringContaining("percent-encoded") }]);

    const { port, hostname } = new URL(s.baseUrl);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => socket.end("GET /healthz HTTP/1.1\r\nHost localhost\r\n\r\n"));
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString("utf8")));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain("application/problem+json");
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4)).errors).toEqual([{ path: "", message: expect.any(String) }]);
  });

  it("refuses an oversized body with 413 and malformed JSON with a 400 problem, never a 5xx", async () => {
    const big = await request(s.baseUrl)
      .post("/api/v1/me")
      .set("Authorization", `Bearer ${adele}`)
      .set("content-type", "application/json")
      .send(JSON.stringify({ note: "x".repeat(5000) }));
    expect(big.status).toBe(413);
    expect(big.headers["content-type"]).toContain("application/problem+json");
    const bad = await request(s.baseUrl).post("/api/v1/me").set("Authorization", `Bearer ${adele}`).set("content-type", "application/json").send("{not json");
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: "", message: "The body is not valid JSON." }]);
  });
});

describe("rate limits", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_RATE_LIMIT_PER_MINUTE: "5" });
  });
  afterAll(() => s.close());

  it("answers 429 with Retry-After once a person spends their budget, without touching another person's", async () => {
    const adele = await s.token("adele.vance@contoso.test");
    const alex = await s.token("alex.wilber@contoso.test");
    const codes: number[] = [];
    const remaining: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${adele}`);
      codes.push(res.status);
      remaining.push(String(res.headers.ratelimit ?? ""));
    }
    expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    // The caller's own budget is announced: five a minute, counting down.
    expect(remaining[0]).toMatch(/\br=4\b/);
    expect(remaining[3]).toMatch(/\br=1\b/);
    const limited = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${adele}`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.headers["content-type"]).toContain("application/problem+json");
    await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${alex}`).expect(200);
  });
});

describe("the per-address ceiling", () => {
  let s: TestServer;
  beforeAll(async () => {
    // Five a minute per person, so twenty a minute per address.
    s = await startTestServer({ LEEWAY_RATE_LIMIT_PER_MINUTE: "5" });
  });
  afterAll(() => s.close());

  it("does not stop an organisation whose people share one address, and still stops token guessing", async () => {
    const people = ["adele.vance", "alex.wilber", "megan.bowen", "diego.siciliani", "lidia.holloway"];
    const codes: number[] = [];
    for (const upn of people) {
      const token = await s.token(`${upn}@contoso.test`);
      for (let i = 0; i < 5; i++) codes.push((await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${token}`)).status);
    }
    // Twenty-five answers from one address, each person within their own budget.
    expect(codes).toEqual(Array.from({ length: 25 }, () => 200));

    const guesses: number[] = [];
    for (let i = 0; i < 22; i++) guesses.push((await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer guess-${i}`)).status);
    expect(guesses.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => 401));
    expect(guesses.slice(20)).toEqual([429, 429]);
  });

  it("keys an address without its port, as some proxies write it", () => {
    expect(addressKey("203.0.113.7:51234")).toBe(addressKey("203.0.113.7"));
    expect(addressKey("[2001:db8::1]:443")).toBe(addressKey("2001:db8::1"));
    expect(addressKey("203.0.113.7")).not.toBe(addressKey("203.0.113.8"));
  });
});

/** A log destination that keeps each written line in memory. */
function memoryLog(): { lines: string[]; sink: Writable } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, sink };
}

describe("logging", () => {
  it("logs each request with its id and never a bearer token", async () => {
    const { lines, sink } = memoryLog();
    const s = await startTestServer();
    try {
      // A second app on the same database, logging at debug level into memory.
      const leeway = await createApp({ ...s.config, seedDemo: false }, { logger: createLogger("debug", sink) });
      const token = await s.token("adele.vance@contoso.test");
      const res = await request(leeway.app).get("/api/v1/me").set("Authorization", `Bearer ${token}`).set("X-Request-Id", "log-check-123456");
      expect(res.status).toBe(200);
      await leeway.close();
      const text = lines.join("");
      expect(text).toContain("log-check-123456");
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.split(".")[1]!);
      // The request's line names the caller, so an operator can follow one person's requests.
      const line = lines.map((l) => JSON.parse(l) as { req?: { id?: string }; tid?: string; oid?: string }).find((l) => l.req?.id === "log-check-123456");
      expect(line).toMatchObject({ tid: res.body.tenantId, oid: res.body.id });
    } finally {
      await s.close();
    }
  });

  it("at info level writes no line for a success, and names the caller on a refusal", async () => {
    const { lines, sink } = memoryLog();
    const s = await startTestServer();
    try {
      const leeway = await createApp({ ...s.config, seedDemo: false }, { logger: createLogger("info", sink) });
      const token = await s.token("adele.vance@contoso.test");
      const me = await request(leeway.app).get("/api/v1/me").set("Authorization", `Bearer ${token}`).set("X-Request-Id", "log-quiet-1234567");
      expect(me.status).toBe(200);
      const missing = await request(leeway.app).get("/api/v1/outcomes/00000000-0000-4000-8000-000000000000").set("Authorization", `Bearer ${token}`).set("X-Request-Id", "log-refused-1234567");
      expect(missing.status).toBe(404);
      await leeway.close();
      const parsed = lines.map((l) => JSON.parse(l) as { req?: { id?: string }; tid?: string; oid?: string; res?: { statusCode?: number } });
      expect(parsed.some((l) => l.req?.id === "log-quiet-1234567")).toBe(false);
      expect(parsed.find((l) => l.req?.id === "log-refused-1234567")).toMatchObject({ tid: me.body.tenantId, oid: me.body.id, res: { statusCode: 404 } });
    } finally {
      await s.close();
    }
  });
});

describe("readiness", () => {
  it("answers 503 once the database stops answering", async () => {
    const s = await startTestServer();
    try {
      await request(s.baseUrl).get("/readyz").expect(200);
      await s.leeway.context.dataSource.destroy();
      const res = await request(s.baseUrl).get("/readyz");
      expect(res.status).toBe(503);
      await request(s.baseUrl).get("/healthz").expect(200);
    } finally {
      await s.close();
    }
  });
});
