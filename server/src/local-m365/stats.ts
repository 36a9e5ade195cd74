// Counts of Graph traffic, so tests can check that code batches and caches as it claims.
// A round trip is one HTTP request to Graph; a $batch is one round trip however many requests
// it carries, which are counted separately as batched requests.

export interface GraphStatsSnapshot {
  /** HTTP requests per "METHOD /path/{template}", e.g. "GET /users/{id}/mailboxSettings". */
  roundTrips: Record<string, number>;
  /** Requests carried inside $batch calls, per template. */
  batched: Record<string, number>;
  totalRoundTrips: number;
  totalBatched: number;
}

export type StatsFilter = string | RegExp;

export interface GraphStats {
  /** Round trips whose template equals the string (or matches the RegExp); all of them without a filter. */
  count(filter?: StatsFilter): number;
  /** The same for requests carried inside $batch calls. */
  countBatched(filter?: StatsFilter): number;
  snapshot(): GraphStatsSnapshot;
  reset(): void;
}

export interface GraphStatsRecorder extends GraphStats {
  recordRoundTrip(template: string): void;
  recordBatched(template: string): void;
}

function sum(counts: Map<string, number>, filter?: StatsFilter): number {
  let total = 0;
  for (const [key, n] of counts) {
    if (filter === undefined || (typeof filter === "string" ? key === filter : filter.test(key))) total += n;
  }
  return total;
}

export function createGraphStats(): GraphStatsRecorder {
  const roundTrips = new Map<string, number>();
  const batched = new Map<string, number>();
  const bump = (m: Map<string, number>, key: string): void => {
    m.set(key, (m.get(key) ?? 0) + 1);
  };
  return {
    recordRoundTrip: (template) => bump(roundTrips, template),
    recordBatched: (template) => bump(batched, template),
    count: (filter) => sum(roundTrips, filter),
    countBatched: (filter) => sum(batched, filter),
    snapshot: () => ({
      roundTrips: Object.fromEntries(roundTrips),
      batched: Object.fromEntries(batched),
      totalRoundTrips: sum(roundTrips),
      totalBatched: sum(batched),
    }),
    reset: () => {
      roundTrips.clear();
      batched.clear();
    },
  };
}
