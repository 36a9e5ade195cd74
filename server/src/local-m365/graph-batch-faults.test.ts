import type { AddressInfo } from "node:net";
import request from "supertest";
import { DEMO } from "./demo-directory";
import { createLocalM365App, type LocalM365App } from "./testing";

const GRAPH = "/local-m365/graph/v1.0";
let t: LocalM365App;
let megan: string;

beforeAll(async () => {
  t = await createLocalM365App();
  megan = await t.m365.mintAccessToken({ upn: "megan.bowen@contoso.test", audience: "https://graph.microsoft.com" });
});
afterAll(() => t.m365.close());
beforeEach(() => {
  t.m365.faults.clear();
  t.m365.stats.reset();
});

const auth = () => ({ Authorization: `Bearer ${megan}` });
const batch = (requests: unknown[]) => request(t.app).post(`${GRAPH}/$batch`).set(auth()).send({ requests });
const people = [DEMO.contoso.megan, DEMO.contoso.adele, DEMO.contoso.alex, DEMO.contoso.diego];

describe("$batch", () => {
  it("answers 20 requests in one round trip, each with its own status and body", async () => {
    const requests = Array.from({ length: 20 }, (_, i) => ({ id: String(i + 1), method: "GET", url: `/users/${people[i % 4]}?$select=id,displayName` }));
    const res = await batch(requests).expect(200);
    expect(res.body.responses).toHaveLength(20);
    for (const r of res.body.responses as { id: string; status: number; body: { id: string } }[]) {
      expect(r.status).toBe(200);
      expect(r.body.id).toBe(people[(Number(r.id) - 1) % 4]);
    }
    expect(t.m365.stats.count()).toBe(1);
    expect(t.m365.stats.count("POST /$batch")).toBe(1);
    expect(t.m365.stats.countBatched("GET /users/{id}")).toBe(20);
  });

  it("refuses 21 requests with a Graph error", async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/me" }));
    const res = await batch(requests).expect(400);
    expect(res.body.error).toMatchObject({ code: "BadRequest", message: expect.stringContaining("20") });
  });

  it("runs writes and reports per-request errors inside a 200 batch", async () => {
    const res = await batch([
      { id: "a", method: "POST", url: "/me/events", headers: { "Content-Type": "application/json" }, body: { subject: "x", start: { dateTime: "2030-05-06T09:00:00", timeZone: "UTC" }, end: { dateTime: "2030-05-06T09:30:00", timeZone: "UTC" } } },
      { id: "b", method: "GET", url: `/users/${DEMO.contoso.adele}/mailboxSettings` },
      { id: "c", method: "POST", url: "/me/events", body: { subject: "no content type" } },
      { id: "d", method: "GET", url: "/me/manager", dependsOn: ["b"] },
    ]).expect(200);
    type Sub = { id: string; status: number };
    const byId: Record<string, Sub> = Object.fromEntries((res.body.responses as Sub[]).map((r) => [r.id, r]));
    expect(byId.a?.status).toBe(201);
    expect(byId.b?.status).toBe(403); // Megan may not read Adele's mailbox
    expect(byId.c?.status).toBe(400);
    expect(byId.d?.status).toBe(424);
  });

  it("uses the batch's token and refuses a batch without one", async () => {
    const res = await request(t.app).post(`${GRAPH}/$batch`).send({ requests: [{ id: "1", method: "GET", url: "/me" }] }).expect(401);
    expect(res.body.error.code).toBe("InvalidAuthenticationToken");
  });
});

