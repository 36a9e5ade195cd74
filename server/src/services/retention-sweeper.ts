import { And, In, IsNull, LessThan, MoreThan, type EntityManager, type EntityTarget, type ObjectLiteral } from "typeorm";
import { applicableBoundaries, effectiveRules, retentionCutoff, type Boundary } from "../domain/boundaries";
import { checkInFacts } from "../domain/check-in-facts";
import { BoundaryRepository } from "../store/repositories/boundary.repository";
import { CheckInEntity, CommentEntity, NudgeEntity, ReviewEntity, TeamMembershipEntity } from "../store/entities";
import type { UnitOfWork } from "../store/unit-of-work";
import { SYSTEM_ACTOR_ID } from "./demo-seed";

/** Records read per page, and pages per tenant and target in one sweep. */
const BATCH = 500;
const PAGES_PER_SWEEP = 20;
const boundaries = new BoundaryRepository();

/** Another instance cleared the same records first: this batch writes nothing. */
class ClearedElsewhere extends Error {}

interface Target {
  entity: EntityTarget<ObjectLiteral>;
  name: string;
  /** The free-text columns and the value that clears each. */
  clear: Record<string, string | null>;
  /** A column that holds free text among other values: each record's value, rewritten without the text. */
  rewrite?: { column: string; without: (stored: string) => string };
  /** Keeps what the figures count of the text before it is cleared. */
  keep?: (m: EntityManager, tenantId: string, ids: string[]) => Promise<void>;
}

/** A check-in written before its facts were counted (by an older server) is counted now, while its text is there. */
async function countCheckInFacts(m: EntityManager, tenantId: string, ids: string[]): Promise<void> {
  const uncounted = await m.find(CheckInEntity, {
    where: [
      { tenantId, id: In(ids), ideasCount: IsNull() },
      { tenantId, id: In(ids), supportAsked: IsNull() },
    ],
    select: { id: true, ideas: true, supportNeeded: true },
  });
  for (const c of uncounted) await m.update(CheckInEntity, { tenantId, id: c.id }, checkInFacts({ ideas: JSON.parse(c.ideas) as string[], supportNeeded: c.supportNeeded }));
}

/** A review's follow-up actions keep their owners and due dates; their descriptions are free text. */
function actionsWithoutText(stored: string): string {
  try {
    const actions = JSON.parse(stored) as { description?: string }[];
    return JSON.stringify(Array.isArray(actions) ? actions.map((a) => ({ ...a, description: "" })) : []);
  } catch {
    return "[]";
  }
}

/** Records that carry free text. Each has tenantId, id, outcomeId, teamId, at and redactedAt. */
const TARGETS: Target[] = [
  { entity: CheckInEntity, name: "check_in", clear: { note: null, blockers: null, supportNeeded: null, nextStep: null, ideas: "[]" }, keep: countCheckInFacts },
  { entity: CommentEntity, name: "comment", clear: { text: null } },
  { entity: ReviewEntity, name: "review", clear: { whatBlocked: "", whatCouldImprove: "", supportNeeded: null }, rewrite: { column: "actions", without: actionsWithoutText } },
  { entity: NudgeEntity, name: "nudge", clear: { message: null } },
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

/** Where the last sweep of each tenant's target stopped, per server (its unit of work). */
const cursors = new WeakMap<UnitOfWork, Map<string, { at: string; id: string }>>();

/**
 * Walks the target's records older than the tenant's shortest retention, oldest first, a page at a
 * time, and clears those due under the rules of their own team and owner. Records that are not
 * due (a team with a longer retention, or none) are passed over, never in the way of the ones
 * behind them. A sweep reads at most PAGES_PER_SWEEP pages; the next sweep goes on from there,
 * and after the last page starts again from the oldest.
 */
async function sweepTarget(uow: UnitOfWork, m: EntityManager, tenantId: string, active: Boundary[], t: Target, earliest: string, now: string): Promise<number> {
  let mine = cursors.get(uow);
  if (!mine) cursors.set(uow, (mine = new Map()));
  const key = `${tenantId}/${t.name}`;
  let after = mine.get(key) ?? null;
  let cleared = 0;
  for (let page = 0; page < PAGES_PER_SWEEP; page++) {
    const rows = (await m.find(t.entity, {
      where: after
        ? [
            { tenantId, redactedAt: IsNull(), at: And(MoreThan(after.at), LessThan(earliest)) },
            { tenantId, redactedAt: IsNull(), at: after.at, id: MoreThan(after.id) },
          ]
        : { tenantId, redactedAt: IsNull(), at: LessThan(earliest) },
      select: { id: true, teamId: true, outcomeId: true, at: true },
      order: { at: "ASC", id: "ASC" },
      take: BATCH,
    })) as Row[];
    if (rows.length > 0) cleared += await clearDue(uow, m, tenantId, active, t, rows, now);
    if (rows.length < BATCH) {
      mine.delete(key);
      return cleared;
    }
    const last = rows[rows.length - 1]!;
    after = { at: last.at, id: last.id };
  }
  mine.set(key, after!);
  return cleared;
}

/** Clears the records of a page that are due, in one unit of work. */
async function clearDue(uow: UnitOfWork, m: EntityManager, tenantId: string, active: Boundary[], t: Target, rows: Row[], now: string): Promise<number> {
  const owners = await ownersOf(m, tenantId, rows);
  // As for every other rule, the boundaries of the owner's other teams apply too.
  const teamsOf = active.some((b) => b.scope.level === "team") ? await teamsOfPeople(m, tenantId, [...new Set(owners.values())]) : new Map<string, string[]>();
  const due = rows.filter((r) => {
    const owner = owners.get(r.outcomeId) ?? null;
    const teamIds = [...new Set([r.teamId, ...(owner ? (teamsOf.get(owner) ?? []) : [])])];
    const rules = effectiveRules(applicableBoundaries(active, { teamIds, personId: owner }, now));
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
      await t.keep?.(tx.manager, tenantId, ids);
      if (t.rewrite) {
        const { column, without } = t.rewrite;
        const stored = (await tx.manager.find(t.entity, { where: { tenantId, id: In(ids) }, select: { id: true, [column]: true } })) as Record<string, string>[];
        for (const row of stored) {
          const res = await tx.manager.update(t.entity, { tenantId, id: row.id, redactedAt: IsNull() }, { ...t.clear, [column]: without(row[column] ?? ""), redactedAt: now });
          if (res.affected !== undefined && res.affected !== 1) throw new ClearedElsewhere();
        }
      } else {
        const res = await tx.manager.update(t.entity, { tenantId, id: In(ids), redactedAt: IsNull() }, { ...t.clear, redactedAt: now });
        if (res.affected !== undefined && res.affected !== ids.length) throw new ClearedElsewhere();
      }
      // One event per record, so a search of the trail by a record's id finds its clearing too.
      const fields = [...Object.keys(t.clear), ...(t.rewrite ? [`${t.rewrite.column} (text)`] : [])];
      for (const id of ids) {
        tx.audit({ action: "retention.cleared", entity: t.name, entityId: id, changes: { fields: { after: fields } }, reason: "free text past the retention period of a boundary in force" });
      }
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

/** The teams each person belongs to, in one read. */
async function teamsOfPeople(m: EntityManager, tenantId: string, personIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (personIds.length === 0) return out;
  const rows = await m.find(TeamMembershipEntity, { where: { tenantId, personId: In(personIds) }, select: { personId: true, teamId: true } });
  for (const r of rows) out.set(r.personId, [...(out.get(r.personId) ?? []), r.teamId]);
  return out;
}
