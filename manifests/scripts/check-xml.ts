import { XMLParser, XMLValidator } from "fast-xml-parser";
import { checkIcon, hostAllowed, iconFileOf } from "./check-manifest";
import type { Problem } from "./fill";

/**
 * Checks of the filled classic Outlook manifest. Microsoft's validator is an online service, so
 * this checks offline what Outlook needs to load the add-in, and that it matches the unified
 * manifest's extension (same id, version, task pane, commands, icons and SSO settings).
 */

/** What the XML must agree with, read from the filled unified manifest. */
export interface UnifiedFacts {
  id: string;
  version: string;
  validDomains: string[];
  taskPaneUrl: string | null;
  /** Ribbon control ids by context (meetingDetailsOrganizer, meetingDetailsAttendee). */
  controlsByContext: Map<string, string[]>;
  webApplicationInfo: { id: string; resource: string } | null;
}

const SURFACES: Record<string, string> = {
  AppointmentOrganizerCommandSurface: "meetingDetailsOrganizer",
  AppointmentAttendeeCommandSurface: "meetingDetailsAttendee",
};
const PERMISSIONS = new Set(["Restricted", "ReadItem", "ReadWriteItem", "ReadWriteMailbox"]);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ARRAYS = new Set(["ExtensionPoint", "Group", "Control", "bt:Image", "bt:Url", "bt:String", "Form", "Rule", "Set", "bt:Set", "AppDomain", "Scope", "Host", "OfficeTab"]);

/* eslint-disable @typescript-eslint/no-explicit-any -- parsed XML is walked as plain objects */
type Node = any;

export function factsOf(m: Node): UnifiedFacts {
  const ext = m.extensions?.[0];
  const runtime = ext?.runtimes?.find((r: Node) => r.actions?.some((a: Node) => a.type === "openPage"));
  const controlsByContext = new Map<string, string[]>();
  for (const ribbon of ext?.ribbons ?? []) {
    const ids = (ribbon.tabs ?? []).flatMap((t: Node) => (t.groups ?? []).flatMap((g: Node) => (g.controls ?? []).map((c: Node) => String(c.id))));
    for (const ctx of ribbon.contexts ?? []) controlsByContext.set(ctx, [...(controlsByContext.get(ctx) ?? []), ...ids]);
  }
  return {
    id: String(m.id),
    version: String(m.version),
    validDomains: m.validDomains ?? [],
    taskPaneUrl: runtime?.code?.page ?? null,
    controlsByContext,
    webApplicationInfo: m.webApplicationInfo ? { id: String(m.webApplicationInfo.id), resource: String(m.webApplicationInfo.resource) } : null,
  };
}

