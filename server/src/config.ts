import path from "node:path";
import { z } from "zod";
import { productionProblems } from "./config-production";

/**
 * Environment -> typed, validated configuration. A bad value stops the start with a message
 * that names the variable. Every variable is listed in the README's configuration table.
 */
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const trustProxy = z.string().transform((v, ctx): boolean | number | string => {
  if (v === "true") return true;
  if (v === "false" || v === "") return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (/^[\w.:/, -]+$/.test(v)) return v; // addresses, subnets or express presets (loopback, uniquelocal)
  ctx.addIssue({ code: "custom", message: "use true, false, a hop count, or a list of addresses/subnets" });
  return z.NEVER;
});

const byteSize = z.string().regex(/^\d+(b|kb|mb)$/i, "use a size such as 100kb or 1mb");

const env = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: intIn(0, 65535).default(3978),
  HOST: z.string().min(1).optional(),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_MIGRATION_URL: z.string().min(1).optional(),
  LEEWAY_DATA_DIR: z.string().min(1).default("./.leeway"),
  LEEWAY_M365: z.enum(["local", "m365"]).optional(),
  LEEWAY_AUTHORITY: z.url().optional(),
  LEEWAY_GRAPH_URL: z.url().optional(),
  LEEWAY_API_AUDIENCE: z.string().min(1).default("api://leeway"),
  LEEWAY_CLIENT_ID: z.string().min(1).default("11111111-1eee-4a11-8000-00000000a001"),
  LEEWAY_CLIENT_SECRET: z.string().min(1).optional(),
  LEEWAY_CLIENT_CERTIFICATE_FILE: z.string().min(1).optional(),
  LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT: z
    .string()
    .transform((v) => v.replace(/:/g, "").toLowerCase())
    .pipe(z.string().regex(/^[0-9a-f]{64}$/, "the certificate's SHA-256 thumbprint: 64 hex digits"))
    .optional(),
  LEEWAY_ALLOWED_TENANTS: z
    .string()
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.uuid("each tenant must be a tenant id (GUID)")).min(1))
    .optional(),
  LEEWAY_TRUST_PROXY: trustProxy.default(false),
  LEEWAY_BODY_LIMIT: byteSize.default("100kb"),
  LEEWAY_RATE_LIMIT_PER_MINUTE: intIn(1, 1_000_000).default(600),
  LEEWAY_PERSON_REFRESH_MINUTES: intIn(1, 525_600).default(1440),
  LEEWAY_AUDIT_SIGNING_KEY: z.string().min(1).optional(),
  LEEWAY_AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  LEEWAY_AUDIT_PREVIOUS_PUBLIC_KEYS: z.string().min(1).optional(),
  LEEWAY_AUDIT_CHECKPOINT_EVERY: intIn(1, 10_000_000).default(1000),
  LEEWAY_SEED_DEMO: bool.optional(),
  LEEWAY_ALLOW_SQLITE_IN_PRODUCTION: bool.default(false),
  LEEWAY_DEMO_HISTORY: bool.optional(),
  LEEWAY_LOCAL_HTTPS_PORT: intIn(0, 65535).optional(),
  LEEWAY_LOCAL_M365_URL: z.url().optional(),
  LEEWAY_GRAPH_TIMEOUT_MS: intIn(100, 300_000).default(15_000),
  LEEWAY_OUTBOX_WORKER: bool.default(true),
  LEEWAY_OUTBOX_POLL_MS: intIn(20, 600_000).default(2000),
  LEEWAY_OUTBOX_LEASE_SECONDS: intIn(1, 3600).default(60),
  LEEWAY_OUTBOX_MAX_ATTEMPTS: intIn(1, 100).default(8),
  LEEWAY_OUTBOX_BACKOFF_MS: intIn(10, 600_000).default(2000),
  LEEWAY_OUTBOX_KEEP_DAYS: intIn(1, 3650).default(30),
  LEEWAY_HOUSEKEEPING: bool.default(true),
  LEEWAY_REMINDER_INTERVAL_SECONDS: intIn(0, 86_400).default(300),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.input<typeof env>;
