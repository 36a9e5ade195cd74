import type { EntityManager } from "typeorm";
import { GENESIS_HASH, hashEvent, type StoredAuditEvent } from "../audit/canonical";
import { ChainVerifier, type ChainReport } from "../audit/chain-verifier";
import type { CheckpointSigner } from "../audit/signing";
import { dbNow } from "./db-time";
import { execute, queryRows } from "./entity-sql";
import { AuditCheckpointEntity, AuditEventEntity } from "./entities";

export interface AuditDraft {
  action: string;
  entity: string;
  entityId: string;
  changes: Record<string, { before?: unknown; after?: unknown }>;
  reason: string | null;
}

export interface AuditActor {
  tenantId: string;
  userId: string;
}

export interface CheckpointRecord {
  tenantId: string;
  seq: number;
  headHash: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

/** Runs a function in a database transaction. */
export type Transact = <T>(fn: (manager: EntityManager) => Promise<T>) => Promise<T>;

/** Lock class for pg_advisory_xact_lock(int, int): one lock per tenant's chain. */
const CHAIN_LOCK_CLASS = 0x4c57;

/** A copy with every object's keys in sorted order; values JSON turns into something else first become that. */
function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const v = typeof (value as { toJSON?: unknown }).toJSON === "function" ? (value as { toJSON(): unknown }).toJSON() : value;
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(sortedKeys);
  // No prototype, so a key named __proto__ (JSON.parse makes such keys) stays an ordinary key.
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys((v as Record<string, unknown>)[k]);
  return out;
}

/** Stable JSON: object keys sorted, so the same changes always give the same stored text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value));
}

const insertSql = new Map<string, string>();

/** The INSERT of `count` events; its text depends only on the count and the engine, so it is built once. */
function insertEventsSql(count: number, pg: boolean): string {
  const key = `${count}|${pg}`;
  let sql = insertSql.get(key);
  if (!sql) {
    const cols = 13;
    const values = Array.from({ length: count }, (_, r) => `(${Array.from({ length: cols }, (_x, c) => (pg ? `$${r * cols + c + 1}` : "?")).join(", ")})`).join(", ");
    sql = `INSERT INTO audit_event (tenant_id, seq, occurred_at, actor_tenant_id, actor_id, action, entity, entity_id, changes, reason, request_id, prev_hash, hash) VALUES ${values}`;
    insertSql.set(key, sql);
  }
  return sql;
}

export class AuditChain {
  constructor(
    private readonly signer: CheckpointSigner,
    private readonly checkpointEvery: number,
  ) {}

