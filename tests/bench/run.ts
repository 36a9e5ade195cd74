import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { createDatabase, startCluster, type Cluster } from "../support/pg-cluster.cjs";
import { openLoop } from "./open-loop";
import { seedScale, SCALE } from "./scale-seed";
import { api, startServer, tokenFor } from "./server-process";
import { verifyThroughput } from "./verify-throughput";

/**
 * `npm run bench [-- --pg] [-- --scale]`: throughput and latency of the API on loopback, each as a
 * ratio to /healthz measured in the same run (the machine is shared and noisy, so absolute
 * figures move; ratios much less). A benchmark, never a test: it prints, it does not assert.
 */
const { values } = parseArgs({ options: { pg: { type: "boolean" }, scale: { type: "boolean" }, duration: { type: "string", default: "8" }, connections: { type: "string", default: "20" } } });
const duration = Number(values.duration);
const connections = Number(values.connections);

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  /** Latency when the route is offered half the rate it sustains at saturation. */
  halfLoad: { rate: number; p50: number; p99: number };
  errors: number;
  /** /healthz requests/s measured right before this route, the base of its ratio. */
  healthz: number;
}

interface Route {
  name: string;
  method: "GET" | "POST";
  /** The path of each request in turn. */
  path: () => string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Saturation first (autocannon keeps `connections` requests in flight): throughput, and latency
 * that is mostly queueing. Then the same route offered half that rate by an open loop (requests
 * evenly spaced, as independent users arrive), which is the latency a user sees on a busy server
 * that is not overloaded.
 */
async function load(base: string, route: Route): Promise<Row> {
  const opts: autocannon.Options = {
    url: `${base}${route.path()}`,
    duration,
    connections,
    requests: [{ method: route.method, headers: route.headers ?? {}, ...(route.body ? { body: route.body } : {}), setupRequest: (req) => ({ ...req, path: route.path() }) }],
  };
  // A short unmeasured run first, so every route is measured with its code already optimised.
  await autocannon({ ...opts, duration: Math.min(2, duration) });
  const r = await autocannon(opts);
  const rate = Math.max(1, Math.round(r.requests.average / 2));
  const half = await openLoop(base, rate, duration, () => ({ method: route.method, path: route.path(), headers: route.headers ?? {}, ...(route.body ? { body: route.body } : {}) }));
  const errors = r.non2xx + r.errors + r.timeouts + half.errors;
  return { name: route.name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, halfLoad: { rate, p50: half.p50, p99: half.p99 }, errors, healthz: 0 };
}

const HEALTHZ: Route = { name: "GET /healthz", method: "GET", path: () => "/healthz" };

/** /healthz saturated right before the route, so each ratio compares two runs a few seconds apart. */
async function paired(base: string, route: Route): Promise<Row> {
  const healthz = await autocannon({ url: `${base}/healthz`, duration, connections });
  return { ...(await load(base, route)), healthz: healthz.requests.average };
}

/**
 * Sequential requests, for percentiles without queueing: p50 and p95 in milliseconds. `before`
 * runs untimed ahead of each request: the scale run records an audited change there, so every
 * dashboard is computed afresh from the database rather than reused.
 */
async function percentiles(url: string, token: string, n = 200, before?: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    if (before) await before();
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)]!, p95: times[Math.floor(n * 0.95)]! };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "leeway-bench-"));
  let cluster: Cluster | null = null;
  const env: Record<string, string> = { LEEWAY_DATA_DIR: dir, LEEWAY_RATE_LIMIT_PER_MINUTE: "1000000" };
  const usePg = values.pg || values.scale;
  if (usePg) {
    // Durable like SQLite's synchronous=FULL: every acknowledged commit is on disk.
    cluster = await startCluster({ durable: true });
    const db = await createDatabase(cluster.superuserUrl);
    Object.assign(env, { DATABASE_URL: db.appUrl, DATABASE_MIGRATION_URL: db.ownerUrl });
  }
  let server = await startServer(env);
  try {
    const base = server.url;
    const [megan, adele, patti, nestor, lidia] = await Promise.all(
      ["megan.bowen@contoso.test", "adele.vance@contoso.test", "patti.fernandez@fabrikam.test", "nestor.wilke@fabrikam.test", "lidia.holloway@contoso.test"].map((u) => tokenFor(base, u)),
    );
    const me = await api<{ id: string; teams: { id: string }[] }>(base, megan!, "GET", "/api/v1/me");
    const team = me.teams[0]!.id;
    // Check-ins go to Fabrikam outcomes (no cadence boundary there, so every POST is accepted), one
    // per connection: a check-in hour has many outcomes checked in at once, never twenty
    // check-ins on the same outcome.
    const pattiMe = await api<{ id: string; teams: { id: string }[] }>(base, patti!, "GET", "/api/v1/me");
    const deadline = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const outcomes: string[] = [];
    for (let i = 0; i < connections; i++) {
      const outcome = await api<{ id: string }>(base, patti!, "POST", "/api/v1/outcomes", {
        title: `Benchmark outcome ${i + 1}`,
        ownerId: pattiMe.id,
        teamId: pattiMe.teams[0]!.id,
        measure: { metric: "Items", unit: "items", baseline: 0, target: 1000 },
        deadline,
        ifMissed: "Nothing; it is a benchmark.",
        visibility: "team",
      });
      await api(base, nestor!, "POST", `/api/v1/outcomes/${outcome.id}/agreement`, { version: 1 }).catch(() => undefined);
      outcomes.push(outcome.id);
    }
    let nextOutcome = 0;

    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    const rows: Row[] = [];
    const health = await load(base, HEALTHZ);
    rows.push({ ...health, healthz: health.rps });
    rows.push(await paired(base, { name: "GET /api/v1/dashboards/team/{id}", method: "GET", path: () => `/api/v1/dashboards/team/${team}`, headers: bearer(megan!) }));
    rows.push(await paired(base, { name: "GET /api/v1/dashboards/me", method: "GET", path: () => "/api/v1/dashboards/me", headers: bearer(adele!) }));
    rows.push(
      await paired(base, {
        name: "POST /api/v1/outcomes/{id}/check-ins",
        method: "POST",
        path: () => `/api/v1/outcomes/${outcomes[nextOutcome++ % outcomes.length]}/check-ins`,
        headers: { ...bearer(patti!), "content-type": "application/json" },
        body: JSON.stringify({ status: "on_track", confidence: 4, progress: 10, mode: "async", note: "benchmark" }),
      }),
    );
    process.stdout.write(
      `\nLeeway API on ${usePg ? "PostgreSQL" : "SQLite"}: saturated by autocannon with ${connections} connections, then offered half that rate evenly spaced; ` +
        `${duration} s each after a warm-up; each ratio against /healthz saturated just before the route; check-ins spread over ${outcomes.length} outcomes\n`,
    );
    process.stdout.write(`${"".padEnd(40)} ${"saturated".padEnd(27)} ${"".padStart(17)}  ${"at half the rate".padEnd(24)}\n`);
    process.stdout.write(
      `${"route".padEnd(40)} ${"req/s".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"× healthz".padStart(10)} ${"(of)".padStart(6)}  ${"req/s".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"errors".padStart(7)}\n`,
    );
    for (const r of rows) {
      const h = r.halfLoad;
      process.stdout.write(
        `${r.name.padEnd(40)} ${r.rps.toFixed(0).padStart(8)} ${String(r.p50).padStart(7)} ${String(r.p99).padStart(7)} ${(r.rps / r.healthz).toFixed(2).padStart(10)} ${r.healthz.toFixed(0).padStart(6)}  ${String(h.rate).padStart(8)} ${h.p50.toFixed(0).padStart(7)} ${h.p99.toFixed(0).padStart(7)} ${String(r.errors).padStart(7)}\n`,
      );
    }

    const v = await verifyThroughput(base, lidia!);
    process.stdout.write(`\nAudit verification of 200,000 events: ${v.verifierEventsPerSec.toFixed(0)} events/s in the verifier (encode, hash, compare, link)\n`);
    process.stdout.write(`  raw SHA-256 over the same bytes, a Hash object per event: ${v.rawEventsPerSec.toFixed(0)} events/s -> verifier ${(v.verifierEventsPerSec / v.rawEventsPerSec).toFixed(2)}×\n`);
    process.stdout.write(`  raw SHA-256 over the same bytes, one-shot crypto.hash:     ${v.oneShotEventsPerSec.toFixed(0)} events/s -> verifier ${(v.verifierEventsPerSec / v.oneShotEventsPerSec).toFixed(2)}×\n`);
    process.stdout.write(`  through the API (GET /api/v1/audit/verify on the demo chain, ${v.apiEvents} events): ${v.apiEventsPerSec.toFixed(0)} events/s\n`);

    if (values.scale && cluster) {
      // A signed checkpoint on request is an audited change in the tenant: it moves the change
      // stamp, so the dashboard after it is computed from the database, not reused.
      const change = (b: string, token: string) => () => api(b, token, "POST", "/api/v1/audit/checkpoints");
      const demo = await percentiles(`${base}/api/v1/dashboards/team/${team}`, megan!, 200, change(base, lidia!));
      await server.stop();
      const scaleTeam = await seedScale(env.DATABASE_MIGRATION_URL!, (msg) => process.stdout.write(`${msg}\n`));
      server = await startServer(env);
      const lidiaAgain = await tokenFor(server.url, "lidia.holloway@contoso.test");
      const meganAgain = await tokenFor(server.url, "megan.bowen@contoso.test");
      const fresh = change(server.url, lidiaAgain);
      await percentiles(`${server.url}/api/v1/dashboards/team/${scaleTeam}`, lidiaAgain, 20, fresh); // warm-up
      const big = await percentiles(`${server.url}/api/v1/dashboards/team/${scaleTeam}`, lidiaAgain, 200, fresh);
      const demoAfter = await percentiles(`${server.url}/api/v1/dashboards/team/${team}`, meganAgain, 200, fresh);
      process.stdout.write(`\nScale: ${SCALE.people} people, ${SCALE.outcomes} outcomes, ${SCALE.checkIns} check-ins on PostgreSQL (sequential requests, each after an audited change)\n`);
      process.stdout.write(`  team dashboard, demo size:                      p50 ${demo.p50.toFixed(1)} ms  p95 ${demo.p95.toFixed(1)} ms\n`);
      process.stdout.write(`  the same team among the scale data:             p50 ${demoAfter.p50.toFixed(1)} ms  p95 ${demoAfter.p95.toFixed(1)} ms  (${(demoAfter.p95 / demo.p95).toFixed(2)}× demo p95)\n`);
      process.stdout.write(`  a scale team (100 outcomes, 1,000 check-ins):   p50 ${big.p50.toFixed(1)} ms  p95 ${big.p95.toFixed(1)} ms  (${(big.p95 / demo.p95).toFixed(2)}× demo p95)\n`);
    }
  } finally {
    await server.stop();
    cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
