// Runtime configuration from config.json next to index.html, so one build serves every
// environment: a deployment replaces the file instead of rebuilding the tab.

export interface TenantChoice {
  id: string;
  name: string;
}

export interface TabConfig {
  /** "local": the server's built-in Microsoft 365 tenant; "entra": Microsoft Entra ID through MSAL. */
  signIn: "local" | "entra";
  clientId: string;
  apiScope: string;
  /** Entra authority for MSAL (Nested App Authentication and browser sign-in). */
  authority: string;
  /** Tenants offered by the local sign-in; the first is the default. */
  tenants: TenantChoice[];
}

const DEFAULTS: TabConfig = {
  signIn: "local",
  clientId: "11111111-1eee-4a11-8000-00000000a001",
  apiScope: "api://leeway/access_as_user",
  authority: "https://login.microsoftonline.com/organizations",
  tenants: [{ id: "c0c0c0c0-0000-4000-8000-000000000001", name: "Contoso" }],
};

function isTenantList(v: unknown): v is TenantChoice[] {
  return Array.isArray(v) && v.every((t) => t && typeof t === "object" && typeof (t as TenantChoice).id === "string" && typeof (t as TenantChoice).name === "string");
}

export async function loadConfig(): Promise<TabConfig> {
  try {
    const res = await fetch("./config.json", { credentials: "same-origin" });
    if (!res.ok) return DEFAULTS;
    const raw = (await res.json()) as Partial<TabConfig>;
    return {
      signIn: raw.signIn === "entra" ? "entra" : "local",
      clientId: typeof raw.clientId === "string" ? raw.clientId : DEFAULTS.clientId,
      apiScope: typeof raw.apiScope === "string" ? raw.apiScope : DEFAULTS.apiScope,
      authority: typeof raw.authority === "string" ? raw.authority : DEFAULTS.authority,
      tenants: isTenantList(raw.tenants) && raw.tenants.length > 0 ? raw.tenants : DEFAULTS.tenants,
    };
  } catch {
    // A missing or unreadable file means a local developer build: the defaults are the local tenant.
    return DEFAULTS;
  }
}
