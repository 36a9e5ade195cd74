import { createPrivateKey, X509Certificate } from "node:crypto";
import fs from "node:fs";
import type { ParsedEnv } from "./config";

/**
 * What `NODE_ENV=production` refuses to start with. Each rule names the variables that can
 * satisfy it (so deployment templates can be checked against the same list) and answers a
 * problem that starts with the variable to change.
 */
export interface ProductionRule {
  /** Groups of variables that satisfy the rule when every variable of one group is set; empty when the rule only forbids. */
  requires: readonly (readonly string[])[];
  check(e: ParsedEnv, source: NodeJS.ProcessEnv): string | null;
}

const DEMO_TENANTS = new Set(["c0c0c0c0-0000-4000-8000-000000000001", "fabf0000-0000-4000-8000-000000000002"]);
const isSet = (source: NodeJS.ProcessEnv, name: string) => (source[name] ?? "").trim() !== "";

function https(name: string, value: string | undefined): string | null {
  if (value === undefined || value.startsWith("https://")) return null;
  return `${name}: must be an https:// URL in production (got ${value})`;
}

/** Reads a PEM file the way the server will, so a bad path or content stops the start, not the first request. */
function pemProblem(name: string, read: () => string, expect: "ed25519" | "any"): string | null {
  let pem: string;
  try {
    pem = read();
  } catch (err) {
    return `${name}: cannot be read (${err instanceof Error ? err.message : String(err)})`;
  }
  try {
    const key = createPrivateKey(pem.replace(/\\n/g, "\n"));
    if (expect === "ed25519" && key.asymmetricKeyType !== "ed25519") return `${name}: must be an Ed25519 private key, not ${String(key.asymmetricKeyType)}`;
    return null;
  } catch {
    return `${name}: is not a private key in PEM format`;
  }
}

