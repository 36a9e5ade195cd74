import type { EntityManager } from "typeorm";

/** The database's own UTC clock, as ISO-8601 text with milliseconds (the form every timestamp is stored in). */
export async function dbNow(manager: EntityManager): Promise<string> {
  const sql =
    manager.connection.options.type === "postgres"
      ? `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS now`
      : `SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS now`;
  const rows: { now: string }[] = await manager.query(sql);
  const now = rows[0]?.now;
  if (!now) throw new Error("the database did not report its time");
  return now;
}
