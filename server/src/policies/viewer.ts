import type { EntityManager } from "typeorm";
import { ROLES, type Principal } from "../identity/principal";
import { queryRows } from "../store/entity-sql";
import { PeopleRepository } from "../store/repositories/people.repository";

/**
 * What the server knows about a caller for deciding what they may see: their teams and
 * everyone below them in the manager chain. Built once per request.
 */
export interface Viewer {
  tenantId: string;
  userId: string;
  roles: string[];
  teamIds: Set<string>;
  /** Everyone whose manager chain includes the viewer (direct and indirect reports). */
  reportIds: Set<string>;
  isCompliance: boolean;
  isAdmin: boolean;
}

const people = new PeopleRepository();

export async function viewerOf(m: EntityManager, p: Principal): Promise<Viewer> {
  const [teams, reports] = await Promise.all([people.teamsOf(m, p.tenantId, p.userId), reportsOf(m, p.tenantId, p.userId)]);
  return {
    tenantId: p.tenantId,
    userId: p.userId,
    roles: p.roles,
    teamIds: new Set(teams.map((t) => t.id)),
    reportIds: new Set(reports),
    isCompliance: p.roles.includes(ROLES.compliance),
    isAdmin: p.roles.includes(ROLES.admin),
  };
}

/** Direct and indirect reports, in one recursive query (the same SQL on SQLite and PostgreSQL). */
export async function reportsOf(m: EntityManager, tenantId: string, managerId: string): Promise<string[]> {
  const pg = m.connection.options.type === "postgres";
  const p = (n: number) => (pg ? `$${n}` : "?");
  const rows = await queryRows<{ id: string }>(
    m,
    `WITH RECURSIVE reports(id, depth) AS (
       SELECT id, 1 FROM person WHERE tenant_id = ${p(1)} AND manager_id = ${p(2)}
       UNION
       SELECT person.id, reports.depth + 1 FROM person JOIN reports ON person.manager_id = reports.id
       WHERE person.tenant_id = ${p(3)} AND reports.depth < 20
     ) SELECT DISTINCT id FROM reports`,
    [tenantId, managerId, tenantId],
  );
  return rows.map((r) => r.id).filter((id) => id !== managerId);
}

export interface VisibleThing {
  ownerId: string;
  teamId: string;
  visibility: string;
  delegateIds?: readonly string[];
}

/** private: owner, delegates, the owner's manager chain, compliance; team: also team members; public: the whole tenant. */
export function canSee(v: Viewer, o: VisibleThing): boolean {
  if (o.ownerId === v.userId || v.isCompliance || v.reportIds.has(o.ownerId)) return true;
  if (o.delegateIds?.includes(v.userId)) return true;
  if (o.visibility === "public") return true;
  return o.visibility === "team" && v.teamIds.has(o.teamId);
}
