import type { EntityManager } from "typeorm";
import type { StoredAuditEvent } from "../../audit/canonical";
import { MAX_AUDIT_SEQ, type CheckpointRecord } from "../audit-chain";
import { sqlParams as params, type SqlParams as Params } from "./sql-params";

export interface AuditFilter {
  entityId?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  entity?: string | undefined;
  /** ISO instants, inclusive; stored times are ISO text in UTC, so text comparison is time order. */
  from?: string | undefined;
  to?: string | undefined;
}

export type AuditRow = StoredAuditEvent & { actorName: string | null };

const EVENT_COLUMNS = `e.tenant_id AS "tenantId", e.seq AS "seq", e.occurred_at AS "occurredAt", e.actor_tenant_id AS "actorTenantId",
  e.actor_id AS "actorId", e.action AS "action", e.entity AS "entity", e.entity_id AS "entityId", e.changes AS "changes",
  e.reason AS "reason", e.request_id AS "requestId", e.prev_hash AS "prevHash", e.hash AS "hash"`;

const CHECKPOINT_COLUMNS = `tenant_id AS "tenantId", seq AS "seq", head_hash AS "headHash", signed_at AS "signedAt", key_id AS "keyId", signature AS "signature"`;

function where(p: Params, tenantId: string, f: AuditFilter): string[] {
  const clauses = [`e.tenant_id = ${p.add(tenantId)}`];
  if (f.entityId) clauses.push(`e.entity_id = ${p.add(f.entityId)}`);
  if (f.actorId) clauses.push(`e.actor_id = ${p.add(f.actorId)}`);
  if (f.action) clauses.push(`e.action = ${p.add(f.action)}`);
  if (f.entity) clauses.push(`e.entity = ${p.add(f.entity)}`);
  if (f.from) clauses.push(`e.occurred_at >= ${p.add(f.from)}`);
  if (f.to) clauses.push(`e.occurred_at <= ${p.add(f.to)}`);
  return clauses;
}

const asEvent = <T extends StoredAuditEvent>(r: T): T => ({ ...r, seq: Number(r.seq) });
const asCheckpoint = (r: CheckpointRecord): CheckpointRecord => ({ ...r, seq: Number(r.seq) });

/** Read side of the audit trail for compliance: search, single events, export pages, checkpoints. Plain objects only. */
export class AuditRepository {
  /** Newest first, strictly below `beforeSeq` when given; the actor's name from the people cache when known. */
  async search(m: EntityManager, tenantId: string, f: AuditFilter, beforeSeq: number | null, limit: number): Promise<AuditRow[]> {
    const p = params(m);
    const clauses = where(p, tenantId, f);
    if (beforeSeq !== null) clauses.push(`e.seq < ${p.add(beforeSeq)}`);
    const rows: AuditRow[] = await m.query(
      `SELECT ${EVENT_COLUMNS}, pe.display_name AS "actorName"
         FROM audit_event e LEFT JOIN person pe ON pe.tenant_id = e.actor_tenant_id AND pe.id = e.actor_id
        WHERE ${clauses.join(" AND ")} ORDER BY e.seq DESC LIMIT ${p.add(limit)}`,
      p.values,
    );
    return rows.map(asEvent);
  }

  /** The event at a sequence number, or null; a number past what the store holds has none (and PostgreSQL would refuse it as a parameter). */
  async one(m: EntityManager, tenantId: string, seq: number): Promise<AuditRow | null> {
    if (seq > MAX_AUDIT_SEQ) return null;
    const p = params(m);
    const rows: AuditRow[] = await m.query(
      `SELECT ${EVENT_COLUMNS}, pe.display_name AS "actorName"
         FROM audit_event e LEFT JOIN person pe ON pe.tenant_id = e.actor_tenant_id AND pe.id = e.actor_id
        WHERE e.tenant_id = ${p.add(tenantId)} AND e.seq = ${p.add(seq)}`,
      p.values,
    );
    return rows[0] ? asEvent(rows[0]) : null;
  }

  /** Oldest first, after `afterSeq` and up to `throughSeq`: one page of an export. */
  async exportPage(m: EntityManager, tenantId: string, f: AuditFilter, afterSeq: number, throughSeq: number, limit: number): Promise<StoredAuditEvent[]> {
    const p = params(m);
    const clauses = where(p, tenantId, f);
    clauses.push(`e.seq > ${p.add(afterSeq)}`, `e.seq <= ${p.add(throughSeq)}`);
    const rows: StoredAuditEvent[] = await m.query(`SELECT ${EVENT_COLUMNS} FROM audit_event e WHERE ${clauses.join(" AND ")} ORDER BY e.seq ASC LIMIT ${p.add(limit)}`, p.values);
    return rows.map(asEvent);
  }

  async count(m: EntityManager, tenantId: string, f: AuditFilter, throughSeq: number): Promise<number> {
    const p = params(m);
    const clauses = where(p, tenantId, f);
    clauses.push(`e.seq <= ${p.add(throughSeq)}`);
    const rows: { n: string | number }[] = await m.query(`SELECT COUNT(*) AS "n" FROM audit_event e WHERE ${clauses.join(" AND ")}`, p.values);
    return Number(rows[0]?.n ?? 0);
  }

  /** The stored hash of one event, or null when the sequence does not exist. */
  async hashAt(m: EntityManager, tenantId: string, seq: number): Promise<string | null> {
    const p = params(m);
    const rows: { hash: string }[] = await m.query(`SELECT hash AS "hash" FROM audit_event WHERE tenant_id = ${p.add(tenantId)} AND seq = ${p.add(seq)}`, p.values);
    return rows[0]?.hash ?? null;
  }

  /** Newest first, strictly below `beforeSeq` when given. */
  async checkpoints(m: EntityManager, tenantId: string, beforeSeq: number | null, limit: number): Promise<CheckpointRecord[]> {
    const p = params(m);
    const clauses = [`tenant_id = ${p.add(tenantId)}`];
    if (beforeSeq !== null) clauses.push(`seq < ${p.add(beforeSeq)}`);
    const rows: CheckpointRecord[] = await m.query(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint WHERE ${clauses.join(" AND ")} ORDER BY seq DESC LIMIT ${p.add(limit)}`,
      p.values,
    );
    return rows.map(asCheckpoint);
  }

  /** Every checkpoint of a tenant, oldest first (one per thousands of events, so few). */
  async allCheckpoints(m: EntityManager, tenantId: string): Promise<CheckpointRecord[]> {
    const p = params(m);
    const rows: CheckpointRecord[] = await m.query(`SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoint WHERE tenant_id = ${p.add(tenantId)} ORDER BY seq ASC`, p.values);
    return rows.map(asCheckpoint);
  }
}
