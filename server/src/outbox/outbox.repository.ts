import { randomUUID } from "node:crypto";
import { In, type EntityManager } from "typeorm";
import { OutboxMessageEntity } from "../store/entities";

export type OutboxKind = "series.create" | "series.update" | "series.cancel" | "series.retry" | "notification.send";

export interface OutboxMessage {
  tenantId: string;
  id: string;
  kind: OutboxKind;
  orderingKey: string;
  scheduleId: string | null;
  payload: Record<string, unknown>;
  state: "pending" | "done" | "failed";
  attempts: number;
  nextAttemptAt: string;
  claimedBy: string | null;
  claimedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
  deliveredBy: string | null;
}

export interface NewMessage {
  tenantId: string;
  kind: OutboxKind;
  /** Messages with the same key are delivered one at a time, in the order they were written. */
  orderingKey?: string;
  scheduleId?: string | null;
  payload?: Record<string, unknown>;
}

const toMessage = (e: OutboxMessageEntity): OutboxMessage => ({
  tenantId: e.tenantId,
  id: e.id,
  kind: e.kind as OutboxKind,
  orderingKey: e.orderingKey,
  scheduleId: e.scheduleId,
  payload: JSON.parse(e.payload) as Record<string, unknown>,
  state: e.state,
  attempts: Number(e.attempts),
  nextAttemptAt: e.nextAttemptAt,
  claimedBy: e.claimedBy,
  claimedUntil: e.claimedUntil,
  lastError: e.lastError,
  createdAt: e.createdAt,
  finishedAt: e.finishedAt,
  deliveredBy: e.deliveredBy,
});

/** Earlier messages of the same key that are not finished hold a message back. */
const HEAD_OF_KEY = `NOT EXISTS (SELECT 1 FROM outbox_message b WHERE b.tenant_id = o.tenant_id AND b.ordering_key = o.ordering_key
  AND b.state = 'pending' AND (b.created_at < o.created_at OR (b.created_at = o.created_at AND b.id < o.id)))`;

/**
 * The outbox table. Messages are written inside the unit of work of the change they deliver, so
 * a change is never committed without its message (nor a message without its change). A worker
 * claims a message with a lease; claims, retries and completion are conditional on holding it.
 */
export class OutboxRepository {
  /** Adds a message in the caller's transaction; due at once. */
  async enqueue(m: EntityManager, msg: NewMessage, now = new Date().toISOString()): Promise<OutboxMessage> {
    const id = randomUUID();
    const e = m.create(OutboxMessageEntity, {
      tenantId: msg.tenantId,
      id,
      kind: msg.kind,
      orderingKey: msg.orderingKey ?? (msg.scheduleId ? `schedule:${msg.scheduleId}` : `message:${id}`),
      scheduleId: msg.scheduleId ?? null,
      payload: JSON.stringify(msg.payload ?? {}),
      state: "pending",
      attempts: 0,
      nextAttemptAt: now,
      claimedBy: null,
      claimedUntil: null,
      lastError: null,
      createdAt: now,
      finishedAt: null,
      deliveredBy: null,
    });
    await m.insert(OutboxMessageEntity, e);
    return toMessage(e);
  }

  /**
   * Claims up to `limit` due messages for `workerId` until `leaseUntil`, counting an attempt for
   * each. Only the oldest unfinished message of each key is eligible, and not while another worker
   * holds it. PostgreSQL: one statement with FOR UPDATE SKIP LOCKED, so concurrent workers on other
   * instances pass over rows being claimed instead of waiting or taking them twice. SQLite has a
   * single writer: a conditional update per candidate.
   */
  async claim(m: EntityManager, workerId: string, now: string, leaseUntil: string, limit: number): Promise<OutboxMessage[]> {
    let keys: { tenant_id: string; id: string }[];
    if (m.connection.options.type === "postgres") {
      const res: unknown = await m.query(
        `WITH picked AS (
           SELECT o.tenant_id, o.id FROM outbox_message o
           WHERE o.state = 'pending' AND o.next_attempt_at <= $1 AND (o.claimed_until IS NULL OR o.claimed_until < $1) AND ${HEAD_OF_KEY}
           ORDER BY o.next_attempt_at, o.created_at LIMIT $2
           FOR UPDATE OF o SKIP LOCKED)
         UPDATE outbox_message u SET claimed_by = $3, claimed_until = $4, attempts = u.attempts + 1
         FROM picked WHERE u.tenant_id = picked.tenant_id AND u.id = picked.id
         RETURNING u.tenant_id, u.id`,
        [now, limit, workerId, leaseUntil],
      );
      // TypeORM answers an UPDATE with [rows, rowCount].
      keys = (Array.isArray(res) && Array.isArray(res[0]) ? res[0] : res) as { tenant_id: string; id: string }[];
    } else {
      const candidates: { tenant_id: string; id: string }[] = await m.query(
        `SELECT o.tenant_id, o.id FROM outbox_message o
         WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND (o.claimed_until IS NULL OR o.claimed_until < ?) AND ${HEAD_OF_KEY}
         ORDER BY o.next_attempt_at, o.created_at LIMIT ?`,
        [now, now, limit],
      );
      keys = [];
      for (const c of candidates) {
        const r = await m
          .createQueryBuilder()
          .update(OutboxMessageEntity)
          .set({ claimedBy: workerId, claimedUntil: leaseUntil, attempts: () => "attempts + 1" })
          .where("tenant_id = :t AND id = :id AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < :now)", { t: c.tenant_id, id: c.id, now })
          .execute();
        if (r.affected === 1) keys.push(c);
      }
    }
    if (keys.length === 0) return [];
    const rows = await m.findBy(OutboxMessageEntity, keys.map((k) => ({ tenantId: k.tenant_id, id: k.id })));
    return rows.map(toMessage).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  }

