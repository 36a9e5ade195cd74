import { createHash, randomBytes } from "node:crypto";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import request from "supertest";
import { DEMO } from "./demo-directory";
import { createLocalM365App, type LocalM365App } from "./testing";

const BASE = "http://127.0.0.1:3979";
const TID = DEMO.contoso.tenantId;
const TOKEN = `/local-m365/${TID}/oauth2/v2.0/token`;
const ISSUER = `${BASE}/local-m365/${TID}/v2.0`;
const CLIENT = "11111111-2222-4000-8000-000000000abc";

let t: LocalM365App;
let jwks: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  t = await createLocalM365App({ apiClientId: "a9a9a9a9-0000-4000-8000-00000000a9a9" });
  const keys = await request(t.app).get(`/local-m365/${TID}/discovery/v2.0/keys`);
  jwks = createLocalJWKSet(keys.body as JSONWebKeySet);
});
afterAll(() => t.m365.close());

function password(username: string, scope = "api://leeway/access_as_user openid profile offline_access") {
  return request(t.app).post(TOKEN).type("form").send({ grant_type: "password", client_id: CLIENT, username, password: "anything", scope });
}

describe("discovery and keys", () => {
  it("publishes an Entra-shaped discovery document whose endpoints point at this tenant", async () => {
    const res = await request(t.app).get(`/local-m365/${TID}/v2.0/.well-known/openid-configuration`).expect(200);
    expect(res.body).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${BASE}/local-m365/${TID}/oauth2/v2.0/authorize`,
      token_endpoint: `${BASE}/local-m365/${TID}/oauth2/v2.0/token`,
      jwks_uri: `${BASE}/local-m365/${TID}/discovery/v2.0/keys`,
      id_token_signing_alg_values_supported: ["RS256"],
    });
    expect(res.body.response_types_supported).toContain("code");
    expect(res.headers["access-control-allow-origin"]).toBe("*");
  });

  it("accepts the tenant's domain name in place of its id, and answers an unknown tenant like Entra", async () => {
    const byDomain = await request(t.app).get("/local-m365/contoso.test/v2.0/.well-known/openid-configuration").expect(200);
    expect(byDomain.body.issuer).toBe(ISSUER);
    const res = await request(t.app).get("/local-m365/00000000-0000-4000-8000-000000000000/v2.0/.well-known/openid-configuration").expect(400);
    expect(res.body.error).toBe("invalid_tenant");
    expect(res.body.error_codes).toEqual([90002]);
    expect(res.body.error_description).toMatch(/^AADSTS90002: /);
  });

  it("lets browser apps call the token endpoint across origins (CORS preflight)", async () => {
    const res = await request(t.app).options(TOKEN).set("Origin", "http://localhost:5173").set("Access-Control-Request-Method", "POST").set("Access-Control-Request-Headers", "content-type").expect(204);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(res.headers["access-control-allow-methods"]).toContain("POST");
  });

  it("serves an RS256 JWKS with the signing key's kid", async () => {
    const res = await request(t.app).get(`/local-m365/${TID}/discovery/v2.0/keys`).expect(200);
    expect(res.body.keys).toHaveLength(1);
    expect(res.body.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", kid: t.signingKey.kid });
    expect(res.body.keys[0].d).toBeUndefined();
  });
});

describe("password grant", () => {
  it("issues an API token with the contract's claims that verifies against the JWKS", async () => {
    const res = await password("Megan.Bowen@contoso.test").expect(200);
    expect(res.body).toMatchObject({ token_type: "Bearer", scope: "api://leeway/access_as_user", expires_in: expect.any(Number), ext_expires_in: expect.any(Number) });
    expect(decodeProtectedHeader(res.body.access_token).kid).toBe(t.signingKey.kid);
    const { payload } = await jwtVerify(res.body.access_token, jwks, { issuer: ISSUER, audience: "api://leeway" });
    expect(payload).toMatchObject({ tid: TID, oid: DEMO.contoso.megan, preferred_username: "megan.bowen@contoso.test", name: "Megan Bowen", scp: "access_as_user", ver: "2.0", azp: CLIENT });
    for (const claim of ["exp", "nbf", "iat", "sub", "uti"]) expect(payload[claim]).toBeDefined();
    expect(payload.roles).toBeUndefined();
    const clientInfo = JSON.parse(Buffer.from(res.body.client_info, "base64url").toString());
    expect(clientInfo).toEqual({ uid: DEMO.contoso.megan, utid: TID });
    const id = decodeJwt(res.body.id_token);
    expect(id).toMatchObject({ aud: CLIENT, oid: DEMO.contoso.megan, iss: ISSUER });
    expect(id.scp).toBeUndefined();
    expect(res.body.refresh_token).toEqual(expect.any(String));
  });

  it("puts app roles in the token of people who have them", async () => {
    const lidia = decodeJwt((await password("lidia.holloway@contoso.test").expect(200)).body.access_token);
    expect(lidia.roles).toEqual(["Leeway.Compliance"]);
    const nestor = decodeJwt((await request(t.app).post("/local-m365/fabrikam.test/oauth2/v2.0/token").type("form").send({ grant_type: "password", client_id: CLIENT, username: "nestor.wilke@fabrikam.test", password: "x", scope: "api://leeway/.default" }).expect(200)).body.access_token);
    expect(nestor).toMatchObject({ roles: ["Leeway.Admin"], tid: DEMO.fabrikam.tenantId, scp: "access_as_user" });
  });

  it("refuses an unknown user, and a person of another tenant, with invalid_grant", async () => {
    const res = await password("nobody@contoso.test").expect(400);
    expect(res.body.error).toBe("invalid_grant");
    expect(res.body.error_codes).toEqual([50034]);
    const other = await password("patti.fernandez@fabrikam.test").expect(400);
    expect(other.body.error).toBe("invalid_grant");
  });

  it("refuses scopes of two resources at once and unknown API scopes", async () => {
    const mixed = await password("adele.vance@contoso.test", "api://leeway/access_as_user https://graph.microsoft.com/User.Read").expect(400);
    expect(mixed.body.error_codes).toEqual([28000]);
    const unknown = await password("adele.vance@contoso.test", "api://leeway/write_everything").expect(400);
    expect(unknown.body.error).toBe("invalid_scope");
  });

  it("issues Graph tokens for Graph scopes", async () => {
    const res = await password("adele.vance@contoso.test", "https://graph.microsoft.com/.default").expect(200);
    const payload = decodeJwt(res.body.access_token);
    expect(payload.aud).toBe("https://graph.microsoft.com");
    expect(String(payload.scp).split(" ")).toEqual(expect.arrayContaining(["User.Read", "Calendars.ReadWrite"]));
    expect(res.body.id_token).toBeUndefined();
  });

  it("refreshes a token, possibly for another resource", async () => {
    const first = await password("alex.wilber@contoso.test").expect(200);
    const res = await request(t.app).post(TOKEN).type("form").send({ grant_type: "refresh_token", client_id: CLIENT, refresh_token: first.body.refresh_token, scope: "https://graph.microsoft.com/.default" }).expect(200);
    expect(decodeJwt(res.body.access_token)).toMatchObject({ aud: "https://graph.microsoft.com", oid: DEMO.contoso.alex });
    const stolen = await request(t.app).post(TOKEN).type("form").send({ grant_type: "refresh_token", client_id: "someone-else", refresh_token: first.body.refresh_token }).expect(400);
    expect(stolen.body.error).toBe("invalid_grant");
    await request(t.app).post(TOKEN).type("form").send({ grant_type: "refresh_token", client_id: CLIENT, refresh_token: first.body.access_token }).expect(400);
  });

  it("rejects an unsupported grant type", async () => {
    const res = await request(t.app).post(TOKEN).type("form").send({ grant_type: "device_code", client_id: CLIENT }).expect(400);
    expect(res.body.error).toBe("unsupported_grant_type");
  });
});

describe("client credentials", () => {
  it("issues an app-only Graph token with application permissions and no scp", async () => {
    const res = await request(t.app).post(TOKEN).type("form").send({ grant_type: "client_credentials", client_id: CLIENT, client_secret: "local", scope: "https://graph.microsoft.com/.default" }).expect(200);
    const { payload } = await jwtVerify(res.body.access_token, jwks, { issuer: ISSUER, audience: "https://graph.microsoft.com" });
    expect(payload).toMatchObject({ idtyp: "app", oid: DEMO.contoso.servicePrincipal, tid: TID, azp: CLIENT });
    expect(payload.scp).toBeUndefined();
    expect(payload.roles).toEqual(expect.arrayContaining(["Calendars.ReadWrite", "User.Read.All"]));
    expect(res.body.refresh_token).toBeUndefined();
  });

  it("needs a client credential and a /.default scope", async () => {
    const noSecret = await request(t.app).post(TOKEN).type("form").send({ grant_type: "client_credentials", client_id: CLIENT, scope: "https://graph.microsoft.com/.default" }).expect(401);
    expect(noSecret.body.error).toBe("invalid_client");
    const badScope = await request(t.app).post(TOKEN).type("form").send({ grant_type: "client_credentials", client_id: CLIENT, client_secret: "x", scope: "https://graph.microsoft.com/User.Read.All" }).expect(400);
    expect(badScope.body.error).toBe("invalid_scope");
  });

  it("accepts client_secret_basic authentication", async () => {
    const basic = Buffer.from(`${CLIENT}:secret`).toString("base64");
    await request(t.app).post(TOKEN).set("Authorization", `Basic ${basic}`).type("form").send({ grant_type: "client_credentials", scope: "https://graph.microsoft.com/.default" }).expect(200);
  });
});

describe("on-behalf-of", () => {
  const API_CLIENT = "a9a9a9a9-0000-4000-8000-00000000a9a9";
  const obo = (assertion: string, clientId = API_CLIENT) =>
    request(t.app).post(TOKEN).type("form").send({
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      requested_token_use: "on_behalf_of",
      client_id: clientId,
      client_secret: "local",
      assertion,
      scope: "https://graph.microsoft.com/.default",
    });

  it("exchanges a user's API token for a Graph token of the same user", async () => {
    const assertion = await t.m365.mintAccessToken({ upn: "diego.siciliani@contoso.test" });
    const res = await obo(assertion).expect(200);
    const payload = decodeJwt(res.body.access_token);
    expect(payload).toMatchObject({ aud: "https://graph.microsoft.com", oid: DEMO.contoso.diego, tid: TID, azp: API_CLIENT });
    expect(String(payload.scp)).toContain("Calendars.ReadWrite");
    expect(payload.roles).toBeUndefined();
  });

  it("refuses assertions for another audience, from another tenant, or presented by another client", async () => {
    const graphToken = await t.m365.mintAccessToken({ upn: "diego.siciliani@contoso.test", audience: "https://graph.microsoft.com" });
    expect((await obo(graphToken).expect(400)).body.error).toBe("invalid_grant");
    const fabrikam = await t.m365.mintAccessToken({ upn: "patti.fernandez@fabrikam.test" });
    expect((await obo(fabrikam).expect(400)).body.error).toBe("invalid_grant");
    const good = await t.m365.mintAccessToken({ upn: "diego.siciliani@contoso.test" });
    expect((await obo(good, CLIENT).expect(400)).body.error).toBe("invalid_grant");
    const expired = await t.m365.mintAccessToken({ upn: "diego.siciliani@contoso.test", expiresInSeconds: -60 });
    expect((await obo(expired).expect(400)).body.error).toBe("invalid_grant");
  });
});

describe("authorization code with PKCE", () => {
  const REDIRECT = "http://localhost:5173/auth/callback";
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const authorizeParams = {
    response_type: "code",
    client_id: CLIENT,
    redirect_uri: REDIRECT,
    scope: "api://leeway/access_as_user openid profile offline_access",
    state: "state-<&>\"'",
    nonce: "n-0S6_WzA2Mj",
    code_challenge: challenge,
    code_challenge_method: "S256",
  };
  const AUTHORIZE = `/local-m365/${TID}/oauth2/v2.0/authorize`;

  async function signIn(upn: string, extra: Record<string, string> = {}): Promise<URL> {
    const res = await request(t.app).post(AUTHORIZE).type("form").send({ ...authorizeParams, ...extra, upn }).expect(302);
    return new URL(res.headers.location ?? "");
  }

  it("shows an accessible sign-in page listing the tenant's people, with everything escaped", async () => {
    const res = await request(t.app).get(AUTHORIZE).query({ ...authorizeParams, login_hint: "lidia.holloway@contoso.test" }).expect(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.text).toContain("<title>Sign in to Contoso (local tenant)</title>");
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toMatch(/<button type="submit" name="upn" value="megan\.bowen@contoso\.test"/);
    expect(res.text).toContain("Leeway roles: Leeway.Compliance");
    expect(res.text).toContain("Lidia Holloway (suggested)");
    expect(res.text).toContain('value="state-&#60;&#38;&#62;&#34;&#39;"');
    expect(res.text).not.toContain("state-<&>");
    expect(res.text).not.toContain("Patti");
    expect(res.headers["content-security-policy"]).toContain("form-action 'self' http://localhost:5173");
  });

  it("redirects with a code and the state; the code plus the right verifier gives tokens, once", async () => {
    const location = await signIn("adele.vance@contoso.test");
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get("state")).toBe(authorizeParams.state);
    const code = location.searchParams.get("code") ?? "";
    const redeem = (codeVerifier: string) =>
      request(t.app).post(TOKEN).type("form").send({ grant_type: "authorization_code", client_id: CLIENT, code, redirect_uri: REDIRECT, code_verifier: codeVerifier, scope: authorizeParams.scope });
    const res = await redeem(verifier).expect(200);
    expect(decodeJwt(res.body.access_token)).toMatchObject({ oid: DEMO.contoso.adele, aud: "api://leeway", scp: "access_as_user" });
    expect(decodeJwt(res.body.id_token)).toMatchObject({ nonce: authorizeParams.nonce, aud: CLIENT });
    expect((await redeem(verifier).expect(400)).body.error).toBe("invalid_grant");
  });

  it("refuses a wrong code_verifier", async () => {
    const location = await signIn("alex.wilber@contoso.test");
    const res = await request(t.app)
      .post(TOKEN)
      .type("form")
      .send({ grant_type: "authorization_code", client_id: CLIENT, code: location.searchParams.get("code"), redirect_uri: REDIRECT, code_verifier: randomBytes(32).toString("base64url") })
      .expect(400);
    expect(res.body.error).toBe("invalid_grant");
    expect(res.body.error_codes).toEqual([501481]);
  });

  it("answers in the fragment when asked to", async () => {
    const location = await signIn("alex.wilber@contoso.test", { response_mode: "fragment" });
    expect(location.search).toBe("");
    expect(new URLSearchParams(location.hash.slice(1)).get("code")).toMatch(/^1\.local\./);
  });

  it("never redirects to a host that is neither loopback nor this server", async () => {
    const res = await request(t.app).get(AUTHORIZE).query({ ...authorizeParams, redirect_uri: "https://evil.example/cb" }).expect(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.text).toContain("AADSTS50011");
  });

  it("sends protocol errors back to a valid redirect URI: PKCE is required", async () => {
    const res = await request(t.app).get(AUTHORIZE).query({ ...authorizeParams, code_challenge: undefined, code_challenge_method: undefined }).expect(302);
    const location = new URL(res.headers.location ?? "");
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("state")).toBe(authorizeParams.state);
  });

  it("signs in silently with prompt=none and a login_hint, and asks for interaction without one", async () => {
    const hinted = await request(t.app).get(AUTHORIZE).query({ ...authorizeParams, prompt: "none", login_hint: "megan.bowen@contoso.test" }).expect(302);
    expect(new URL(hinted.headers.location ?? "").searchParams.get("code")).toBeTruthy();
    const bare = await request(t.app).get(AUTHORIZE).query({ ...authorizeParams, prompt: "none" }).expect(302);
    expect(new URL(bare.headers.location ?? "").searchParams.get("error")).toBe("login_required");
  });
});
