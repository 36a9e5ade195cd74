import { Cursor, Id } from "./common";
import { z } from "./zod";

/**
 * An instant (ISO 8601 with a zone) or a whole UTC day. A day as `from` means its first
 * millisecond, as `to` its last, so `from=2026-03-01&to=2026-03-01` is that whole day.
 *
 * Stored times are compared as text, which is time order only for four-digit years: an instant
 * that falls outside the years 0000-9999 once in UTC (9999-12-31T23:00:00-05:00 is in 10000)
 * would be written with a sign and six digits and compare wrongly, so it is refused.
 */
export const instantOrDay = (edge: "start" | "end") =>
  z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "Use an ISO date (YYYY-MM-DD) or date-time with a zone." })
    .refine((v) => Number.isFinite(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v)), "Not a real date.")
    .transform((v, ctx) => {
      if (v.length === 10) return `${v}T${edge === "start" ? "00:00:00.000" : "23:59:59.999"}Z`;
      const utc = new Date(v).toISOString();
      if (!/^\d{4}-/.test(utc)) {
        ctx.addIssue({ code: "custom", message: "The time falls outside the years 0000-9999 in UTC." });
        return z.NEVER;
      }
      return utc;
    });

const Range = { from: instantOrDay("start").optional(), to: instantOrDay("end").optional() };
const rangeInOrder = (q: { from?: string | undefined; to?: string | undefined }) => !q.from || !q.to || q.from <= q.to;
const RANGE_ORDER = { path: ["to"], message: "`to` must not be before `from`." };

export const AuditEventsQuery = z
  .strictObject({
    entityId: z.string().min(1).max(128).optional(),
    actorId: Id.optional(),
    action: z.string().min(1).max(100).regex(/^[A-Za-z0-9_.-]+$/, "not a valid action").optional(),
    entity: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, "not a valid entity").optional(),
    ...Range,
    cursor: Cursor.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .refine(rangeInOrder, RANGE_ORDER);
export type AuditEventsQuery = z.output<typeof AuditEventsQuery>;

export const AuditSeqParams = z.strictObject({ seq: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

export const FieldChange = z.object({ before: z.unknown().optional(), after: z.unknown().optional() });

export const AuditEventOut = z
  .object({
    seq: z.number().int(),
    occurredAt: z.string(),
    actor: z.object({ id: z.string(), tenantId: z.string(), displayName: z.string().nullable() }),
    action: z.string(),
    entity: z.string(),
    entityId: z.string(),
    changes: z.record(z.string(), FieldChange).nullable().describe("Before/after per changed field; null only if the stored text is not JSON (see changesText)."),
    changesText: z.string().optional().describe("The stored text of the changes, given only when it cannot be read as JSON."),
    reason: z.string().nullable(),
    requestId: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi("AuditEvent");
export type AuditEventOut = z.infer<typeof AuditEventOut>;

export const AuditEventPage = z.object({ items: z.array(AuditEventOut), nextCursor: z.string().nullable() }).openapi("AuditEventPage");

export const AuditExportQuery = z
  .strictObject({ format: z.enum(["jsonl", "csv"]), ...Range })
  .refine(rangeInOrder, RANGE_ORDER)
  .superRefine((q, ctx) => {
    if (q.format === "csv") return;
    // Each period field the caller sent is named, so an error never points at a field left out.
    for (const field of ["from", "to"] as const) {
      if (q[field]) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: "Only the CSV export can be limited to a period; the JSONL export is always the whole chain, so that it verifies offline.",
        });
      }
    }
  });
export type AuditExportQuery = z.output<typeof AuditExportQuery>;

export const CheckpointOut = z
  .object({
    seq: z.number().int(),
    headHash: z.string(),
    signedAt: z.string(),
    keyId: z.string(),
    signature: z.string().describe("Ed25519 signature (base64) of the canonical statement {tenantId, seq, headHash, signedAt}."),
  })
  .openapi("AuditCheckpoint");
export type CheckpointOut = z.infer<typeof CheckpointOut>;

export const CheckpointListQuery = z.strictObject({ cursor: Cursor.optional(), limit: z.coerce.number().int().min(1).max(500).default(50) });

export const CheckpointPage = z
  .object({
    items: z.array(CheckpointOut),
    nextCursor: z.string().nullable(),
    publicKeyUrl: z.string().describe("Where the public key that verifies these signatures is published."),
    keyId: z.string().describe("Id of the key that signs new checkpoints."),
  })
  .openapi("AuditCheckpointPage");

export const VerifyReportOut = z
  .object({
    ok: z.boolean(),
    events: z.number().int().describe("Events verified in order before the first problem (all of them when ok)."),
    headHash: z.string().describe("Hash of the last verified event (the chain head when ok; 64 zeros for an empty chain)."),
    firstBadSeq: z.number().int().optional(),
    problem: z.string().optional(),
    checkpoints: z.object({
      checked: z.number().int().describe("Signed checkpoints compared with the stored chain during the walk."),
      latest: CheckpointOut.extend({
        signatureValid: z.boolean().describe("The signature verifies with this server's published key."),
        matchesChain: z.boolean().describe("The stored event at the checkpoint's sequence has the signed head hash."),
      }).nullable(),
    }),
    verifiedAt: z.string(),
  })
  .openapi("AuditVerifyReport");
export type VerifyReportOut = z.infer<typeof VerifyReportOut>;
