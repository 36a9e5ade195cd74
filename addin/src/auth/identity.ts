// Who is signed in, and tokens for the Leeway API and for Graph, whichever way the pane signed in.
import type { OutlookHost } from "../office/host";
import { forgetLocalSignIn, LOCAL_GRAPH_BASE, localGraphToken } from "./local-signin";
import { clearSession, loadSession, SignInRequiredError, type Session } from "./session";

export interface Identity {
  session: Session;
  apiToken(): Promise<string>;
  graphToken(): Promise<string>;
  graphBase: string;
  signOut(): void;
}

/** The local tenant's sign-in (outside Outlook): the stored session until it expires. */
export function localIdentity(session: Session): Identity {
  return {
    session,
    async apiToken() {
      const s = loadSession();
      if (!s) throw new SignInRequiredError("Your sign-in has expired; please sign in again.");
      return s.accessToken;
    },
    graphToken: localGraphToken,
    graphBase: `${window.location.origin}${LOCAL_GRAPH_BASE}`,
    signOut() {
      clearSession();
      forgetLocalSignIn();
    },
  };
}

/** Inside Outlook: tokens through nested app authentication, renewed silently when they expire. */
export async function outlookIdentity(host: OutlookHost, interactive: boolean): Promise<Identity> {
  const { outlookSignIn, graphTokenInOutlook } = await import("./outlook-signin");
  const session = await outlookSignIn(host, interactive);
  return {
    session,
    async apiToken() {
      return (loadSession() ?? (await outlookSignIn(host, false))).accessToken;
    },
    graphToken: () => graphTokenInOutlook(host),
    graphBase: "https://graph.microsoft.com/v1.0",
    signOut: clearSession,
  };
}