/** The environment after parsing, as the production checks read it. */
export type ParsedEnv = z.output<typeof env>;

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  /** Base URL people and Microsoft 365 reach the server at; computed from the port when unset. */
  publicUrl: string;
  database: { url: string; migrationUrl: string; engine: "sqlite" | "postgres"; sqlitePath?: string };
  dataDir: string;
  m365: {
    mode: "local" | "m365";
    authority: string;
    graphUrl: string;
    apiAudience: string;
    clientId: string;
    clientSecret?: string;
    /** PEM file with the private key of the app registration's certificate, and its SHA-256 thumbprint. */
    clientCertificate?: { file: string; thumbprintSha256: string };
    allowedTenants: string[];
    /** Base URL of a local tenant running in its own process; the server then serves none itself. */
    localUrl?: string;
    /** Timeout of one Graph call, its retries included. */
    graphTimeoutMs: number;
  };
  /** Delivery of calendar changes and notifications to Graph. */
  outbox: { worker: boolean; pollMs: number; leaseSeconds: number; maxAttempts: number; backoffMs: number; keepDays: number };
  /** Whether this process runs the time-driven sweeps (missed deadlines, retention, outbox purge). */
  housekeeping: boolean;
  /** How often due check-ins are looked for (seconds; 0 turns reminders off). */
  reminders: { intervalSeconds: number };
  http: { trustProxy: boolean | number | string; bodyLimit: string; rateLimitPerMinute: number };
  people: { refreshMinutes: number };
  audit: { signingKeyPem?: string; signingKeyFile: string; previousPublicKeys?: string; checkpointEvery: number };
  seedDemo: boolean;
  /** With the demo organisation, also seed its past: outcomes, check-ins, reviews, nudges and boundaries. */
  demoHistory: boolean;
  localHttpsPort?: number;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export const DEMO_TENANT_IDS = ["c0c0c0c0-0000-4000-8000-000000000001", "fabf0000-0000-4000-8000-000000000002"];

