// What survives a restart: the signing key (so tokens stay valid), calendar state, TLS material.
import { X509Certificate, createPrivateKey } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jwtVerify, importJWK } from "jose";
import request from "supertest";
import { loadOrCreateSigningKey } from "./keys";
import { createLocalM365App } from "./testing";
import { loadOrCreateLocalTlsCredentials } from "./tls";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "local-m365-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("signing key", () => {
  it("is written once with mode 0600 and reloaded with the same kid, so old tokens still verify", async () => {
    const file = join(dir, "nested", "keys", "signing.jwk.json");
    const first = await loadOrCreateSigningKey(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, "utf8")) as { kid: string; privateJwk: { d?: string } };
    expect(stored.kid).toBe(first.kid);
    expect(stored.privateJwk.d).toEqual(expect.any(String));

    const before = await createLocalM365App({ signingKey: first });
    const token = await before.m365.mintAccessToken({ upn: "megan.bowen@contoso.test" });
    before.m365.close();

    const second = await loadOrCreateSigningKey(file);
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwk).toEqual(first.publicJwk);
    const { payload } = await jwtVerify(token, await importJWK(second.publicJwk, "RS256"));
    expect(payload.preferred_username).toBe("megan.bowen@contoso.test");
  });

  it("gives every process its own key without a file", async () => {
    const a = await loadOrCreateSigningKey();
    const b = await loadOrCreateSigningKey();
    expect(a.kid).not.toBe(b.kid);
    expect(a.publicJwk).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(a.publicJwk.d).toBeUndefined();
  });

  it("ends with one key when two starters race to create it", async () => {
    const file = join(dir, "race.jwk.json");
    const [a, b] = await Promise.all([loadOrCreateSigningKey(file), loadOrCreateSigningKey(file)]);
    const again = await loadOrCreateSigningKey(file);
    expect(a.kid).toBe(again.kid);
    expect(b.kid).toBe(again.kid);
  });
});

describe("calendar state", () => {
  it("keeps events in the SQLite file across a restart", async () => {
    const stateFile = join(dir, "state", "m365.sqlite");
    const first = await createLocalM365App({ stateFile });
    const token = await first.m365.mintAccessToken({ upn: "alex.wilber@contoso.test", audience: "https://graph.microsoft.com" });
    const event = {
      subject: "Survives restarts",
      start: { dateTime: "2031-01-06T10:00:00", timeZone: "Europe/London" },
      end: { dateTime: "2031-01-06T10:30:00", timeZone: "Europe/London" },
      transactionId: "tx-persist",
    };
    const created = await request(first.app).post("/local-m365/graph/v1.0/me/events").set("Authorization", `Bearer ${token}`).send(event).expect(201);
    first.m365.close();

    const second = await createLocalM365App({ stateFile });
    const res = await request(second.app).get(`/local-m365/graph/v1.0/me/events/${created.body.id}`).set("Authorization", `Bearer ${token}`).expect(200);
    expect(res.body.subject).toBe("Survives restarts");
    // Idempotency holds across the restart too.
    const retry = await request(second.app).post("/local-m365/graph/v1.0/me/events").set("Authorization", `Bearer ${token}`).send(event).expect(201);
    expect(retry.body.id).toBe(created.body.id);
    second.m365.close();
  });
});

describe("TLS credentials", () => {
  it("cover localhost, 127.0.0.1 and ::1, and are reused from their directory", async () => {
    const tlsDir = join(dir, "tls");
    const first = await loadOrCreateLocalTlsCredentials(tlsDir);
    const x509 = new X509Certificate(first.cert);
    expect(x509.checkHost("localhost")).toBe("localhost");
    expect(x509.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(x509.checkIP("::1")).toBe("::1");
    expect(x509.checkPrivateKey(createPrivateKey(first.key))).toBe(true);
    expect((await stat(join(tlsDir, "local-m365-tls.json"))).mode & 0o777).toBe(0o600);
    expect(await readFile(first.certFile ?? "", "utf8")).toBe(first.cert);

    const second = await loadOrCreateLocalTlsCredentials(tlsDir);
    expect(second.cert).toBe(first.cert);
    expect(second.key).toBe(first.key);
  });
});
