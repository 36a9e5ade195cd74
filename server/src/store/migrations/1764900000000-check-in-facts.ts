import type { MigrationInterface, QueryRunner } from "typeorm";
import { isPostgres, run } from "./sql";

/**
 * What the signs and pitfalls count of a check-in outlives its free text: how many ideas it
 * surfaced and whether it asked for support. The retention sweep clears the words, not these
 * facts, so a team's figures do not change when old text is cleared. Check-ins already cleared
 * keep the zero they can no longer be counted from.
 */
export class CheckInFacts1764900000000 implements MigrationInterface {
  name = "CheckInFacts1764900000000";

  async up(q: QueryRunner): Promise<void> {
    const pg = isPostgres(q);
    const ideas = pg
      ? "(SELECT count(*) FROM json_array_elements_text(ideas::json) AS i(text) WHERE btrim(i.text) <> '')"
      : "(SELECT count(*) FROM json_each(check_in.ideas) WHERE trim(value) <> '')";
    const trim = pg ? "btrim" : "trim";
    await run(q, [
      "ALTER TABLE check_in ADD COLUMN ideas_count integer NOT NULL DEFAULT 0",
      `ALTER TABLE check_in ADD COLUMN support_asked boolean NOT NULL DEFAULT ${pg ? "false" : "0"}`,
      `UPDATE check_in SET ideas_count = ${ideas}, support_asked = (support_needed IS NOT NULL AND ${trim}(support_needed) <> '') WHERE redacted_at IS NULL`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, ["ALTER TABLE check_in DROP COLUMN support_asked", "ALTER TABLE check_in DROP COLUMN ideas_count"]);
  }
}
