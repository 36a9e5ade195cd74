// The Leeway API as the task pane uses it. Every call carries the signed-in person's token;
// errors come back as ApiProblem (problem+json).
import { ApiProblem, problemFrom } from "./problem";
import type { Boundary, CheckInList, CheckInResult, Me, NewCheckIn, NewSchedule, Outcome, Schedule, SlotRequest, Suggestions } from "./types";

export type TokenGetter = () => Promise<string>;

export class LeewayApi {
  constructor(
    private readonly token: TokenGetter,
    private readonly base = "",
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json", authorization: `Bearer ${await this.token()}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (err) {
      throw new ApiProblem(0, { title: "Leeway cannot be reached", detail: err instanceof Error ? err.message : String(err) });
    }
    if (!res.ok) throw await problemFrom(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  me(): Promise<Me> {
    return this.request("GET", "/api/v1/me");
  }

  /** Every outcome the caller may see (all pages). */
  async outcomes(query: { ownerId?: string } = {}): Promise<Outcome[]> {
    const out: Outcome[] = [];
    let cursor: string | null = null;
    do {
      const q = new URLSearchParams({ limit: "200", ...(query.ownerId ? { ownerId: query.ownerId } : {}), ...(cursor ? { cursor } : {}) });
      const page: { items: Outcome[]; nextCursor: string | null } = await this.request("GET", `/api/v1/outcomes?${q.toString()}`);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && out.length < 2000);
    return out;
  }

  outcome(id: string): Promise<Outcome> {
    return this.request("GET", `/api/v1/outcomes/${encodeURIComponent(id)}`);
  }

  checkIns(outcomeId: string): Promise<CheckInList> {
    return this.request("GET", `/api/v1/outcomes/${encodeURIComponent(outcomeId)}/check-ins`);
  }

  recordCheckIn(outcomeId: string, body: NewCheckIn): Promise<CheckInResult> {
    return this.request("POST", `/api/v1/outcomes/${encodeURIComponent(outcomeId)}/check-ins`, body);
  }

  async cadenceBoundaries(): Promise<Boundary[]> {
    const r: { items: Boundary[] } = await this.request("GET", "/api/v1/boundaries?kind=checkin_cadence");
    return r.items;
  }

  suggestions(body: SlotRequest): Promise<Suggestions> {
    return this.request("POST", "/api/v1/check-in-schedules/suggestions", body);
  }

  createSchedule(body: NewSchedule): Promise<Schedule> {
    return this.request("POST", "/api/v1/check-in-schedules", body);
  }

  schedule(id: string): Promise<Schedule> {
    return this.request("GET", `/api/v1/check-in-schedules/${encodeURIComponent(id)}`);
  }

  async schedulesOf(outcomeId: string): Promise<Schedule[]> {
    const r: { items: Schedule[] } = await this.request("GET", `/api/v1/check-in-schedules?outcomeId=${encodeURIComponent(outcomeId)}`);
    return r.items;
  }
}
