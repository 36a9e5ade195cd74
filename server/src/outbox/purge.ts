import { In } from "typeorm";
import { SYSTEM_ACTOR_ID } from "../services/demo-seed";
import { OutboxMessageEntity } from "../store/entities";
import type { UnitOfWork } from "../store/unit-of-work";
import { OutboxRepository } from "./outbox.repository";

const BATCH = 500;
const DAY_MS = 86_400_000;
const repo = new OutboxRepository();

/** Another instance purged some of the same messages first: this batch writes nothing. */
class PurgedElsewhere extends Error {}

/**
 * Deletes delivered outbox messages older than `keepDays`, so the table holds what is in flight
 * and recent history rather than every calendar change ever made. The newest message of each
 * schedule stays (the schedule shows its attempts), and failed messages stay for whoever
 * investigates them. Each tenant's batch is one unit of work with one audit event naming the
 * messages deleted.
 */
export async function purgeDelivered(uow: UnitOfWork, keepDays: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - keepDays * DAY_MS).toISOString();
  let purged = 0;
  for (;;) {
    const due = await repo.purgeable(uow.dataSource.manager, cutoff, BATCH);
    const byTenant = new Map<string, string[]>();
    for (const d of due) {
      const ids = byTenant.get(d.tenantId) ?? [];
      ids.push(d.id);
      byTenant.set(d.tenantId, ids);
    }
    let deleted = 0;
    for (const [tenantId, ids] of byTenant) {
      try {
        deleted += await uow.run({ tenantId, actor: { tenantId, userId: SYSTEM_ACTOR_ID }, requestId: null }, async (tx) => {
          const present = await tx.manager.find(OutboxMessageEntity, { where: { tenantId, id: In(ids), state: "done" }, select: { id: true, kind: true }, order: { id: "ASC" } });
          if (present.length === 0 || (await repo.deleteDelivered(tx.manager, tenantId, present.map((x) => x.id))) !== present.length) throw new PurgedElsewhere();
          const kinds: Record<string, number> = {};
          for (const x of present) kinds[x.kind] = (kinds[x.kind] ?? 0) + 1;
          tx.audit({
            action: "outbox.purged",
            entity: "outbox_message",
            entityId: present.length === 1 ? present[0]!.id : `${present.length} messages`,
            changes: { ids: { before: present.map((x) => x.id) }, kinds: { before: kinds } },
            reason: `delivered more than ${keepDays} days ago`,
          });
          return present.length;
        });
      } catch (err) {
        if (!(err instanceof PurgedElsewhere)) throw err;
      }
    }
    purged += deleted;
    // Stop at the last batch, or when a batch deleted nothing here (it would only be found again).
    if (due.length < BATCH || deleted === 0) return purged;
  }
}
