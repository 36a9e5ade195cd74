/**
 * The route a Teams deep link asks for. A shared outcome link names the outcome in `subPageId`
 * ("outcome:<id>"); Teams opens it in a tab whose content URL already carries the tab's own route
 * (`#/my`, `#/team/<id>`), so the link wins over that route. Null: keep the route as it is.
 */
export function deepLinkRoute(subPageId: string | null | undefined, hash: string): string | null {
  if (!subPageId?.startsWith("outcome:")) return null;
  const id = subPageId.slice("outcome:".length);
  if (!id) return null;
  const route = `#/outcome/${encodeURIComponent(id)}`;
  return hash === route ? null : route;
}
