import type { DataSource } from "typeorm";
import type { AuditChain, CheckpointRecord } from "../store/audit-chain";
import { AuditCheckpointEntity } from "../store/entities";
import { GENESIS_HASH } from "./canonical";
import { EXPORT_FORMAT, EXPORT_VERSION, exportLineText, type ExportCheckpoint, type ExportHeader, type ExportLine } from "./export-format";
import type { CheckpointSigner } from "./signing";

const cpLine = (c: CheckpointRecord): ExportCheckpoint => ({ type: "checkpoint", ...c, seq: Number(c.seq) });

/**
 * Yields the JSONL lines of a full export of a tenant's chain, up to its closing checkpoint: the
 * head signed for this export (AuditChain.checkpoint, which refuses a chain that signed
 * checkpoints show to be broken), so events appended meanwhile do not break it. Reads page by
 * page: memory stays flat whatever the chain's length.
 */
export async function* exportJsonl(ds: DataSource, chain: AuditChain, tenantId: string, signer: CheckpointSigner, closing: CheckpointRecord | null): AsyncGenerator<string> {
  const lastSeq = closing?.seq ?? 0;
  const header: ExportHeader = {
    type: "header",
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    tenantId,
    exportedAt: new Date().toISOString(),
    fromSeq: 1,
    prevHash: GENESIS_HASH,
    keyId: signer.keyId,
  };
  yield `${exportLineText(header)}\n`;
  // The checkpoints of each page of events are read with it: every export adds one, so a tenant
  // exported often has many, and memory stays flat in their number too.
  const checkpointsOf = async (from: number, to: number) =>
    (
      await ds
        .getRepository(AuditCheckpointEntity)
        .createQueryBuilder("c")
        .where("c.tenantId = :tenantId AND c.seq >= :from AND c.seq <= :to", { tenantId, from, to: Math.min(to, lastSeq) })
        .orderBy("c.seq", "ASC")
        .getMany()
    ).map((c) => cpLine({ ...c, seq: Number(c.seq) }));
  let events = 0;
  let headHash = GENESIS_HASH;
  for await (const page of chain.pages(ds.manager, tenantId)) {
    let chunk = "";
    const checkpoints = page.length ? await checkpointsOf(page[0]!.seq, page[page.length - 1]!.seq) : [];
    let cpIndex = 0;
    for (const e of page) {
      if (e.seq > lastSeq) break;
      chunk += `${exportLineText({ type: "event", ...e })}\n`;
      events++;
      headHash = e.hash;
      while (cpIndex < checkpoints.length && checkpoints[cpIndex]!.seq === e.seq) {
        const cp = checkpoints[cpIndex++]!;
        if (cp.seq !== lastSeq) chunk += `${exportLineText(cp)}\n`;
      }
    }
    yield chunk;
    if (page.length && page[page.length - 1]!.seq >= lastSeq) break;
  }
  const signature = signer.signExport({ tenantId, exportedAt: header.exportedAt, fromSeq: header.fromSeq, events, lastSeq, headHash });
  const end: ExportLine = { type: "end", events, lastSeq, headHash, checkpoint: closing ? cpLine(closing) : null, signature, keyId: signer.keyId };
  yield `${exportLineText(end)}\n`;
}
