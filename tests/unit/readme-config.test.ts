import { configVariables, readmeTableVariables } from "./config-docs";

/** Every variable the server reads in config.ts is documented in the README's configuration table. */

describe("the README's configuration table", () => {
  it("finds the variables in config.ts", () => {
    const vars = configVariables();
    expect(vars).toEqual(expect.arrayContaining(["NODE_ENV", "PUBLIC_URL", "DATABASE_URL", "LEEWAY_CLIENT_SECRET", "LEEWAY_AUDIT_SIGNING_KEY", "LOG_LEVEL"]));
    expect(vars.length).toBeGreaterThan(25);
  });

  it("lists every variable config.ts reads", () => {
    const documented = new Set(readmeTableVariables());
    expect(configVariables().filter((v) => !documented.has(v))).toEqual([]);
  });

  it("lists no variable twice", () => {
    const rows = readmeTableVariables();
    expect(rows.filter((v, i) => rows.indexOf(v) !== i)).toEqual([]);
  });
});
