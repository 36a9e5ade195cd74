import type { Logger } from "pino";
import { And, In, LessThanOrEqual, MoreThan } from "typeorm";
import { missedStatus } from "../domain/status";
import { OutcomeEntity, PersonEntity } from "../store/entities";
import { OutcomeRepository, toOutcome, type Outcome } from "../store/repositories/outcome.repository";
import { diff, type Tx, type UnitOfWork } from "../store/unit-of-work";
import { SYSTEM_ACTOR_ID } from "./demo-seed";
import { purgeDelivered } from "../outbox/purge";
import { sweepRetention } from "./retention-sweeper";
import { endOutcomeRhythm } from "./schedule.service";

const repo = new OutcomeRepository();

/** Candidates read per page. */
const SWEEP_PAGE = 500;

/**
 * Marks outcomes whose deadline day has ended (in the owner's time zone) without being done as
 * `missed`, audited as the system's action. Idempotent and safe with several instances: each
 * change is conditional on the version it read.
 *
 * Candidates are walked in deadline order, page by page, to the end: outcomes due within the next
 * day are candidates too (their owner's day may not have ended yet), and however many of those
 * there are, they never hold back an outcome whose deadline passed earlier.
 */
export async function sweepMissed(uow: UnitOfWork, now = new Date(), log?: Pick<Logger, "error">): Promise<number> {
  const m = uow.dataSource.manager;
  // Coarse filter in SQL (a day's margin covers every time zone), exact rule in the domain.
  const horizon = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  const open = In(["proposed", "agreed", "at_risk"]);
  let missed = 0;
  let after: { deadline: string; tenantId: string; id: string } | null = null;
  for (;;) {
    const page: OutcomeEntity[] = await m.find(OutcomeEntity, {
      // Keyset paging on (deadline, tenant, id): the page after the last row seen.
      where: after
        ? [
            { status: open, deadline: And(MoreThan(after.deadline), LessThanOrEqual(horizon)) },
            { status: open, deadline: after.deadline, tenantId: MoreThan(after.tenantId) },
            { status: open, deadline: after.deadline, tenantId: after.tenantId, id: MoreThan(after.id) },
          ]
        : { status: open, deadline: LessThanOrEqual(horizon) },
      order: { deadline: "ASC", tenantId: "ASC", id: "ASC" },
      take: SWEEP_PAGE,
    });
    if (page.length === 0) return missed;
    const zones = await ownerTimeZones(uow, page);
    for (const e of page) {
      const o = toOutcome(e);
      if (missedStatus(o, now.toISOString(), zones.get(`${o.tenantId}/${o.ownerId}`) ?? "UTC") !== "missed") continue;
      try {
        const recorded = await uow.run({ tenantId: o.tenantId, actor: { tenantId: o.tenantId, userId: SYSTEM_ACTOR_ID }, requestId: null }, async (tx) => {
          if (await markMissed(tx, o, now.toISOString())) return true;
          tx.audit({ action: "outcome.sweep_skipped", entity: "outcome", entityId: o.id, reason: "changed concurrently" });
          return false;
        });
        // Counted once committed, not when the change was made inside a unit that could still fail.
        if (recorded) missed++;
      } catch (err) {
        // One outcome that cannot be recorded now (its rhythm changing at the same moment, say)
        // does not hold back those behind it; the next sweep tries it again.
        log?.error({ err, tenantId: o.tenantId, outcomeId: o.id }, "deadline sweep could not record an outcome as missed; the next sweep tries again");
      }
    }
    if (page.length < SWEEP_PAGE) return missed;
    const last = page[page.length - 1]!;
    after = { deadline: last.deadline, tenantId: last.tenantId, id: last.id };
  }
}

/**
 * Records in the unit of work that an outcome's deadline passed without it being done: status
 * `missed`, audited, and its check-in rhythm ended. Conditional on the version read; null when the
 * outcome changed meanwhile. The caller has judged the deadline (`missedStatus`).
 */
export async function markMissed(tx: Tx, o: Outcome, at: string): Promise<Outcome | null> {
  const next: Outcome = { ...o, status: "missed", closedAt: at, updatedAt: at, version: o.version + 1 };
  if (!(await repo.update(tx.manager, next, o.version))) return null;
  // The system's doing, also when a person's request (a review, say) is what records it.
  tx.audit({ action: "outcome.missed", entity: "outcome", entityId: o.id, changes: diff(o, next, ["status", "closedAt"]), reason: `deadline ${o.deadline} passed without the outcome being done`, bySystem: true });
  // The rhythm ends with the outcome, the system's doing too.
  await endOutcomeRhythm(tx, next, undefined, { bySystem: true });
  return next;
}

/** The time zone of each owner of a page of outcomes, keyed `tenant/person`, in one read per tenant. */
async function ownerTimeZones(uow: UnitOfWork, page: readonly OutcomeEntity[]): Promise<Map<string, string | null>> {
  const owners = new Map<string, Set<string>>();
  for (const e of page) {
    let ids = owners.get(e.tenantId);
    if (!ids) owners.set(e.tenantId, (ids = new Set()));
    ids.add(e.ownerId);
  }
  const zones = new Map<string, string | null>();
  for (const [tenantId, ids] of owners) {
    const people = await uow.dataSource.manager.find(PersonEntity, { where: { tenantId, id: In([...ids]) }, select: { tenantId: true, id: true, timeZone: true } });
    for (const person of people) zones.set(`${tenantId}/${person.id}`, person.timeZone);
  }
  return zones;
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
    every("deadline sweep", () => sweepMissed(uow, new Date(), log), options.deadlineEveryMs ?? 60_000, log),
    every("retention sweep", () => sweepRetention(uow), options.retentionEveryMs ?? 10 * 60_000, log),
    every("outbox purge", () => purgeDelivered(uow, options.outboxKeepDays), options.outboxEveryMs ?? 60 * 60_000, log),
  ];
  return () => stops.forEach((stop) => stop());
}
