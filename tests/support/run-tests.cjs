#!/usr/bin/env node
"use strict";
// `npm test`: prepares the services the suites need, runs jest once over the selected projects
// and ends with a single `N passed, N failed` line.
//
//   unit, sqlite  always run
//   postgres      runs against a private cluster started here (Debian's postgresql, or PG_BIN)
//   e2e           runs when Chromium is present (/usr/bin/chromium, or CHROMIUM_PATH)
//
// A missing PostgreSQL or Chromium skips its project with a loud banner; with
// LEEWAY_REQUIRE_ALL_SUITES=1 it fails the run instead, and so does a project that ran no test.
// Arguments are passed to jest (`npm test -- server/src/domain`); `--selectProjects a b` narrows
// the projects (`npm test -- --selectProjects unit server/src/domain`), and services are only
// started for the projects that will run.
//
// Environment set for jest: LEEWAY_TEST_PG_URL (superuser URL of the cluster), CHROMIUM_PATH.
// LEEWAY_TEST_TIMEOUT_MIN (default 40) bounds the jest run.

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { findPgBin, startCluster, sweepStaleClusters } = require("./pg-cluster.cjs");
const { findChromium } = require("./chromium.cjs");

const ROOT = path.resolve(__dirname, "..", "..");
const ALL_PROJECTS = ["unit", "sqlite", "postgres", "e2e"];
const JEST_BIN = path.join(ROOT, "node_modules", ".bin", "jest");
const requireAll = process.env.LEEWAY_REQUIRE_ALL_SUITES === "1";
const onCi = Boolean(process.env.CI) && !["0", "false"].includes(String(process.env.CI).toLowerCase());

