import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { DataSource } from "typeorm";
import { AuditChain } from "../../server/src/store/audit-chain";
import { createDataSource, runMigrations } from "../../server/src/store/data-source";
import { signerFromPem } from "../../server/src/audit/signing";
import { generateKeyPairSync } from "node:crypto";
import { createDatabase, dropDatabase } from "../support/pg-cluster.cjs";

const run = promisify(execFile);
const TENANTS = ["10000000-0000-4000-8000-000000000001", "20000000-0000-4000-8000-000000000002", "30000000-0000-4000-8000-000000000003", "40000000-0000-4000-8000-000000000004"];
const WRITES = 2500;

jest.setTimeout(600_000);

describe("audit chain with several server processes on one PostgreSQL", () => {
  const superuserUrl = process.env.LEEWAY_TEST_PG_URL!;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createDatabase(superuserUrl);
    await runMigrations({ database: { url: db.appUrl, migrationUrl: db.ownerUrl, engine: "postgres" } });
    ds = createDataSource({ database: { url: db.appUrl, migrationUrl: db.appUrl, engine: "postgres" } });
    await ds.initialize();
    for (const t of TENANTS) await ds.query("INSERT INTO tenant (id, name, settings, created_at) VALUES ($1, $1, '{}', '2026-01-01T00:00:00.000Z')", [t]);
  });
  afterAll(async () => {
    await ds?.destroy();
    await dropDatabase(superuserUrl, db.name);
  });

  it(`keeps per-tenant sequences 1..n without gaps or duplicates and every chain verifies (2 processes x 4 tenants x ${WRITES} writes)`, async () => {
    const root = path.resolve(__dirname, "../..");
    const writer = (name: string) =>
      run(process.execPath, ["--import", "tsx", "tests/pg/support/audit-writer.ts"], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: db.appUrl, TENANTS: TENANTS.join(","), WRITES: String(WRITES), WRITER_NAME: name },
        maxBuffer: 1 << 20,
      });
    const results = await Promise.all([writer("a"), writer("b")]);
    expect(results.map((r) => r.stdout.trim())).toEqual([`done ${WRITES * 4}`, `done ${WRITES * 4}`]);

    const chain = new AuditChain(signerFromPem(generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString()), 1000);
    for (const t of TENANTS) {
      const [stats] = await ds.query("SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq, min(seq) AS lo, max(seq) AS hi FROM audit_event WHERE tenant_id = $1", [t]);
      expect(stats).toEqual({ n: 2 * WRITES, distinct_seq: 2 * WRITES, lo: 1, hi: 2 * WRITES });
      await expect(chain.verify(ds.manager, t)).resolves.toMatchObject({ ok: true, events: 2 * WRITES });
    }
  });
});
