import { createContext, useContext } from "react";
import type { Api } from "./api";
import type { Me } from "./api/types";
import type { TokenSource } from "./auth/token";
import type { TabConfig } from "./config";
import type { TeamsHost } from "./host/teams";
import type { ThemeName } from "./host/theme";

/** Who is signed in and how to reach the API: given to every page. */
export interface Session {
  me: Me;
  api: Api;
  tokens: TokenSource;
  config: TabConfig;
  host: TeamsHost | null;
  theme: ThemeName;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside a signed-in view");
  return s;
}

const known = new Map<string, string>();

/** Remembers display names met anywhere (me, direct reports, audit actors, dashboards). */
export function rememberName(id: string, name: string | null | undefined): void {
  if (id && name) known.set(id, name);
}

export function nameOf(id: string | null | undefined, me?: Me): string {
  if (!id) return "—";
  if (me && id === me.id) return `${me.displayName} (you)`;
  const name = known.get(id);
  if (name) return name;
  // There is no people lookup in the API: a manager not met elsewhere is named by the relation.
  if (me && id === me.managerId) return "your manager";
  return `a colleague (…${id.slice(-4)})`;
}
