import fs from "node:fs";
import { ConfidentialClientApplication, InteractionRequiredAuthError, type Configuration } from "@azure/msal-node";
import type { Logger } from "pino";
import type { GraphCaller } from "./graph-api";

export interface GraphTokenProvider {
  getToken(caller: GraphCaller): Promise<string>;
}

const GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";

/**
 * Entra ID will not exchange the person's token until something is done by a person: consent to
 * the app's Graph permissions, or a sign-in step such as multifactor authentication that a
 * Conditional Access policy asks for. Asking again does not help, so this is never retried.
 */
export class GraphConsentRequiredError extends Error {
  override readonly name = "GraphConsentRequiredError";
  constructor(
    readonly errorCode: string,
    readonly subError: string,
    detail: string,
  ) {
    super(detail);
  }
}

/**
 * Caches tokens until shortly before they expire and lets only one request per key refresh
 * at a time, so a burst of requests costs one round trip to the token endpoint.
 */
abstract class CachingProvider implements GraphTokenProvider {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<string>>();

  async getToken(caller: GraphCaller): Promise<string> {
    const key = `${caller.tenantId}|${caller.userAssertion ?? "app"}`;
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt - 5 * 60_000 > Date.now()) return hit.token;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetchToken(caller)
        .then(({ token, expiresAt }) => {
          if (this.cache.size > 5000) this.cache.clear();
          this.cache.set(key, { token, expiresAt });
          return token;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  protected abstract fetchToken(caller: GraphCaller): Promise<{ token: string; expiresAt: number }>;
}

/** The app registration's certificate for MSAL: the private key read from its PEM file, with its SHA-256 thumbprint. */
export function loadClientCertificate(cert: { file: string; thumbprintSha256: string }): { thumbprintSha256: string; privateKey: string } {
  const pem = fs.readFileSync(cert.file, "utf8");
  const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!key) throw new Error(`no private key in ${cert.file}`);
  return { thumbprintSha256: cert.thumbprintSha256, privateKey: key };
}

/** Microsoft 365: MSAL's On-Behalf-Of flow for a user's requests, client credentials for background work. */
export class MsalGraphTokenProvider extends CachingProvider {
  private readonly apps = new Map<string, ConfidentialClientApplication>();

  constructor(
    private readonly opts: { authority: string; clientId: string; clientSecret?: string; clientCertificate?: { thumbprintSha256: string; privateKey: string } },
    private readonly log: Logger,
  ) {
    super();
  }

  private app(tenantId: string): ConfidentialClientApplication {
    let app = this.apps.get(tenantId);
    if (!app) {
      const config: Configuration = {
        auth: {
          clientId: this.opts.clientId,
          authority: `${this.opts.authority}/${tenantId}`,
          ...(this.opts.clientSecret ? { clientSecret: this.opts.clientSecret } : {}),
          ...(this.opts.clientCertificate ? { clientCertificate: this.opts.clientCertificate } : {}),
        },
        system: {
          loggerOptions: {
            piiLoggingEnabled: false,
            loggerCallback: (_level, message) => this.log.debug({ msal: message }, "msal"),
          },
        },
      };
      app = new ConfidentialClientApplication(config);
      this.apps.set(tenantId, app);
    }
    return app;
  }

  protected async fetchToken(caller: GraphCaller): Promise<{ token: string; expiresAt: number }> {
    const app = this.app(caller.tenantId);
    let result;
    try {
      result = caller.userAssertion
        ? await app.acquireTokenOnBehalfOf({ oboAssertion: caller.userAssertion, scopes: [GRAPH_DEFAULT_SCOPE] })
        : await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] });
    } catch (err) {
      if (err instanceof InteractionRequiredAuthError) throw new GraphConsentRequiredError(err.errorCode, err.subError, err.errorMessage);
      throw err;
    }
    if (!result?.accessToken) throw new Error("Microsoft Entra ID returned no access token");
    return { token: result.accessToken, expiresAt: result.expiresOn?.getTime() ?? Date.now() + 5 * 60_000 };
  }
}

/** The local tenant's token endpoint, spoken to over plain HTTP on loopback (MSAL insists on HTTPS). */
export class LocalGraphTokenProvider extends CachingProvider {
  constructor(private readonly opts: { authority: string; clientId: string }) {
    super();
  }

  protected async fetchToken(caller: GraphCaller): Promise<{ token: string; expiresAt: number }> {
    const form = new URLSearchParams({ client_id: this.opts.clientId, client_secret: "local", scope: GRAPH_DEFAULT_SCOPE });
    if (caller.userAssertion) {
      form.set("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
      form.set("requested_token_use", "on_behalf_of");
      form.set("assertion", caller.userAssertion);
    } else {
      form.set("grant_type", "client_credentials");
    }
    const res = await fetch(`${this.opts.authority}/${caller.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || !body.access_token) throw new Error(`local tenant refused a Graph token: ${body.error ?? res.status} ${body.error_description ?? ""}`.trim());
    return { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 };
  }
}
