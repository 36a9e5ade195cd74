// The entry script, kept small: it starts what the first screen needs from the network (the
// configuration, finishing a sign-in, who the person is and their outcomes) and only then loads
// the app, so those requests overlap with evaluating React and Fluent UI.
import { Api } from "./api";
import type { Me, Outcome } from "./api/types";
import { completeLocalSignIn, isSignInAnswer, localTokenSource } from "./auth/local-signin";
import type { TokenSource } from "./auth/token";
import { loadConfig, type TabConfig } from "./config";
import { mayBeHosted } from "./host/teams";

/** A browser already signed in to the local tenant, with its first requests under way. */
export interface EarlySession {
  tokens: TokenSource;
  api: Api;
  me: Promise<Me>;
  /** The signed-in person's outcomes (the personal tab's list), when the token names them. */
  mine: Promise<Outcome[]> | null;
}

export interface EarlyStart {
  config: Promise<TabConfig>;
  /** null: hosted, or nobody signed in yet (the app decides what to do). */
  session: Promise<EarlySession | null>;
}

performance.mark("leeway:boot");

function firstRequests(tokens: TokenSource): EarlySession {
  const api = new Api(tokens);
  const me = api.me();
  const account = tokens.account();
  const personalTab = !location.hash || location.hash === "#/" || location.hash.startsWith("#/my");
  const mine = account && personalTab ? api.outcomes.listAll({ ownerId: account.oid }, undefined, 200) : null;
  // Whoever uses them handles their failures; until then they must not count as unhandled.
  me.catch(() => undefined);
  mine?.catch(() => undefined);
  return { tokens, api, me, mine };
}

function begin(): EarlyStart {
  const config = loadConfig();
  if (mayBeHosted()) return { config, session: Promise.resolve(null) };
  if (!isSignInAnswer()) {
    // Already signed in: ask for the person and their outcomes right away.
    const tokens = localTokenSource(() => config);
    return { config, session: Promise.resolve(tokens ? firstRequests(tokens) : null) };
  }
  const session = config.then(async (c) => {
    if (c.signIn !== "local") return null;
    await completeLocalSignIn(c);
    const tokens = localTokenSource(() => config);
    return tokens ? firstRequests(tokens) : null;
  });
  return { config, session };
}

const early = begin();
// One task later, so the API requests above leave before the app's modules: over HTTP/1.1 the
// browser opens six connections per host, and the requests would otherwise queue behind them.
setTimeout(() => void import("./main").then((m) => m.start(early)), 0);
