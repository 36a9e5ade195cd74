import type { AppContext } from "../../context";
import type { ApiBuilder } from "../../http/api-builder";

export function auditRoutes(_api: ApiBuilder, _ctx: AppContext): void {
  // Routes of this resource are registered here.
}
