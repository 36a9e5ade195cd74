import type { Logger } from "pino";
import { In, LessThanOrEqual } from "typeorm";
import { missedStatus } from "../domain/status";
import { OutcomeEntity, PersonEntity } from "../store/entities";
import { OutcomeRepository, toOutcome } from "../store/repositories/outcome.repository";
import type { UnitOfWork } from "../store/unit-of-work";
import { SYSTEM_ACTOR_ID } from "./demo-seed";
import { purgeDelivered } from "../outbox/purge";
import { sweepRetention } from "./retention-sweeper";

const repo = new OutcomeRepository();

/**
 * Marks outcomes whose deadline day has ended (in the owner's time zone) without being done as
 * `missed`, audited as the system's action. Idempotent and safe with several instances: each
 * change is conditional on the version it read.
 */
export async function sweepMissed(uow: UnitOfWork, now = new Date()): Promise<number> {
  const m = uow.dataSource.manager;
  // Coarse filter in SQL (a day's margin covers every time zone), exact rule in the domain.
  const horizon = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  const candidates = await m.find(OutcomeEntity, { where: { status: In(["proposed", "agreed", "at_risk"]), deadline: LessThanOrEqual(horizon) }, take: 500 });
  let missed = 0;
  for (const e of candidates) {
    const o = toOutcome(e);
    const owner = await m.findOne(PersonEntity, { where: { tenantId: o.tenantId, id: o.ownerId }, select: { timeZone: true } });
    if (missedStatus(o, now.toISOString(), owner?.timeZone ?? "UTC") !== "missed") continue;
    await uow.run({ tenantId: o.tenantId, actor: { tenantId: o.tenantId, userId: SYSTEM_ACTOR_ID }, requestId: null }, async (tx) => {
      const at = now.toISOString();
      const next = { ...o, status: "missed" as const, closedAt: at, updatedAt: at, version: o.version + 1 };
      if (!(await repo.update(tx.manager, next, o.version))) {
        tx.audit({ action: "outcome.sweep_skipped", entity: "outcome", entityId: o.id, reason: "changed concurrently" });
        return;
      }
      missed++;
      tx.audit({ action: "outcome.missed", entity: "outcome", entityId: o.id, changes: { status: { before: o.status, after: "missed" } }, reason: `deadline ${o.deadline} passed without the outcome being done` });
    });
  }
  return missed;
}

/** Runs a periodic job at most once at a time; a failure is logged and the next run tries again. */
function every(name: string, job: () => Promise<number>, ms: number, log: Logger): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const n = await job();
      if (n) log.info({ job: name, changed: n }, `${name}: done`);
    } catch (err) {
      log.error({ err, job: name }, `${name} failed; it will run again`);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), ms);
  timer.unref();
  return () => clearInterval(timer);
}

export interface HousekeepingOptions {
  /** Days a delivered outbox message is kept. */
  outboxKeepDays: number;
  deadlineEveryMs?: number;
  retentionEveryMs?: number;
  outboxEveryMs?: number;
}

/** Time-driven changes nobody triggers by looking: passed deadlines, free text past retention, delivered outbox messages. */
export function startHousekeeping(uow: UnitOfWork, log: Logger, options: HousekeepingOptions): () => void {
  const stops = [
    every("deadline sweep", () => sweepMissed(uow), options.deadlineEveryMs ?? 60_000, log),
    every("retention sweep", () => sweepRetention(uow), options.retentionEveryMs ?? 10 * 60_000, log),
    every("outbox purge", () => purgeDelivered(uow, options.outboxKeepDays), options.outboxEveryMs ?? 60 * 60_000, log),
  ];
  return () => stops.forEach((stop) => stop());
}
