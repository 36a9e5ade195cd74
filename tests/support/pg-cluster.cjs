"use strict";
// A throw-away PostgreSQL cluster for the test suites, built from Debian's server binaries.
//
// startCluster() runs initdb into a fresh temporary directory, starts the server on a free
// loopback port with trust authentication, and hands back a superuser URL. stop() shuts it down
// and deletes the directory. createDatabase() makes one database per test file, owned by an
// unprivileged owner role, with a separate application role that is neither owner nor superuser.
//
// PostgreSQL refuses to run as root, so when this process is root the server binaries run as
// the `postgres` system user (or a dedicated unprivileged user created on demand).

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const net = require("node:net");
const { execFileSync, spawnSync } = require("node:child_process");

const OWNER_ROLE = "leeway_owner";
const APP_ROLE = "leeway_app";
const FALLBACK_SERVICE_USER = "leeway-pg";
const DEBIAN_PG_ROOT = "/usr/lib/postgresql";
const DIR_PREFIX = "leeway-pg-";
const OWNER_PID_FILE = "owner.pid";

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function hasServerBinaries(dir) {
  return isExecutable(path.join(dir, "initdb")) && isExecutable(path.join(dir, "pg_ctl"));
}

/**
 * Directory holding initdb and pg_ctl, or null. PG_BIN wins when set; otherwise the highest
 * major version under Debian's /usr/lib/postgresql/<major>/bin.
 */
function findPgBin() {
  if (process.env.PG_BIN) {
    return hasServerBinaries(process.env.PG_BIN) ? path.resolve(process.env.PG_BIN) : null;
  }
  let entries;
  try {
    entries = fs.readdirSync(DEBIAN_PG_ROOT);
  } catch {
    return null;
  }
  const majors = entries
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  for (const major of majors) {
    const bin = path.join(DEBIAN_PG_ROOT, major, "bin");
    if (hasServerBinaries(bin)) return bin;
  }
  return null;
}

function lookupUser(name) {
  const res = spawnSync("id", ["-u", name], { encoding: "utf8" });
  if (res.status !== 0) return null;
  const uid = Number(res.stdout.trim());
  const gid = Number(spawnSync("id", ["-g", name], { encoding: "utf8" }).stdout.trim());
  return { name, uid, gid };
}

/** The account the server binaries run as: ourselves, or an unprivileged user when we are root. */
function serviceAccount() {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    const me = os.userInfo();
    return { name: me.username, uid: me.uid, gid: me.gid, switchUser: false };
  }
  let user = lookupUser("postgres");
  if (!user) {
    user = lookupUser(FALLBACK_SERVICE_USER);
    if (!user) {
      execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_SERVICE_USER], {
        stdio: "pipe",
      });
      user = lookupUser(FALLBACK_SERVICE_USER);
    }
    if (!user) throw new Error(`could not find or create an unprivileged user for PostgreSQL`);
  }
  return { ...user, switchUser: true };
}

/** Run a server binary, as the service account when needed; throws with its output on failure. */
function runAs(account, file, args, cwd) {
  const [cmd, argv] = account.switchUser ? ["runuser", ["-u", account.name, "--", file, ...args]] : [file, args];
  const env = { ...process.env, LC_ALL: "C", LANG: "C" };
  for (const key of Object.keys(env)) {
    // Stray PG* settings (PGDATA, PGPORT, ...) must not steer our private cluster.
    if (key.startsWith("PG") && key !== "PG_BIN") delete env[key];
  }
  const res = spawnSync(cmd, argv, { cwd, env, encoding: "utf8", timeout: 120_000 });
  if (res.error) throw res.error;
  if (res.status !== 0) {
    const output = `${res.stdout || ""}${res.stderr || ""}`.trim();
    const err = new Error(`${path.basename(file)} ${args[0] ?? ""} exited with ${res.status}: ${output}`);
    err.output = output;
    throw err;
  }
  return res.stdout;
}

/** A free TCP port on the loopback interface (the kernel picks it; we release it at once). */
function freePort(host) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function tailOf(file, lines = 30) {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no server log)";
  }
}

function readPostmasterPid(dataDir) {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Create and start a private cluster.
 * @param {{ baseDir?: string, durable?: boolean }} [options] baseDir: parent directory for the
 *   temporary cluster directory (default: the OS temp dir; keep it short, unix socket paths are
 *   limited to about 100 bytes). durable: keep PostgreSQL's own durability settings (fsync and
 *   synchronous commit on), for benchmarks that must compare like with like; tests turn them off.
 * @returns {Promise<{ port: number, host: string, superuser: string, superuserUrl: string,
 *   dataDir: string, dir: string, stop: () => void }>}
 */
