import type { MigrationInterface, QueryRunner } from "typeorm";
import { isPostgres, run } from "./sql";

/** Tenants, people, teams, and the append-only audit chain with its signed checkpoints. */
export class Spine1764300000000 implements MigrationInterface {
  name = "Spine1764300000000";

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE TABLE tenant (
        id varchar(36) PRIMARY KEY,
        name varchar(200) NOT NULL,
        settings text NOT NULL,
        created_at varchar(30) NOT NULL)`,
      `CREATE TABLE person (
        tenant_id varchar(36) NOT NULL REFERENCES tenant(id),
        id varchar(64) NOT NULL,
        display_name varchar(200) NOT NULL,
        mail varchar(320),
        user_principal_name varchar(320),
        job_title varchar(200),
        department varchar(200),
        manager_id varchar(64),
        time_zone varchar(100) NOT NULL,
        working_hours text,
        synced_at varchar(30) NOT NULL,
        PRIMARY KEY (tenant_id, id))`,
      `CREATE INDEX ix_person_manager ON person (tenant_id, manager_id)`,
      `CREATE TABLE team (
        tenant_id varchar(36) NOT NULL REFERENCES tenant(id),
        id varchar(64) NOT NULL,
        name varchar(200) NOT NULL,
        description varchar(1000) NOT NULL DEFAULT '',
        rhythm varchar(16) NOT NULL DEFAULT 'weekly' CHECK (rhythm IN ('weekly', 'biweekly')),
        created_at varchar(30) NOT NULL,
        PRIMARY KEY (tenant_id, id))`,
      `CREATE TABLE team_membership (
        tenant_id varchar(36) NOT NULL,
        team_id varchar(64) NOT NULL,
        person_id varchar(64) NOT NULL,
        role varchar(16) NOT NULL DEFAULT 'member' CHECK (role IN ('lead', 'member')),
        PRIMARY KEY (tenant_id, team_id, person_id),
        FOREIGN KEY (tenant_id, team_id) REFERENCES team(tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, person_id) REFERENCES person(tenant_id, id))`,
      `CREATE INDEX ix_team_membership_person ON team_membership (tenant_id, person_id)`,
      `CREATE TABLE audit_event (
        tenant_id varchar(36) NOT NULL,
        seq integer NOT NULL CHECK (seq > 0),
        occurred_at varchar(30) NOT NULL,
        actor_tenant_id varchar(36) NOT NULL,
        actor_id varchar(64) NOT NULL,
        action varchar(100) NOT NULL,
        entity varchar(64) NOT NULL,
        entity_id varchar(128) NOT NULL,
        changes text NOT NULL,
        reason text,
        request_id varchar(128),
        prev_hash varchar(64) NOT NULL,
        hash varchar(64) NOT NULL,
        PRIMARY KEY (tenant_id, seq))`,
      `CREATE INDEX ix_audit_event_entity ON audit_event (tenant_id, entity_id)`,
      `CREATE INDEX ix_audit_event_actor ON audit_event (tenant_id, actor_id)`,
      `CREATE INDEX ix_audit_event_time ON audit_event (tenant_id, occurred_at)`,
      `CREATE TABLE audit_checkpoint (
        tenant_id varchar(36) NOT NULL,
        seq integer NOT NULL,
        head_hash varchar(64) NOT NULL,
        signed_at varchar(30) NOT NULL,
        key_id varchar(64) NOT NULL,
        signature varchar(200) NOT NULL,
        PRIMARY KEY (tenant_id, seq))`,
    ]);
    await appendOnly(q, ["audit_event", "audit_checkpoint"]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, ["DROP TABLE audit_checkpoint", "DROP TABLE audit_event", "DROP TABLE team_membership", "DROP TABLE team", "DROP TABLE person", "DROP TABLE tenant"]);
    if (isPostgres(q)) await q.query("DROP FUNCTION IF EXISTS leeway_refuse_change()");
  }
}

/** The database itself refuses to change or remove rows of these tables. */
async function appendOnly(q: QueryRunner, tables: string[]): Promise<void> {
  if (isPostgres(q)) {
    await q.query(`CREATE OR REPLACE FUNCTION leeway_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'leeway: % is append-only; % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const t of tables) {
      await q.query(`CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION leeway_refuse_change()`);
      // Row triggers do not fire for TRUNCATE; only a statement-level trigger stops it.
      await q.query(`CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION leeway_refuse_change()`);
    }
    return;
  }
  for (const t of tables) {
    await q.query(`CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, 'leeway: ${t} is append-only; UPDATE refused'); END`);
    await q.query(`CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, 'leeway: ${t} is append-only; DELETE refused'); END`);
  }
}
