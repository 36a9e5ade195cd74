import { MAX_BATCH, retryAfterSeconds, runBatch, type BatchRequest, type BatchResponse } from "./graph-batch";

const reqs = (n: number): BatchRequest[] => Array.from({ length: n }, (_, i) => ({ id: String(i + 1), method: "GET", url: `/users/u${i}/mailboxSettings` }));

describe("$batch with throttled parts", () => {
  it("sends at most 20 requests per batch", async () => {
    const sizes: number[] = [];
    const out = await runBatch(async (chunk) => {
      sizes.push(chunk.length);
      return chunk.map((r) => ({ id: r.id, status: 200, body: { ok: r.url } }));
    }, reqs(45));
    expect(sizes).toEqual([MAX_BATCH, MAX_BATCH, 5]);
    expect(out.size).toBe(45);
  });

  it("sends throttled parts again, together, after the longest Retry-After they carried", async () => {
    const sent: string[][] = [];
    const slept: number[] = [];
    let round = 0;
    const out = await runBatch(
      async (chunk) => {
        sent.push(chunk.map((r) => r.id));
        round++;
        return chunk.map((r): BatchResponse => {
          if (round === 1 && r.id === "2") return { id: r.id, status: 429, headers: { "Retry-After": "3" } };
          if (round === 1 && r.id === "4") return { id: r.id, status: 503, headers: { "retry-after": "1" } };
          if (round === 2 && r.id === "4") return { id: r.id, status: 504 };
          return { id: r.id, status: 200 };
        });
      },
      reqs(5),
      { sleep: async (ms) => void slept.push(ms), baseDelayMs: 500 },
    );
    expect(sent).toEqual([["1", "2", "3", "4", "5"], ["2", "4"], ["4"]]);
    expect(slept[0]).toBeGreaterThanOrEqual(3000);
    expect(slept[1]).toBeGreaterThanOrEqual(1000); // no Retry-After: 500 ms doubled for the second round
    expect([...out.values()].every((r) => r.status === 200)).toBe(true);
  });

  it("starts no wait that would end past its time budget, and answers with the refusal it had", async () => {
    let clock = 0;
    const sent: string[][] = [];
    const out = await runBatch(
      async (chunk) => {
        sent.push(chunk.map((r) => r.id));
        return chunk.map((r): BatchResponse => (r.id === "2" ? { id: r.id, status: 429, headers: { "Retry-After": sent.length === 1 ? "1" : "30" } } : { id: r.id, status: 200 }));
      },
      reqs(3),
      { sleep: async (ms) => void (clock += ms), now: () => clock, budgetMs: 5_000 },
    );
    // One wait of a second fits the budget; one of thirty does not.
    expect(sent).toEqual([["1", "2", "3"], ["2"]]);
    expect(clock).toBeLessThan(5_000);
    expect(out.get("2")).toMatchObject({ status: 429 });
    expect(out.get("1")).toMatchObject({ status: 200 });
  });

  it("gives up after its rounds and answers with the last refusal", async () => {
    const out = await runBatch(async (chunk) => chunk.map((r) => ({ id: r.id, status: 429, headers: { "Retry-After": "0" } })), reqs(2), { maxRounds: 2, sleep: async () => undefined });
    expect([...out.values()].map((r) => r.status)).toEqual([429, 429]);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(retryAfterSeconds("5")).toBe(5);
    expect(retryAfterSeconds(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThanOrEqual(9);
    expect(retryAfterSeconds("soon")).toBeUndefined();
    expect(retryAfterSeconds(null)).toBeUndefined();
  });
});
