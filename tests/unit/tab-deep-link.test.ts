// A shared outcome link opened in Teams: the tab's content URL already has its own route, and the
// link must still open the outcome it names.
import { deepLinkFollowed, deepLinkRoute } from "../../tabs/src/host/deep-link";

describe("Teams deep link to an outcome", () => {
  test("opens the outcome over the route of the tab it was opened in", () => {
    expect(deepLinkRoute("outcome:6f1c2d3e-0000-4000-8000-000000000001", "#/my")).toBe("#/outcome/6f1c2d3e-0000-4000-8000-000000000001");
    expect(deepLinkRoute("outcome:6f1c2d3e-0000-4000-8000-000000000001", "#/team/c0c0c0c0-2000-4000-8000-000000000001")).toBe("#/outcome/6f1c2d3e-0000-4000-8000-000000000001");
    expect(deepLinkRoute("outcome:6f1c2d3e-0000-4000-8000-000000000001", "")).toBe("#/outcome/6f1c2d3e-0000-4000-8000-000000000001");
  });

  test("keeps the route when there is no link, another kind of link, or the outcome is already open", () => {
    expect(deepLinkRoute(null, "#/my")).toBeNull();
    expect(deepLinkRoute("team:c0c0c0c0", "#/my")).toBeNull();
    expect(deepLinkRoute("outcome:", "#/my")).toBeNull();
    expect(deepLinkRoute("outcome:abc", "#/outcome/abc")).toBeNull();
  });

  test("encodes an id so it stays one path segment", () => {
    expect(deepLinkRoute("outcome:a/b?c", "#/my")).toBe("#/outcome/a%2Fb%3Fc");
  });

  test("is followed once per frame: a reload after the person moved on keeps their page", () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(deepLinkFollowed("outcome:abc", storage)).toBe(false);
    expect(deepLinkFollowed("outcome:abc", storage)).toBe(true);
    // Another shared link opened in the same frame is followed.
    expect(deepLinkFollowed("outcome:def", storage)).toBe(false);
    expect(deepLinkFollowed("outcome:abc", null)).toBe(false);
  });
});