const say = (msg = "") => process.stderr.write(`${msg}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function banner(lines) {
  const bar = "!".repeat(78);
  say();
  say(bar);
  for (const line of lines) say(`!!  ${line}`);
  say(bar);
  say();
}

/** Split our own `--selectProjects` out of the arguments; everything else goes to jest. */
function parseArgs(argv) {
  const passthrough = [];
  let wanted = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--selectProjects" || arg.startsWith("--selectProjects=")) {
      wanted ||= [];
      if (arg.includes("=")) wanted.push(...arg.slice(arg.indexOf("=") + 1).split(","));
      // Unlike jest, stop at the first word that is not a project name, so a path may follow.
      while (i + 1 < argv.length && ALL_PROJECTS.includes(argv[i + 1])) wanted.push(argv[++i]);
      continue;
    }
    passthrough.push(arg);
  }
  if (wanted) {
    const unknown = wanted.filter((p) => !ALL_PROJECTS.includes(p));
    if (unknown.length) throw new Error(`unknown project(s): ${unknown.join(", ")} (known: ${ALL_PROJECTS.join(", ")})`);
  }
  return { wanted: wanted || ALL_PROJECTS, passthrough };
}

const hasFlag = (args, ...names) => args.some((a) => names.some((n) => a === n || a.startsWith(`${n}=`)));

/** Counts from jest's JSON; a suite that failed without a failing test (load error, hook error) counts once. */
function countResults(json) {
  let passed = json.numPassedTests || 0;
  let failed = json.numFailedTests || 0;
  const brokenSuites = [];
  for (const suite of json.testResults || []) {
    const failingTests = (suite.assertionResults || []).filter((a) => a.status === "failed").length;
    if (suite.status === "failed" && failingTests === 0) {
      failed += 1;
      brokenSuites.push(path.relative(ROOT, suite.name));
    }
  }
  const skipped = (json.numPendingTests || 0) + (json.numTodoTests || 0);
  return { passed, failed, skipped, brokenSuites };
}

async function main() {
  const started = Date.now();
  const { wanted, passthrough } = parseArgs(process.argv.slice(2));
  const env = { ...process.env };
  const problems = []; // each one counts as a failure in the closing line
  const skippedProjects = [];
  const selected = new Set(wanted.filter((p) => p === "unit" || p === "sqlite"));
  let cluster = null;
  let child = null;
  let interrupted = null;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "leeway-jest-"));

  const cleanup = () => {
    if (cluster) {
      const t = Date.now();
      try {
        cluster.stop();
        say(`PostgreSQL test cluster stopped and removed (${seconds(Date.now() - t)}).`);
      } catch (err) {
        say(`could not stop the PostgreSQL test cluster in ${cluster.dir}: ${err.message}`);
      }
      cluster = null;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  process.on("exit", cleanup);

  const onSignal = (signal) => {
    if (interrupted) {
      // Second signal: give up waiting for jest.
      if (child) child.kill("SIGKILL");
      cleanup();
      process.exit(signal === "SIGINT" ? 130 : 143);
    }
    interrupted = signal;
    say(`\n${signal} received: stopping jest, then the test cluster.`);
    if (child) {
      // On a terminal jest got SIGINT from the process group already; SIGTERM reaches only us.
      if (signal !== "SIGINT") child.kill(signal);
      setTimeout(() => child && child.kill("SIGKILL"), 10_000).unref();
    } else {
      cleanup();
      process.exit(signal === "SIGINT" ? 130 : 143);
    }
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));

  if (wanted.includes("postgres")) {
    const bin = findPgBin();
    if (!bin) {
      skippedProjects.push(["postgres", "PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BIN)"]);
    } else {
      for (const dir of sweepStaleClusters()) say(`removed a test cluster left behind by a dead run: ${dir}`);
      const t = Date.now();
      try {
        cluster = await startCluster();
        env.LEEWAY_TEST_PG_URL = cluster.superuserUrl;
        selected.add("postgres");
        say(`PostgreSQL test cluster from ${bin} up on ${cluster.host}:${cluster.port} in ${seconds(Date.now() - t)}.`);
      } catch (err) {
        // An installed server that does not start is a broken harness, not a missing tool.
        skippedProjects.push(["postgres", `PostgreSQL is installed but the test cluster did not start: ${err.message}`]);
        problems.push('project "postgres": the test cluster did not start');
      }
    }
  }
  if (wanted.includes("e2e")) {
    const chromium = findChromium();
    if (!chromium) {
      skippedProjects.push(["e2e", `Chromium not found at ${process.env.CHROMIUM_PATH || "/usr/bin/chromium"} (apt-get install chromium, or set CHROMIUM_PATH)`]);
    } else {
      env.CHROMIUM_PATH = chromium;
      selected.add("e2e");
    }
  }

  if (skippedProjects.length) {
    banner([
      ...skippedProjects.map(([p, why]) => `SKIPPED project "${p}": ${why.split("\n")[0]}`),
      requireAll ? "LEEWAY_REQUIRE_ALL_SUITES=1: this run FAILS because of it." : "These tests did NOT run. Set LEEWAY_REQUIRE_ALL_SUITES=1 to make this fatal.",
    ]);
    for (const [, why] of skippedProjects) if (why.includes("\n")) say(why);
    if (requireAll) {
      for (const [p] of skippedProjects) if (!problems.some((x) => x.startsWith(`project "${p}"`))) problems.push(`project "${p}" is required but cannot run`);
    }
  }

  const projects = ALL_PROJECTS.filter((p) => selected.has(p));
  let counts = { passed: 0, failed: 0, skipped: 0, brokenSuites: [] };
  if (projects.length) {
    const jsonFile = path.join(tmp, "results.json");
    const tallyFile = path.join(tmp, "tally.json");
    env.LEEWAY_TEST_TALLY_FILE = tallyFile;
    const args = [
      JEST_BIN,
      "--selectProjects",
      ...projects,
      "--json",
      `--outputFile=${jsonFile}`,
      "--reporters=default",
      `--reporters=${path.join(__dirname, "project-tally-reporter.cjs")}`,
      // The runner owns the "no tests" rules (zero tests overall, or per project under
      // LEEWAY_REQUIRE_ALL_SUITES); jest's own check would exit 1 before writing its JSON.
      "--passWithNoTests",
    ];
    // Two cores: at most two test workers beside the jest parent and the database server.
    if (!hasFlag(passthrough, "--maxWorkers", "-w", "--runInBand", "-i", "--workerThreads")) args.push("--maxWorkers=2");
    if (onCi && !hasFlag(passthrough, "--ci", "--no-ci")) args.push("--ci");
    args.push(...passthrough);

    say(`jest projects: ${projects.join(", ")}${passthrough.length ? `; extra arguments: ${passthrough.join(" ")}` : ""}`);
    const timeoutMin = Number(process.env.LEEWAY_TEST_TIMEOUT_MIN) || 40;
    let timedOut = false;
    const { code, signal } = await new Promise((resolve) => {
      child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: "inherit" });
      const timer = setTimeout(() => {
        // jest is not run with --forceExit, so a test that leaks a handle keeps it alive: cap it.
        timedOut = true;
        say(`\njest still running after ${timeoutMin} min: stopping it.`);
        child.kill("SIGTERM");
        setTimeout(() => child && child.kill("SIGKILL"), 10_000).unref();
      }, timeoutMin * 60_000);
      timer.unref();
      child.on("exit", (c, s) => {
        clearTimeout(timer);
        child = null;
        resolve({ code: c, signal: s });
      });
    });

    let json = null;
    try {
      json = JSON.parse(fs.readFileSync(jsonFile, "utf8"));
    } catch {
      problems.push(`jest wrote no results (exit code ${code}${signal ? `, signal ${signal}` : ""})`);
    }
    if (json) {
      counts = countResults(json);
      for (const suite of counts.brokenSuites) say(`test file failed outside any test (load or hook error): ${suite}`);
      if (code !== 0 && counts.failed === 0 && !timedOut && !interrupted) problems.push(`jest exited with code ${code} without a failing test`);
    }
    if (timedOut) problems.push(`jest did not finish within ${timeoutMin} min`);
    if (interrupted) problems.push(`interrupted by ${interrupted}`);

    let tally = {};
    try {
      tally = JSON.parse(fs.readFileSync(tallyFile, "utf8"));
    } catch {
      // without a tally only the totals are known
    }
    say("");
    for (const p of json ? projects : []) {
      const t = tally[p] || { files: 0, passed: 0, failed: 0, skipped: 0, brokenFiles: 0 };
      const ran = t.passed + t.failed;
      say(`  ${p.padEnd(9)} ${String(t.files).padStart(4)} files  ${String(t.passed).padStart(5)} passed  ${String(t.failed + t.brokenFiles).padStart(4)} failed${t.skipped ? `  ${t.skipped} skipped` : ""}`);
      // Files that failed to load are failures already; this is about a project with nothing to run.
      if (ran === 0 && t.brokenFiles === 0 && json) {
        if (requireAll) problems.push(`project "${p}" ran no test`);
        else say(`            (project "${p}" ran no test)`);
      }
    }
    if (counts.skipped) say(`  ${counts.skipped} test(s) skipped or todo`);
  }

  for (const [p] of skippedProjects) say(`  ${p.padEnd(9)} SKIPPED`);
  if (counts.passed + counts.failed === 0 && !problems.length) problems.push("no test ran");
  cleanup();
  for (const p of problems) say(`FAILED: ${p}`);
  say(`Test run took ${seconds(Date.now() - started)}.`);

  const failed = counts.failed + problems.length;
  process.stdout.write(`${counts.passed} passed, ${failed} failed\n`);
  process.exit(interrupted ? (interrupted === "SIGINT" ? 130 : 143) : failed > 0 || counts.passed === 0 ? 1 : 0);
}

main().catch((err) => {
  say(err && err.stack ? err.stack : String(err));
  process.stdout.write("0 passed, 1 failed\n");
  process.exit(1);
});
