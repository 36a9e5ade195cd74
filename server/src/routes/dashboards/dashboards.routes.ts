import type { AppContext } from "../../context";
import { DashboardTeams, MyDashboard, TeamDashboard, TeamDashboardParams, TeamDashboardQuery } from "../../contract/dashboards";
import type { ApiBuilder } from "../../http/api-builder";
import { DashboardService } from "../../services/dashboard.service";

const tags = ["dashboards"];

/** The team dashboard (a Teams channel tab) and the personal one (the Teams personal tab and Outlook). */
export function dashboardRoutes(api: ApiBuilder, ctx: AppContext): void {
  const dashboards = new DashboardService(ctx);

  api.route(
    {
      method: "get",
      path: "/api/v1/dashboards/team/{teamId}",
      summary: "A team's outcomes, rhythm adherence, signs of balance, pitfalls, review causes and weekly series",
      tags,
      params: TeamDashboardParams,
      query: TeamDashboardQuery,
      response: TeamDashboard,
      responseDescription:
        "Every figure carries its definition. Readable by the team's members, anyone above a member in the manager chain, compliance officers and admins; " +
        "lists and figures cover only the team's outcomes the caller may see, so a private outcome shows in no count. The period defaults to the 90 days up to now; " +
        "a `from` after `to` (after now when `to` is absent) is refused.",
      errors: {
        403: "The caller is in the tenant but is neither a member of the team, a manager above a member, a compliance officer nor an admin.",
        404: "No team with that id in the caller's tenant.",
      },
    },
    ({ principal, params, query }) => dashboards.team(principal, params.teamId, query),
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/dashboards/teams",
      summary: "The teams whose dashboards the caller may read, by name, each with why",
      tags,
      response: DashboardTeams,
      responseDescription: "Their own teams, those of anyone below them in the manager chain, and for compliance officers and admins every team of the tenant.",
    },
    ({ principal }) => dashboards.teams(principal),
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/dashboards/me",
      summary: "The caller's outcomes, next check-ins, agreements waiting for them and, as a manager, what needs attention",
      tags,
      response: MyDashboard,
    },
    ({ principal }) => dashboards.me(principal),
  );
}