describe("faults", () => {
  it("throttles exactly `count` matching calls with 429 and Retry-After, then recovers", async () => {
    t.m365.faults.inject({ route: "GET /me$", kind: "throttle", count: 2, retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i += 1) {
      const res = await request(t.app).get(`${GRAPH}/me`).set(auth()).expect(429);
      expect(res.headers["retry-after"]).toBe("3");
      expect(res.body.error.code).toBe("TooManyRequests");
    }
    await request(t.app).get(`${GRAPH}/me`).set(auth()).expect(200);
    await request(t.app).get(`${GRAPH}/me/manager`).set(auth()).expect(200);
    expect(t.m365.faults.list()).toEqual([]);
    expect(t.m365.stats.count("GET /me")).toBe(3);
  });

  it("throttles sub-requests inside a batch while the batch itself succeeds", async () => {
    t.m365.faults.inject({ route: "GET /users/.+/manager", kind: "throttle", count: 1, retryAfterSeconds: 7 });
    const res = await batch([
      { id: "1", method: "GET", url: `/users/${DEMO.contoso.adele}/manager` },
      { id: "2", method: "GET", url: `/users/${DEMO.contoso.alex}/manager` },
    ]).expect(200);
    const [first, second] = res.body.responses as { status: number; headers: Record<string, string>; body: { id?: string; error?: { code: string } } }[];
    expect(first).toMatchObject({ status: 429, headers: { "Retry-After": "7" }, body: { error: { code: "TooManyRequests" } } });
    expect(second).toMatchObject({ status: 200, body: { id: DEMO.contoso.megan } });
  });

  it("makes Graph unavailable with 503", async () => {
    t.m365.faults.inject({ route: "POST /me/events", kind: "unavailable", count: 1, retryAfterSeconds: 1 });
    const res = await request(t.app).post(`${GRAPH}/me/events`).set(auth()).send({}).expect(503);
    expect(res.body.error.code).toBe("ServiceUnavailable");
    expect(res.headers["retry-after"]).toBe("1");
  });

  it("answers slowly, and times out with 504 after holding the request", async () => {
    t.m365.faults.inject({ route: "/me", kind: "slow", count: 1, delayMs: 150 });
    let started = Date.now();
    await request(t.app).get(`${GRAPH}/me`).set(auth()).expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    t.m365.faults.inject({ route: "/me", kind: "timeout", count: 1, delayMs: 200 });
    started = Date.now();
    const res = await request(t.app).get(`${GRAPH}/me`).set(auth()).expect(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(res.body.error.code).toBe("GatewayTimeout");
  });

  it("lets a held request go when the client gives up", async () => {
    t.m365.faults.inject({ route: "/me", kind: "timeout", count: 1, delayMs: 60_000 });
    const server = t.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    const aborted = new AbortController();
    const pending = fetch(`http://127.0.0.1:${port}${GRAPH}/me`, { headers: auth(), signal: aborted.signal }).catch((e: Error) => e.name);
    while (t.m365.faults.held() === 0) await new Promise((r) => setTimeout(r, 10));
    aborted.abort();
    expect(await pending).toBe("AbortError");
    const deadline = Date.now() + 2000;
    while (t.m365.faults.held() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(t.m365.faults.held()).toBe(0);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("is driven over HTTP too: POST, GET and DELETE /_faults", async () => {
    const created = await request(t.app).post("/local-m365/_faults").send({ route: "GET /users/", kind: "throttle", count: 1 }).expect(201);
    expect(created.body).toMatchObject({ kind: "throttle", remaining: 1 });
    expect((await request(t.app).get("/local-m365/_faults").expect(200)).body.value).toHaveLength(1);
    await request(t.app).post("/local-m365/_faults").send({ route: "x", kind: "explode", count: 1 }).expect(400);
    await request(t.app).delete("/local-m365/_faults").expect(204);
    await request(t.app).get(`${GRAPH}/users/${DEMO.contoso.adele}`).set(auth()).expect(200);
  });
});

describe("stats", () => {
  it("counts round trips per route template over HTTP, and resets", async () => {
    await request(t.app).get(`${GRAPH}/users/${DEMO.contoso.adele}`).set(auth()).expect(200);
    await request(t.app).get(`${GRAPH}/users/${DEMO.contoso.alex}`).set(auth()).expect(200);
    await batch([{ id: "1", method: "GET", url: "/me/directReports" }]).expect(200);
    const res = await request(t.app).get("/local-m365/_stats").expect(200);
    expect(res.body).toEqual({
      roundTrips: { "GET /users/{id}": 2, "POST /$batch": 1 },
      batched: { "GET /me/directReports": 1 },
      totalRoundTrips: 3,
      totalBatched: 1,
    });
    expect(t.m365.stats.count(/^GET /)).toBe(2);
    await request(t.app).delete("/local-m365/_stats").expect(204);
    expect(t.m365.stats.count()).toBe(0);
  });
});
