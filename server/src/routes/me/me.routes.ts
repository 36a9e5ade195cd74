import type { AppContext } from "../../context";
import { Me, PeopleOut, PeopleQuery } from "../../contract/me";
import { NotFoundError } from "../../errors";
import type { ApiBuilder } from "../../http/api-builder";
import { PeopleRepository } from "../../store/repositories/people.repository";

const repo = new PeopleRepository();

export function meRoutes(api: ApiBuilder, ctx: AppContext): void {
  api.route(
    { method: "get", path: "/api/v1/me", summary: "The caller: who they are, their manager, roles and teams", tags: ["me"], response: Me },
    async ({ principal }): Promise<Me> => {
      const m = ctx.dataSource.manager;
      const person = await repo.person(m, principal.tenantId, principal.userId);
      if (!person) throw new NotFoundError("person");
      const reports = await repo.directReports(m, principal.tenantId, principal.userId);
      // The caller's teams and each report's, in one read: a manager proposes an outcome for a
      // report in one of the report's teams.
      const teamsBy = await repo.teamsOfPeople(m, principal.tenantId, [principal.userId, ...reports.map((r) => r.id)]);
      return {
        id: person.id,
        tenantId: person.tenantId,
        displayName: person.displayName,
        mail: person.mail,
        roles: principal.roles,
        managerId: person.managerId,
        timeZone: person.timeZone,
        teams: teamsBy.get(principal.userId) ?? [],
        directReports: reports.map((r) => ({ id: r.id, displayName: r.displayName, teams: teamsBy.get(r.id) ?? [] })),
      };
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/people",
      summary: "Display names of people in the caller's tenant, by id, so pages can name the people an outcome, a history or an audit event mentions",
      tags: ["me"],
      query: PeopleQuery,
      response: PeopleOut,
    },
    async ({ principal, query }) => {
      // Names only, as the directory shows any member of the organisation; nothing across tenants.
      const people = await repo.people(ctx.dataSource.manager, principal.tenantId, query.ids.split(","));
      return { items: people.map((p) => ({ id: p.id, displayName: p.displayName })) };
    },
  );
}
