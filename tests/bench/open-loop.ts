import http from "node:http";

export interface OpenLoopRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OpenLoopResult {
  rate: number;
  sent: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * Offers a fixed rate of requests, evenly spaced, whatever the answers do (an open loop), the
 * way independent users arrive. Each latency is counted from the moment the request was due, so
 * a request that had to wait for a free socket or a busy server counts its wait too.
 */
export async function openLoop(baseUrl: string, rate: number, seconds: number, next: () => OpenLoopRequest): Promise<OpenLoopResult> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.max(1, Math.round(rate * seconds));
  const interval = 1000 / rate;
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();

  const one = (due: number) =>
    new Promise<void>((resolve) => {
      const r = next();
      const req = http.request(
        { host: url.hostname, port: url.port, method: r.method, path: r.path, headers: { ...r.headers, ...(r.body ? { "content-length": Buffer.byteLength(r.body) } : {}) }, agent },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode && res.statusCode >= 400) errors++;
            latencies.push(performance.now() - due);
            resolve();
          });
        },
      );
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(r.body);
    });

  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(one(due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? Number.NaN;
  return { rate, sent: total, p50: at(0.5), p99: at(0.99), errors };
}
