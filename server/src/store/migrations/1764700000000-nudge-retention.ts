import type { MigrationInterface, QueryRunner } from "typeorm";
import { run } from "./sql";

/**
 * A nudge's message is free text like a check-in's note, so the retention sweep clears it too and
 * marks when, as it does for check-ins, comments and reviews.
 */
export class NudgeRetention1764700000000 implements MigrationInterface {
  name = "NudgeRetention1764700000000";

  async up(q: QueryRunner): Promise<void> {
    await run(q, ["ALTER TABLE nudge ADD COLUMN redacted_at varchar(30)"]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, ["ALTER TABLE nudge DROP COLUMN redacted_at"]);
  }
}
