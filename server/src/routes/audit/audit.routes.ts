import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { AppContext } from "../../context";
import {
  AuditEventOut,
  AuditEventPage,
  AuditEventsQuery,
  AuditExportQuery,
  AuditSeqParams,
  CheckpointListQuery,
  CheckpointOut,
  CheckpointPage,
  VerifyReportOut,
} from "../../contract/audit";
import { z } from "../../contract/zod";
import { Reply, type ApiBuilder, type RouteContext } from "../../http/api-builder";
import { AUDIT_GATE, AuditQueryService, type AuditCaller } from "../../services/audit-query.service";

const tags = ["audit"];
const COMPLIANCE = { 403: "The caller does not have the Leeway.Compliance app role." };
const SIGNING = {
  ...COMPLIANCE,
  409: "Problem type chain-broken: signed checkpoints show the stored chain to be cut or rewritten, so nothing is signed over it (firstBadSeq; GET /api/v1/audit/verify names the first bad event).",
};

const callerOf = (c: RouteContext<unknown, unknown, unknown>): AuditCaller => ({
  tenantId: c.principal.tenantId,
  userId: c.principal.userId,
  roles: c.principal.roles,
  requestId: c.requestId,
});

const isClientGone = (err: unknown) => (err as { code?: string } | null)?.code === "ERR_STREAM_PREMATURE_CLOSE";

/** Search, export and verification of the caller's tenant's audit trail; compliance officers only. */
export function auditRoutes(api: ApiBuilder, ctx: AppContext): void {
  const audit = new AuditQueryService(ctx);

  api.route(
    {
      method: "get",
      path: "/api/v1/audit/events",
      summary: "Search the audit trail, newest first",
      tags,
      roles: AUDIT_GATE,
      query: AuditEventsQuery,
      response: AuditEventPage,
      responseDescription: "A page of events with their parsed field changes; pass nextCursor as cursor for the next (older) page. from/to are inclusive; a bare date means the whole UTC day.",
      errors: COMPLIANCE,
    },
    (c) => audit.events(callerOf(c), c.query),
  );

  api.route(
    { method: "get", path: "/api/v1/audit/events/{seq}", summary: "One audit event by its sequence number", tags, roles: AUDIT_GATE, params: AuditSeqParams, response: AuditEventOut, errors: COMPLIANCE },
    (c) => audit.event(callerOf(c), c.params.seq),
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/audit/export",
      summary: "Export the audit trail (streamed; the export itself is audited)",
      tags,
      roles: AUDIT_GATE,
      query: AuditExportQuery,
      response: z.string(),
      produces: ["application/x-ndjson", "text/csv"],
      responseDescription:
        "format=jsonl: the whole chain of the tenant as JSON lines (header, events, signed checkpoints, and an end line with a checkpoint signed at export time and a signature over the whole export), " +
        "verifiable offline with `npm run audit:verify` and the key at /.well-known/leeway/audit-signing-key.pem; from/to are refused for it. " +
        "format=csv: one row per event with the stored columns (an empty cell is a null), optionally limited to from/to (inclusive); a cell that starts like a spreadsheet formula (=, +, -, @, tab, carriage return) gets a leading apostrophe, so use JSONL for the exact bytes. " +
        "Before streaming, the export is recorded as an `audit.exported` event, which the file includes. X-Total-Count carries the number of events known when streaming starts. " +
        "A JSONL export of a chain that signed checkpoints show to be broken is refused (409) before anything is recorded or signed; the CSV export is not signed and stays open.",
      errors: SIGNING,
      recordsItsUse: true,
    },
    async (c, res) => {
      const out = await audit.startExport(callerOf(c), c.query);
      res.status(200);
      res.setHeader("Content-Type", out.contentType);
      res.setHeader("Content-Disposition", `attachment; filename="${out.filename}"`);
      res.setHeader("X-Total-Count", String(out.total));
      res.setHeader("Cache-Control", "no-store");
      try {
        await pipeline(Readable.from(out.chunks, { objectMode: false }), res);
      } catch (err) {
        // A client that hangs up stops the reading; anything else is a real failure mid-stream.
        if (!isClientGone(err)) throw err;
      }
    },
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/audit/verify",
      summary: "Verify the tenant's hash chain and its signed checkpoints now",
      tags,
      roles: AUDIT_GATE,
      response: VerifyReportOut,
      responseDescription: "ok with the number of events and the head hash; when broken, firstBadSeq and the problem. Also the latest signed checkpoint.",
      errors: COMPLIANCE,
    },
    (c) => audit.verify(callerOf(c)),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/audit/checkpoints",
      summary: "Sign the chain head now",
      tags,
      roles: AUDIT_GATE,
      status: 201,
      response: CheckpointOut,
      responseDescription: "The signed checkpoint (the request is audited first, so the signed head includes it).",
      errors: SIGNING,
    },
    async (c) => new Reply(await audit.checkpoint(callerOf(c)), 201),
  );

  api.route(
    { method: "get", path: "/api/v1/audit/checkpoints", summary: "Signed checkpoints, newest first", tags, roles: AUDIT_GATE, query: CheckpointListQuery, response: CheckpointPage, errors: COMPLIANCE },
    (c) => audit.checkpoints(callerOf(c), c.query),
  );
}
