import type { MigrationInterface, QueryRunner } from "typeorm";
import { isPostgres, run } from "./sql";

/**
 * What the signs and pitfalls count of a check-in outlives its free text: how many ideas it
 * surfaced and whether it asked for support. The retention sweep clears the words, not these
 * facts, so a team's figures do not change when old text is cleared.
 *
 * The columns stay nullable: a check-in written by a server that does not know them yet (the
 * previous build, while a new one starts) is counted from its text when read, and the sweep
 * counts it before it clears the text.
 */
export class CheckInFacts1764900000000 implements MigrationInterface {
  name = "CheckInFacts1764900000000";

  async up(q: QueryRunner): Promise<void> {
    const pg = isPostgres(q);
    // Blank is what the server takes as blank: spaces, tabs and line breaks only.
    const blank = (column: string) => (pg ? `btrim(${column}, E' \\t\\n\\r') = ''` : `trim(${column}, ' ' || char(9) || char(10) || char(13)) = ''`);
    const ideas = pg
      ? `(SELECT count(*) FROM json_array_elements_text(ideas::json) AS i(text) WHERE NOT ${blank("i.text")})`
      : `(SELECT count(*) FROM json_each(check_in.ideas) WHERE NOT ${blank("value")})`;
    await run(q, [
      "ALTER TABLE check_in ADD COLUMN ideas_count integer",
      "ALTER TABLE check_in ADD COLUMN support_asked boolean",
      // Cleared check-ins stay unknown: their text is gone, and reads count what is left of it.
      `UPDATE check_in SET ideas_count = ${ideas}, support_asked = (support_needed IS NOT NULL AND NOT ${blank("support_needed")}) WHERE redacted_at IS NULL`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await run(q, ["ALTER TABLE check_in DROP COLUMN support_asked", "ALTER TABLE check_in DROP COLUMN ideas_count"]);
  }
}
