import type { QueryRunner } from "typeorm";

export function isPostgres(q: QueryRunner): boolean {
  return q.connection.options.type === "postgres";
}

/** Runs statements in order; the migration runner wraps them in one transaction. */
export async function run(q: QueryRunner, statements: string[]): Promise<void> {
  for (const s of statements) await q.query(s);
}
