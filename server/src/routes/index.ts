import type { AppContext } from "../context";
import type { ApiBuilder } from "../http/api-builder";
import { auditRoutes } from "./audit/audit.routes";
import { boundaryRoutes } from "./boundaries/boundaries.routes";
import { dashboardRoutes } from "./dashboards/dashboards.routes";
import { meRoutes } from "./me/me.routes";
import { outcomeRoutes } from "./outcomes/outcomes.routes";
import { scheduleRoutes } from "./schedules/schedules.routes";

/** Every /api/v1 resource. Each registers its handlers and their schemas (for validation and OpenAPI). */
export function registerRoutes(api: ApiBuilder, ctx: AppContext): void {
  meRoutes(api, ctx);
  outcomeRoutes(api, ctx);
  boundaryRoutes(api, ctx);
  dashboardRoutes(api, ctx);
  auditRoutes(api, ctx);
  scheduleRoutes(api, ctx);
}
