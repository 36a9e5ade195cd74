import type { StoredAuditEvent } from "../../server/src/audit/canonical";
import { ownerConnection, type TestServer } from "./harness";

/**
 * Changes to the audit tables made the way someone with direct access to the database could:
 * as the table owner, with the append-only triggers out of the way.
 */

export type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

/** Runs the work's statements; placeholders are written $1, $2, ... on either engine. */
export async function behindTheTriggers(s: TestServer, work: (q: Query) => Promise<void>): Promise<void> {
  const owner = await ownerConnection(s.db);
  const pg = s.db.engine === "postgres";
  // SQLite's placeholders are positional: each $n becomes ? and takes its parameter in the order written.
  const q: Query = (sql, params = []) => (pg ? owner.query(sql, params) : owner.query(sql.replace(/\$\d+/g, "?"), [...sql.matchAll(/\$(\d+)/g)].map((m) => params[Number(m[1]) - 1])));
  try {
    if (pg) await q("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
    else {
      await q("DROP TRIGGER IF EXISTS audit_event_no_update");
      await q("DROP TRIGGER IF EXISTS audit_event_no_delete");
    }
    await work(q);
    if (pg) await q("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
  } finally {
    await owner.destroy();
  }
}

/** One stored event as it is in the table. */
export async function storedEvent(q: Query, tenantId: string, seq: number): Promise<StoredAuditEvent> {
  const [row] = (await q(
    `SELECT tenant_id AS "tenantId", seq, occurred_at AS "occurredAt", actor_tenant_id AS "actorTenantId", actor_id AS "actorId", action, entity,
       entity_id AS "entityId", changes, reason, request_id AS "requestId", prev_hash AS "prevHash", hash
     FROM audit_event WHERE tenant_id = $1 AND seq = $2`,
    [tenantId, seq],
  )) as StoredAuditEvent[];
  return { ...row!, seq: Number(row!.seq) };
}
