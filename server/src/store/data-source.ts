import fs from "node:fs";
import path from "node:path";
import { DataSource, type DataSourceOptions } from "typeorm";
import type { Config } from "../config";
import { entities } from "./entities";
import { migrations } from "./migrations";

export type Engine = "sqlite" | "postgres";

/** The role the server runs as on PostgreSQL: not the owner of the tables, not a superuser. */
export const APP_ROLE = process.env.LEEWAY_DB_APP_ROLE ?? "leeway_app";

function optionsFor(url: string, engine: Engine, sqlitePath?: string): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, migrationsTransactionMode: "each" as const, logging: false };
  if (engine === "postgres") {
    return { ...common, type: "postgres", url, extra: { max: Number(process.env.LEEWAY_DB_POOL ?? 10) } };
  }
  const file = sqlitePath ?? url;
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  return {
    ...common,
    type: "better-sqlite3",
    database: file,
    enableWAL: true,
    // The query builder's statements are a fixed set of a few hundred texts; keep them all prepared.
    statementCacheSize: 1000,
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      // Durability first: every acknowledged commit reaches the disk.
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
      db.pragma("busy_timeout = 5000");
    },
  };
}

export function createDataSource(config: Pick<Config, "database">, which: "app" | "migrations" = "app"): DataSource {
  const { engine, sqlitePath } = config.database;
  const url = which === "app" ? config.database.url : config.database.migrationUrl;
  return new DataSource(optionsFor(url, engine, sqlitePath));
}

/**
 * Applies pending migrations with the migration (owner) credentials, then grants the app role
 * what it needs: read/write on the domain tables, append-only on the audit tables.
 */
export async function runMigrations(config: Pick<Config, "database">): Promise<string[]> {
  const ds = createDataSource(config, "migrations");
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: "each" });
    if (config.database.engine === "postgres") await grantAppRole(ds);
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

async function grantAppRole(ds: DataSource): Promise<void> {
  const rows: unknown[] = await ds.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_ROLE]);
  if (rows.length === 0) return;
  const role = `"${APP_ROLE.replace(/"/g, '""')}"`;
  await ds.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
  await ds.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  await ds.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_event, audit_checkpoint FROM ${role}`);
  await ds.query(`REVOKE ALL ON migrations FROM ${role}`);
  await ds.query(`GRANT SELECT ON migrations TO ${role}`);
}
