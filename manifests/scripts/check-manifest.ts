import fs from "node:fs";
import path from "node:path";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import type { Problem } from "./fill";
import { readPngInfo } from "./png";

/**
 * Checks of the filled unified manifest: the official JSON schema (offline, draft-04), then
 * what the schema leaves out but Teams, Outlook and the admin centre insist on.
 */

export const SCHEMA_URL = "https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/** Links Teams opens in a browser rather than loads in the app; they need HTTPS but not validDomains. */
const BROWSER_LINKS = new Set(["/$schema", "/developer/websiteUrl", "/developer/privacyUrl", "/developer/termsOfUseUrl"]);

/* eslint-disable @typescript-eslint/no-explicit-any -- a manifest is walked as plain JSON */
type Json = any;

const compiled = new Map<string, ReturnType<Ajv["compile"]>>();

export function validateAgainstSchema(manifest: Json, schemaFile: string, file: string): Problem[] {
  let validate = compiled.get(schemaFile);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")) as object);
    compiled.set(schemaFile, validate);
  }
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.keyword === "additionalProperties" ? ` ("${String((e.params as { additionalProperty?: string }).additionalProperty)}")` : "";
    return { file, path: e.instancePath || "/", message: `schema: ${e.message ?? e.keyword}${extra}` };
  });
}

