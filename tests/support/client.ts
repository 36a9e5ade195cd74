import request from "supertest";
import type { TestServer } from "./harness";

export const UPN = {
  megan: "megan.bowen@contoso.test",
  adele: "adele.vance@contoso.test",
  alex: "alex.wilber@contoso.test",
  diego: "diego.siciliani@contoso.test",
  lidia: "lidia.holloway@contoso.test",
  miriam: "miriam.graham@contoso.test",
  grady: "grady.archie@contoso.test",
  nestor: "nestor.wilke@fabrikam.test",
  patti: "patti.fernandez@fabrikam.test",
} as const;
export type Who = keyof typeof UPN;

/** A person's view of the API: requests carry their token. */
export interface As {
  id: string;
  teams: { id: string; name: string }[];
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  patch(path: string, body: unknown, etag?: string): request.Test;
}

export async function people(s: TestServer, who: Who[] = Object.keys(UPN) as Who[]): Promise<Record<Who, As>> {
  const out = {} as Record<Who, As>;
  for (const w of who) {
    const token = await s.token(UPN[w]);
    const auth = (t: request.Test) => t.set("Authorization", `Bearer ${token}`);
    const me = await auth(request(s.baseUrl).get("/api/v1/me"));
    if (me.status !== 200) throw new Error(`GET /me for ${w}: ${me.status} ${JSON.stringify(me.body)}`);
    out[w] = {
      id: me.body.id,
      teams: me.body.teams,
      get: (path) => auth(request(s.baseUrl).get(path)),
      post: (path, body) => auth(request(s.baseUrl).post(path)).send(body as object),
      patch: (path, body, etag) => {
        const t = auth(request(s.baseUrl).patch(path)).send(body as object);
        return etag ? t.set("If-Match", etag) : t;
      },
    };
  }
  return out;
}

/** A date `days` from today, as YYYY-MM-DD. */
export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export function outcomeBody(ownerId: string, teamId: string, over: Record<string, unknown> = {}) {
  return {
    title: "Cut loan decision time",
    ownerId,
    teamId,
    measure: { metric: "Median days to decision", unit: "days", baseline: 10, target: 5 },
    deadline: inDays(60),
    ifMissed: "We re-plan with the risk team and report the delay to the board.",
    visibility: "team",
    ...over,
  };
}
