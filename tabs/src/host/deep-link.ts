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

const FOLLOWED = "leeway.deepLink";

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * Whether this frame has already seen the deep link; marks it seen either way. Kept in session
 * storage, which lasts as long as the frame; without storage every start follows it.
 */
export function deepLinkFollowed(subPageId: string, storage: KeyValueStore | null = safeSessionStorage()): boolean {
  if (!storage) return false;
  const followed = storage.getItem(FOLLOWED) === subPageId;
  storage.setItem(FOLLOWED, subPageId);
  return followed;
}

function safeSessionStorage(): KeyValueStore | null {
  try {
    // Reading it throws where the host blocks storage for the frame.
    return (globalThis as { sessionStorage?: KeyValueStore }).sessionStorage ?? null;
  } catch {
    return null;
  }
}
