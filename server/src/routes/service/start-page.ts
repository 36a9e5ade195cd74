import type { Config } from "../../config";

const PAGES: { href: string; label: string; what: string }[] = [
  { href: "/tabs/index.html#/my", label: "My outcomes", what: "personal tab: my outcomes, agreements waiting for me, check-ins" },
  { href: "/tabs/index.html#/team", label: "Team dashboard", what: "channel tab: outcomes, rhythm, signs of balance and pitfalls" },
  { href: "/tabs/index.html#/config", label: "Team dashboard configuration", what: "channel tab configuration page (pick the team)" },
  { href: "/tabs/index.html#/outcome/new", label: "New outcome", what: "propose an outcome: what, measure, target, deadline and what happens if it is missed" },
  { href: "/tabs/index.html#/manager", label: "Manager", what: "my people's outcomes, agreements to give, check-ins to coach" },
  { href: "/tabs/index.html#/admin", label: "Admin", what: "compliance boundaries and approvals" },
  { href: "/tabs/index.html#/compliance", label: "Compliance", what: "audit search, export and chain verification" },
  { href: "/addin/taskpane.html", label: "Outlook task pane", what: "check-ins in Outlook, on a preview appointment" },
];

/** The local start page: one place from which a person (or a browser test) reaches every page. */
export function startPage(config: Config): string {
  const items = PAGES.map((p) => `<li><a href="${p.href}">${p.label}</a> <span>— ${p.what}</span></li>`).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Leeway (local)</title>
<style>body{font-family:"Segoe UI",system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#242424}
a{color:#115ea3}li{margin:.4rem 0}span{color:#616161}code{background:#f5f5f5;padding:0 .25rem}</style></head>
<body><main>
<h1>Leeway</h1>
<p>Running locally against the built-in Microsoft 365 tenant (demo organisations Contoso and Fabrikam). Sign-in uses the local tenant's page.</p>
<ul>
${items}
</ul>
<h2>For developers</h2>
<ul>
<li><a href="/api/openapi.json">OpenAPI document</a></li>
<li><a href="/healthz">Health</a> and <a href="/readyz">readiness</a></li>
<li><a href="/local-m365/${"c0c0c0c0-0000-4000-8000-000000000001"}/v2.0/.well-known/openid-configuration">Local tenant discovery (Contoso)</a></li>
<li><a href="/.well-known/leeway/audit-signing-key">Audit checkpoint public key</a></li>
</ul>
<p>API base: <code>${config.publicUrl}/api/v1</code></p>
</main></body></html>`;
}
