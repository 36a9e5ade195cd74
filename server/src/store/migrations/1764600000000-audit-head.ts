import type { MigrationInterface, QueryRunner } from "typeorm";
import { isPostgres, run } from "./sql";

/**
 * Each tenant's audit chain head in a row of its own, on PostgreSQL. Appending events updates
 * the row in the same statement that inserts them: the row lock orders the writers of a tenant
 * (server instances and connections alike), and the update names the head it links to, so a
 * writer that linked to a stale head changes nothing and links again. The row is bookkeeping, not
 * evidence: verification still walks the events, so a head row tampered with only makes the next
 * event fail to link, which verification reports.
 *
 * SQLite has a single writer, which reads the head from the events themselves; it needs no row.
 */
export class AuditHead1764600000000 implements MigrationInterface {
  name = "AuditHead1764600000000";

  async up(q: QueryRunner): Promise<void> {
    if (!isPostgres(q)) return;
    await run(q, [
      `CREATE TABLE audit_head (
        tenant_id varchar(36) NOT NULL PRIMARY KEY,
        seq integer NOT NULL CHECK (seq > 0),
        hash varchar(64) NOT NULL,
        occurred_at varchar(30) NOT NULL)`,
      `INSERT INTO audit_head (tenant_id, seq, hash, occurred_at)
        SELECT e.tenant_id, e.seq, e.hash, e.occurred_at
          FROM audit_event e JOIN (SELECT tenant_id, MAX(seq) AS seq FROM audit_event GROUP BY tenant_id) last
            ON last.tenant_id = e.tenant_id AND last.seq = e.seq`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    if (!isPostgres(q)) return;
    await run(q, ["DROP TABLE audit_head"]);
  }
}
