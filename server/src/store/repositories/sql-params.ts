import type { EntityManager } from "typeorm";

/**
 * Collects bound values for a hand-written query and hands out the placeholder each engine
 * expects: `$1, $2…` on PostgreSQL, `?` on SQLite. Values are added in the order their
 * placeholders appear in the text, which is what `?` needs.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly pg: boolean) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.pg ? `$${this.values.length}` : "?";
  }

  /** A comma-separated placeholder list for an IN (...) clause; never call it with an empty list. */
  list(values: readonly unknown[]): string {
    return values.map((v) => this.add(v)).join(", ");
  }
}

export const sqlParams = (m: EntityManager) => new SqlParams(m.connection.options.type === "postgres");
