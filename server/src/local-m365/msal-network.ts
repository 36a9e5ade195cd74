// msal-node 7 sends its requests with the global fetch and has no option for extra trusted
// certificates (the old `customAgentOptions` is gone). A process can trust the local tenant's
// self-signed certificate through NODE_EXTRA_CA_CERTS at start-up; where that is not possible
// (a test process, a server that creates the certificate itself), hand MSAL this network client
// as `system.networkClient`. It trusts exactly the given certificate(s) and nothing else.
import { request as httpsRequest } from "node:https";
import { request as httpRequest, type IncomingMessage } from "node:http";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";

export interface TrustingNetworkClientOptions {
  /** PEM certificate(s) to trust, e.g. the `cert` of loadOrCreateLocalTlsCredentials. */
  ca: string | string[];
  /** Per-request timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
}

function collect(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    res.on("error", reject);
  });
}

function send<T>(url: string, method: "GET" | "POST", ca: string | string[], timeoutMs: number, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
  const target = new URL(url);
  const body = method === "POST" ? (options?.body ?? "") : undefined;
  const headers: Record<string, string> = { ...(options?.headers ?? {}) };
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  const requestFn = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = requestFn(target, { method, headers, ca, timeout: timeout ?? timeoutMs }, (res) => {
      collect(res).then((text) => {
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
        }
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : {};
        } catch {
          reject(new Error(`Failed to parse response from ${target.origin}${target.pathname}: status ${res.statusCode ?? 0}`));
          return;
        }
        resolve({ headers: responseHeaders, body: parsed as T, status: res.statusCode ?? 0 });
      }, reject);
    });
    req.on("timeout", () => req.destroy(new Error("Request timeout")));
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** An msal-node network client that trusts the given CA certificate(s). */
export function createTrustingNetworkClient(options: TrustingNetworkClientOptions): INetworkModule {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    sendGetRequestAsync<T>(url: string, requestOptions?: NetworkRequestOptions, timeout?: number) {
      return send<T>(url, "GET", options.ca, timeoutMs, requestOptions, timeout);
    },
    sendPostRequestAsync<T>(url: string, requestOptions?: NetworkRequestOptions) {
      return send<T>(url, "POST", options.ca, timeoutMs, requestOptions);
    },
  };
}
