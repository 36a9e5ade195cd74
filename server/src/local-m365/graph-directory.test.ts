import request from "supertest";
import { DEMO } from "./demo-directory";
import { loadOrCreateSigningKey } from "./keys";
import { createLocalM365App, type LocalM365App } from "./testing";

const GRAPH = "/local-m365/graph/v1.0";
let t: LocalM365App;
let megan: string;
let adele: string;
let app: string;

beforeAll(async () => {
  t = await createLocalM365App();
  megan = await t.m365.mintAccessToken({ upn: "megan.bowen@contoso.test", audience: "https://graph.microsoft.com" });
  adele = await t.m365.mintAccessToken({ upn: "adele.vance@contoso.test", audience: "https://graph.microsoft.com" });
  app = await t.m365.mintAppToken({ tenantId: DEMO.contoso.tenantId });
});
afterAll(() => t.m365.close());

const get = (path: string, token?: string) => {
  const r = request(t.app).get(`${GRAPH}${path}`);
  return token ? r.set("Authorization", `Bearer ${token}`) : r;
};

function expectGraphError(body: unknown, code: string): void {
  expect(body).toMatchObject({ error: { code, message: expect.any(String), innerError: { date: expect.any(String), "request-id": expect.any(String), "client-request-id": expect.any(String) } } });
}

