import { GraphRequestError } from "../graph/graph-api";
import { backoffDelay } from "./worker";

describe("retry delays", () => {
  it("honours Graph's Retry-After", () => {
    expect(backoffDelay(1, 2000, new GraphRequestError(429, "TooManyRequests", "slow down", 7), () => 0)).toBe(7000);
    expect(backoffDelay(5, 2000, new GraphRequestError(503, "ServiceUnavailable", "later", 0), () => 0.99)).toBeLessThan(250);
  });

  it("grows exponentially with full jitter, capped at five minutes", () => {
    const low = (n: number) => backoffDelay(n, 1000, new Error("x"), () => 0);
    const high = (n: number) => backoffDelay(n, 1000, new Error("x"), () => 0.999999);
    expect([low(1), low(2), low(3), low(4)]).toEqual([500, 1000, 2000, 4000]);
    expect([high(1), high(2), high(3)]).toEqual([999, 1999, 3999]);
    expect(high(30)).toBeLessThanOrEqual(5 * 60_000);
    expect(low(30)).toBe(150_000);
  });

  it("sorts Graph's answers into worth retrying and final", () => {
    for (const status of [0, 408, 429, 500, 502, 503, 504]) expect(new GraphRequestError(status, "x", "y").transient).toBe(true);
    for (const status of [400, 403, 404, 405, 413, 422]) expect(new GraphRequestError(status, "x", "y").transient).toBe(false);
  });
});
