import request from "supertest";

/** One person's view of the API (any demo UPN), with the person's object id. */
export interface Actor {
  id: string;
  upn: string;
  get(path: string): request.Test;
  post(path: string, body?: unknown, ifMatch?: string): request.Test;
  patch(path: string, body: unknown, ifMatch?: string): request.Test;
}

export const CONTOSO_UPN = (name: string) => `${name}@contoso.test`;

export async function actor(baseUrl: string, token: (upn: string) => Promise<string>, upn: string): Promise<Actor> {
  const t = await token(upn);
  const auth = (r: request.Test) => r.set("Authorization", `Bearer ${t}`);
  const me = await auth(request(baseUrl).get("/api/v1/me"));
  if (me.status !== 200) throw new Error(`GET /me for ${upn}: ${me.status} ${JSON.stringify(me.body)}`);
  return {
    id: me.body.id as string,
    upn,
    get: (path) => auth(request(baseUrl).get(path)),
    post: (path, body, ifMatch) => {
      const r = auth(request(baseUrl).post(path)).send((body ?? {}) as object);
      return ifMatch ? r.set("If-Match", ifMatch) : r;
    },
    patch: (path, body, ifMatch) => {
      const r = auth(request(baseUrl).patch(path)).send(body as object);
      return ifMatch ? r.set("If-Match", ifMatch) : r;
    },
  };
}

export async function actors<K extends string>(baseUrl: string, token: (upn: string) => Promise<string>, upns: Record<K, string>): Promise<Record<K, Actor>> {
  const out = {} as Record<K, Actor>;
  for (const [k, upn] of Object.entries(upns) as [K, string][]) out[k] = await actor(baseUrl, token, upn);
  return out;
}

/** An outcome owned by `owner` in `teamId`, agreed by `manager` when given. */
export async function agreedOutcome(owner: Actor, teamId: string, manager: Actor | null, title = "Cut loan decision time"): Promise<{ id: string; title: string }> {
  const created = await owner.post("/api/v1/outcomes", {
    title,
    ownerId: owner.id,
    teamId,
    measure: { metric: "Median days to decision", unit: "days", baseline: 10, target: 5 },
    deadline: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
    ifMissed: "We re-plan with the risk team and report the delay.",
    visibility: "team",
  });
  if (created.status !== 201) throw new Error(`outcome: ${created.status} ${JSON.stringify(created.body)}`);
  if (manager) {
    const agreed = await manager.post(`/api/v1/outcomes/${created.body.id}/agreement`, { version: 1 });
    if (agreed.status !== 200) throw new Error(`agreement: ${agreed.status} ${JSON.stringify(agreed.body)}`);
  }
  return { id: created.body.id as string, title };
}

/** A Contoso boundary proposed by Miriam and approved by Lidia (maker-checker). */
export async function activeBoundary(miriam: Actor, lidia: Actor, body: Record<string, unknown>): Promise<string> {
  const created = await miriam.post("/api/v1/boundaries", { reason: "Set for a test of check-in schedules", ...body });
  if (created.status !== 201) throw new Error(`boundary: ${created.status} ${JSON.stringify(created.body)}`);
  if (created.body.state !== "active") {
    const approved = await lidia.post(`/api/v1/boundaries/${created.body.id}/approve`, {});
    if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${JSON.stringify(approved.body)}`);
  }
  return created.body.id as string;
}