async function startCluster(options = {}) {
  const bin = findPgBin();
  if (!bin) throw new Error("PostgreSQL server binaries not found (install Debian's postgresql or set PG_BIN)");
  const account = serviceAccount();
  const host = "127.0.0.1";
  const dir = fs.mkdtempSync(path.join(options.baseDir || os.tmpdir(), DIR_PREFIX));
  const dataDir = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");
  let stopped = false;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (fs.existsSync(path.join(dataDir, "postmaster.pid"))) {
      try {
        runAs(account, path.join(bin, "pg_ctl"), ["stop", "-D", dataDir, "-m", "fast", "-w", "-t", "30"], dir);
      } catch {
        // Last resort: the postmaster ignored a fast shutdown or pg_ctl could not run.
        const pid = readPostmasterPid(dataDir);
        if (pid) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    // Lets sweepStaleClusters() recognise a cluster whose creator died without stopping it.
    fs.writeFileSync(path.join(dir, OWNER_PID_FILE), `${process.pid}\n`);
    if (account.switchUser) {
      fs.chownSync(dir, account.uid, account.gid);
      // The service user must be able to reach the directory through its parents.
      try {
        runAs(account, "/usr/bin/test", ["-w", dir], "/");
      } catch {
        throw new Error(`user ${account.name} cannot write to ${dir}: pass a baseDir (or TMPDIR) it can reach`);
      }
    }
    runAs(
      account,
      path.join(bin, "initdb"),
      ["-D", dataDir, "-U", account.name, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"],
      dir,
    );

    // Port picking races with other processes on the machine: retry with a new port if taken.
    let port;
    let lastError;
    for (let attempt = 0; attempt < 3 && port === undefined; attempt++) {
      const candidate = await freePort(host);
      fs.writeFileSync(
        path.join(dataDir, "postgresql.auto.conf"),
        [
          "# written by the test harness",
          `listen_addresses = '${host}'`,
          `port = ${candidate}`,
          `unix_socket_directories = '${dir.replace(/'/g, "''")}'`,
          "max_connections = 200",
          // Durability is worthless for a cluster that is deleted after the run, unless the run
          // measures what durable commits cost.
          ...(options.durable ? [] : ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]),
          "",
        ].join("\n"),
      );
      try {
        runAs(account, path.join(bin, "pg_ctl"), ["start", "-D", dataDir, "-l", logFile, "-w", "-t", "60", "-s"], dir);
        port = candidate;
      } catch (err) {
        lastError = err;
        if (readPostmasterPid(dataDir)) break; // started but unhealthy: do not try again
      }
    }
    if (port === undefined) {
      throw new Error(`${lastError && lastError.message}\n--- server log ---\n${tailOf(logFile)}`);
    }

    const superuserUrl = `postgres://${encodeURIComponent(account.name)}@${host}:${port}/postgres`;
    return { port, host, superuser: account.name, superuserUrl, dataDir, dir, stop };
  } catch (err) {
    stop();
    throw err;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

/**
 * Stop and delete clusters left behind in `baseDir` by processes that died without calling
 * stop() (for example a test run killed with SIGKILL). Clusters of live processes are kept.
 * @returns {string[]} the directories removed
 */
function sweepStaleClusters(baseDir = os.tmpdir()) {
  const removed = [];
  let names;
  try {
    names = fs.readdirSync(baseDir).filter((n) => n.startsWith(DIR_PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const dir = path.join(baseDir, name);
    let owner;
    try {
      owner = Number(fs.readFileSync(path.join(dir, OWNER_PID_FILE), "utf8").trim());
    } catch {
      continue; // not ours, or still being created
    }
    if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) continue;
    const pid = readPostmasterPid(path.join(dir, "data"));
    if (pid && isAlive(pid)) {
      try {
        // SIGQUIT is PostgreSQL's immediate shutdown; the data is thrown away anyway.
        process.kill(pid, "SIGQUIT");
      } catch {
        // not ours to signal, leave it
        continue;
      }
      for (let i = 0; i < 50 && isAlive(pid); i++) spawnSync("sleep", ["0.1"]);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

function quoteIdent(name) {
  return `"${String(name).replace(/"/g, '""')}"`;
}

function withDatabase(url, database, user) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  if (user !== undefined) {
    u.username = encodeURIComponent(user);
    u.password = "";
  }
  return u.toString();
}

async function withClient(url, fn) {
  const { Client } = require("pg");
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Create a database owned by leeway_owner, make sure leeway_app exists and may use it, and return
 * connection URLs for the owner (migrations), the app role (the server) and the superuser.
 * @param {string} superuserUrl
 * @param {string} [name] defaults to a unique generated name
 * @returns {Promise<{ name: string, ownerUrl: string, appUrl: string, superUrl: string }>}
 */
async function createDatabase(superuserUrl, name) {
  const dbName = name || `leeway_t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  if (Buffer.byteLength(dbName) > 63) throw new Error(`database name too long: ${dbName}`);

  await withClient(superuserUrl, async (c) => {
    // Roles are cluster-wide and test workers run in parallel: serialise their creation.
    await c.query("SELECT pg_advisory_lock(4242001)");
    try {
      for (const role of [OWNER_ROLE, APP_ROLE]) {
        const { rowCount } = await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
        if (!rowCount) {
          await c.query(`CREATE ROLE ${quoteIdent(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`);
        }
      }
    } finally {
      await c.query("SELECT pg_advisory_unlock(4242001)");
    }
    await c.query(`CREATE DATABASE ${quoteIdent(dbName)} OWNER ${quoteIdent(OWNER_ROLE)} ENCODING 'UTF8' TEMPLATE template0`);
  });

  const superUrl = withDatabase(superuserUrl, dbName);
  await withClient(superUrl, async (c) => {
    const db = quoteIdent(dbName);
    const owner = quoteIdent(OWNER_ROLE);
    const app = quoteIdent(APP_ROLE);
    await c.query(`GRANT CONNECT ON DATABASE ${db} TO ${app}`);
    await c.query(`GRANT USAGE ON SCHEMA public TO ${app}`);
    await c.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`,
    );
    await c.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app}`);
  });

  return {
    name: dbName,
    ownerUrl: withDatabase(superuserUrl, dbName, OWNER_ROLE),
    appUrl: withDatabase(superuserUrl, dbName, APP_ROLE),
    superUrl,
  };
}

/** Drop a database, disconnecting whoever is still connected to it. */
async function dropDatabase(superuserUrl, name) {
  await withClient(superuserUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

module.exports = { findPgBin, startCluster, sweepStaleClusters, createDatabase, dropDatabase, OWNER_ROLE, APP_ROLE };
