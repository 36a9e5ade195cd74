// Start-up: configuration and host (Teams or a plain browser) in parallel, then a token, then
// who the person is; the shell renders as soon as that is known.
import { createRoot } from "react-dom/client";
import { Api } from "./api";
import { messageOf } from "./api/client";
import type { Me } from "./api/types";
import { completeLocalSignIn, localTokenSource } from "./auth/local-signin";
import type { TokenSource } from "./auth/token";
import { loadConfig, type TabConfig } from "./config";
import { connectToTeams, type TeamsHost } from "./host/teams";
import { themeFromAddress, themeFromSystem } from "./host/theme";
import { App } from "./App";
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

/** In a plain browser: the local tenant's sign-in (or MSAL against Entra); null = show sign-in. */
async function browserTokens(config: TabConfig): Promise<TokenSource | null> {
  if (config.signIn === "entra") {
    const { browserMsalTokenSource } = await import("./auth/msal");
    const source = await browserMsalTokenSource(config);
    return source.account() ? source : null;
  }
  await completeLocalSignIn(config);
  return localTokenSource(config);
}

async function start(): Promise<void> {
  const [config, host] = await Promise.all([loadConfig(), connectToTeams()]);
  const theme = host?.theme ?? themeFromAddress() ?? themeFromSystem();
  const fluentTheme = loadTheme(theme);
  const signIn = async (error?: string, canRetry = true) => {
    const [{ default: SignInScreen }, t] = await Promise.all([import("./pages/SignInScreen"), fluentTheme]);
    root.render(<SignInScreen theme={t} config={config} error={error} canRetry={canRetry} />);
  };
  let tokens: TokenSource | null;
  try {
    tokens = host ? await hostTokens(config, host) : await browserTokens(config);
  } catch (err) {
    return signIn(messageOf(err), !host);
  }
  if (!tokens) return signIn();
  // A Teams deep link names the outcome in subPageId ("outcome:<id>"); show it unless a route is already set.
  if (host?.subPageId?.startsWith("outcome:") && !location.hash.startsWith("#/")) {
    history.replaceState(null, "", `#/outcome/${encodeURIComponent(host.subPageId.slice("outcome:".length))}`);
  }
  const api = new Api(tokens);
  let me: Me;
  try {
    me = await api.me();
  } catch (err) {
    host?.teams.app.notifyFailure({ reason: host.teams.app.FailedReason.Other, message: messageOf(err) });
    return signIn(`Leeway could not load your profile: ${messageOf(err)}`, !!tokens.signOut);
  }
  await fluentTheme;
  root.render(<App session={{ me, api, tokens, config, host, theme }} />);
  if (host) void host.teams.app.notifySuccess();
}

void start();
