// Small checks of the test harness helpers that need no database or browser.
import { CHROMIUM_ARGS, findChromium, launchOptions } from "../support/chromium.cjs";
import { findPgBin } from "../support/pg-cluster.cjs";

describe("test harness helpers", () => {
  const saved = { CHROMIUM_PATH: process.env.CHROMIUM_PATH, PG_BIN: process.env.PG_BIN };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("prefers CHROMIUM_PATH and reports a missing browser as null", () => {
    process.env.CHROMIUM_PATH = "/nonexistent/chromium";
    expect(findChromium()).toBeNull();
    expect(() => launchOptions()).toThrow(/Chromium not found/);
    process.env.CHROMIUM_PATH = process.execPath;
    expect(launchOptions()).toEqual({ executablePath: process.execPath, headless: true, args: [...CHROMIUM_ARGS] });
    expect(CHROMIUM_ARGS).toEqual(expect.arrayContaining(["--no-sandbox", "--disable-gpu", "--disable-quic"]));
  });

  it("honours PG_BIN only when it holds initdb and pg_ctl", () => {
    process.env.PG_BIN = "/nonexistent/bin";
    expect(findPgBin()).toBeNull();
  });
});
