import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadConfig } from "../config";
import { createDataSource, runMigrations } from "./data-source";

/**
 * `npm run migration:generate -- <Name>`: compares the entities with a database migrated to the
 * latest committed migration and writes the difference as a new migration for review. Uses a
 * scratch SQLite file unless DATABASE_URL points at PostgreSQL (the engine matters for the SQL).
 * The committed migrations are written by hand: they carry CHECK constraints, composite foreign
 * keys and the audit triggers that the entities do not describe, so a draft also proposes to
 * rebuild tables without them. Keep only the statements for the change you made, and check that
 * they suit both engines, before committing.
 */
async function main(): Promise<void> {
  const { positionals } = parseArgs({ allowPositionals: true });
  const name = positionals[0];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    process.stderr.write("usage: npm run migration:generate -- <PascalCaseName>\n");
    process.exit(2);
  }
  const env = process.env.DATABASE_URL?.startsWith("postgres") ? process.env : { ...process.env, DATABASE_URL: path.join(fs.mkdtempSync(path.join(os.tmpdir(), "leeway-gen-")), "scratch.db") };
  const config = loadConfig(env);
  await runMigrations(config);
  const ds = createDataSource(config);
  await ds.initialize();
  try {
    const { upQueries, downQueries } = await ds.driver.createSchemaBuilder().log();
    if (upQueries.length === 0) {
      process.stdout.write("The entities match the migrations: nothing to generate.\n");
      return;
    }
    const stamp = Date.now();
    const q = (s: string) => `    await q.query(${JSON.stringify(s)});`;
    const file = path.join(__dirname, "migrations", `${stamp}-${name.replace(/[A-Z]/g, (c, i: number) => (i ? "-" : "") + c.toLowerCase())}.ts`);
    fs.writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from "typeorm";

export class ${name}${stamp} implements MigrationInterface {
  name = "${name}${stamp}";

  async up(q: QueryRunner): Promise<void> {
${upQueries.map((u) => q(u.query)).join("\n")}
  }

  async down(q: QueryRunner): Promise<void> {
${downQueries
  .reverse()
  .map((d) => q(d.query))
  .join("\n")}
  }
}
`,
    );
    process.stdout.write(`Wrote ${path.relative(process.cwd(), file)}; add it to migrations/index.ts after review.\n`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
