import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata.js";

/**
 * Plain SQL for the statements the busiest requests run (a read by key, a filtered read, an
 * insert, a guarded update), written once per entity and shape from TypeORM's own metadata and
 * converted with the driver's own value rules. The query builder re-plans every statement on
 * every call; on a check-in that planning cost more than the database work itself.
 *
 * Everything named here is a property name of the entity, never caller-supplied SQL.
 */

interface Compiled {
  meta: EntityMetadata;
  pg: boolean;
  table: string;
  byProperty: Map<string, ColumnMetadata>;
  statements: Map<string, string>;
}

const compiled = new WeakMap<EntityMetadata, Compiled>();

function compile(m: EntityManager, target: EntityTarget<ObjectLiteral>): Compiled {
  const meta = m.connection.getMetadata(target);
  let c = compiled.get(meta);
  if (!c) {
    c = {
      meta,
      pg: m.connection.options.type === "postgres",
      table: `"${meta.tableName}"`,
      byProperty: new Map(meta.columns.map((col) => [col.propertyName, col])),
      statements: new Map(),
    };
    compiled.set(meta, c);
  }
  return c;
}

function column(c: Compiled, property: string): ColumnMetadata {
  const col = c.byProperty.get(property);
  if (!col) throw new Error(`${c.meta.name} has no column ${property}`);
  return col;
}

const placeholder = (c: Compiled, n: number) => (c.pg ? `$${n}` : "?");

/** Builds a statement once per entity and shape; later calls find it by key. */
function statement(c: Compiled, key: string, build: () => string): string {
  let sql = c.statements.get(key);
  if (sql === undefined) {
    sql = build();
    c.statements.set(key, sql);
  }
  return sql;
}

function hydrate<T>(m: EntityManager, c: Compiled, raw: Record<string, unknown>, properties: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const p of properties) out[p] = m.connection.driver.prepareHydratedValue(raw[p], column(c, p));
  return out as T;
}

const persistent = (m: EntityManager, col: ColumnMetadata, value: unknown): unknown => m.connection.driver.preparePersistentValue(value, col);

export interface FindOptions<T> {
  select?: readonly (keyof T & string)[];
  orderBy?: { property: keyof T & string; direction: "ASC" | "DESC" };
  limit?: number;
  /** Locks the rows until the transaction ends (PostgreSQL; SQLite has one writer anyway). */
  forUpdate?: boolean;
}

/** Rows whose columns equal `where` (no nulls in `where`), optionally ordered, limited and locked. */
export async function findRows<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, where: Partial<T>, options: FindOptions<T> = {}): Promise<T[]> {
  const c = compile(m, target);
  const whereProps = Object.keys(where);
  const props = options.select ?? c.meta.columns.map((col) => col.propertyName);
  const lock = options.forUpdate && c.pg;
  const key = `find|${props.join(",")}|${whereProps.join(",")}|${options.orderBy ? `${options.orderBy.property} ${options.orderBy.direction}` : ""}|${options.limit !== undefined}|${lock}`;
  const sql = statement(c, key, () => {
    const list = props.map((p) => `"${column(c, p).databaseName}" AS "${p}"`).join(", ");
    const conditions = whereProps.map((p, i) => `"${column(c, p).databaseName}" = ${placeholder(c, i + 1)}`).join(" AND ");
    const order = options.orderBy ? ` ORDER BY "${column(c, options.orderBy.property).databaseName}" ${options.orderBy.direction}` : "";
    const limit = options.limit !== undefined ? ` LIMIT ${placeholder(c, whereProps.length + 1)}` : "";
    return `SELECT ${list} FROM ${c.table} WHERE ${conditions}${order}${limit}${lock ? " FOR UPDATE" : ""}`;
  });
  const values = whereProps.map((p) => persistent(m, column(c, p), where[p]));
  if (options.limit !== undefined) values.push(options.limit);
  const rows = (await m.query(sql, values)) as Record<string, unknown>[];
  return rows.map((r) => hydrate<T>(m, c, r, props));
}

/** The one row with these key values, or null. */
export async function findOne<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, key: Partial<T>, options: Omit<FindOptions<T>, "limit" | "orderBy"> = {}): Promise<T | null> {
  const [row] = await findRows(m, target, key, options);
  return row ?? null;
}

/** Inserts one row with every column of the entity. */
export async function insertRow<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, row: T): Promise<void> {
  const c = compile(m, target);
  const cols = c.meta.columns;
  const sql = statement(c, "insert", () => `INSERT INTO ${c.table} (${cols.map((col) => `"${col.databaseName}"`).join(", ")}) VALUES (${cols.map((_, i) => placeholder(c, i + 1)).join(", ")})`);
  await m.query(
    sql,
    cols.map((col) => persistent(m, col, row[col.propertyName] ?? null)),
  );
}

/**
 * Writes every non-key column of `row` where the key columns and the `guard` columns still hold
 * the given values; returns how many rows changed (0 when the guard no longer holds).
 */
export async function updateRow<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, row: T, guard: Partial<T> = {}): Promise<number> {
  const c = compile(m, target);
  const keys = c.meta.primaryColumns;
  const sets = c.meta.columns.filter((col) => !col.isPrimary);
  const guardProps = Object.keys(guard);
  const sql = statement(c, `update|${guardProps.join(",")}`, () => {
    let n = 0;
    const assignments = sets.map((col) => `"${col.databaseName}" = ${placeholder(c, ++n)}`).join(", ");
    const conditions = [...keys, ...guardProps.map((p) => column(c, p))].map((col) => `"${col.databaseName}" = ${placeholder(c, ++n)}`).join(" AND ");
    return `UPDATE ${c.table} SET ${assignments} WHERE ${conditions}`;
  });
  const values = [
    ...sets.map((col) => persistent(m, col, row[col.propertyName] ?? null)),
    ...keys.map((col) => persistent(m, col, row[col.propertyName])),
    ...guardProps.map((p) => persistent(m, column(c, p), guard[p])),
  ];
  const runner = m.queryRunner;
  if (runner) return (await runner.query(sql, values, true)).affected ?? 0;
  const own = m.connection.createQueryRunner();
  try {
    return (await own.query(sql, values, true)).affected ?? 0;
  } finally {
    await own.release();
  }
}
