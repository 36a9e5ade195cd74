import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "../../server/src/config";
import { requiredInProduction } from "../../server/src/config-production";
import { readmeTableVariables } from "./config-docs";

/**
 * What can be checked of the deployment without Azure or a Docker engine: the Bicep app
 * settings against the server's production checks, the module wiring, the image's user and
 * start command, and the Entra app registration template.
 */

const ROOT = path.resolve(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The text between the brace that opens at `from` and its matching close. */
function block(text: string, from: number): string {
  let depth = 0;
  for (let i = text.indexOf("{", from); i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(text.indexOf("{", from) + 1, i);
  }
  throw new Error("unbalanced braces");
}

/** Keys at the top level of a Bicep object body, whether written one per line or inline. */
function topLevelKeys(body: string): string[] {
  let flat = "";
  let depth = 0;
  let quoted = false;
  for (const ch of body) {
    if (ch === "'") quoted = !quoted;
    else if (!quoted && "{[(".includes(ch)) depth++;
    else if (!quoted && "}])".includes(ch)) depth--;
    else if (!quoted && depth === 0) flat += ch;
    if (quoted || depth > 0) flat += " ";
  }
  return [...flat.matchAll(/(\w+)\s*:/g)].map((m) => m[1]!);
}

/** `var appSettings = { KEY: value }` of the web module, as KEY → Bicep expression. */
function bicepAppSettings(): Map<string, string> {
  const bicep = read("infra/modules/web.bicep");
  const body = block(bicep, bicep.indexOf("var appSettings = {"));
  return new Map([...body.matchAll(/^\s+(\w+): (.+)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

const literal = (expr: string) => (/^'[^'$]*'$/.test(expr) ? expr.slice(1, -1) : null);

describe("the Bicep app settings", () => {
  const settings = bicepAppSettings();

  it("are read from the web module", () => {
    expect(settings.get("NODE_ENV")).toBe("'production'");
    expect(settings.size).toBeGreaterThan(8);
  });

  it("cover every variable the server requires in production (from config-production.ts)", () => {
    const missing = requiredInProduction()
      .filter((groups) => !groups.some((group) => group.every((v) => settings.has(v))))
      .map((groups) => groups.map((g) => g.join(" + ")).join(" or "));
    expect(missing).toEqual([]);
  });

  it("pass the server's production checks, with the values a deployment gives them", () => {
    const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    // What the non-literal settings resolve to once deployed: parameters, host names, Key Vault secrets.
    const deployed: Record<string, string> = {
      PUBLIC_URL: "https://leeway-dev.azurewebsites.net",
      LEEWAY_CLIENT_ID: "2b7e5f90-8c1d-4d6a-a3e2-9f04c6b1e857",
      LEEWAY_API_AUDIENCE: "2b7e5f90-8c1d-4d6a-a3e2-9f04c6b1e857",
      LEEWAY_ALLOWED_TENANTS: "3f1c2b7a-9d4e-4c61-8a2f-5b0e7d9c1a23",
      LEEWAY_CLIENT_SECRET: "secret from Key Vault",
      LEEWAY_AUDIT_SIGNING_KEY: pem,
      DATABASE_URL: "postgres://leeway_app:pw@leeway-dev-pg.postgres.database.azure.com:5432/leeway?sslmode=verify-full",
      APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=00000000-0000-0000-0000-000000000000",
    };
    const env: NodeJS.ProcessEnv = {};
    for (const [key, expr] of settings) {
      const value = literal(expr) ?? deployed[key];
      if (value === undefined) throw new Error(`no deployed value for the setting ${key} = ${expr}`);
      env[key] = value;
    }
    const config = loadConfig(env);
    expect(config).toMatchObject({ env: "production", database: { engine: "postgres" }, m365: { mode: "m365" } });
  });

  it("keep every secret in Key Vault", () => {
    for (const key of ["LEEWAY_CLIENT_SECRET", "LEEWAY_AUDIT_SIGNING_KEY", "DATABASE_URL"]) {
      expect({ key, value: settings.get(key) }).toEqual({ key, value: expect.stringMatching(/^'@Microsoft\.KeyVault\(SecretUri=\$\{\w+\}\)'$/) });
    }
    expect([...settings.keys()]).not.toContain("DATABASE_MIGRATION_URL"); // the running server never holds the owner's password
  });

  it("name only variables the README documents (no typos), besides App Service's own", () => {
    const documented = new Set(readmeTableVariables());
    const platform = new Set(["APPLICATIONINSIGHTS_CONNECTION_STRING", "ApplicationInsightsAgent_EXTENSION_VERSION", "SCM_DO_BUILD_DURING_DEPLOYMENT", "WEBSITE_RUN_FROM_PACKAGE"]);
    expect([...settings.keys()].filter((k) => !documented.has(k) && !platform.has(k))).toEqual([]);
  });
});

describe("the Bicep modules", () => {
  const main = read("infra/main.bicep");
  const modules = [...main.matchAll(/^module (\w+) '([^']+)' = \{/gm)].map((m) => ({ symbol: m[1]!, file: `infra/${m[2]!}`, at: m.index! }));

  it("exist, and get exactly the parameters they declare (required ones included)", () => {
    expect(modules.map((m) => m.symbol)).toEqual(["network", "monitoring", "database", "vault", "web"]);
    for (const m of modules) {
      const source = read(m.file);
      const declared = [...source.matchAll(/^param (\w+) [^=\n]+?( =.*)?$/gm)].map((p) => ({ name: p[1]!, optional: Boolean(p[2]) }));
      const body = block(main, m.at);
      const passed = topLevelKeys(block(body, body.indexOf("params:")));
      expect({ module: m.symbol, unknown: passed.filter((p) => !declared.some((d) => d.name === p)) }).toEqual({ module: m.symbol, unknown: [] });
      expect({ module: m.symbol, missing: declared.filter((d) => !d.optional && !passed.includes(d.name)).map((d) => d.name) }).toEqual({ module: m.symbol, missing: [] });
    }
  });

  it("declare every output main.bicep reads", () => {
    for (const m of modules) {
      const outputs = new Set([...read(m.file).matchAll(/^output (\w+) /gm)].map((o) => o[1]!));
      const used = [...main.matchAll(new RegExp(`\\b${m.symbol}\\.outputs\\.(\\w+)`, "g"))].map((u) => u[1]!);
      expect({ module: m.symbol, undeclared: used.filter((u) => !outputs.has(u)) }).toEqual({ module: m.symbol, undeclared: [] });
    }
  });

  it("have a parameters file that sets only declared parameters and every required non-secret one", () => {
    const params = Object.keys((JSON.parse(read("infra/main.parameters.json")) as { parameters: Record<string, unknown> }).parameters);
    const declared = [...main.matchAll(/^((?:@\w+\([^\n]*\)\n)*)param (\w+) [^=\n]+?( =.*)?$/gm)].map((p) => ({ name: p[2]!, secure: p[1]!.includes("@secure()"), optional: Boolean(p[3]) }));
    expect(params.filter((p) => !declared.some((d) => d.name === p))).toEqual([]);
    expect(declared.filter((d) => !d.optional && !d.secure && !params.includes(d.name)).map((d) => d.name)).toEqual([]);
    expect(params.filter((p) => declared.find((d) => d.name === p)?.secure)).toEqual([]); // secrets never in the committed file
  });

  it("run a Linux Node 20 app with a managed identity, HTTPS only", () => {
    const web = read("infra/modules/web.bicep");
    expect(web).toMatch(/linuxFxVersion: 'NODE\|20-lts'/);
    expect(web).toMatch(/identity: \{ type: 'SystemAssigned' \}/);
    expect(web).toMatch(/httpsOnly: true/);
  });
});

describe("the container image", () => {
  const dockerfile = read("infra/Dockerfile");
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1]!;

  it("is multi-stage, and its runtime stage runs as a non-root user", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const users = [...runtime.matchAll(/^USER (\S+)/gm)].map((m) => m[1]!);
    expect(users.length).toBeGreaterThan(0);
    expect(["root", "0", "0:0"]).not.toContain(users[users.length - 1]);
    expect(runtime.indexOf("USER ")).toBeLessThan(runtime.indexOf("CMD "));
  });

  it("starts with the README's production start command, which App Service runs too", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1];
    const command = (JSON.parse(cmd!) as string[]).join(" ");
    const readme = /Production start command: `([^`]+)`/.exec(read("README.md"))?.[1];
    expect(readme).toBeDefined();
    expect(command).toBe(readme);
    expect(/var startCommand = '([^']+)'/.exec(read("infra/main.bicep"))?.[1]).toBe(readme);
  });

  it("ships what the server reads at run time", () => {
    for (const dir of ["server/src", "tabs/dist", "addin/dist", "manifests/icons", "node_modules"]) expect(runtime).toContain(`/app/${dir} ./${dir}`);
  });
});

describe("the Entra app registration template", () => {
  /* eslint-disable @typescript-eslint/no-explicit-any -- a JSON document */
  const app = JSON.parse(read("infra/entra/app-registration.json")) as any;

  it("exposes access_as_user with v2 tokens and the two app roles", () => {
    expect(app.api.requestedAccessTokenVersion).toBe(2);
    expect(app.api.oauth2PermissionScopes.map((s: any) => s.value)).toEqual(["access_as_user"]);
    expect(app.appRoles.map((r: any) => r.value)).toEqual(["Leeway.Admin", "Leeway.Compliance"]);
    expect(app.identifierUris).toEqual(["${{API_RESOURCE}}"]);
  });

  it("pre-authorises the Teams, Microsoft 365 and Outlook clients for that scope", () => {
    const scope = app.api.oauth2PermissionScopes[0].id;
    expect(app.api.preAuthorizedApplications.map((p: any) => p.appId).sort()).toEqual(
      [
        "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
        "5e3ce6c0-2b1f-4285-8d4b-75ee78787346",
        "4765445b-32c6-49b0-83e6-1d93765276ca",
        "0ec893e0-5785-4de6-99da-4ed124e5296c",
        "d3590ed6-52b3-4102-aeff-aad2292ab01c",
        "bc59ab01-8403-45c6-8796-ac3ef710b3e3",
        "27922004-5251-4030-b22d-91ecd9a37ea4",
      ].sort(),
    );
    for (const p of app.api.preAuthorizedApplications) expect(p.delegatedPermissionIds).toEqual([scope]);
  });

  it("redirects nested app authentication to brk-multihub://<host>", () => {
    expect(app.spa.redirectUris).toContain("brk-multihub://${{PUBLIC_HOST}}");
  });
});
