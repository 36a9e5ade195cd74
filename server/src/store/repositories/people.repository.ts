import type { EntityManager } from "typeorm";
import { PersonEntity, TeamEntity, TeamMembershipEntity, TenantEntity } from "../entities";
import type { WorkingHours } from "../entities/person.entity";
import { findOne, queryRows } from "../entity-sql";
import { sqlParams } from "./sql-params";
import type { TenantSettings } from "../entities/tenant.entity";

export interface Person {
  tenantId: string;
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string | null;
  jobTitle: string | null;
  department: string | null;
  managerId: string | null;
  timeZone: string;
  workingHours: WorkingHours | null;
  syncedAt: string;
}

export interface Team {
  tenantId: string;
  id: string;
  name: string;
  description: string;
  rhythm: "weekly" | "biweekly";
}

export interface Tenant {
  id: string;
  name: string;
  settings: TenantSettings;
}

const person = (e: PersonEntity): Person => ({
  tenantId: e.tenantId,
  id: e.id,
  displayName: e.displayName,
  mail: e.mail,
  userPrincipalName: e.userPrincipalName,
  jobTitle: e.jobTitle,
  department: e.department,
  managerId: e.managerId,
  timeZone: e.timeZone,
  workingHours: e.workingHours,
  syncedAt: e.syncedAt,
});

const team = (e: TeamEntity): Team => ({ tenantId: e.tenantId, id: e.id, name: e.name, description: e.description, rhythm: e.rhythm });

const teamsOf = (p1: string, p2: string) =>
  `SELECT t.tenant_id AS "tenantId", t.id, t.name, t.description, t.rhythm FROM team_membership tm
   JOIN team t ON t.tenant_id = tm.tenant_id AND t.id = tm.team_id
   WHERE tm.tenant_id = ${p1} AND tm.person_id = ${p2} ORDER BY t.name`;
const TEAMS_OF_PG = teamsOf("$1", "$2");
const TEAMS_OF_SQLITE = teamsOf("?", "?");

/** People, teams and tenants as plain objects. */
export class PeopleRepository {
  async tenant(m: EntityManager, id: string): Promise<Tenant | null> {
    const e = await m.findOneBy(TenantEntity, { id });
    return e ? { id: e.id, name: e.name, settings: e.settings } : null;
  }

  async saveTenant(m: EntityManager, t: Tenant & { createdAt: string }): Promise<void> {
    await m.save(TenantEntity, m.create(TenantEntity, t));
  }

  /**
   * Records a tenant unless it is recorded already, and says whether this call recorded it. Two
   * people of a new tenant who sign in at once both find no tenant; the second waits for the
   * first's row and then leaves it be, rather than failing on its key.
   */
  async registerTenant(m: EntityManager, t: Tenant & { createdAt: string }): Promise<boolean> {
    const p = sqlParams(m);
    const sql = `INSERT INTO tenant (id, name, settings, created_at) VALUES (${p.add(t.id)}, ${p.add(t.name)}, ${p.add(JSON.stringify(t.settings))}, ${p.add(t.createdAt)})
      ON CONFLICT (id) DO NOTHING RETURNING id`;
    return (await queryRows<{ id: string }>(m, sql, p.values)).length === 1;
  }

  async person(m: EntityManager, tenantId: string, id: string): Promise<Person | null> {
    const e = await findOne(m, PersonEntity, { tenantId, id });
    return e ? person(e) : null;
  }

  async people(m: EntityManager, tenantId: string, ids: readonly string[]): Promise<Person[]> {
    if (ids.length === 0) return [];
    const rows = await m.createQueryBuilder(PersonEntity, "p").where("p.tenantId = :tenantId AND p.id IN (:...ids)", { tenantId, ids: [...new Set(ids)] }).getMany();
    return rows.map(person);
  }

  async savePerson(m: EntityManager, p: Person): Promise<void> {
    await m.save(PersonEntity, m.create(PersonEntity, p));
  }

  async directReports(m: EntityManager, tenantId: string, managerId: string): Promise<Person[]> {
    return (await m.findBy(PersonEntity, { tenantId, managerId })).map(person);
  }

  /** The manager chain upwards from a person (not including them), stopping at cycles. */
  async managerChain(m: EntityManager, tenantId: string, personId: string, maxDepth = 20): Promise<string[]> {
    const chain: string[] = [];
    let current = await this.person(m, tenantId, personId);
    while (current?.managerId && chain.length < maxDepth && !chain.includes(current.managerId) && current.managerId !== personId) {
      chain.push(current.managerId);
      current = await this.person(m, tenantId, current.managerId);
    }
    return chain;
  }

  async team(m: EntityManager, tenantId: string, id: string): Promise<Team | null> {
    const e = await m.findOneBy(TeamEntity, { tenantId, id });
    return e ? team(e) : null;
  }

  async teamsOf(m: EntityManager, tenantId: string, personId: string): Promise<Team[]> {
    const pg = m.connection.options.type === "postgres";
    return queryRows<Team>(m, pg ? TEAMS_OF_PG : TEAMS_OF_SQLITE, [tenantId, personId]);
  }

  /** The teams of each of several people (a manager's reports, say), by name, in one read. */
  async teamsOfPeople(m: EntityManager, tenantId: string, personIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
    const out = new Map<string, { id: string; name: string }[]>(personIds.map((id) => [id, []]));
    if (personIds.length === 0) return out;
    const rows = await m
      .getRepository(TeamMembershipEntity)
      .createQueryBuilder("tm")
      .innerJoin(TeamEntity, "t", "t.tenantId = tm.tenantId AND t.id = tm.teamId")
      .select("tm.personId", "personId")
      .addSelect("t.id", "id")
      .addSelect("t.name", "name")
      .where("tm.tenantId = :tenantId AND tm.personId IN (:...personIds)", { tenantId, personIds })
      .orderBy("t.name", "ASC")
      .getRawMany<{ personId: string; id: string; name: string }>();
    for (const r of rows) out.get(r.personId)?.push({ id: r.id, name: r.name });
    return out;
  }

  async teamMemberIds(m: EntityManager, tenantId: string, teamId: string): Promise<string[]> {
    const rows = await m.findBy(TeamMembershipEntity, { tenantId, teamId });
    return rows.map((r) => r.personId);
  }

  async saveTeam(m: EntityManager, t: Team & { createdAt: string }): Promise<void> {
    await m.save(TeamEntity, m.create(TeamEntity, t));
  }

  async addMember(m: EntityManager, tenantId: string, teamId: string, personId: string, role: "lead" | "member"): Promise<void> {
    await m.save(TeamMembershipEntity, m.create(TeamMembershipEntity, { tenantId, teamId, personId, role }));
  }
}
