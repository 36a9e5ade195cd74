import { ApiClient } from "./client";
import { DashboardsApi } from "./dashboards";
import { GovernanceApi } from "./governance";
import { OutcomesApi } from "./outcomes";
import type { TokenSource } from "../auth/token";
import type { Me } from "./types";

/** Everything the pages call, over one authenticated client. */
export class Api {
  readonly client: ApiClient;
  readonly outcomes: OutcomesApi;
  readonly governance: GovernanceApi;
  readonly dashboards: DashboardsApi;

  constructor(tokens: TokenSource) {
    this.client = new ApiClient(tokens);
    this.outcomes = new OutcomesApi(this.client);
    this.governance = new GovernanceApi(this.client);
    this.dashboards = new DashboardsApi(this.client);
  }

  me(signal?: AbortSignal): Promise<Me> {
    return this.client.get<Me>("/me", undefined, signal);
  }

  /** Display names of people in the tenant, 100 ids a request; unknown ids are left out. */
  async people(ids: readonly string[], signal?: AbortSignal): Promise<{ id: string; displayName: string }[]> {
    const out: { id: string; displayName: string }[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const page = await this.client.get<{ items: { id: string; displayName: string }[] }>("/people", { ids: ids.slice(i, i + 100).join(",") }, signal);
      out.push(...page.items);
    }
    return out;
  }
}
