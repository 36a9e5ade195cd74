"use strict";
// Locates the system Chromium (Debian's `chromium` package) for the browser suites and gives the
// playwright-core launch options that work headless, as root, without network access.

const fs = require("node:fs");

const DEFAULT_CHROMIUM = "/usr/bin/chromium";

const CHROMIUM_ARGS = Object.freeze([
  "--no-sandbox", // the sandbox refuses to start as root, which is how CI runs
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
]);

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Path of an executable Chromium (CHROMIUM_PATH first, then /usr/bin/chromium), or null. */
function findChromium() {
  const candidate = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  return isExecutable(candidate) ? candidate : null;
}

/**
 * Options for playwright-core's `chromium.launch()`. launch() itself gives every browser a fresh
 * temporary profile directory and deletes it on close.
 * @param {{ headless?: boolean, args?: string[] }} [overrides]
 */
function launchOptions(overrides = {}) {
  const executablePath = findChromium();
  if (!executablePath) {
    throw new Error(`Chromium not found: install Debian's chromium or set CHROMIUM_PATH (looked at ${process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM})`);
  }
  return {
    executablePath,
    headless: overrides.headless ?? true,
    args: [...CHROMIUM_ARGS, ...(overrides.args || [])],
  };
}

module.exports = { findChromium, launchOptions, CHROMIUM_ARGS };
