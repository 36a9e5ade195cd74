import fs from "node:fs";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PublicClientApplication } from "@azure/msal-node";
import { createTrustingNetworkClient } from "../../server/src/local-m365/msal-network";
import { loadOrCreateLocalTlsCredentials } from "../../server/src/local-m365/tls";
import { CONTOSO } from "../support/harness";
import { spawnLeeway, type LeewayProcess } from "../support/spawn-leeway";

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });




describe("a real MSAL client against Leeway's local tenant", () => {
  let server: LeewayProcess;
  let dir: string;
  let base: string;
  let cert: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "leeway-msal-"));
    const tls = await loadOrCreateLocalTlsCredentials(dir);
    cert = tls.cert;
    const port = await freePort();
    base = `https://127.0.0.1:${port}`;
    server = await spawnLeeway({ PORT: "0", LEEWAY_LOCAL_HTTPS_PORT: String(port), PUBLIC_URL: base, LEEWAY_DATA_DIR: dir, NODE_EXTRA_CA_CERTS: tls.certFile!, NODE_ENV: "test" });
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("obtains a token with @azure/msal-node that GET /api/v1/me accepts", async () => {
    const pca = new PublicClientApplication({
      auth: { clientId: "11111111-1eee-4a11-8000-00000000a001", authority: `${base}/local-m365/${CONTOSO}`, knownAuthorities: [new URL(base).host] },
      system: { networkClient: createTrustingNetworkClient({ ca: cert }) },
    });
    const result = await pca.acquireTokenByUsernamePassword({ scopes: ["api://leeway/access_as_user"], username: "adele.vance@contoso.test", password: "local" });
    expect(result?.accessToken).toBeTruthy();
    const me = await new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      https
        .get(`${base}/api/v1/me`, { ca: cert, headers: { Authorization: `Bearer ${result!.accessToken}` } }, (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
        })
        .on("error", reject);
    });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ displayName: "Adele Vance", tenantId: CONTOSO });
  });
});