  /**
   * Appends events to the tenant's chain inside the caller's transaction. On PostgreSQL a
   * transaction-scoped advisory lock per tenant serialises writers across server instances
   * before the head is read, so sequences stay gap-free and the chain never forks; it is held
   * until commit, which is why callers append as the last statements of a unit of work.
   */
  async append(manager: EntityManager, tenantId: string, actor: AuditActor, requestId: string | null, drafts: AuditDraft[]): Promise<StoredAuditEvent[]> {
    if (drafts.length === 0) return [];
    const pg = manager.connection.options.type === "postgres";
    // The lock comes in its own statement: under READ COMMITTED each statement reads a fresh
    // snapshot, so the head read that follows sees every chain write committed before the lock.
    if (pg) await manager.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [CHAIN_LOCK_CLASS, tenantId]);
    const { head, occurredAt } = await this.headAndNow(manager, tenantId);
    let prevHash = head.hash;
    let seq = head.seq;
    const rows: StoredAuditEvent[] = drafts.map((d) => {
      seq += 1;
      const unhashed = {
        tenantId,
        seq,
        occurredAt,
        actorTenantId: actor.tenantId,
        actorId: actor.userId,
        action: d.action,
        entity: d.entity,
        entityId: d.entityId,
        changes: stableJson(d.changes),
        reason: d.reason,
        requestId,
        prevHash,
      };
      const row = { ...unhashed, hash: hashEvent(unhashed) };
      prevHash = row.hash;
      return row;
    });
    for (let i = 0; i < rows.length; i += 200) await this.insertEvents(manager, rows.slice(i, i + 200), pg);
    const every = this.checkpointEvery;
    if (Math.floor(seq / every) > Math.floor(head.seq / every)) {
      await this.writeCheckpoint(manager, tenantId, seq, prevHash, occurredAt);
    }
    return rows;
  }

  /** The chain head and the database's clock in one round trip (the lock is held while it runs). */
  private async headAndNow(manager: EntityManager, tenantId: string): Promise<{ head: { seq: number; hash: string }; occurredAt: string }> {
    const pg = manager.connection.options.type === "postgres";
    const sql = pg
      ? `SELECT h.seq, h.hash, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now
           FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT seq, hash FROM audit_event WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1) h ON true`
      : `SELECT h.seq, h.hash, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS now
           FROM (SELECT 1) one LEFT JOIN (SELECT seq, hash FROM audit_event WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1) h`;
    const [row] = await queryRows<{ seq: number | string | null; hash: string | null; now: string }>(manager, sql, [tenantId]);
    if (!row) throw new Error("the database did not answer the chain head query");
    return { head: row.seq === null ? { seq: 0, hash: GENESIS_HASH } : { seq: Number(row.seq), hash: row.hash! }, occurredAt: row.now };
  }

  private async insertEvents(manager: EntityManager, rows: StoredAuditEvent[], pg: boolean): Promise<void> {
    const params = rows.flatMap((e) => [e.tenantId, e.seq, e.occurredAt, e.actorTenantId, e.actorId, e.action, e.entity, e.entityId, e.changes, e.reason, e.requestId, e.prevHash, e.hash]);
    await execute(manager, insertEventsSql(rows.length, pg), params);
  }

  async head(manager: EntityManager, tenantId: string): Promise<{ seq: number; hash: string }> {
    const last = await manager
      .getRepository(AuditEventEntity)
      .createQueryBuilder("e")
      .select(["e.seq", "e.hash"])
      .where("e.tenantId = :tenantId", { tenantId })
      .orderBy("e.seq", "DESC")
      .limit(1)
      .getOne();
    return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Signs the current head on demand. Takes the chain lock so the head cannot move meanwhile.
   * `transact` runs the transaction: the unit of work's, so that on SQLite it takes its turn.
   */
  async checkpoint(transact: Transact, tenantId: string): Promise<CheckpointRecord | null> {
    return transact(async (manager) => {
      if (manager.connection.options.type === "postgres") {
        await manager.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [CHAIN_LOCK_CLASS, tenantId]);
      }
      const head = await this.head(manager, tenantId);
      if (head.seq === 0) return null;
      const existing = await manager.getRepository(AuditCheckpointEntity).findOneBy({ tenantId, seq: head.seq });
      if (existing) return { ...existing, seq: Number(existing.seq) };
      return this.writeCheckpoint(manager, tenantId, head.seq, head.hash, await dbNow(manager));
    });
  }

  private async writeCheckpoint(manager: EntityManager, tenantId: string, seq: number, headHash: string, signedAt: string): Promise<CheckpointRecord> {
    const record: CheckpointRecord = {
      tenantId,
      seq,
      headHash,
      signedAt,
      keyId: this.signer.keyId,
      signature: this.signer.sign({ tenantId, seq, headHash, signedAt }),
    };
    await manager.createQueryBuilder().insert().into(AuditCheckpointEntity).values(record).updateEntity(false).execute();
    return record;
  }

  /** Walks the whole chain in pages; memory stays flat whatever its length. */
  async verify(manager: EntityManager, tenantId: string, pageSize = 5000): Promise<ChainReport> {
    const verifier = new ChainVerifier();
    for await (const page of this.pages(manager, tenantId, pageSize)) {
      for (const e of page) if (!verifier.push(e)) return verifier.report();
    }
    return verifier.report();
  }

  /**
   * Reads the chain in sequence order, one page at a time. A plain SQL query with column aliases
   * instead of entity hydration: verification is bounded by hashing, not by building objects.
   */
  async *pages(manager: EntityManager, tenantId: string, pageSize = 5000, from = 0): AsyncGenerator<StoredAuditEvent[]> {
    const pg = manager.connection.options.type === "postgres";
    const sql = `SELECT tenant_id AS "tenantId", seq, occurred_at AS "occurredAt", actor_tenant_id AS "actorTenantId", actor_id AS "actorId",
        action, entity, entity_id AS "entityId", changes, reason, request_id AS "requestId", prev_hash AS "prevHash", hash
      FROM audit_event WHERE tenant_id = ${pg ? "$1" : "?"} AND seq > ${pg ? "$2" : "?"} ORDER BY seq ASC LIMIT ${pg ? "$3" : "?"}`;
    let after = from;
    for (;;) {
      const rows: StoredAuditEvent[] = await manager.query(sql, [tenantId, after, pageSize]);
      if (rows.length === 0) return;
      for (const r of rows) if (typeof r.seq !== "number") r.seq = Number(r.seq);
      yield rows;
      after = rows[rows.length - 1]!.seq;
      if (rows.length < pageSize) return;
    }
  }
}

export function toStored(e: AuditEventEntity): StoredAuditEvent {
  return {
    tenantId: e.tenantId,
    seq: Number(e.seq),
    occurredAt: e.occurredAt,
    actorTenantId: e.actorTenantId,
    actorId: e.actorId,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    changes: e.changes,
    reason: e.reason,
    requestId: e.requestId,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
