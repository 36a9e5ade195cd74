import type { MigrationInterface, QueryRunner } from "typeorm";
import { run } from "./sql";

/**
 * Check-in schedules (an outcome's or a team's rhythm and the Outlook series it is synced to),
 * the outbox that delivers calendar changes and notifications to Microsoft Graph, and the record
 * of which due check-ins already had a reminder. Same SQL on SQLite and PostgreSQL.
 */
export class Schedules1764500000000 implements MigrationInterface {
  name = "Schedules1764500000000";

  async up(q: QueryRunner): Promise<void> {
    await run(q, [
      `CREATE TABLE check_in_schedule (
        tenant_id varchar(36) NOT NULL REFERENCES tenant(id),
        id varchar(36) NOT NULL,
        outcome_id varchar(36),
        team_id varchar(64) NOT NULL,
        cadence varchar(10) NOT NULL CHECK (cadence IN ('weekly', 'biweekly')),
        first_start varchar(30) NOT NULL,
        time_zone varchar(100) NOT NULL,
        duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 120),
        attendee_ids text NOT NULL,
        organizer_id varchar(64) NOT NULL,
        origin varchar(10) NOT NULL CHECK (origin IN ('leeway', 'outlook')),
        status varchar(10) NOT NULL CHECK (status IN ('active', 'cancelled')),
        sync_state varchar(10) NOT NULL CHECK (sync_state IN ('pending', 'synced', 'failed', 'cancelled', 'linked')),
        graph_event_id varchar(512),
        ical_uid varchar(512),
        external_item_id varchar(512),
        synced_version integer,
        version integer NOT NULL,
        created_by varchar(64) NOT NULL,
        created_at varchar(30) NOT NULL,
        updated_at varchar(30) NOT NULL,
        synced_at varchar(30),
        cancelled_at varchar(30),
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, outcome_id) REFERENCES outcome(tenant_id, id),
        FOREIGN KEY (tenant_id, team_id) REFERENCES team(tenant_id, id),
        FOREIGN KEY (tenant_id, organizer_id) REFERENCES person(tenant_id, id))`,
      // One active rhythm per outcome and one per team; cancelled ones stay as history.
      `CREATE UNIQUE INDEX ux_schedule_active_outcome ON check_in_schedule (tenant_id, outcome_id) WHERE status = 'active' AND outcome_id IS NOT NULL`,
      `CREATE UNIQUE INDEX ux_schedule_active_team ON check_in_schedule (tenant_id, team_id) WHERE status = 'active' AND outcome_id IS NULL`,
      `CREATE INDEX ix_schedule_team ON check_in_schedule (tenant_id, team_id, created_at)`,
      `CREATE INDEX ix_schedule_organizer ON check_in_schedule (tenant_id, organizer_id)`,
      `CREATE INDEX ix_schedule_status ON check_in_schedule (status)`,
      `CREATE TABLE outbox_message (
        tenant_id varchar(36) NOT NULL,
        id varchar(36) NOT NULL,
        kind varchar(40) NOT NULL,
        ordering_key varchar(80) NOT NULL,
        schedule_id varchar(36),
        payload text NOT NULL,
        state varchar(10) NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at varchar(30) NOT NULL,
        claimed_by varchar(100),
        claimed_until varchar(30),
        last_error text,
        created_at varchar(30) NOT NULL,
        finished_at varchar(30),
        delivered_by varchar(100),
        PRIMARY KEY (tenant_id, id))`,
      `CREATE INDEX ix_outbox_due ON outbox_message (next_attempt_at) WHERE state = 'pending'`,
      `CREATE INDEX ix_outbox_key ON outbox_message (tenant_id, ordering_key, created_at)`,
      `CREATE INDEX ix_outbox_schedule ON outbox_message (tenant_id, schedule_id, created_at)`,
      `CREATE TABLE check_in_reminder (
        tenant_id varchar(36) NOT NULL,
        schedule_id varchar(36) NOT NULL,
        outcome_id varchar(36) NOT NULL,
        occurrence_at varchar(30) NOT NULL,
        nudge_id varchar(36) NOT NULL,
        sent_at varchar(30) NOT NULL,
        PRIMARY KEY (tenant_id, schedule_id, outcome_id, occurrence_at),
        FOREIGN KEY (tenant_id, schedule_id) REFERENCES check_in_schedule(tenant_id, id))`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, ["DROP TABLE check_in_reminder", "DROP TABLE outbox_message", "DROP TABLE check_in_schedule"]);
  }
}