export const productionRules: readonly ProductionRule[] = [
  {
    requires: [],
    check: (e) => (e.LEEWAY_M365 === "local" ? "LEEWAY_M365: the local tenant is for development and tests; production needs LEEWAY_M365=m365 (the default)" : null),
  },
  {
    requires: [],
    check: (_e, source) => {
      const local = ["LEEWAY_LOCAL_M365_URL", "LEEWAY_LOCAL_HTTPS_PORT"].filter((n) => isSet(source, n));
      return local.length ? `${local.join(", ")}: settings of the local tenant have no place in production` : null;
    },
  },
  {
    requires: [],
    check: (e) => (e.LEEWAY_SEED_DEMO ? "LEEWAY_SEED_DEMO: the demo organisation must not be seeded into a production database" : null),
  },
  {
    requires: [],
    // App Service leaves the reference text in place when it cannot read the secret.
    check: (_e, source) => {
      const unresolved = Object.keys(source).filter((k) => /^(LEEWAY_|DATABASE_|PUBLIC_URL$)/.test(k) && /^@Microsoft\.KeyVault\(/i.test(source[k] ?? ""));
      return unresolved.length ? `${unresolved.join(", ")}: the Key Vault reference was not resolved; check that the app's managed identity may read the secret` : null;
    },
  },
  {
    requires: [["PUBLIC_URL"]],
    check: (e) => (e.PUBLIC_URL ? https("PUBLIC_URL", e.PUBLIC_URL) : "PUBLIC_URL: required in production: the https:// address people and Microsoft 365 reach Leeway at"),
  },
  {
    requires: [],
    check: (e) => https("LEEWAY_AUTHORITY", e.LEEWAY_AUTHORITY) ?? https("LEEWAY_GRAPH_URL", e.LEEWAY_GRAPH_URL),
  },
  {
    requires: [["LEEWAY_ALLOWED_TENANTS"]],
    check: (e) => {
      if (!e.LEEWAY_ALLOWED_TENANTS) return "LEEWAY_ALLOWED_TENANTS: list the Entra tenant ids this deployment serves";
      const demo = e.LEEWAY_ALLOWED_TENANTS.filter((t) => DEMO_TENANTS.has(t.toLowerCase()));
      return demo.length ? `LEEWAY_ALLOWED_TENANTS: ${demo.join(", ")} belong to the local demo organisations` : null;
    },
  },
  {
    requires: [["LEEWAY_CLIENT_ID"]],
    check: (_e, source) => (isSet(source, "LEEWAY_CLIENT_ID") ? null : "LEEWAY_CLIENT_ID: set the Entra app registration's client id (the default is the local demo app's)"),
  },
  {
    requires: [["LEEWAY_API_AUDIENCE"]],
    check: (_e, source) =>
      isSet(source, "LEEWAY_API_AUDIENCE") ? null : "LEEWAY_API_AUDIENCE: set the audience of Leeway's access tokens: the app registration's client id (v2 access tokens carry it as aud)",
  },
  {
    requires: [["LEEWAY_CLIENT_SECRET"], ["LEEWAY_CLIENT_CERTIFICATE_FILE", "LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT"]],
    check: (e) => {
      if (e.LEEWAY_CLIENT_CERTIFICATE_FILE) {
        const file = e.LEEWAY_CLIENT_CERTIFICATE_FILE;
        const key = pemProblem("LEEWAY_CLIENT_CERTIFICATE_FILE", () => fs.readFileSync(file, "utf8"), "any");
        if (key) return key;
        const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(fs.readFileSync(file, "utf8"))?.[0];
        const thumbprint = cert ? new X509Certificate(cert).fingerprint256.replace(/:/g, "").toLowerCase() : null;
        if (thumbprint && e.LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT && thumbprint !== e.LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT) {
          return "LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT: does not match the certificate in LEEWAY_CLIENT_CERTIFICATE_FILE";
        }
        return null;
      }
      return e.LEEWAY_CLIENT_SECRET
        ? null
        : "LEEWAY_CLIENT_SECRET or LEEWAY_CLIENT_CERTIFICATE_FILE: production needs the app registration's client secret or certificate for On-Behalf-Of and app-only Graph tokens";
    },
  },
  {
    requires: [["DATABASE_URL"]],
    check: (e) =>
      /^postgres(ql)?:\/\//.test(e.DATABASE_URL ?? "") || e.LEEWAY_ALLOW_SQLITE_IN_PRODUCTION
        ? null
        : "DATABASE_URL: SQLite serves a single server instance; use a postgres:// URL, or set LEEWAY_ALLOW_SQLITE_IN_PRODUCTION=true for a deliberate single-instance deployment",
  },
  {
    requires: [["LEEWAY_AUDIT_SIGNING_KEY"], ["LEEWAY_AUDIT_SIGNING_KEY_FILE"]],
    check: (e) => {
      if (e.LEEWAY_AUDIT_SIGNING_KEY) return pemProblem("LEEWAY_AUDIT_SIGNING_KEY", () => e.LEEWAY_AUDIT_SIGNING_KEY!, "ed25519");
      const file = e.LEEWAY_AUDIT_SIGNING_KEY_FILE;
      if (file) return pemProblem("LEEWAY_AUDIT_SIGNING_KEY_FILE", () => fs.readFileSync(file, "utf8"), "ed25519");
      return "LEEWAY_AUDIT_SIGNING_KEY or LEEWAY_AUDIT_SIGNING_KEY_FILE: production needs the Ed25519 key that signs audit checkpoints; it is never created in production";
    },
  },
];

/** Every problem of a production configuration (empty when it may start). */
export function productionProblems(e: ParsedEnv, source: NodeJS.ProcessEnv): string[] {
  return productionRules.map((r) => r.check(e, source)).filter((p): p is string => p !== null);
}

/** The variables a production deployment must provide: one group of each rule that requires something. */
export function requiredInProduction(): (readonly (readonly string[])[])[] {
  return productionRules.filter((r) => r.requires.length > 0).map((r) => r.requires);
}