  private async finishIf(m: EntityManager, msg: OutboxMessage, workerId: string, set: Partial<OutboxMessageEntity>): Promise<boolean> {
    const r = await m
      .createQueryBuilder()
      .update(OutboxMessageEntity)
      .set(set)
      .where("tenant_id = :t AND id = :id AND state = 'pending' AND claimed_by = :w", { t: msg.tenantId, id: msg.id, w: workerId })
      .execute();
    return r.affected === 1;
  }

  /** Marks a claimed message delivered; false when this worker no longer holds it. */
  markDone(m: EntityManager, msg: OutboxMessage, workerId: string, now: string): Promise<boolean> {
    return this.finishIf(m, msg, workerId, { state: "done", finishedAt: now, deliveredBy: workerId, claimedUntil: null, lastError: null });
  }

  /** Gives a claimed message back, due again at `nextAttemptAt`, with the error that stopped it. */
  retryLater(m: EntityManager, msg: OutboxMessage, workerId: string, nextAttemptAt: string, error: string): Promise<boolean> {
    return this.finishIf(m, msg, workerId, { nextAttemptAt, lastError: error, claimedBy: null, claimedUntil: null });
  }

  /** Gives a claimed message back untouched (the server is stopping): another worker may take it at once. */
  release(m: EntityManager, msg: OutboxMessage, workerId: string): Promise<boolean> {
    return this.finishIf(m, msg, workerId, { claimedBy: null, claimedUntil: null, attempts: Math.max(0, msg.attempts - 1) });
  }

  markFailed(m: EntityManager, msg: OutboxMessage, workerId: string, now: string, error: string): Promise<boolean> {
    return this.finishIf(m, msg, workerId, { state: "failed", finishedAt: now, lastError: error, claimedUntil: null });
  }

  /** Whether a schedule has messages not yet delivered (other than `exceptId`). */
  async hasPending(m: EntityManager, tenantId: string, scheduleId: string, exceptId?: string): Promise<boolean> {
    const qb = m
      .getRepository(OutboxMessageEntity)
      .createQueryBuilder("o")
      .where("o.tenantId = :tenantId AND o.scheduleId = :scheduleId AND o.state = 'pending'", { tenantId, scheduleId });
    if (exceptId) qb.andWhere("o.id <> :exceptId", { exceptId });
    return (await qb.getCount()) > 0;
  }

  /** The newest message of each schedule: its attempts and last error are what the API shows. */
  async latestBySchedule(m: EntityManager, tenantId: string, scheduleIds: string[]): Promise<Map<string, OutboxMessage>> {
    const out = new Map<string, OutboxMessage>();
    if (scheduleIds.length === 0) return out;
    const rows = await m.find(OutboxMessageEntity, { where: { tenantId, scheduleId: In([...new Set(scheduleIds)]) }, order: { createdAt: "ASC", id: "ASC" } });
    for (const r of rows) if (r.scheduleId) out.set(r.scheduleId, toMessage(r));
    return out;
  }

  /**
   * Delivered messages finished before `cutoff`, oldest first; never the newest message of a
   * schedule (its attempts and error are what the schedule shows).
   */
  async purgeable(m: EntityManager, cutoff: string, limit: number): Promise<{ tenantId: string; id: string; kind: string }[]> {
    return m
      .getRepository(OutboxMessageEntity)
      .createQueryBuilder("o")
      .select(["o.tenantId", "o.id", "o.kind"])
      .where("o.state = 'done' AND o.finishedAt < :cutoff", { cutoff })
      .andWhere(
        `(o.schedule_id IS NULL OR EXISTS (SELECT 1 FROM outbox_message later WHERE later.tenant_id = o.tenant_id AND later.schedule_id = o.schedule_id
          AND (later.created_at > o.created_at OR (later.created_at = o.created_at AND later.id > o.id))))`,
      )
      .orderBy("o.finishedAt", "ASC")
      .addOrderBy("o.id", "ASC")
      .limit(limit)
      .getMany();
  }

  /** Deletes the given messages of a tenant that are still delivered; answers how many went. */
  async deleteDelivered(m: EntityManager, tenantId: string, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const res = await m.getRepository(OutboxMessageEntity).createQueryBuilder().delete().where("tenantId = :tenantId AND state = 'done' AND id IN (:...ids)", { tenantId, ids }).execute();
    return res.affected ?? 0;
  }

  async forSchedule(m: EntityManager, tenantId: string, scheduleId: string): Promise<OutboxMessage[]> {
    return (await m.find(OutboxMessageEntity, { where: { tenantId, scheduleId }, order: { createdAt: "ASC", id: "ASC" } })).map(toMessage);
  }
}