/** Every string in a JSON value with its JSON pointer. */
function* strings(value: Json, pointer = ""): Generator<[string, string]> {
  if (typeof value === "string") yield [pointer, value];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* strings(value[i], `${pointer}/${i}`);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) yield* strings(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`);
}

/** Does a host (with its port, if any) fall under one of the validDomains entries (which may start with `*.`)? */
export function hostAllowed(host: string, validDomains: string[]): boolean {
  const h = host.toLowerCase();
  return validDomains.some((d) => {
    const domain = d.toLowerCase();
    return domain.startsWith("*.") ? h.endsWith(domain.slice(1)) && h.length > domain.length - 1 : h === domain;
  });
}

/** Where an icon URL points in the repository: `https://<host>/icons/<file>` is served from manifests/icons. */
export function iconFileOf(url: string, iconsDir: string): string | null {
  const m = /^https:\/\/[^/]+\/icons\/([\w.-]+\.png)$/.exec(url);
  return m ? path.join(iconsDir, m[1]!) : null;
}

export function checkIcon(file: string, expected: number, where: { file: string; path: string }, opts: { transparent?: boolean } = {}): Problem[] {
  if (!fs.existsSync(file)) return [{ ...where, message: `icon file ${path.basename(file)} does not exist` }];
  try {
    const info = readPngInfo(fs.readFileSync(file));
    const problems: Problem[] = [];
    if (info.width !== expected || info.height !== expected) problems.push({ ...where, message: `icon ${path.basename(file)} is ${info.width}x${info.height}, expected ${expected}x${expected}` });
    if (opts.transparent && !info.hasAlpha) problems.push({ ...where, message: `icon ${path.basename(file)} must be a transparent PNG (no alpha channel)` });
    return problems;
  } catch (err) {
    return [{ ...where, message: `icon ${path.basename(file)}: ${err instanceof Error ? err.message : String(err)}` }];
  }
}

/** Checks the schema does not make: HTTPS, domains, icons, unique ids, version, SSO settings. */
export function checkManifestRules(m: Json, iconsDir: string, file: string): Problem[] {
  const problems: Problem[] = [];
  const at = (p: string, message: string) => problems.push({ file, path: p, message });
  const validDomains: string[] = Array.isArray(m.validDomains) ? m.validDomains.filter((d: unknown) => typeof d === "string") : [];

  if (m.$schema !== SCHEMA_URL) at("/$schema", `must be ${SCHEMA_URL}`);
  if (typeof m.id !== "string" || !GUID.test(m.id)) at("/id", "the app id must be a GUID");
  if (typeof m.version !== "string" || !SEMVER.test(m.version)) at("/version", `"${String(m.version)}" is not a semantic version (major.minor.patch)`);
  if (validDomains.length === 0) at("/validDomains", "list the domain the tabs and the add-in load from");
  for (const [i, d] of validDomains.entries()) if (/[:/]\/|\/$/.test(d)) at(`/validDomains/${i}`, `"${d}" must be a host name (with an optional port), not a URL`);

  for (const [pointer, value] of strings(m)) {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
    if (!scheme) continue;
    if (scheme === "http") {
      at(pointer, `"${value}" must use https`);
      continue;
    }
    if (scheme !== "https" && scheme !== "brk-multihub") continue;
    let host: string;
    try {
      host = new URL(scheme === "https" ? value : `https://${value.slice("brk-multihub://".length)}`).host;
    } catch {
      at(pointer, `"${value}" is not a valid URL`);
      continue;
    }
    if (!BROWSER_LINKS.has(pointer) && !hostAllowed(host, validDomains)) at(pointer, `host "${host}" is not in validDomains`);
  }

  if (m.icons) {
    problems.push(...checkIcon(path.join(iconsDir, String(m.icons.color)), 192, { file, path: "/icons/color" }));
    problems.push(...checkIcon(path.join(iconsDir, String(m.icons.outline)), 32, { file, path: "/icons/outline" }, { transparent: true }));
  }

  const ids = new Map<string, string>();
  const unique = (id: unknown, pointer: string, kind: string) => {
    if (typeof id !== "string") return;
    const key = `${kind}:${id.toLowerCase()}`;
    const first = ids.get(key);
    if (first) at(pointer, `duplicate ${kind} id "${id}" (also at ${first})`);
    else ids.set(key, pointer);
  };
  (m.staticTabs ?? []).forEach((t: Json, i: number) => unique(t.entityId, `/staticTabs/${i}/entityId`, "tab"));
  (m.configurableTabs ?? []).forEach((t: Json, i: number) => unique(t.id, `/configurableTabs/${i}/id`, "tab"));
  const actions = new Set<string>();
  (m.extensions ?? []).forEach((ext: Json, e: number) => {
    (ext.runtimes ?? []).forEach((r: Json, i: number) => {
      unique(r.id, `/extensions/${e}/runtimes/${i}/id`, "runtime");
      (r.actions ?? []).forEach((a: Json, j: number) => {
        unique(a.id, `/extensions/${e}/runtimes/${i}/actions/${j}/id`, "action");
        actions.add(String(a.id));
      });
    });
    (ext.ribbons ?? []).forEach((rb: Json, i: number) =>
      (rb.tabs ?? []).forEach((tab: Json, t: number) =>
        (tab.groups ?? []).forEach((g: Json, gi: number) => {
          const gp = `/extensions/${e}/ribbons/${i}/tabs/${t}/groups/${gi}`;
          unique(g.id, `${gp}/id`, "ribbon group");
          checkIconSet(g.icons, `${gp}/icons`);
          (g.controls ?? []).forEach((c: Json, ci: number) => {
            unique(c.id, `${gp}/controls/${ci}/id`, "ribbon control");
            checkIconSet(c.icons, `${gp}/controls/${ci}/icons`);
            if (c.actionId !== undefined && !actions.has(String(c.actionId))) at(`${gp}/controls/${ci}/actionId`, `no runtime action has the id "${String(c.actionId)}"`);
          });
        }),
      ),
    );
  });

  function checkIconSet(icons: Json, pointer: string) {
    if (!Array.isArray(icons)) return;
    icons.forEach((icon: Json, i: number) => {
      const local = typeof icon?.url === "string" ? iconFileOf(icon.url, iconsDir) : null;
      if (!local) at(`${pointer}/${i}/url`, "add-in icons must be served from /icons/<file>.png (manifests/icons)");
      else problems.push(...checkIcon(local, Number(icon.size), { file, path: `${pointer}/${i}` }));
    });
  }

  const web = m.webApplicationInfo;
  if (web) {
    if (typeof web.resource !== "string" || !web.resource.startsWith("api://")) at("/webApplicationInfo/resource", "must be the API's Application ID URI (api://…)");
    (web.nestedAppAuthInfo ?? []).forEach((n: Json, i: number) => {
      if (typeof n.redirectUri !== "string" || !n.redirectUri.startsWith("brk-multihub://")) at(`/webApplicationInfo/nestedAppAuthInfo/${i}/redirectUri`, "nested app authentication needs brk-multihub://<domain>");
    });
  }
  return problems;
}
