import { In, IsNull, LessThan, type EntityManager, type EntityTarget, type ObjectLiteral } from "typeorm";
import { applicableBoundaries, effectiveRules, retentionCutoff, type Boundary } from "../domain/boundaries";
import { BoundaryRepository } from "../store/repositories/boundary.repository";
import { CheckInEntity, CommentEntity, ReviewEntity } from "../store/entities";
import type { UnitOfWork } from "../store/unit-of-work";
import { SYSTEM_ACTOR_ID } from "./demo-seed";

const BATCH = 500;
const boundaries = new BoundaryRepository();

/** Another instance cleared the same records first: this batch writes nothing. */
class ClearedElsewhere extends Error {}

interface Target {
  entity: EntityTarget<ObjectLiteral>;
  name: string;
  /** The free-text columns and the value that clears each. */
  clear: Record<string, string | null>;
}

/** Records that carry free text. Each has tenantId, id, outcomeId, teamId, at and redactedAt. */
const TARGETS: Target[] = [
  { entity: CheckInEntity, name: "check_in", clear: { note: null, blockers: null, supportNeeded: null, nextStep: null, ideas: "[]" } },
  { entity: CommentEntity, name: "comment", clear: { text: null } },
  { entity: ReviewEntity, name: "review", clear: { whatBlocked: "", whatCouldImprove: "", supportNeeded: null } },
];

interface Row {
  id: string;
  teamId: string;
  outcomeId: string;
  at: string;
}

/**
 * Clears free text older than the retention boundary in force for its outcome's owner and team.
 * The rows stay, so figures and history keep their shape, with `redactedAt` set; the audit trail
 * holds only digests of free text, so nothing readable outlives retention. Audited as the system.
 */
export async function sweepRetention(uow: UnitOfWork, now = new Date()): Promise<number> {
  const m = uow.dataSource.manager;
  const tenants: { tenant_id: string }[] = await m.query("SELECT DISTINCT tenant_id FROM boundary WHERE kind = 'retention' AND state = 'active'");
  let cleared = 0;
  for (const { tenant_id: tenantId } of tenants) {
    const active = await boundaries.active(m, tenantId);
    const days = active.flatMap((b) => (b.rule.kind === "retention" ? [b.rule.freeTextDays] : []));
    if (days.length === 0) continue;
    // Nothing newer than the shortest retention in force can be due anywhere in the tenant.
    const earliest = new Date(now.getTime() - Math.min(...days) * 86_400_000).toISOString();
    for (const t of TARGETS) cleared += await sweepTarget(uow, m, tenantId, active, t, earliest, now.toISOString());
  }
  return cleared;
}

async function sweepTarget(uow: UnitOfWork, m: EntityManager, tenantId: string, active: Boundary[], t: Target, earliest: string, now: string): Promise<number> {
  const rows = (await m.find(t.entity, {
    where: { tenantId, redactedAt: IsNull(), at: LessThan(earliest) },
    select: { id: true, teamId: true, outcomeId: true, at: true },
    take: BATCH,
  })) as Row[];
  if (rows.length === 0) return 0;
  const owners = await ownersOf(m, tenantId, rows);
  const due = rows.filter((r) => {
    const rules = effectiveRules(applicableBoundaries(active, { teamIds: [r.teamId], personId: owners.get(r.outcomeId) ?? null }, now));
    const { cutoff } = retentionCutoff(rules, now);
    return cutoff !== null && r.at < cutoff;
  });
  if (due.length === 0) return 0;
  try {
    return await uow.run({ tenantId, actor: { tenantId, userId: SYSTEM_ACTOR_ID }, requestId: null }, async (tx) => {
      // Only text still there: another instance sweeping at the same moment clears each record once.
      const still = (await tx.manager.find(t.entity, { where: { tenantId, id: In(due.map((r) => r.id)), redactedAt: IsNull() }, select: { id: true }, order: { id: "ASC" } })) as { id: string }[];
      const ids = still.map((r) => r.id);
      if (ids.length === 0) throw new ClearedElsewhere();
      const res = await tx.manager.update(t.entity, { tenantId, id: In(ids), redactedAt: IsNull() }, { ...t.clear, redactedAt: now });
      if (res.affected !== undefined && res.affected !== ids.length) throw new ClearedElsewhere();
      tx.audit({
        action: "retention.cleared",
        entity: t.name,
        entityId: ids.length === 1 ? ids[0]! : `${ids.length} records`,
        changes: { ids: { after: ids }, fields: { after: Object.keys(t.clear) } },
        reason: "free text past the retention period of a boundary in force",
      });
      return ids.length;
    });
  } catch (err) {
    if (err instanceof ClearedElsewhere) return 0;
    throw err;
  }
}

async function ownersOf(m: EntityManager, tenantId: string, rows: Row[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.outcomeId))];
  const found: { id: string; owner_id: string }[] = await m
    .createQueryBuilder()
    .select(["o.id AS id", "o.owner_id AS owner_id"])
    .from("outcome", "o")
    .where("o.tenant_id = :tenantId AND o.id IN (:...ids)", { tenantId, ids })
    .getRawMany();
  return new Map(found.map((f) => [f.id, f.owner_id]));
}
