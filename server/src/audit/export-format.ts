import type { StoredAuditEvent } from "./canonical";

/**
 * The JSONL export of a tenant's audit chain: a header, the events in sequence order with the
 * signed checkpoints that fall among them, and a trailer carrying a checkpoint signed at export
 * time and a signature over the export's whole extent, so a file cut short at either end, or put
 * together from another export's end, is detectable offline.
 */
export const EXPORT_FORMAT = "leeway-audit-export";

/** Version 2 signs the end of the export as a whole; version 1 files cannot prove where they end. */
export const EXPORT_VERSION = 2;

export interface ExportHeader {
  type: "header";
  format: typeof EXPORT_FORMAT;
  version: number;
  tenantId: string;
  exportedAt: string;
  /** The first sequence number in the file and the hash it links to (genesis for a full export). */
  fromSeq: number;
  prevHash: string;
  keyId: string;
}

export interface ExportCheckpoint {
  type: "checkpoint";
  tenantId: string;
  seq: number;
  headHash: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

export type ExportEvent = { type: "event" } & StoredAuditEvent;

export interface ExportTrailer {
  type: "end";
  events: number;
  lastSeq: number;
  headHash: string;
  checkpoint: ExportCheckpoint | null;
  /** Ed25519 signature (base64) of the export statement: tenant, exportedAt, fromSeq, events, lastSeq, headHash. */
  signature: string;
  keyId: string;
}

export type ExportLine = ExportHeader | ExportEvent | ExportCheckpoint | ExportTrailer;

/*
 * The one serialisation of each line, shared by the writer and the verifier: the writer writes
 * exactly this, and the verifier accepts a line only when it is exactly this for its own parsed
 * content, so extra or repeated keys, numbers written another way (1e0 for 1) or escapes that
 * JSON would not write are edits the verifier sees. Keys are written in this order.
 */

const checkpointFields = (c: ExportCheckpoint): ExportCheckpoint => ({
  type: "checkpoint",
  tenantId: c.tenantId,
  seq: c.seq,
  headHash: c.headHash,
  signedAt: c.signedAt,
  keyId: c.keyId,
  signature: c.signature,
});

function lineFields(line: ExportLine): ExportLine {
  switch (line.type) {
    case "header":
      return {
        type: "header",
        format: line.format,
        version: line.version,
        tenantId: line.tenantId,
        exportedAt: line.exportedAt,
        fromSeq: line.fromSeq,
        prevHash: line.prevHash,
        keyId: line.keyId,
      };
    case "event":
      return {
        type: "event",
        tenantId: line.tenantId,
        seq: line.seq,
        occurredAt: line.occurredAt,
        actorTenantId: line.actorTenantId,
        actorId: line.actorId,
        action: line.action,
        entity: line.entity,
        entityId: line.entityId,
        changes: line.changes,
        reason: line.reason,
        requestId: line.requestId,
        prevHash: line.prevHash,
        hash: line.hash,
      };
    case "checkpoint":
      return checkpointFields(line);
    case "end":
      return {
        type: "end",
        events: line.events,
        lastSeq: line.lastSeq,
        headHash: line.headHash,
        checkpoint: line.checkpoint ? checkpointFields(line.checkpoint) : null,
        signature: line.signature,
        keyId: line.keyId,
      };
  }
}

/** The text of one line of the export, without its line feed. */
export function exportLineText(line: ExportLine): string {
  return JSON.stringify(lineFields(line));
}
