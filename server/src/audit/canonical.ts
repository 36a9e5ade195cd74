import { hash } from "node:crypto";

/**
 * The canonical, unambiguous byte encoding of audit events and checkpoints. Shared by the
 * server and the offline verifier, so both hash exactly the bytes that are stored.
 *
 * The encoding is the UTF-8 of a JSON array: a domain tag first (so an event hash can never be
 * mistaken for a checkpoint's or anything else's), then each stored field in a fixed order as a
 * JSON string, or null. JSON string escaping makes the boundaries between fields unambiguous, and
 * JSON.stringify of strings is deterministic (lone surrogates included), so the same stored
 * values always give the same bytes.
 */
export const GENESIS_HASH = "0".repeat(64);
const EVENT_DOMAIN = "leeway/audit-event/v1";
const CHECKPOINT_DOMAIN = "leeway/audit-checkpoint/v1";

export interface StoredAuditEvent {
  tenantId: string;
  seq: number;
  occurredAt: string;
  actorTenantId: string;
  actorId: string;
  action: string;
  entity: string;
  entityId: string;
  /** JSON text of the field changes, hashed exactly as stored. */
  changes: string;
  reason: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

export type UnhashedAuditEvent = Omit<StoredAuditEvent, "hash">;

function encodeText(domain: string, fields: (string | null)[]): string {
  fields.unshift(domain);
  return JSON.stringify(fields);
}

export function encodeFields(domain: string, fields: readonly (string | null)[]): Buffer {
  return Buffer.from(encodeText(domain, [...fields]), "utf8");
}

function eventFields(e: UnhashedAuditEvent): (string | null)[] {
  return [
    e.tenantId,
    String(e.seq),
    e.occurredAt,
    e.actorTenantId,
    e.actorId,
    e.action,
    e.entity,
    e.entityId,
    e.changes,
    e.reason,
    e.requestId,
    e.prevHash,
  ];
}

export function eventBytes(e: UnhashedAuditEvent): Buffer {
  return encodeFields(EVENT_DOMAIN, eventFields(e));
}

export function hashEvent(e: UnhashedAuditEvent): string {
  // One-shot hashing: no Hash object per event, which matters when verifying millions.
  return hash("sha256", encodeText(EVENT_DOMAIN, eventFields(e)), "hex");
}

export interface CheckpointStatement {
  tenantId: string;
  seq: number;
  headHash: string;
  signedAt: string;
}

export function checkpointBytes(c: CheckpointStatement): Buffer {
  return encodeFields(CHECKPOINT_DOMAIN, [c.tenantId, String(c.seq), c.headHash, c.signedAt]);
}
