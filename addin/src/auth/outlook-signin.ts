// Sign-in inside Outlook: nested app authentication through MSAL
// (https://learn.microsoft.com/office/dev/add-ins/develop/enable-nested-app-authentication-in-your-add-in),
// and Office's own single sign-on where the host does not offer it. MSAL is loaded only here,
// so the pane outside Outlook does not download it.
import type { IPublicClientApplication } from "@azure/msal-browser";
import type { OutlookHost } from "../office/host";
import { API_SCOPE, AUTHORITY, CLIENT_ID } from "./config";
import { saveSession, sessionFromToken, type Session } from "./session";

type Pca = IPublicClientApplication;
let pca: Promise<Pca> | null = null;

async function nestedClient(): Promise<Pca> {
  pca ??= import("@azure/msal-browser").then((msal) => msal.createNestablePublicClientApplication({ auth: { clientId: CLIENT_ID, authority: AUTHORITY } }));
  return pca;
}

function toSession(accessToken: string, expiresOn: Date | null): Session {
  const seconds = expiresOn ? Math.max(60, Math.round((expiresOn.getTime() - Date.now()) / 1000)) : 3600;
  const session = sessionFromToken(accessToken, seconds);
  saveSession(session);
  return session;
}

/** A token for the Leeway API for the person signed in to Outlook; prompts only when it must. */
export async function outlookSignIn(host: OutlookHost, interactive: boolean): Promise<Session> {
  if (host.supportsNestedAuth) {
    const client = await nestedClient();
    try {
      // Outlook hands MSAL the signed-in account, so no account or hint is needed here.
      const r = await client.acquireTokenSilent({ scopes: [API_SCOPE] });
      return toSession(r.accessToken, r.expiresOn);
    } catch (err) {
      if (!interactive) throw err;
      const r = await client.acquireTokenPopup({ scopes: [API_SCOPE], loginHint: host.user.email });
      return toSession(r.accessToken, r.expiresOn);
    }
  }
  const token = await host.ssoToken();
  return toSession(token, null);
}

/** A Graph token to look people up; only nested app authentication can give one to the pane. */
export async function graphTokenInOutlook(host: OutlookHost): Promise<string> {
  if (!host.supportsNestedAuth) throw new Error("This version of Outlook cannot give the add-in a Microsoft Graph token.");
  const client = await nestedClient();
  const r = await client.acquireTokenSilent({ scopes: ["User.ReadBasic.All"] });
  return r.accessToken;
}
