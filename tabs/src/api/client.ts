// A small typed client for the Leeway API: bearer token, JSON, ETag/If-Match, and RFC 9457
// problem details turned into ApiError so that forms can show them beside their fields.
import type { TokenSource } from "../auth/token";

export interface FieldProblem {
  path: string;
  message: string;
}

export interface BoundaryFinding {
  boundaryId: string;
  boundaryName: string;
  kind?: string;
  rule: string;
  enforcement?: "block" | "warn";
  message: string;
  path?: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  requestId?: string;
  code?: string;
  errors?: FieldProblem[];
  /** 412: the version the server holds now. */
  currentVersion?: number;
  /** 422: the boundary that blocked the write. */
  boundary?: { id: string; name: string; kind?: string; rule?: string };
  findings?: BoundaryFinding[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
  }

  /** Field messages keyed by path ("measure.target"), for forms. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) if (e.path && !(e.path in out)) out[e.path] = e.message;
    for (const f of this.problem.findings ?? []) if (f.path && !(f.path in out)) out[f.path] = f.message;
    return out;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  ifMatch?: string;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  etag: string | null;
}

function toQueryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}

async function problemOf(res: Response): Promise<Problem> {
  const fallback: Problem = { type: "about:blank", title: res.statusText || `HTTP ${res.status}`, status: res.status };
  const text = await res.text().catch(() => "");
  if (!text) return fallback;
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    return { ...fallback, ...body, status: res.status };
  } catch {
    return { ...fallback, detail: text.slice(0, 300) };
  }
}

export class ApiClient {
  constructor(
    private readonly tokens: TokenSource,
    private readonly base = `${location.origin}/api/v1`,
  ) {}

  /** A fetch with the bearer token; on 401 it retries once with a fresh token. */
  async fetch(path: string, init: RequestInit & { query?: Query } = {}): Promise<Response> {
    const url = `${this.base}${path}${toQueryString(init.query)}`;
    const send = async (forceRefresh: boolean) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${await this.tokens.getToken(forceRefresh)}`);
      try {
        return await fetch(url, { ...init, headers });
      } catch (err) {
        if ((err as Error).name === "AbortError") throw err;
        throw new ApiError(0, { type: "network", title: "The server could not be reached", status: 0, detail: "Check your connection and try again." });
      }
    };
    let res = await send(false);
    if (res.status === 401) res = await send(true);
    return res;
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    if (opts.ifMatch) headers["if-match"] = opts.ifMatch;
    const res = await this.fetch(path, {
      method,
      headers,
      query: opts.query,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
    if (!res.ok) throw new ApiError(res.status, await problemOf(res));
    const data = (res.status === 204 ? undefined : await res.json()) as T;
    return { data, etag: res.headers.get("etag") };
  }

  async get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return (await this.request<T>("GET", path, { query, signal })).data;
  }

  async post<T>(path: string, body: unknown = {}): Promise<T> {
    return (await this.request<T>("POST", path, { body })).data;
  }
}

/** A human sentence for any error the API client or a page may throw. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) {
    const p = err.problem;
    if (p.boundary?.rule) return `Blocked by the boundary “${p.boundary.name}”: ${p.boundary.rule}`;
    return p.detail ?? p.title;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
