// Guards the PostgreSQL test harness itself: if the cluster, the roles or the grants that
// tests/support/pg-cluster.cjs sets up go wrong, this fails before the store suites do.
import { Client } from "pg";
import { createDatabase, dropDatabase, type TestDatabase } from "../support/pg-cluster.cjs";

const superuserUrl = process.env.LEEWAY_TEST_PG_URL;

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

describe("PostgreSQL test cluster", () => {
  let db: TestDatabase;
  let app: Client;
  let owner: Client;

  beforeAll(async () => {
    if (!superuserUrl) throw new Error("LEEWAY_TEST_PG_URL is not set: run the postgres project through `npm test`");
    db = await createDatabase(superuserUrl);
    app = await connect(db.appUrl);
    owner = await connect(db.ownerUrl);
  });

  afterAll(async () => {
    await app?.end();
    await owner?.end();
    if (db && superuserUrl) await dropDatabase(superuserUrl, db.name);
  });

  it("runs PostgreSQL 15 or newer", async () => {
    const { rows } = await app.query<{ server_version_num: string }>("SHOW server_version_num");
    expect(Number(rows[0]?.server_version_num)).toBeGreaterThanOrEqual(150000);
  });

  it("connects the app role as a plain, non-owning user", async () => {
    const { rows } = await app.query<{ who: string; rolsuper: boolean; rolcreaterole: boolean; owner: string }>(
      `SELECT current_user AS who, r.rolsuper, r.rolcreaterole, pg_get_userbyid(d.datdba) AS owner
         FROM pg_roles r, pg_database d
        WHERE r.rolname = current_user AND d.datname = current_database()`,
    );
    expect(rows[0]).toEqual({ who: "leeway_app", rolsuper: false, rolcreaterole: false, owner: "leeway_owner" });
  });

  it("refuses to let the app role create a role", async () => {
    await expect(app.query("CREATE ROLE leeway_intruder")).rejects.toMatchObject({ code: "42501" });
  });

  it("gives the app role DML, not ownership, on tables the owner creates", async () => {
    await owner.query("CREATE TABLE harness_probe (id serial PRIMARY KEY, note text NOT NULL)");
    await app.query("INSERT INTO harness_probe (note) VALUES ('a'), ('b')");
    await app.query("UPDATE harness_probe SET note = 'c' WHERE id = 1");
    await app.query("DELETE FROM harness_probe WHERE id = 2");
    const { rows } = await app.query("SELECT id, note FROM harness_probe ORDER BY id");
    expect(rows).toEqual([{ id: 1, note: "c" }]);
    await expect(app.query("DROP TABLE harness_probe")).rejects.toMatchObject({ code: "42501" });
    await expect(app.query("ALTER TABLE harness_probe DISABLE TRIGGER ALL")).rejects.toMatchObject({ code: "42501" });
  });

  it("keeps databases apart", async () => {
    const other = await createDatabase(superuserUrl as string);
    try {
      expect(other.name).not.toBe(db.name);
      const client = await connect(other.appUrl);
      try {
        await expect(client.query("SELECT 1 FROM harness_probe")).rejects.toMatchObject({ code: "42P01" });
      } finally {
        await client.end();
      }
    } finally {
      await dropDatabase(superuserUrl as string, other.name);
    }
  });
});