describe("authentication", () => {
  it("answers /me for a delegated token with the signed-in person", async () => {
    const res = await get("/me", megan).expect(200);
    expect(res.body).toMatchObject({ id: DEMO.contoso.megan, displayName: "Megan Bowen", userPrincipalName: "megan.bowen@contoso.test", mail: "megan.bowen@contoso.test", jobTitle: "Head of Retail Lending" });
    expect(res.body["@odata.context"]).toContain("$metadata#users/$entity");
    expect(res.headers["request-id"]).toEqual(expect.any(String));
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("answers 401 InvalidAuthenticationToken without a token, with a forged or API token, or an expired one", async () => {
    const none = await get("/me").expect(401);
    expectGraphError(none.body, "InvalidAuthenticationToken");
    expect(none.headers["www-authenticate"]).toMatch(/^Bearer /);
    expect(none.headers["request-id"]).toBe(none.body.error.innerError["request-id"]);

    const apiToken = await t.m365.mintAccessToken({ upn: "megan.bowen@contoso.test" });
    expectGraphError((await get("/me", apiToken).expect(401)).body, "InvalidAuthenticationToken");

    const [h, p] = megan.split(".");
    const forged = `${h}.${p}.${Buffer.from("not a signature").toString("base64url")}`;
    expectGraphError((await get("/me", forged).expect(401)).body, "InvalidAuthenticationToken");

    const expired = await t.m365.mintAccessToken({ upn: "megan.bowen@contoso.test", audience: "https://graph.microsoft.com", expiresInSeconds: -5 });
    const res = await get("/me", expired).expect(401);
    expect(res.body.error.message).toMatch(/expired/);
  });

  it("refuses a token signed by another key", async () => {
    const other = await createLocalM365App({ signingKey: await loadOrCreateSigningKey() });
    const foreign = await other.m365.mintAccessToken({ upn: "megan.bowen@contoso.test", audience: "https://graph.microsoft.com" });
    other.m365.close();
    await get("/me", foreign).expect(401);
  });

  it("answers CORS preflights without a token, and does not count them as Graph calls", async () => {
    const before = t.m365.stats.count();
    const res = await request(t.app).options(`${GRAPH}/me/events`).set("Origin", "http://localhost:5173").set("Access-Control-Request-Method", "POST").set("Access-Control-Request-Headers", "authorization, content-type").expect(204);
    expect(res.headers["access-control-allow-headers"]).toBe("authorization, content-type");
    expect(t.m365.stats.count()).toBe(before);
  });

  it("echoes client-request-id", async () => {
    const res = await get("/me", megan).set("client-request-id", "abc-123").expect(200);
    expect(res.headers["client-request-id"]).toBe("abc-123");
  });

  it("tells an app-only caller that /me needs a delegated token, but lets it read /users/{id}", async () => {
    const res = await get("/me", app).expect(400);
    expectGraphError(res.body, "BadRequest");
    expect(res.body.error.message).toMatch(/delegated/);
    await get(`/users/${DEMO.contoso.adele}`, app).expect(200);
  });
});

describe("directory", () => {
  it("finds users by id or UPN, within the caller's tenant only", async () => {
    expect((await get(`/users/${DEMO.contoso.alex}`, megan).expect(200)).body.displayName).toBe("Alex Wilber");
    expect((await get("/users/diego.siciliani@contoso.test", megan).expect(200)).body.id).toBe(DEMO.contoso.diego);
    const res = await get(`/users/${DEMO.fabrikam.patti}`, megan).expect(404);
    expectGraphError(res.body, "Request_ResourceNotFound");
  });

  it("honours $select", async () => {
    const res = await get(`/users/${DEMO.contoso.adele}?$select=id,department,officeLocation`, megan).expect(200);
    expect(res.body).toMatchObject({ id: DEMO.contoso.adele, department: "Retail Lending", officeLocation: "London" });
    expect(res.body.displayName).toBeUndefined();
  });

  it("returns the manager, and 404 for the person at the top of the chain", async () => {
    const res = await get(`/users/${DEMO.contoso.adele}/manager`, megan).expect(200);
    expect(res.body).toMatchObject({ "@odata.type": "#microsoft.graph.user", id: DEMO.contoso.megan });
    expect((await get("/me/manager", adele).expect(200)).body.id).toBe(DEMO.contoso.megan);
    expectGraphError((await get(`/users/${DEMO.contoso.isaiah}/manager`, megan).expect(404)).body, "Request_ResourceNotFound");
  });

  it("lists direct reports", async () => {
    const res = await get("/me/directReports", megan).expect(200);
    expect(res.body.value.map((u: { id: string }) => u.id).sort()).toEqual([DEMO.contoso.adele, DEMO.contoso.alex, DEMO.contoso.diego].sort());
    expect(res.body.value[0]["@odata.type"]).toBe("#microsoft.graph.user");
    expect((await get("/me/directReports", adele).expect(200)).body.value).toEqual([]);
  });

  it("lists the teams a person belongs to", async () => {
    const res = await get("/me/joinedTeams", adele).expect(200);
    expect(res.body.value).toEqual([expect.objectContaining({ id: DEMO.contoso.teams.retailLending, displayName: "Retail Lending" })]);
  });
});

describe("mailboxSettings", () => {
  it("returns the time zone and working hours of one's own mailbox", async () => {
    const res = await get("/me/mailboxSettings", megan).expect(200);
    expect(res.body).toMatchObject({
      timeZone: "Europe/London",
      workingHours: { daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"], startTime: "08:30:00.0000000", endTime: "17:00:00.0000000", timeZone: { name: "Europe/London" } },
      language: { locale: "en-GB" },
      dateFormat: expect.any(String),
    });
  });

  it("supports $select", async () => {
    const res = await get("/me/mailboxSettings?$select=timeZone", megan).expect(200);
    expect(res.body.timeZone).toBe("Europe/London");
    expect(res.body.workingHours).toBeUndefined();
  });

  it("keeps other people's mailboxes closed to delegated callers, open to the app", async () => {
    expectGraphError((await get(`/users/${DEMO.contoso.adele}/mailboxSettings`, megan).expect(403)).body, "ErrorAccessDenied");
    const res = await get(`/users/${DEMO.contoso.lynne}/mailboxSettings`, app).expect(200);
    expect(res.body.timeZone).toBe("America/New_York");
  });

  it("refuses a delegated token without the needed scope", async () => {
    const narrow = await t.m365.mintAccessToken({ upn: "megan.bowen@contoso.test", audience: "https://graph.microsoft.com", scope: "User.Read" });
    await get("/me", narrow).expect(200);
    expectGraphError((await get("/me/mailboxSettings", narrow).expect(403)).body, "Authorization_RequestDenied");
  });
});

describe("unknown routes", () => {
  it("answers Graph-shaped errors", async () => {
    const res = await get("/me/nonsense", megan).expect(400);
    expectGraphError(res.body, "BadRequest");
    expect(res.body.error.message).toContain("nonsense");
    const wrongMethod = await request(t.app).put(`${GRAPH}/me/mailboxSettings`).set("Authorization", `Bearer ${megan}`).send({}).expect(405);
    expectGraphError(wrongMethod.body, "Request_BadRequest");
  });

  it("answers malformed JSON with a Graph error", async () => {
    const res = await request(t.app).post(`${GRAPH}/me/events`).set("Authorization", `Bearer ${megan}`).set("Content-Type", "application/json").send("{not json").expect(400);
    expectGraphError(res.body, "BadRequest");
  });
});
