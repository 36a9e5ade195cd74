// Injected Graph faults for tests: throttling, outages, slow answers and timeouts, each for a
// given number of matching calls.
import { randomUUID } from "node:crypto";
import { z } from "zod";

export type FaultKind = "throttle" | "unavailable" | "slow" | "timeout";

export interface FaultSpec {
  /** A substring of, or a regular expression (source) matched against, "METHOD /path" (path below /v1.0). */
  route: string;
  kind: FaultKind;
  /** How many matching calls the fault applies to. */
  count: number;
  retryAfterSeconds?: number;
  delayMs?: number;
}

export interface ActiveFault extends FaultSpec {
  id: string;
  remaining: number;
}

export interface FaultController {
  inject(spec: FaultSpec): ActiveFault;
  clear(): void;
  list(): ActiveFault[];
  /** Takes one use of the first fault matching "METHOD /path", if any. */
  take(call: string): ActiveFault | undefined;
  /** How many requests a slow or timeout fault is holding right now. */
  held(): number;
  /** Counts a request as held while `wait` runs. */
  hold<T>(wait: Promise<T>): Promise<T>;
}

export const faultSpecSchema = z.strictObject({
  route: z.string().min(1).max(500),
  kind: z.enum(["throttle", "unavailable", "slow", "timeout"]),
  count: z.number().int().min(1).max(100_000),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
});

function matcher(route: string): (call: string) => boolean {
  let pattern: RegExp | undefined;
  try {
    pattern = new RegExp(route);
  } catch {
    pattern = undefined;
  }
  return (call) => call.includes(route) || (pattern?.test(call) ?? false);
}

export function createFaultController(): FaultController {
  const faults: (ActiveFault & { matches: (call: string) => boolean })[] = [];
  let holding = 0;
  const publicView = (f: ActiveFault): ActiveFault => ({
    id: f.id,
    route: f.route,
    kind: f.kind,
    count: f.count,
    remaining: f.remaining,
    ...(f.retryAfterSeconds !== undefined ? { retryAfterSeconds: f.retryAfterSeconds } : {}),
    ...(f.delayMs !== undefined ? { delayMs: f.delayMs } : {}),
  });
  return {
    inject(spec) {
      const parsed = faultSpecSchema.parse(spec);
      const fault = { ...parsed, id: randomUUID(), remaining: parsed.count, matches: matcher(parsed.route) };
      faults.push(fault);
      return publicView(fault);
    },
    clear() {
      faults.length = 0;
    },
    list() {
      return faults.map(publicView);
    },
    take(call) {
      const index = faults.findIndex((f) => f.remaining > 0 && f.matches(call));
      const fault = faults[index];
      if (!fault) return undefined;
      fault.remaining -= 1;
      if (fault.remaining === 0) faults.splice(index, 1);
      return publicView(fault);
    },
    held() {
      return holding;
    },
    async hold(wait) {
      holding += 1;
      try {
        return await wait;
      } finally {
        holding -= 1;
      }
    },
  };
}
