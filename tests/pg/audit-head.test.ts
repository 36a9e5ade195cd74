import { generateKeyPairSync } from "node:crypto";
import type { DataSource } from "typeorm";
import { signerFromPem } from "../../server/src/audit/signing";
import { AuditChain } from "../../server/src/store/audit-chain";
import { createDataSource, runMigrations } from "../../server/src/store/data-source";
import { UnitOfWork } from "../../server/src/store/unit-of-work";
import { createDatabase, dropDatabase } from "../support/pg-cluster.cjs";

const TENANT = "50000000-0000-4000-8000-000000000005";
const OTHER = "60000000-0000-4000-8000-000000000006";
const FRESH = "70000000-0000-4000-8000-000000000007";

/**
 * The tenant's head row on PostgreSQL: each server instance links to the head it expects, and
 * one that expected a stale head links again to the head it finds. Two AuditChain objects stand
 * for two server instances (each keeps its own expectation), as in production.
 */
describe("audit chain head on PostgreSQL", () => {
  const superuserUrl = process.env.LEEWAY_TEST_PG_URL!;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let app: DataSource;
  let owner: DataSource;
  const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const newChain = () => new AuditChain(signerFromPem(pem), 1000);

  beforeAll(async () => {
    db = await createDatabase(superuserUrl);
    await runMigrations({ database: { url: db.appUrl, migrationUrl: db.ownerUrl, engine: "postgres" } });
    app = createDataSource({ database: { url: db.appUrl, migrationUrl: db.appUrl, engine: "postgres" } });
    owner = createDataSource({ database: { url: db.ownerUrl, migrationUrl: db.ownerUrl, engine: "postgres" } });
    await app.initialize();
    await owner.initialize();
    for (const t of [TENANT, OTHER, FRESH]) await app.query("INSERT INTO tenant (id, name, settings, created_at) VALUES ($1, $1, '{}', '2026-01-01T00:00:00.000Z')", [t]);
  });
  afterAll(async () => {
    await app?.destroy();
    await owner?.destroy();
    await dropDatabase(superuserUrl, db.name);
  });

  const write = (uow: UnitOfWork, tenantId: string, id: string, events = 1) =>
    uow.run({ tenantId, actor: { tenantId, userId: "tester" }, requestId: id }, async (tx) => {
      for (let i = 0; i < events; i++) tx.audit({ action: "test.write", entity: "test", entityId: `${id}-${i}` });
    });
  const events = async (tenantId: string) =>
    (await app.query(`SELECT seq, hash, occurred_at AS "occurredAt" FROM audit_event WHERE tenant_id = $1 ORDER BY seq`, [tenantId])) as { seq: number; hash: string; occurredAt: string }[];
  const headRow = async (tenantId: string) => ((await app.query(`SELECT seq, hash, occurred_at AS "occurredAt" FROM audit_head WHERE tenant_id = $1`, [tenantId])) as unknown[])[0];

  it("links the writes of two instances into one chain: gap-free, verifying, stamps never going back, and the head row on its newest event", async () => {
    const a = new UnitOfWork(app, newChain());
    const b = new UnitOfWork(app, newChain());
    // In turn: every write of one instance makes the other's expected head stale.
    for (let i = 0; i < 10; i++) await write(i % 2 ? b : a, TENANT, `turn-${i}`, 1 + (i % 3));
    // And at once, both instances with several writes in flight.
    await Promise.all(Array.from({ length: 40 }, (_, i) => write(i % 2 ? b : a, TENANT, `together-${i}`, 1 + (i % 2))));

    const rows = await events(TENANT);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    // Ten writes of 1, 2 or 3 events in turn (19), forty of 1 or 2 at once (60).
    expect(rows.length).toBe(79);
    const stamps = rows.map((r) => r.occurredAt);
    expect(stamps).toEqual([...stamps].sort());
    const last = rows[rows.length - 1]!;
    expect(await headRow(TENANT)).toEqual(last);
    await expect(newChain().verify(app.manager, TENANT)).resolves.toMatchObject({ ok: true, events: rows.length, headHash: last.hash });
  });

  it("links to the committed head after an append that rolled back", async () => {
    const chain = newChain();
    const uow = new UnitOfWork(app, chain);
    await write(uow, OTHER, "before");
    const actor = { tenantId: OTHER, userId: "tester" };
    // The append succeeds and then its transaction rolls back: this instance expected a head
    // that was never committed.
    await expect(
      app.transaction(async (m) => {
        await chain.append(m, OTHER, actor, "rolled-back", [{ action: "test.write", entity: "test", entityId: "gone", changes: {}, reason: null }]);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await write(uow, OTHER, "after");
    const rows = await events(OTHER);
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    await expect(chain.verify(app.manager, OTHER)).resolves.toMatchObject({ ok: true, events: 2 });
  });

  it("links a second append to a chain's first while the first has not committed yet", async () => {
    const chain = newChain();
    const actor = { tenantId: FRESH, userId: "tester" };
    const draft = (id: string) => [{ action: "test.write", entity: "test", entityId: id, changes: {}, reason: null }];
    const first = app.createQueryRunner();
    const second = app.createQueryRunner();
    try {
      await first.startTransaction();
      await chain.append(first.manager, FRESH, actor, "first", draft("first"));
      // The head row the first append created is invisible to the second until it commits.
      await second.startTransaction();
      const appended = chain.append(second.manager, FRESH, actor, "second", draft("second"));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.commitTransaction();
      const rows = await appended;
      await second.commitTransaction();
      expect(rows.map((r) => r.seq)).toEqual([2]);
    } finally {
      await first.release();
      await second.release();
    }
    expect((await events(FRESH)).map((r) => r.seq)).toEqual([1, 2]);
    await expect(chain.verify(app.manager, FRESH)).resolves.toMatchObject({ ok: true, events: 2 });
  });

  it("continues a chain that has no head row from its newest event", async () => {
    const before = await events(TENANT);
    await app.query("DELETE FROM audit_head WHERE tenant_id = $1", [TENANT]);
    await write(new UnitOfWork(app, newChain()), TENANT, "headless", 2);
    const rows = await events(TENANT);
    expect(rows.length).toBe(before.length + 2);
    expect(await headRow(TENANT)).toEqual(rows[rows.length - 1]);
    await expect(newChain().verify(app.manager, TENANT)).resolves.toMatchObject({ ok: true, events: rows.length });
  });

  it("fills the head rows from the events when the migration runs on an existing trail", async () => {
    const expected = [await headRow(TENANT), await headRow(OTHER)];
    await owner.query("DROP TABLE audit_head");
    await owner.query("DELETE FROM migrations WHERE name = 'AuditHead1764600000000'");
    await expect(runMigrations({ database: { url: db.appUrl, migrationUrl: db.ownerUrl, engine: "postgres" } })).resolves.toEqual(["AuditHead1764600000000"]);
    expect([await headRow(TENANT), await headRow(OTHER)]).toEqual(expected);
    // And the app role may still move it on.
    await write(new UnitOfWork(app, newChain()), OTHER, "after-migration");
    await expect(newChain().verify(app.manager, OTHER)).resolves.toMatchObject({ ok: true, events: 3 });
  });
});
