import "reflect-metadata";
import { loadConfig } from "../config";
import { createLogger } from "../logger";
import { runMigrations } from "./data-source";

/** `npm run migration:run`: applies the committed migrations to DATABASE_MIGRATION_URL (or DATABASE_URL). */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const applied = await runMigrations(config);
  log.info({ applied, engine: config.database.engine }, applied.length ? "migrations applied" : "database is up to date");
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
