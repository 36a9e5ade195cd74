import type { Logger } from "pino";
import { demoTenants } from "../local-m365/demo-directory";
import { SYSTEM_ACTOR_ID } from "../store/audit-chain";
import { PeopleRepository } from "../store/repositories/people.repository";
import type { UnitOfWork } from "../store/unit-of-work";
import { seedDemoHistory } from "./demo-history";

const repo = new PeopleRepository();
export { SYSTEM_ACTOR_ID };

/**
 * Seeds the demo organisation on first start: each demo tenant with its people (as Graph
 * describes them) and teams and, unless `history` is false, its past (see demo-history.ts), all
 * in one unit of work per tenant audited as the system's action. A tenant already present is left alone.
 */
export async function seedDemoOrganisation(uow: UnitOfWork, log: Logger, options: { history?: boolean } = {}): Promise<string[]> {
  const seeded: string[] = [];
  for (const t of demoTenants) {
    if (await repo.tenant(uow.dataSource.manager, t.id)) continue;
    await uow.run({ tenantId: t.id, actor: { tenantId: t.id, userId: SYSTEM_ACTOR_ID }, requestId: "seed" }, async (tx) => {
      const now = new Date().toISOString();
      await repo.saveTenant(tx.manager, { id: t.id, name: t.name, settings: { requireBoundaryApproval: t.requireBoundaryApproval }, createdAt: now });
      tx.audit({ action: "tenant.registered", entity: "tenant", entityId: t.id, changes: { name: { after: t.name } }, reason: "demo organisation" });
      for (const p of t.people) {
        await repo.savePerson(tx.manager, {
          tenantId: t.id,
          id: p.id,
          displayName: p.displayName,
          mail: p.mail,
          userPrincipalName: p.userPrincipalName,
          jobTitle: p.jobTitle,
          department: p.department,
          managerId: p.managerId,
          timeZone: p.timeZone,
          workingHours: p.workingHours,
          syncedAt: now,
        });
        tx.audit({ action: "person.recorded", entity: "person", entityId: p.id, changes: { displayName: { after: p.displayName }, managerId: { after: p.managerId } }, reason: "demo organisation" });
      }
      for (const team of t.teams) {
        await repo.saveTeam(tx.manager, { tenantId: t.id, id: team.id, name: team.name, description: team.description, rhythm: "weekly", createdAt: now });
        for (const member of team.memberIds) await repo.addMember(tx.manager, t.id, team.id, member, member === team.leadId ? "lead" : "member");
        tx.audit({ action: "team.created", entity: "team", entityId: team.id, changes: { name: { after: team.name }, members: { after: team.memberIds } }, reason: "demo organisation" });
      }
      if (options.history ?? true) await seedDemoHistory(tx, t);
    });
    seeded.push(t.name);
  }
  if (seeded.length) log.info({ tenants: seeded }, "seeded the demo organisation");
  return seeded;
}
