// A real MSAL client against the local tenant, over HTTPS with the self-signed certificate.
import { createServer, request as httpsRequest, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { ConfidentialClientApplication, PublicClientApplication, type Configuration } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { DEMO } from "./demo-directory";
import { createTrustingNetworkClient } from "./msal-network";
import { createLocalM365App, type LocalM365App } from "./testing";
import { loadOrCreateLocalTlsCredentials } from "./tls";

const TID = DEMO.contoso.tenantId;
const SPA_CLIENT = "5a5a5a5a-0000-4000-8000-000000000001";
const API_CLIENT = "a9a9a9a9-0000-4000-8000-00000000a9a9";

let t: LocalM365App;
let server: Server;
let cert: string;
let base: string;

beforeAll(async () => {
  const creds = await loadOrCreateLocalTlsCredentials();
  cert = creds.cert;
  let port = 0;
  t = await createLocalM365App({ baseUrl: () => `https://127.0.0.1:${port}`, apiClientId: API_CLIENT });
  server = createServer({ key: creds.key, cert: creds.cert }, t.app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `https://127.0.0.1:${port}`;
});
afterAll(async () => {
  t.m365.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** What MSAL needs for the local tenant: the https authority, its host as a known authority, and trust in the certificate. */
function msalConfig(clientId: string, extra: Partial<Configuration["auth"]> = {}): Configuration {
  return {
    auth: { clientId, authority: `${base}/local-m365/${TID}`, knownAuthorities: [new URL(base).host], ...extra },
    system: { networkClient: createTrustingNetworkClient({ ca: cert }) },
  };
}

function httpsGetJson(url: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca: cert, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("msal-node against the local tenant over HTTPS", () => {
  it("gets a user token with acquireTokenByUsernamePassword and then serves it from its cache", async () => {
    const pca = new PublicClientApplication(msalConfig(SPA_CLIENT));
    const result = await pca.acquireTokenByUsernamePassword({ scopes: ["api://leeway/access_as_user"], username: "lidia.holloway@contoso.test", password: "not-checked" });
    expect(result).not.toBeNull();
    const claims = decodeJwt(result?.accessToken ?? "");
    expect(claims).toMatchObject({ iss: `${base}/local-m365/${TID}/v2.0`, aud: "api://leeway", oid: DEMO.contoso.lidia, tid: TID, scp: "access_as_user", roles: ["Leeway.Compliance"] });
    expect(result?.account).toMatchObject({ homeAccountId: `${DEMO.contoso.lidia}.${TID}`, tenantId: TID, username: "lidia.holloway@contoso.test" });

    const again = await pca.acquireTokenSilent({ account: result!.account!, scopes: ["api://leeway/access_as_user"] });
    expect(again.fromCache).toBe(true);
    expect(again.accessToken).toBe(result?.accessToken);
  });

  it("gets an app-only Graph token with acquireTokenByClientCredential and uses it on Graph", async () => {
    const cca = new ConfidentialClientApplication(msalConfig(API_CLIENT, { clientSecret: "local-secret" }));
    const result = await cca.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] });
    const claims = decodeJwt(result?.accessToken ?? "");
    expect(claims).toMatchObject({ aud: "https://graph.microsoft.com", idtyp: "app", tid: TID, azp: API_CLIENT });
    const user = await httpsGetJson(`${base}/local-m365/graph/v1.0/users/${DEMO.contoso.megan}/mailboxSettings`, result?.accessToken ?? "");
    expect(user.status).toBe(200);
    expect(user.body.timeZone).toBe("Europe/London");
  });

  it("exchanges a user's API token for a Graph token with acquireTokenOnBehalfOf", async () => {
    const apiToken = await t.m365.mintAccessToken({ upn: "megan.bowen@contoso.test", clientId: SPA_CLIENT });
    const cca = new ConfidentialClientApplication(msalConfig(API_CLIENT, { clientSecret: "local-secret" }));
    const result = await cca.acquireTokenOnBehalfOf({ oboAssertion: apiToken, scopes: ["https://graph.microsoft.com/.default"] });
    expect(decodeJwt(result?.accessToken ?? "")).toMatchObject({ aud: "https://graph.microsoft.com", oid: DEMO.contoso.megan, azp: API_CLIENT });
    const me = await httpsGetJson(`${base}/local-m365/graph/v1.0/me`, result?.accessToken ?? "");
    expect(me.body.id).toBe(DEMO.contoso.megan);
  });

  it("fails when the certificate is not trusted: verification stays on", async () => {
    const pca = new PublicClientApplication({ auth: { clientId: SPA_CLIENT, authority: `${base}/local-m365/${TID}`, knownAuthorities: [new URL(base).host] } });
    await expect(pca.acquireTokenByUsernamePassword({ scopes: ["api://leeway/access_as_user"], username: "adele.vance@contoso.test", password: "x" })).rejects.toMatchObject({ errorCode: "endpoints_resolution_error" });
  });

  it("reports an unknown user as MSAL's invalid_grant", async () => {
    const pca = new PublicClientApplication(msalConfig(SPA_CLIENT));
    await expect(pca.acquireTokenByUsernamePassword({ scopes: ["api://leeway/access_as_user"], username: "nobody@contoso.test", password: "x" })).rejects.toMatchObject({ errorCode: "invalid_grant" });
  });
});
