import { createContext, useContext, useEffect, useState } from "react";
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
/** Ids already asked for, found or not: each is looked up once per session. */
const asked = new Set<string>();
/** As the API takes them. */
const ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Pages showing names: each renders again when names arrive, whichever page asked for them. */
const listeners = new Set<() => void>();

/** Remembers display names met anywhere (me, direct reports, audit actors, dashboards). */
export function rememberName(id: string, name: string | null | undefined): void {
  if (id && name) known.set(id, name);
}

/**
 * Looks up the names of the people a page mentions that it has not met yet, and renders the page
 * again when they arrive, so `nameOf` names them. Ids the directory does not know stay unnamed.
 */
export function useNames(ids: readonly (string | null | undefined)[]): void {
  const { api } = useSession();
  const [, setArrived] = useState(0);
  useEffect(() => {
    const arrived = () => setArrived((n) => n + 1);
    listeners.add(arrived);
    return () => {
      listeners.delete(arrived);
    };
  }, []);
  const missing = [...new Set(ids.filter((id): id is string => !!id && !known.has(id) && !asked.has(id) && ID.test(id)))].sort().join(",");
  useEffect(() => {
    if (!missing) return;
    const wanted = missing.split(",");
    for (const id of wanted) asked.add(id);
    api
      .people(wanted)
      .then((people) => {
        for (const p of people) rememberName(p.id, p.displayName);
        if (people.length > 0) for (const arrived of listeners) arrived();
      })
      // A name is a courtesy: without it the page still says who by relation or id; a later page asks again.
      .catch(() => {
        for (const id of wanted) asked.delete(id);
      });
  }, [api, missing]);
}

export function nameOf(id: string | null | undefined, me?: Me): string {
  if (!id) return "—";
  if (me && id === me.id) return `${me.displayName} (you)`;
  const name = known.get(id);
  if (name) return name;
  // Not looked up (yet, or not in the directory): a manager is named by the relation.
  if (me && id === me.managerId) return "your manager";
  return `a colleague (…${id.slice(-4)})`;
}
