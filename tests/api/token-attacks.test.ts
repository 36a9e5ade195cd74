import path from "node:path";
import { SignJWT, exportSPKI, type CryptoKey as JoseKey } from "jose";
import request from "supertest";
import { loadOrCreateSigningKey } from "../../server/src/local-m365/keys";
import { CONTOSO, FABRIKAM, startTestServer, type TestServer } from "../support/harness";

describe("bearer token validation", () => {
  let s: TestServer;
  let key: { kid: string; privateKey: JoseKey };
  let adeleId: string;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    s = await startTestServer();
    key = (await loadOrCreateSigningKey(path.join(s.dir, "local-m365-key.json"))) as unknown as typeof key;
    const me = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${await s.token("adele.vance@contoso.test")}`).expect(200);
    adeleId = me.body.id;
  });
  afterAll(() => s.close());

  const issuer = (tid: string) => `${s.baseUrl}/local-m365/${tid}/v2.0`;
  const claims = (over: Record<string, unknown> = {}) => ({
    iss: issuer(CONTOSO),
    aud: "api://leeway",
    tid: CONTOSO,
    oid: adeleId,
    name: "Adele Vance",
    preferred_username: "adele.vance@contoso.test",
    scp: "access_as_user",
    iat: now(),
    nbf: now() - 5,
    exp: now() + 600,
    ...over,
  });
  const sign = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT", ...header }).sign(key.privateKey);
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

  async function expect401(token: string | null, header?: string) {
    const req = request(s.baseUrl).get("/api/v1/me");
    if (header) req.set("Authorization", header);
    else if (token !== null) req.set("Authorization", `Bearer ${token}`);
    const res = await req;
    expect(res.status).toBe(401);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.body).toMatchObject({ status: 401, title: "Unauthorized" });
    return res;
  }

  it("accepts a well-formed token signed by the tenant", async () => {
    await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${await sign(claims())}`).expect(200);
  });

  it("refuses a missing header, a non-bearer scheme and garbage", async () => {
    await expect401(null);
    await expect401(null, "Basic YWRlbGU6cGFzc3dvcmQ=");
    await expect401("not.a.jwt");
    await expect401("%%%");
  });

  it("refuses alg none", async () => {
    await expect401(`${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`);
  });

  it("refuses HS256 signed with the tenant's public key", async () => {
    const { publicJwk } = (await loadOrCreateSigningKey(path.join(s.dir, "local-m365-key.json"))) as unknown as { publicJwk: Record<string, unknown> };
    const { importJWK } = await import("jose");
    const pub = (await importJWK({ ...publicJwk, alg: "RS256" }, "RS256")) as JoseKey;
    const pem = await exportSPKI(pub);
    const forged = await new SignJWT(claims()).setProtectedHeader({ alg: "HS256", kid: key.kid }).sign(new TextEncoder().encode(pem));
    await expect401(forged);
  });

  it("refuses a wrong audience, a wrong issuer, and an unaccepted tenant", async () => {
    await expect401(await sign(claims({ aud: "api://someone-else" })));
    await expect401(await sign(claims({ iss: "https://login.example.com/evil/v2.0" })));
    const stranger = "0badbad0-0000-4000-8000-00000000dead";
    await expect401(await sign(claims({ tid: stranger, iss: issuer(stranger) })));
  });

  it("refuses a token whose issuer and tenant disagree", async () => {
    await expect401(await sign(claims({ iss: issuer(CONTOSO), tid: FABRIKAM })));
    await expect401(await sign(claims({ iss: issuer(FABRIKAM), tid: CONTOSO })));
  });

  it("refuses an expired token but tolerates under a minute of clock skew", async () => {
    await expect401(await sign(claims({ exp: now() - 120, iat: now() - 900, nbf: now() - 900 })));
    await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${await sign(claims({ exp: now() - 20, iat: now() - 900, nbf: now() - 900 }))}`).expect(200);
  });

  it("refuses a token that is not valid yet", async () => {
    await expect401(await sign(claims({ nbf: now() + 300 })));
  });

  it("refuses a token signed with an unknown key id", async () => {
    await expect401(await sign(claims(), { kid: "not-a-known-key" }));
  });

  it("refuses an ID token (no scope, no roles)", async () => {
    const { scp: _scp, ...idToken } = claims({ aud: "api://leeway" });
    await expect401(await sign(idToken));
  });

  it("refuses a tampered payload", async () => {
    const [h, , sig] = (await sign(claims())).split(".");
    await expect401(`${h}.${b64(claims({ roles: ["Leeway.Admin"] }))}.${sig}`);
  });
});
