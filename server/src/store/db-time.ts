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

/**
 * The database's clock without a round trip per reading: the offset between the database's
 * clock and this process's is measured at first use and then once a minute, to within half a
 * round trip. Audit events are stamped with it, so every server instance stamps by one clock.
 */
export class DatabaseClock {
  private offsetMs = 0;
  private measuredAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly refreshMs = 60_000) {}

  async now(manager: EntityManager): Promise<string> {
    if (Date.now() - this.measuredAt >= this.refreshMs) await this.measure(manager);
    return new Date(Date.now() + this.offsetMs).toISOString();
  }

  private async measure(manager: EntityManager): Promise<void> {
    const before = Date.now();
    const db = Date.parse(await dbNow(manager));
    const after = Date.now();
    this.offsetMs = db - (before + after) / 2;
    this.measuredAt = after;
  }
}
