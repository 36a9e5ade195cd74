import { createHash } from "node:crypto";

/**
 * The canonical, unambiguous byte encoding of audit events and checkpoints. Shared by the
 * server and the offline verifier, so both hash exactly the bytes that are stored.
 *
 * Layout: a domain tag (so an event hash can never be mistaken for a checkpoint or anything
 * else), then each field in a fixed order as one type byte (0 = null, 1 = text) followed, for
 * text, by its UTF-8 length as a 32-bit big-endian integer and the UTF-8 bytes.
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

export function encodeFields(domain: string, fields: readonly (string | null)[]): Buffer {
  let size = Buffer.byteLength(domain) + 1;
  const lengths = fields.map((f) => (f === null ? -1 : Buffer.byteLength(f)));
  for (const n of lengths) size += n < 0 ? 1 : 5 + n;
  const out = Buffer.allocUnsafe(size);
  let at = out.write(domain, 0);
  out[at++] = 0;
  fields.forEach((f, i) => {
    const n = lengths[i] ?? -1;
    if (f === null || n < 0) {
      out[at++] = 0;
      return;
    }
    out[at++] = 1;
    out.writeUInt32BE(n, at);
    at += 4;
    at += out.write(f, at);
  });
  return out;
}

export function eventBytes(e: UnhashedAuditEvent): Buffer {
  return encodeFields(EVENT_DOMAIN, [
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
  ]);
}

export function hashEvent(e: UnhashedAuditEvent): string {
  return createHash("sha256").update(eventBytes(e)).digest("hex");
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
