import { QueryFailedError, type EntityManager, type EntityMetadata, type EntityTarget, type ObjectLiteral, type QueryRunner } from "typeorm";
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

interface SqliteStatement {
  reader: boolean;
  all(...values: unknown[]): unknown[];
  run(...values: unknown[]): { changes: number };
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

/**
 * Prepared statements per SQLite connection. Most texts are a fixed set; those with IN lists vary
 * with the list's length, so the oldest are dropped past a bound.
 */
const prepared = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();
const MAX_PREPARED = 1000;

/**
 * On SQLite, the statement prepared once on TypeORM's own connection (so it runs inside the same
 * transaction); better-sqlite3 answers synchronously, so going through the query runner's
 * promise and event plumbing for every statement only costs. Null on PostgreSQL.
 */
function sqliteStatement(m: EntityManager, sql: string): SqliteStatement | null {
  if (m.connection.options.type === "postgres") return null;
  const db = (m.connection.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
  let cache = prepared.get(db);
  if (!cache) {
    cache = new Map();
    prepared.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    if (cache.size >= MAX_PREPARED) cache.delete(cache.keys().next().value as string);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** Binds the values (booleans as 0/1, undefined as NULL) and reports failures as TypeORM does. */
function sqlite<R>(sql: string, values: readonly unknown[], run: (bound: unknown[]) => R): R {
  const bound = values.map((v) => (v === undefined ? null : typeof v === "boolean" ? (v ? 1 : 0) : v));
  try {
    return run(bound);
  } catch (err) {
    throw new QueryFailedError(sql, bound, err as Error);
  }
}

interface PgResult {
  rows: unknown[];
  rowCount: number | null;
}
interface PgQueryable {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<PgResult>;
}

/**
 * PostgreSQL names the statements of this module, so each connection parses and plans a text once
 * and then only binds and executes it; unnamed, every call was parsed and planned again, which
 * was most of the database's time on a check-in. Texts are a fixed set, apart from IN lists whose
 * length varies, so names stop being handed out past a bound and later texts run unnamed.
 */
const statementNames = new Map<string, string>();
const MAX_NAMED = 1000;

function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_NAMED) {
    name = `leeway_${statementNames.size + 1}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * Runs a statement on PostgreSQL straight through node-postgres: on the transaction's own
 * connection when there is one, otherwise on any pooled connection. Failures are reported as
 * TypeORM reports them, so callers see one kind of error whichever path ran.
 */
async function pgQuery(m: EntityManager, sql: string, values: readonly unknown[]): Promise<PgResult> {
  const params = [...values];
  const config = { name: statementName(sql), text: sql, values: params };
  try {
    const runner = m.queryRunner as (QueryRunner & { connect(): Promise<PgQueryable> }) | undefined;
    if (runner && !runner.isReleased) return await (await runner.connect()).query(config);
    return await (m.connection.driver as unknown as { master: PgQueryable }).master.query(config);
  } catch (err) {
    throw new QueryFailedError(sql, params, err as Error);
  }
}

/** Rows of a SELECT (or of a statement with RETURNING), on either engine. */
export async function queryRows<R>(m: EntityManager, sql: string, values: readonly unknown[]): Promise<R[]> {
  const stmt = sqliteStatement(m, sql);
  if (stmt) return sqlite(sql, values, (v) => stmt.all(...v) as R[]);
  return (await pgQuery(m, sql, values)).rows as R[];
}

/** Runs a statement that returns no rows; answers how many rows it changed. */
export async function execute(m: EntityManager, sql: string, values: readonly unknown[]): Promise<number> {
  const stmt = sqliteStatement(m, sql);
  if (stmt) return sqlite(sql, values, (v) => stmt.run(...v).changes);
  return (await pgQuery(m, sql, values)).rowCount ?? 0;
}

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
  const rows = await queryRows<Record<string, unknown>>(m, sql, values);
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
  await execute(
    m,
    sql,
    cols.map((col) => persistent(m, col, row[col.propertyName] ?? null)),
  );
}

/**
 * Writes the non-key columns of `row` (all of them, or only `only`) where the key columns and the
 * `guard` columns still hold the given values; returns how many rows changed (0 when the guard no
 * longer holds).
 */
export async function updateRow<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, row: T, guard: Partial<T> = {}, only?: readonly (keyof T & string)[]): Promise<number> {
  const c = compile(m, target);
  const keys = c.meta.primaryColumns;
  const sets = only ? only.map((p) => column(c, p)).filter((col) => !col.isPrimary) : c.meta.columns.filter((col) => !col.isPrimary);
  const guardProps = Object.keys(guard);
  const sql = statement(c, `update|${guardProps.join(",")}|${sets.map((col) => col.propertyName).join(",")}`, () => {
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
  return execute(m, sql, values);
}
