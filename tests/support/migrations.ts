import type { DataSource } from "typeorm";

/** Undoes migrations, newest first, until the named one is undone too; answers the names undone. */
export async function undoThrough(owner: DataSource, name: string): Promise<string[]> {
  const undone: string[] = [];
  while (!undone.includes(name)) {
    const [last] = (await owner.query("SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1")) as { name: string }[];
    if (!last) throw new Error(`${name} was never run`);
    await owner.undoLastMigration({ transaction: "each" });
    undone.push(last.name);
  }
  return undone;
}
