// Every row of every application table, read straight from the database, so a test can tell
// whether a request changed anything at all. The table list comes from the database itself, so a
// table added by a later migration is covered without anyone remembering to list it.

import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";

export type Row = Record<string, unknown>;

/** One table: its rows as JSON text, sorted, and a hash over them. */
export interface TableState {
  hash: string;
  rows: string[];
}

/** Every application table by name. */
export type TableDigest = Record<string, TableState>;

/** What changed in one table: rows that are new, and rows that are gone (an update is one of each). */
export interface TableChange {
  added: Row[];
  removed: Row[];
}

/** The tables of the schema, without the migrations bookkeeping and SQLite's own tables. */
export async function applicationTables(ds: DataSource): Promise<string[]> {
  const bookkeeping = ds.options.migrationsTableName ?? "migrations";
  const rows: { name: string }[] =
    ds.options.type === "postgres"
      ? await ds.query("SELECT tablename AS name FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
      : await ds.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'");
  return rows
    .map((r) => r.name)
    .filter((name) => name !== bookkeeping)
    .sort();
}

/**
 * A row as JSON text. `SELECT *` answers a table's columns in the table's own order, so the text of
 * a row is the same at every reading; big integers become text, as JSON has no other way to hold them.
 */
const rowText = (row: Row) => JSON.stringify(row, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Reads every application table in full; the rows of each are sorted, so the order the database answers in does not matter. */
export async function tableDigest(ds: DataSource): Promise<TableDigest> {
  const out: TableDigest = {};
  for (const table of await applicationTables(ds)) {
    const rows = ((await ds.query(`SELECT * FROM ${quote(table)}`)) as Row[]).map(rowText).sort();
    out[table] = { hash: createHash("sha256").update(rows.join("\n")).digest("hex"), rows };
  }
  return out;
}

/** The tables whose rows differ, each with the rows added and removed; an empty object when nothing changed. */
export function tableChanges(before: TableDigest, after: TableDigest): Record<string, TableChange> {
  const out: Record<string, TableChange> = {};
  for (const table of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const was = before[table];
    const is = after[table];
    if (was && is && was.hash === is.hash) continue;
    const left = new Map<string, number>();
    for (const r of was?.rows ?? []) left.set(r, (left.get(r) ?? 0) + 1);
    const added: Row[] = [];
    for (const r of is?.rows ?? []) {
      const n = left.get(r) ?? 0;
      if (n > 0) left.set(r, n - 1);
      else added.push(JSON.parse(r) as Row);
    }
    const removed: Row[] = [];
    for (const [r, n] of left) for (let i = 0; i < n; i++) removed.push(JSON.parse(r) as Row);
    out[table] = { added, removed };
  }
  return out;
}

/** The hash of each table, for an equality assertion that names the table that differs. */
export function tableHashes(d: TableDigest): Record<string, string> {
  return Object.fromEntries(Object.entries(d).map(([table, state]) => [table, state.hash]));
}
