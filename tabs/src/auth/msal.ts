// MSAL for Microsoft Entra ID, loaded only when needed (it is the largest dependency):
// Nested App Authentication inside Teams and Outlook, and redirect sign-in in a plain browser.
import {
  InteractionRequiredAuthError,
  createNestablePublicClientApplication,
  createStandardPublicClientApplication,
  type AccountInfo,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import type { TabConfig } from "../config";
import { accountFromToken, type SignedInAccount, type TokenSource } from "./token";

const fromMsal = (a: AccountInfo | null): SignedInAccount | null =>
  a ? { oid: a.localAccountId, tenantId: a.tenantId, name: a.name ?? "", username: a.username } : null;

function sourceOf(kind: "msal" | "naa", pca: IPublicClientApplication, scopes: string[], interactive: (account: AccountInfo | null) => Promise<string>): TokenSource {
  let account: SignedInAccount | null = null;
  const remember = (token: string) => {
    account = accountFromToken(token) ?? account;
    return token;
  };
  return {
    kind,
    account: () => account ?? fromMsal(pca.getActiveAccount() ?? pca.getAllAccounts()[0] ?? null),
    async getToken(forceRefresh = false) {
      const msalAccount = pca.getActiveAccount() ?? pca.getAllAccounts()[0] ?? null;
      if (msalAccount) {
        try {
          const r = await pca.acquireTokenSilent({ scopes, account: msalAccount, forceRefresh });
          return remember(r.accessToken);
        } catch (err) {
          if (!(err instanceof InteractionRequiredAuthError)) throw err;
        }
      }
      return remember(await interactive(msalAccount));
    },
    signOut:
      kind === "msal"
        ? () => {
            void pca.logoutRedirect();
          }
        : null,
  };
}

/** NAA: the host (Teams, Outlook, Microsoft 365) brokers the token; no page of our own is shown. */
export async function nestedAppTokenSource(config: TabConfig): Promise<TokenSource> {
  const pca = await createNestablePublicClientApplication({ auth: { clientId: config.clientId, authority: config.authority } });
  const scopes = [config.apiScope];
  return sourceOf("naa", pca, scopes, async () => {
    try {
      return (await pca.ssoSilent({ scopes })).accessToken;
    } catch (err) {
      if (!(err instanceof InteractionRequiredAuthError)) throw err;
      return (await pca.acquireTokenPopup({ scopes })).accessToken;
    }
  });
}

/** Plain browser against Entra ID: redirect sign-in through the bridge page next to index.html. */
export async function browserMsalTokenSource(config: TabConfig): Promise<TokenSource> {
  const redirectUri = new URL("./auth-redirect.html", location.href).toString();
  const pca = await createStandardPublicClientApplication({
    auth: { clientId: config.clientId, authority: config.authority, redirectUri },
    cache: { cacheLocation: "sessionStorage" },
  });
  const result = await pca.handleRedirectPromise();
  if (result?.account) pca.setActiveAccount(result.account);
  const scopes = [config.apiScope];
  return sourceOf("msal", pca, scopes, async (account) => {
    await pca.acquireTokenRedirect({ scopes, ...(account ? { account } : {}) });
    return new Promise<never>(() => undefined);
  });
}
