import { ConfigError, loadConfig } from "../../server/src/config";

describe("configuration from the environment", () => {
  it("runs on the local defaults with nothing set", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3978, host: "127.0.0.1", publicUrl: "http://127.0.0.1:3978", database: { engine: "sqlite" }, m365: { mode: "local", apiAudience: "api://leeway" } });
    expect(c.m365.authority).toBe("http://127.0.0.1:3978/local-m365");
  });

  it("chooses PostgreSQL from a postgres:// URL and SQLite from a path or sqlite: URL", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u@h/db" }).database.engine).toBe("postgres");
    expect(loadConfig({ DATABASE_URL: "sqlite:./x.db" }).database).toMatchObject({ engine: "sqlite", sqlitePath: expect.stringMatching(/x\.db$/) });
  });

  it("keeps delivered outbox messages 30 days and runs the sweeps unless told otherwise", () => {
    expect(loadConfig({})).toMatchObject({ housekeeping: true, outbox: { keepDays: 30 } });
    expect(loadConfig({ LEEWAY_HOUSEKEEPING: "false", LEEWAY_OUTBOX_KEEP_DAYS: "90" })).toMatchObject({ housekeeping: false, outbox: { keepDays: 90 } });
  });

  it.each([
    [{ PORT: "seventy" }, "PORT"],
    [{ LEEWAY_OUTBOX_KEEP_DAYS: "0" }, "LEEWAY_OUTBOX_KEEP_DAYS"],
    [{ PORT: "70000" }, "PORT"],
    [{ LEEWAY_M365: "cloud" }, "LEEWAY_M365"],
    [{ LEEWAY_BODY_LIMIT: "a lot" }, "LEEWAY_BODY_LIMIT"],
    [{ LEEWAY_TRUST_PROXY: "yes please!" }, "LEEWAY_TRUST_PROXY"],
    [{ PUBLIC_URL: "not a url" }, "PUBLIC_URL"],
    [{ LEEWAY_M365: "m365", LEEWAY_ALLOWED_TENANTS: "not-a-guid" }, "LEEWAY_ALLOWED_TENANTS"],
    [{ LEEWAY_M365: "m365" }, "LEEWAY_ALLOWED_TENANTS"],
  ])("stops on %j with a message naming %s", (env, variable) => {
    let error: unknown;
    try {
      loadConfig(env as NodeJS.ProcessEnv);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(variable);
  });
});
