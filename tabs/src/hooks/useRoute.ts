import { useEffect, useState } from "react";

// Hash routes, so the tab works from a static folder and Teams deep links can name a page:
// #/my, #/team[/<teamId>], #/config, #/manager, #/admin, #/compliance, #/outcome/<id>, #/outcome/new.
export type PageName = "my" | "team" | "config" | "manager" | "admin" | "compliance" | "outcome" | "new-outcome";

export interface Route {
  page: PageName;
  /** The outcome of #/outcome/<id>, or the team of #/team/<teamId>. */
  id: string | null;
  params: URLSearchParams;
}

const PAGES = new Set<PageName>(["my", "team", "config", "manager", "admin", "compliance", "outcome"]);

export function parseRoute(hash: string): Route {
  const [pathPart = "", queryPart = ""] = hash.replace(/^#/, "").split("?");
  const [, first = "", second = ""] = pathPart.split("/");
  const params = new URLSearchParams(queryPart);
  const id = second ? decodeURIComponent(second) : null;
  if (first === "outcome" && id === "new") return { page: "new-outcome", id: null, params };
  if (PAGES.has(first as PageName)) return { page: first as PageName, id, params };
  return { page: "my", id: null, params };
}

export function navigate(to: string): void {
  if (location.hash !== `#${to}`) location.hash = to;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