export function checkOutlookXml(xml: string, facts: UnifiedFacts, iconsDir: string, file: string): Problem[] {
  const problems: Problem[] = [];
  const at = (p: string, message: string) => problems.push({ file, path: p, message });
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) return [{ file, path: `line ${wellFormed.err.line}, column ${wellFormed.err.col}`, message: `not well-formed XML: ${wellFormed.err.msg}` }];

  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, parseAttributeValue: false, isArray: (name) => ARRAYS.has(name) }).parse(xml) as Node;
  const app = doc.OfficeApp;
  if (!app) return [{ file, path: "/", message: "the root element must be OfficeApp" }];
  if (app["@_xsi:type"] !== "MailApp") at("OfficeApp/@xsi:type", 'an Outlook add-in is xsi:type="MailApp"');

  const text = (v: Node) => (typeof v === "string" ? v.trim() : typeof v?.["#text"] === "string" ? v["#text"].trim() : "");
  const id = text(app.Id);
  if (!GUID.test(id)) at("OfficeApp/Id", "must be a GUID");
  else if (id.toLowerCase() !== facts.id.toLowerCase()) at("OfficeApp/Id", `must be the unified manifest's id ${facts.id}`);
  const version = text(app.Version);
  if (!/^\d+(\.\d+){3}$/.test(version)) at("OfficeApp/Version", `"${version}" must have four numbers (n.n.n.n)`);
  else if (!version.startsWith(`${facts.version}.`)) at("OfficeApp/Version", `must be the unified manifest's version ${facts.version} with a fourth number`);
  if (!text(app.ProviderName)) at("OfficeApp/ProviderName", "is required");
  if (!app.DisplayName?.["@_DefaultValue"]) at("OfficeApp/DisplayName", "needs a DefaultValue");
  if (!app.Description?.["@_DefaultValue"]) at("OfficeApp/Description", "needs a DefaultValue");
  if (!PERMISSIONS.has(text(app.Permissions))) at("OfficeApp/Permissions", `must be one of ${[...PERMISSIONS].join(", ")}`);
  if (!(app.Hosts?.Host ?? []).some((h: Node) => h["@_Name"] === "Mailbox")) at("OfficeApp/Hosts", 'needs <Host Name="Mailbox"/>');
  if (!(app.Requirements?.Sets?.Set ?? []).some((s: Node) => s["@_Name"] === "Mailbox")) at("OfficeApp/Requirements", 'needs the Mailbox requirement set (<Set Name="Mailbox" .../>)');

  for (const [name, size] of [["IconUrl", 64], ["HighResolutionIconUrl", 128]] as const) {
    const url = String(app[name]?.["@_DefaultValue"] ?? "");
    checkIconUrl(url, size, `OfficeApp/${name}`);
  }
  const forms = app.FormSettings?.Form ?? [];
  if (forms.length === 0) at("OfficeApp/FormSettings", "needs a Form with a SourceLocation");
  forms.forEach((f: Node, i: number) => sameTaskPane(String(f.DesktopSettings?.SourceLocation?.["@_DefaultValue"] ?? ""), `OfficeApp/FormSettings/Form[${i}]/DesktopSettings/SourceLocation`));

  const outer = app.VersionOverrides;
  const vo = outer?.VersionOverrides;
  if (!outer || outer["@_xsi:type"] !== "VersionOverridesV1_0" || !vo || vo["@_xsi:type"] !== "VersionOverridesV1_1") {
    at("OfficeApp/VersionOverrides", "needs a VersionOverridesV1_1 inside a VersionOverridesV1_0");
  } else {
    checkOverrides(vo, "OfficeApp/VersionOverrides/VersionOverrides");
  }

  // Every URL anywhere in the file: HTTPS, on a domain the unified manifest allows.
  const appDomains = (app.AppDomains?.AppDomain ?? []).map((d: Node) => text(d));
  for (const [where, value] of walk(app, "OfficeApp")) {
    const m = /^(https?):\/\/([^/?#]+)/i.exec(value);
    if (!m) continue;
    if (m[1]!.toLowerCase() === "http") at(where, `"${value}" must use https`);
    else if (!/\/(AppDomain|SupportUrl)/.test(where) && !hostAllowed(m[2]!, facts.validDomains)) at(where, `host "${m[2]}" is not among the unified manifest's validDomains`);
  }
  for (const d of facts.validDomains) if (!appDomains.some((a: string) => a.toLowerCase() === `https://${d}`.toLowerCase())) at("OfficeApp/AppDomains", `must list https://${d}`);
  return problems;

  function checkIconUrl(url: string, size: number, where: string) {
    const local = iconFileOf(url, iconsDir);
    if (!local) at(where, `"${url}" must be an https URL of /icons/<file>.png (manifests/icons)`);
    else problems.push(...checkIcon(local, size, { file, path: where }));
  }

  function sameTaskPane(url: string, where: string) {
    if (!url) at(where, "task pane URL is missing");
    else if (facts.taskPaneUrl && url !== facts.taskPaneUrl) at(where, `"${url}" differs from the unified manifest's task pane ${facts.taskPaneUrl}`);
  }

  function checkOverrides(vo: Node, base: string) {
    const res = vo.Resources ?? {};
    const images = new Map<string, string>((res["bt:Images"]?.["bt:Image"] ?? []).map((i: Node) => [String(i["@_id"]), String(i["@_DefaultValue"] ?? "")]));
    const urls = new Map<string, string>((res["bt:Urls"]?.["bt:Url"] ?? []).map((u: Node) => [String(u["@_id"]), String(u["@_DefaultValue"] ?? "")]));
    const strings = new Set<string>([...(res["bt:ShortStrings"]?.["bt:String"] ?? []), ...(res["bt:LongStrings"]?.["bt:String"] ?? [])].map((s: Node) => String(s["@_id"])));
    const resid = (node: Node, where: string, pool: Set<string> | Map<string, string>) => {
      const r = node?.["@_resid"];
      if (!r) at(where, "needs a resid");
      else if (!pool.has(String(r))) at(where, `resid "${String(r)}" is not defined in Resources`);
    };

    const host = (vo.Hosts?.Host ?? []).find((h: Node) => h["@_xsi:type"] === "MailHost");
    if (!host) return at(`${base}/Hosts`, 'needs <Host xsi:type="MailHost">');
    const points: Node[] = host.DesktopFormFactor?.ExtensionPoint ?? [];
    for (const [surface, context] of Object.entries(SURFACES)) {
      const i = points.findIndex((p) => p["@_xsi:type"] === surface);
      const where = `${base}/Hosts/Host/DesktopFormFactor/ExtensionPoint[@xsi:type=${surface}]`;
      if (i < 0) {
        at(where, `the ${surface} command surface is missing (the unified manifest has a ${context} ribbon)`);
        continue;
      }
      const controls: Node[] = (points[i].OfficeTab ?? []).flatMap((t: Node) => (t.Group ?? []).flatMap((g: Node) => {
        resid(g.Label, `${where}/Group[@id=${String(g["@_id"])}]/Label`, strings);
        return g.Control ?? [];
      }));
      const expected = facts.controlsByContext.get(context) ?? [];
      const ids = controls.map((c) => String(c["@_id"]));
      if (ids.join(",") !== expected.join(",")) at(where, `controls ${ids.join(", ") || "(none)"} differ from the unified manifest's ${context} controls ${expected.join(", ") || "(none)"}`);
      for (const c of controls) {
        const cw = `${where}/Control[@id=${String(c["@_id"])}]`;
        resid(c.Label, `${cw}/Label`, strings);
        resid(c.Supertip?.Title, `${cw}/Supertip/Title`, strings);
        resid(c.Supertip?.Description, `${cw}/Supertip/Description`, strings);
        const icons: Node[] = c.Icon?.["bt:Image"] ?? [];
        for (const size of [16, 32, 80]) {
          const icon = icons.find((im) => Number(im["@_size"]) === size);
          if (!icon) at(`${cw}/Icon`, `needs a ${size}px image`);
          else if (!images.has(String(icon["@_resid"]))) at(`${cw}/Icon`, `image resid "${String(icon["@_resid"])}" is not defined in Resources`);
          else checkIconUrl(images.get(String(icon["@_resid"]))!, size, `${base}/Resources/Images/Image[@id=${String(icon["@_resid"])}]`);
        }
        if (c.Action?.["@_xsi:type"] !== "ShowTaskpane") at(`${cw}/Action`, 'must be xsi:type="ShowTaskpane"');
        else {
          const r = String(c.Action.SourceLocation?.["@_resid"] ?? "");
          if (!urls.has(r)) at(`${cw}/Action/SourceLocation`, `resid "${r}" is not defined in Resources/Urls`);
          else sameTaskPane(urls.get(r)!, `${base}/Resources/Urls/Url[@id=${r}]`);
        }
      }
    }
    const web = vo.WebApplicationInfo;
    if (facts.webApplicationInfo) {
      if (!web) at(`${base}/WebApplicationInfo`, "is missing (single sign-on needs the app registration's id and resource)");
      else {
        if (text(web.Id) !== facts.webApplicationInfo.id) at(`${base}/WebApplicationInfo/Id`, `must be ${facts.webApplicationInfo.id}, as in the unified manifest`);
        if (text(web.Resource) !== facts.webApplicationInfo.resource) at(`${base}/WebApplicationInfo/Resource`, `must be ${facts.webApplicationInfo.resource}, as in the unified manifest`);
      }
    }
  }
}

/** Every attribute value and text in the document with an XPath-like location. */
function* walk(node: Node, where: string): Generator<[string, string]> {
  if (typeof node === "string") {
    yield [where, node.trim()];
    return;
  }
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* walk(node[i], `${where}[${i}]`);
    return;
  }
  if (!node || typeof node !== "object") return;
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith("@_xmlns")) continue; // namespace names are identifiers, not URLs to load
    if (k.startsWith("@_")) {
      if (typeof v === "string") yield [`${where}/@${k.slice(2)}`, v.trim()];
    } else yield* walk(v, k === "#text" ? where : `${where}/${k.replace(/^bt:/, "")}`);
  }
}
