import "reflect-metadata";
import { generateKeyPairSync } from "node:crypto";
import { signerFromPem } from "../../../server/src/audit/signing";
import { AuditChain } from "../../../server/src/store/audit-chain";
import { createDataSource } from "../../../server/src/store/data-source";
import { TeamEntity } from "../../../server/src/store/entities";
import { UnitOfWork } from "../../../server/src/store/unit-of-work";

/**
 * One writer process of the concurrency test: WRITES audited changes for each tenant in
 * TENANTS, several at once, against DATABASE_URL. Prints "done <n>" when finished.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL!;
  const tenants = process.env.TENANTS!.split(",");
  const writes = Number(process.env.WRITES);
  const name = process.env.WRITER_NAME ?? "w";
  const ds = createDataSource({ database: { url, migrationUrl: url, engine: "postgres" } });
  await ds.initialize();
  const pem = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const uow = new UnitOfWork(ds, new AuditChain(signerFromPem(pem), 500));
  let done = 0;
  const lane = async (tenantId: string, lane: number) => {
    for (let i = lane; i < writes; i += 2) {
      const id = `${name}-${i}`;
      await uow.run({ tenantId, actor: { tenantId, userId: name }, requestId: id }, async (tx) => {
        await tx.manager.insert(TeamEntity, { tenantId, id, name: `Team ${id}`, description: "", rhythm: "weekly", createdAt: new Date().toISOString() });
        tx.audit({ action: "team.created", entity: "team", entityId: id, changes: { name: { after: `Team ${id}` } } });
      });
      done++;
    }
  };
  await Promise.all(tenants.flatMap((t) => [lane(t, 0), lane(t, 1)]));
  await ds.destroy();
  process.stdout.write(`done ${done}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
