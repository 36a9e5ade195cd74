// The local tenant's sign-in page: pick a demo person instead of typing a password.
// Everything that comes from the request is escaped; the page needs no script.
import type { DemoPerson, DemoTenant } from "./demo-directory";

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface SignInPageInput {
  tenant: DemoTenant;
  /** The authorize request's parameters, carried through the form as hidden fields. */
  params: Record<string, string>;
  loginHint?: string;
  clientId: string;
  error?: string;
}

const STYLE = `
body{font-family:"Segoe UI",system-ui,sans-serif;margin:0;background:#f3f2f1;color:#242424}
main{max-width:44rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.5rem;margin:0 0 .5rem}
p{line-height:1.4}
ul{list-style:none;padding:0;margin:1rem 0 0;display:grid;gap:.5rem}
button{width:100%;text-align:left;padding:.6rem .9rem;border:1px solid #8a8886;border-radius:4px;background:#fff;font:inherit;cursor:pointer;display:grid;gap:.1rem}
button:hover{background:#f3f2f1}
button:focus-visible{outline:3px solid #0f6cbd;outline-offset:2px}
.name{font-weight:600}
.upn,.roles{font-size:.875rem;color:#424242}
.hint{border-color:#0f6cbd;border-width:2px}
.error{color:#a4262c;font-weight:600}
`;

function personButton(p: DemoPerson, suggested: boolean): string {
  const roles = p.roles.length > 0 ? p.roles.join(", ") : "none";
  return `<li><button type="submit" name="upn" value="${escapeHtml(p.userPrincipalName)}"${suggested ? ' class="hint"' : ""}>
<span class="name">${escapeHtml(p.displayName)}${suggested ? " (suggested)" : ""}</span>
<span class="upn">${escapeHtml(p.userPrincipalName)} · ${escapeHtml(p.jobTitle)}</span>
<span class="roles">Leeway roles: ${escapeHtml(roles)}</span>
</button></li>`;
}

export function renderSignInPage(input: SignInPageInput): string {
  const { tenant } = input;
  const hint = input.loginHint?.toLowerCase();
  const people = [...tenant.people].sort((a, b) => a.displayName.localeCompare(b.displayName));
  const suggested = people.find((p) => p.userPrincipalName.toLowerCase() === hint);
  const ordered = suggested ? [suggested, ...people.filter((p) => p !== suggested)] : people;
  const hidden = Object.entries(input.params)
    .filter(([name]) => name !== "upn")
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
  const title = `Sign in to ${tenant.name} (local tenant)`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>This is the local stand-in for Microsoft Entra ID, for development and tests only. Choose who you want to be; no password is needed.</p>
<p>Application: <code>${escapeHtml(input.clientId)}</code></p>
${input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : ""}
<form method="post" aria-labelledby="people-heading">
${hidden}
<h2 id="people-heading">People in ${escapeHtml(tenant.name)}</h2>
<ul>
${ordered.map((p) => personButton(p, p === suggested)).join("\n")}
</ul>
</form>
</main>
</body>
</html>
`;
}

/** A small page for errors that must not be sent back to an unverified redirect URI. */
export function renderErrorPage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p></main></body>
</html>
`;
}

/** The form that posts the response back when the client asked for response_mode=form_post. */
export function renderFormPost(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Signing in…</title></head>
<body>
<form method="post" action="${escapeHtml(action)}">
${inputs}
<p>Press Continue to return to the application.</p>
<button type="submit">Continue</button>
</form>
</body>
</html>
`;
}
