import type { MigrationInterface, QueryRunner } from "typeorm";
import { isPostgres, run } from "./sql";

const STATES = (states: string[]) => `CHECK (state IN (${states.map((s) => `'${s}'`).join(", ")}))`;
const BEFORE = ["pending", "agreed", "superseded", "withdrawn"];
const AFTER = [...BEFORE, "declined"];

/** The agreement table as version 1764400000000 made it, with the state check and decision columns given. */
const agreementTable = (name: string, states: string[], decisionColumns: boolean) => `CREATE TABLE ${name} (
  tenant_id varchar(36) NOT NULL,
  outcome_id varchar(36) NOT NULL,
  version integer NOT NULL,
  kind varchar(10) NOT NULL CHECK (kind IN ('create', 'change', 'drop')),
  what text NOT NULL,
  proposed_by varchar(64) NOT NULL,
  proposed_as varchar(10) NOT NULL,
  reason text,
  state varchar(12) NOT NULL ${STATES(states)},
  owner_accepted_at varchar(30),
  manager_accepted_at varchar(30),
  manager_id varchar(64),
  created_at varchar(30) NOT NULL,
  decided_at varchar(30),${decisionColumns ? "\n  decided_by varchar(64),\n  decision_reason text," : ""}
  PRIMARY KEY (tenant_id, outcome_id, version),
  FOREIGN KEY (tenant_id, outcome_id) REFERENCES outcome(tenant_id, id))`;

/**
 * The audit event that took a proposal back: the first withdrawal or decline of that outcome
 * recorded at or after the moment the history marks it decided (events are stamped as they are
 * appended, after the work that decided it).
 */
const takenBack = (column: string) => `(SELECT e.${column} FROM audit_event e
  WHERE e.tenant_id = outcome_agreement.tenant_id AND e.entity = 'outcome' AND e.entity_id = outcome_agreement.outcome_id
    AND e.action IN ('outcome.change_declined', 'outcome.change_withdrawn') AND e.occurred_at >= outcome_agreement.decided_at
  ORDER BY e.seq LIMIT 1)`;

/** Proposals taken back before this version: who did it, why, and whether it was a decline, from the audit trail. */
const FROM_THE_TRAIL = `UPDATE outcome_agreement SET
  state = CASE WHEN ${takenBack("action")} = 'outcome.change_declined' THEN 'declined' ELSE state END,
  decided_by = ${takenBack("actor_id")},
  decision_reason = ${takenBack("reason")}
  WHERE state = 'withdrawn' AND decided_at IS NOT NULL`;

const COLUMNS = "tenant_id, outcome_id, version, kind, what, proposed_by, proposed_as, reason, state, owner_accepted_at, manager_accepted_at, manager_id, created_at, decided_at";

/**
 * The agreement history says who decided each version and why: a proposal the other side turns
 * down is `declined`, told apart from one its proposer `withdrawn`, and the person and reason of
 * that decision are kept next to the proposer's own reason. Proposals taken back before this
 * version get all three from the audit trail, which recorded them as they happened.
 */
export class AgreementDecisions1764800000000 implements MigrationInterface {
  name = "AgreementDecisions1764800000000";

  async up(q: QueryRunner): Promise<void> {
    if (isPostgres(q)) {
      await run(q, [
        "ALTER TABLE outcome_agreement DROP CONSTRAINT outcome_agreement_state_check",
        `ALTER TABLE outcome_agreement ADD CONSTRAINT outcome_agreement_state_check ${STATES(AFTER)}`,
        "ALTER TABLE outcome_agreement ADD COLUMN decided_by varchar(64)",
        "ALTER TABLE outcome_agreement ADD COLUMN decision_reason text",
        FROM_THE_TRAIL,
      ]);
      return;
    }
    // SQLite cannot alter a CHECK constraint: the table is rebuilt. Nothing references it.
    await run(q, [
      agreementTable("outcome_agreement_next", AFTER, true),
      `INSERT INTO outcome_agreement_next (${COLUMNS}) SELECT ${COLUMNS} FROM outcome_agreement`,
      "DROP TABLE outcome_agreement",
      "ALTER TABLE outcome_agreement_next RENAME TO outcome_agreement",
      FROM_THE_TRAIL,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    // A declined proposal was recorded as withdrawn before this version.
    await run(q, ["UPDATE outcome_agreement SET state = 'withdrawn' WHERE state = 'declined'"]);
    if (isPostgres(q)) {
      await run(q, [
        "ALTER TABLE outcome_agreement DROP COLUMN decision_reason",
        "ALTER TABLE outcome_agreement DROP COLUMN decided_by",
        "ALTER TABLE outcome_agreement DROP CONSTRAINT outcome_agreement_state_check",
        `ALTER TABLE outcome_agreement ADD CONSTRAINT outcome_agreement_state_check ${STATES(BEFORE)}`,
      ]);
      return;
    }
    await run(q, [
      agreementTable("outcome_agreement_prev", BEFORE, false),
      `INSERT INTO outcome_agreement_prev (${COLUMNS}) SELECT ${COLUMNS} FROM outcome_agreement`,
      "DROP TABLE outcome_agreement",
      "ALTER TABLE outcome_agreement_prev RENAME TO outcome_agreement",
    ]);
  }
}