function engineOf(url: string): { engine: "sqlite" | "postgres"; sqlitePath?: string } {
  if (/^postgres(ql)?:\/\//.test(url)) return { engine: "postgres" };
  const file = url.startsWith("sqlite:") ? url.slice("sqlite:".length).replace(/^\/\//, "") : url;
  return { engine: "sqlite", sqlitePath: file === ":memory:" ? file : path.resolve(file) };
}

/** Reads and validates the environment; throws ConfigError naming each bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = env.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? "?")}: ${i.message}`));
  }
  const e = parsed.data;
  const mode = e.LEEWAY_M365 ?? (e.NODE_ENV === "production" ? "m365" : "local");
  const host = e.HOST ?? (e.NODE_ENV === "production" ? "0.0.0.0" : "127.0.0.1");
  const publicUrl = (e.PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/$/, "");
  const problems: string[] = [];
  if (e.NODE_ENV === "production") problems.push(...productionProblems(e, source));
  else if (mode === "m365" && !e.LEEWAY_ALLOWED_TENANTS) {
    problems.push("LEEWAY_ALLOWED_TENANTS: list the Entra tenant ids this deployment serves");
  }
  if (!e.LEEWAY_CLIENT_CERTIFICATE_FILE !== !e.LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT) {
    problems.push("LEEWAY_CLIENT_CERTIFICATE_FILE and LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT: set both or neither");
  }
  if (problems.length) throw new ConfigError(problems);
  const dataDir = path.resolve(e.LEEWAY_DATA_DIR);
  // The embedded database lives with the rest of the local state unless placed elsewhere.
  const databaseUrl = e.DATABASE_URL ?? path.join(dataDir, "leeway.db");
  const localUrl = mode === "local" && e.LEEWAY_LOCAL_M365_URL ? e.LEEWAY_LOCAL_M365_URL.replace(/\/$/, "") : undefined;
  const localBase = localUrl ?? publicUrl;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host,
    publicUrl,
    database: { url: databaseUrl, migrationUrl: e.DATABASE_MIGRATION_URL ?? databaseUrl, ...engineOf(databaseUrl) },
    dataDir,
    m365: {
      mode,
      authority: (e.LEEWAY_AUTHORITY ?? (mode === "local" ? `${localBase}/local-m365` : "https://login.microsoftonline.com")).replace(/\/$/, ""),
      graphUrl: (e.LEEWAY_GRAPH_URL ?? (mode === "local" ? `${localBase}/local-m365/graph` : "https://graph.microsoft.com")).replace(/\/$/, ""),
      apiAudience: e.LEEWAY_API_AUDIENCE,
      clientId: e.LEEWAY_CLIENT_ID,
      ...(e.LEEWAY_CLIENT_SECRET ? { clientSecret: e.LEEWAY_CLIENT_SECRET } : {}),
      ...(e.LEEWAY_CLIENT_CERTIFICATE_FILE && e.LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT
        ? { clientCertificate: { file: path.resolve(e.LEEWAY_CLIENT_CERTIFICATE_FILE), thumbprintSha256: e.LEEWAY_CLIENT_CERTIFICATE_THUMBPRINT } }
        : {}),
      allowedTenants: e.LEEWAY_ALLOWED_TENANTS ?? DEMO_TENANT_IDS,
      ...(localUrl ? { localUrl } : {}),
      graphTimeoutMs: e.LEEWAY_GRAPH_TIMEOUT_MS,
    },
    outbox: {
      worker: e.LEEWAY_OUTBOX_WORKER,
      pollMs: e.LEEWAY_OUTBOX_POLL_MS,
      leaseSeconds: e.LEEWAY_OUTBOX_LEASE_SECONDS,
      maxAttempts: e.LEEWAY_OUTBOX_MAX_ATTEMPTS,
      backoffMs: e.LEEWAY_OUTBOX_BACKOFF_MS,
      keepDays: e.LEEWAY_OUTBOX_KEEP_DAYS,
    },
    housekeeping: e.LEEWAY_HOUSEKEEPING,
    reminders: { intervalSeconds: e.LEEWAY_REMINDER_INTERVAL_SECONDS },
    http: { trustProxy: e.LEEWAY_TRUST_PROXY, bodyLimit: e.LEEWAY_BODY_LIMIT, rateLimitPerMinute: e.LEEWAY_RATE_LIMIT_PER_MINUTE },
    people: { refreshMinutes: e.LEEWAY_PERSON_REFRESH_MINUTES },
    audit: {
      ...(e.LEEWAY_AUDIT_SIGNING_KEY ? { signingKeyPem: e.LEEWAY_AUDIT_SIGNING_KEY } : {}),
      signingKeyFile: path.resolve(e.LEEWAY_AUDIT_SIGNING_KEY_FILE ?? path.join(dataDir, "audit-signing-key.pem")),
      ...(e.LEEWAY_AUDIT_PREVIOUS_PUBLIC_KEYS ? { previousPublicKeys: e.LEEWAY_AUDIT_PREVIOUS_PUBLIC_KEYS } : {}),
      checkpointEvery: e.LEEWAY_AUDIT_CHECKPOINT_EVERY,
    },
    seedDemo: e.LEEWAY_SEED_DEMO ?? mode === "local",
    demoHistory: e.LEEWAY_DEMO_HISTORY ?? true,
    ...(e.LEEWAY_LOCAL_HTTPS_PORT !== undefined ? { localHttpsPort: e.LEEWAY_LOCAL_HTTPS_PORT } : {}),
    logLevel: e.LOG_LEVEL,
  };
}
