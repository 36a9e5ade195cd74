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
}
