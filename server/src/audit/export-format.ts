import type { StoredAuditEvent } from "./canonical";

/**
 * The JSONL export of a tenant's audit chain: a header, the events in sequence order with the
 * signed checkpoints that fall among them, and a trailer carrying a checkpoint signed at export
 * time, so a cut-off tail is detectable offline.
 */
export const EXPORT_FORMAT = "leeway-audit-export";

export interface ExportHeader {
  type: "header";
  format: typeof EXPORT_FORMAT;
  version: 1;
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
}

export type ExportLine = ExportHeader | ExportEvent | ExportCheckpoint | ExportTrailer;
