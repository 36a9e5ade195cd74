import { generateKeyPairSync, X509Certificate } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate } from "selfsigned";
import { ConfigError, loadConfig } from "../../server/src/config";
import { requiredInProduction } from "../../server/src/config-production";
import { loadClientCertificate } from "../../server/src/graph/token-provider";

/** NODE_ENV=production refuses to start with an unsafe configuration, naming the variable to change. */

const TENANT = "3f1c2b7a-9d4e-4c61-8a2f-5b0e7d9c1a23";
const CLIENT = "2b7e5f90-8c1d-4d6a-a3e2-9f04c6b1e857";
const ed25519 = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

const production: NodeJS.ProcessEnv = {
  NODE_ENV: "production",
  PUBLIC_URL: "https://leeway.contoso.example",
  DATABASE_URL: "postgres://leeway_app@db.internal/leeway",
  LEEWAY_ALLOWED_TENANTS: TENANT,
  LEEWAY_CLIENT_ID: CLIENT,
  LEEWAY_API_AUDIENCE: CLIENT,
  LEEWAY_CLIENT_SECRET: "a client secret",
  LEEWAY_AUDIT_SIGNING_KEY: ed25519,
};

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error("the configuration was accepted");
}

const without = (...names: string[]) => Object.fromEntries(Object.entries(production).filter(([k]) => !names.includes(k)));

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "leeway-config-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a production configuration", () => {
  it("starts with Microsoft 365, PostgreSQL, HTTPS, a client secret and a signing key", () => {
    const c = loadConfig(production);
    expect(c).toMatchObject({ env: "production", host: "0.0.0.0", publicUrl: "https://leeway.contoso.example", database: { engine: "postgres" } });
    expect(c.m365).toMatchObject({ mode: "m365", authority: "https://login.microsoftonline.com", graphUrl: "https://graph.microsoft.com", clientId: CLIENT, apiAudience: CLIENT, allowedTenants: [TENANT] });
    expect(c.seedDemo).toBe(false);
  });

  it.each([
    ["the local tenant", { ...production, LEEWAY_M365: "local" }, /LEEWAY_M365: the local tenant is for development and tests/],
    ["the local tenant's settings", { ...production, LEEWAY_LOCAL_HTTPS_PORT: "3979" }, /LEEWAY_LOCAL_HTTPS_PORT: settings of the local tenant have no place in production/],
    ["demo data", { ...production, LEEWAY_SEED_DEMO: "true" }, /LEEWAY_SEED_DEMO: the demo organisation must not be seeded/],
    ["an http:// public URL", { ...production, PUBLIC_URL: "http://leeway.contoso.example" }, /PUBLIC_URL: must be an https:\/\/ URL in production \(got http:\/\/leeway\.contoso\.example\)/],
    ["no public URL", without("PUBLIC_URL"), /PUBLIC_URL: required in production/],
    ["an http:// authority", { ...production, LEEWAY_AUTHORITY: "http://login.example" }, /LEEWAY_AUTHORITY: must be an https:\/\/ URL/],
    ["no client secret or certificate", without("LEEWAY_CLIENT_SECRET"), /LEEWAY_CLIENT_SECRET or LEEWAY_CLIENT_CERTIFICATE_FILE: production needs the app registration's client secret or certificate/],
    ["the local demo app's client id", without("LEEWAY_CLIENT_ID"), /LEEWAY_CLIENT_ID: set the Entra app registration's client id/],
    ["the local token audience", without("LEEWAY_API_AUDIENCE"), /LEEWAY_API_AUDIENCE: set the audience of Leeway's access tokens/],
    ["no tenant list", without("LEEWAY_ALLOWED_TENANTS"), /LEEWAY_ALLOWED_TENANTS: list the Entra tenant ids/],
    ["a demo tenant", { ...production, LEEWAY_ALLOWED_TENANTS: `${TENANT},c0c0c0c0-0000-4000-8000-000000000001` }, /LEEWAY_ALLOWED_TENANTS: c0c0c0c0-0000-4000-8000-000000000001 belong to the local demo organisations/],
    ["SQLite", { ...production, DATABASE_URL: "/var/lib/leeway/leeway.db" }, /DATABASE_URL: SQLite serves a single server instance; use a postgres:\/\/ URL, or set LEEWAY_ALLOW_SQLITE_IN_PRODUCTION=true/],
    ["SQLite by default", without("DATABASE_URL"), /DATABASE_URL: SQLite serves a single server instance/],
    ["no audit signing key", without("LEEWAY_AUDIT_SIGNING_KEY"), /LEEWAY_AUDIT_SIGNING_KEY or LEEWAY_AUDIT_SIGNING_KEY_FILE: production needs the Ed25519 key that signs audit checkpoints/],
    ["an RSA signing key", { ...production, LEEWAY_AUDIT_SIGNING_KEY: rsa }, /LEEWAY_AUDIT_SIGNING_KEY: must be an Ed25519 private key, not rsa/],
    ["a signing key that is no key", { ...production, LEEWAY_AUDIT_SIGNING_KEY: "not a key" }, /LEEWAY_AUDIT_SIGNING_KEY: is not a private key in PEM format/],
    ["a missing signing key file", { ...without("LEEWAY_AUDIT_SIGNING_KEY"), LEEWAY_AUDIT_SIGNING_KEY_FILE: "/nowhere/audit.pem" }, /LEEWAY_AUDIT_SIGNING_KEY_FILE: cannot be read/],
    [
      "a Key Vault reference App Service could not resolve",
      { ...production, LEEWAY_CLIENT_SECRET: "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/leeway-client-secret/)" },
      /LEEWAY_CLIENT_SECRET: the Key Vault reference was not resolved/,
    ],
  ])("refuses %s", (_what, env, message) => {
    expect(refusal(env as NodeJS.ProcessEnv)).toMatch(message);
  });

  it("lists every problem at once, each naming its variable", () => {
    const message = refusal({ NODE_ENV: "production", PUBLIC_URL: "http://leeway.example" });
    for (const variable of ["PUBLIC_URL", "LEEWAY_ALLOWED_TENANTS", "LEEWAY_CLIENT_ID", "LEEWAY_API_AUDIENCE", "LEEWAY_CLIENT_SECRET", "DATABASE_URL", "LEEWAY_AUDIT_SIGNING_KEY"]) {
      expect(message).toMatch(new RegExp(`^  - ${variable}\\b`, "m"));
    }
  });

  it("accepts SQLite for a deliberate single-instance deployment", () => {
    const c = loadConfig({ ...production, DATABASE_URL: path.join(dir, "leeway.db"), LEEWAY_ALLOW_SQLITE_IN_PRODUCTION: "true" });
    expect(c.database.engine).toBe("sqlite");
  });

  it("accepts the signing key as a file", () => {
    const file = path.join(dir, "audit.pem");
    fs.writeFileSync(file, ed25519);
    expect(loadConfig({ ...without("LEEWAY_AUDIT_SIGNING_KEY"), LEEWAY_AUDIT_SIGNING_KEY_FILE: file }).audit.signingKeyFile).toBe(file);
  });
});

describe("a client certificate instead of a secret", () => {
  let pemFile: string;
  let thumbprint: string;
  beforeAll(async () => {
    const pems = await generate([{ name: "commonName", value: "Leeway" }], { keySize: 2048, algorithm: "sha256" });
    pemFile = path.join(dir, "leeway-client.pem");
    fs.writeFileSync(pemFile, `${pems.private}\n${pems.cert}`);
    thumbprint = new X509Certificate(pems.cert).fingerprint256;
  });

  it("is accepted with its SHA-256 thumbprint and handed to MSAL with the private key", () => {
    const c = loadConfig({ ...without("LEEWAY_CLIENT_SECRET"), LEEWAY_CLIENT_CERTIFICATE_FILE: pemFile, LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT: thumbprint });
    const expected = thumbprint.replace(/:/g, "").toLowerCase();
    expect(c.m365.clientCertificate).toEqual({ file: pemFile, thumbprintSha256: expected });
    const msal = loadClientCertificate(c.m365.clientCertificate!);
    expect(msal.thumbprintSha256).toBe(expected);
    expect(msal.privateKey).toMatch(/^-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----$/);
    expect(msal.privateKey).not.toContain("CERTIFICATE");
  });

  it("is refused when the thumbprint is not the certificate's", () => {
    const env = { ...without("LEEWAY_CLIENT_SECRET"), LEEWAY_CLIENT_CERTIFICATE_FILE: pemFile, LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT: "ab".repeat(32) };
    expect(refusal(env)).toMatch(/LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT: does not match the certificate/);
  });

  it("is refused when the file does not exist", () => {
    const env = { ...without("LEEWAY_CLIENT_SECRET"), LEEWAY_CLIENT_CERTIFICATE_FILE: path.join(dir, "missing.pem"), LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT: "ab".repeat(32) };
    expect(refusal(env)).toMatch(/LEEWAY_CLIENT_CERTIFICATE_FILE: cannot be read/);
  });

  it("needs both the file and the thumbprint, in any environment", () => {
    expect(refusal({ LEEWAY_CLIENT_CERTIFICATE_FILE: pemFile })).toMatch(/LEEWAY_CLIENT_CERTIFICATE_FILE and LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT: set both or neither/);
    expect(refusal({ LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT: "not hex" })).toMatch(/LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT: the certificate's SHA-256 thumbprint/);
  });
});

describe("the production requirements", () => {
  it("name the variables a deployment must set, alternatives grouped", () => {
    expect(requiredInProduction()).toEqual(
      expect.arrayContaining([
        [["PUBLIC_URL"]],
        [["LEEWAY_CLIENT_SECRET"], ["LEEWAY_CLIENT_CERTIFICATE_FILE", "LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT"]],
        [["LEEWAY_AUDIT_SIGNING_KEY"], ["LEEWAY_AUDIT_SIGNING_KEY_FILE"]],
        [["DATABASE_URL"]],
      ]),
    );
  });

  it("outside production, none of this is asked for", () => {
    expect(() => loadConfig({})).not.toThrow();
  });
});
