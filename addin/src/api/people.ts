// Names and mail addresses of the people to invite, from Microsoft Graph (User.ReadBasic.All):
// Leeway's API names people by object id, Outlook invites them by address.
import type { Person } from "./types";

export interface Directory {
  people(ids: string[]): Promise<Map<string, Person>>;
}

interface GraphUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
}

/** Looks people up with one `$batch` request per 20 ids (Graph's limit). */
export class GraphDirectory implements Directory {
  private readonly cache = new Map<string, Person>();

  constructor(
    private readonly token: () => Promise<string>,
    private readonly base: string,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  async people(ids: string[]): Promise<Map<string, Person>> {
    const wanted = [...new Set(ids)].filter((id) => !this.cache.has(id));
    for (let i = 0; i < wanted.length; i += 20) {
      const chunk = wanted.slice(i, i + 20);
      const requests = chunk.map((id, n) => ({ id: String(n), method: "GET", url: `/users/${encodeURIComponent(id)}?$select=id,displayName,mail,userPrincipalName` }));
      const res = await this.fetchFn(`${this.base}/$batch`, {
        method: "POST",
        headers: { authorization: `Bearer ${await this.token()}`, "content-type": "application/json" },
        body: JSON.stringify({ requests }),
      });
      if (!res.ok) throw new Error(`The directory did not answer (${res.status}).`);
      const body = (await res.json()) as { responses?: { id: string; status: number; body?: GraphUser }[] };
      for (const r of body.responses ?? []) {
        const id = chunk[Number(r.id)];
        if (!id || r.status !== 200 || !r.body) continue;
        this.cache.set(id, { id, displayName: r.body.displayName ?? id, mail: r.body.mail ?? r.body.userPrincipalName ?? null });
      }
    }
    return new Map(ids.flatMap((id) => (this.cache.has(id) ? [[id, this.cache.get(id) as Person]] : [])));
  }
}
