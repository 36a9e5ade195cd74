// Start-up, after boot.ts began the network requests: the host (Teams or a plain browser), a
// token, who the person is; the shell renders as soon as that is known.
import { createRoot } from "react-dom/client";
import { Api } from "./api";
import { messageOf } from "./api/client";
import type { Me } from "./api/types";
import type { TokenSource } from "./auth/token";
import type { EarlyStart } from "./boot";
import type { TabConfig } from "./config";
import { deepLinkFollowed, deepLinkRoute } from "./host/deep-link";
import { connectToTeams, type TeamsHost } from "./host/teams";
import { themeFromAddress, themeFromSystem } from "./host/theme";
import { App } from "./App";
import { offerPrefetch } from "./api/prefetch";
import { loadTheme } from "./theme";

const root = createRoot(document.getElementById("root") as HTMLElement);

/** Inside Teams: NAA when the host recommends it, else teams-js SSO. */
async function hostTokens(config: TabConfig, host: TeamsHost): Promise<TokenSource> {
  if (host.naaRecommended()) {
    try {
      const { nestedAppTokenSource } = await import("./auth/msal");
      return await nestedAppTokenSource(config);
    } catch (err) {
      console.warn("Nested App Authentication is not available; using Teams SSO instead.", err);
    }
  }
  const { teamsSsoTokenSource } = await import("./auth/teams-sso");
  return teamsSsoTokenSource(host);
}

/** In a plain browser against Entra ID: MSAL (loaded only then); null = show sign-in. */
async function entraTokens(config: TabConfig): Promise<TokenSource | null> {
  const { browserMsalTokenSource } = await import("./auth/msal");
  const source = await browserMsalTokenSource(config);
  return source.account() ? source : null;
}

export async function start(early: EarlyStart): Promise<void> {
  const [config, host] = await Promise.all([early.config, connectToTeams()]);
  const theme = host?.theme ?? themeFromAddress() ?? themeFromSystem();
  const fluentTheme = loadTheme(theme);
  const signIn = async (error?: string, canRetry = true) => {
    const [{ default: SignInScreen }, t] = await Promise.all([import("./pages/SignInScreen"), fluentTheme]);
    root.render(<SignInScreen theme={t} config={config} error={error} canRetry={canRetry} />);
  };
  let tokens: TokenSource | null;
  let session: Awaited<EarlyStart["session"]>;
  try {
    session = await early.session;
    if (config.signIn !== "local") session = null;
    tokens = host ? await hostTokens(config, host) : (session?.tokens ?? (config.signIn === "entra" ? await entraTokens(config) : null));
  } catch (err) {
    return signIn(messageOf(err), !host);
  }
  if (!tokens) return signIn();
  // A Teams deep link names the outcome in subPageId ("outcome:<id>"): show it, once. Teams hands
  // the frame the same subPageId when it reloads (a retry after an error, say), and the person
  // may have moved on from the outcome by then.
  if (host?.subPageId && !deepLinkFollowed(host.subPageId)) {
    const linked = deepLinkRoute(host.subPageId, location.hash);
    if (linked) history.replaceState(null, "", linked);
  }
  const api = session?.api ?? new Api(tokens);
  if (session?.mine) offerPrefetch("my-outcomes", session.mine);
  let me: Me;
  try {
    me = await (session?.me ?? api.me());
  } catch (err) {
    host?.teams.app.notifyFailure({ reason: host.teams.app.FailedReason.Other, message: messageOf(err) });
    return signIn(`Leeway could not load your profile: ${messageOf(err)}`, !!tokens.signOut);
  }
  await fluentTheme;
  root.render(<App session={{ me, api, tokens, config, host, theme }} />);
  if (host) void host.teams.app.notifySuccess();
}

