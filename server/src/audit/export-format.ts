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
