import readline from "node:readline";
import type { Readable } from "node:stream";
import { GENESIS_HASH, type StoredAuditEvent } from "./canonical";
import { ChainVerifier } from "./chain-verifier";
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportCheckpoint, type ExportHeader, type ExportLine } from "./export-format";
import { verifyCheckpoint, verifyExportStatement } from "./signing";

export interface ExportReport {
  ok: boolean;
  tenantId: string | null;
  events: number;
  checkpoints: number;
  headHash: string | null;
  /** 1-based line of the export where verification failed. */
  badLine?: number;
  firstBadSeq?: number;
  problem?: string;
}

const EVENT_KEYS = ["tenantId", "seq", "occurredAt", "actorTenantId", "actorId", "action", "entity", "entityId", "changes", "reason", "requestId", "prevHash", "hash"] as const;

function asEvent(line: Record<string, unknown>): StoredAuditEvent | null {
  for (const k of EVENT_KEYS) if (!(k in line)) return null;
  if (typeof line.seq !== "number") return null;
  for (const k of EVENT_KEYS) {
    if (k === "seq") continue;
    const v = line[k];
    if (typeof v !== "string" && !((k === "reason" || k === "requestId") && v === null)) return null;
  }
  return line as unknown as StoredAuditEvent;
}

/**
 * Verifies an exported trail with no database and no server: every event's hash and link from the
 * genesis hash on, contiguous sequence numbers, every checkpoint's Ed25519 signature against the
 * given public keys (one, or each key the trail was signed with across rotations), and the
 * signature of the export's end over its whole extent, which proves nothing was cut from either end.
 */
export async function verifyExport(input: Readable, publicKeys: string | readonly string[]): Promise<ExportReport> {
  // Every key the trail was signed with: after a rotation, older checkpoints carry the old key.
  const keys = typeof publicKeys === "string" ? [publicKeys] : publicKeys;
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let header: ExportHeader | null = null;
  let verifier: ChainVerifier | null = null;
  let checkpoints = 0;
  let n = 0;
  let ended = false;
  const report = (extra: Partial<ExportReport>): ExportReport => ({
    ok: false,
    tenantId: header?.tenantId ?? null,
    events: verifier?.report().events ?? 0,
    checkpoints,
    headHash: verifier?.headHash ?? null,
    ...extra,
  });
  const fail = (problem: string, seq?: number) => report({ badLine: n, problem, ...(seq !== undefined ? { firstBadSeq: seq } : {}) });

  const checkSigned = (c: ExportCheckpoint): string | null => {
    if (!header || c.tenantId !== header.tenantId) return "checkpoint is for another tenant";
    if (!keys.some((key) => verifyCheckpoint(c, c.signature, key))) return `checkpoint at sequence ${c.seq} has an invalid signature (under every key given)`;
    return null;
  };

  for await (const raw of lines) {
    n++;
    if (raw.trim() === "") continue;
    if (ended) return fail("content after the end of the export");
    let line: ExportLine;
    try {
      line = JSON.parse(raw) as ExportLine;
    } catch {
      return fail("not valid JSON");
    }
    if (line === null || typeof line !== "object" || Array.isArray(line)) return fail("a line is not a JSON object");
    if (!header) {
      if (line.type !== "header" || line.format !== EXPORT_FORMAT) return fail("the export does not start with a Leeway audit header");
      header = line;
      if (header.version !== EXPORT_VERSION) {
        return fail(`this is a version ${String(header.version)} export; only version ${EXPORT_VERSION} proves where it ends: export the trail again`);
      }
      // An export holds the whole chain: a file that starts later has lost its beginning.
      if (header.fromSeq !== 1 || header.prevHash !== GENESIS_HASH) return fail("the export does not start at the chain's first event and the genesis hash: its beginning is missing");
      verifier = new ChainVerifier({ seq: 1, prevHash: GENESIS_HASH });
      continue;
    }
    if (!verifier) return fail("no header");
    switch (line.type) {
      case "event": {
        const event = asEvent(line as unknown as Record<string, unknown>);
        if (!event) return fail("event line is missing fields");
        if (event.tenantId !== header.tenantId) return fail("event belongs to another tenant", event.seq);
        if (!verifier.push(event)) {
          const r = verifier.report();
          return fail(r.problem ?? "chain broken", r.firstBadSeq);
        }
        break;
      }
      case "checkpoint": {
        const bad = checkSigned(line);
        if (bad) return fail(bad, line.seq);
        if (line.seq !== verifier.lastSeq || line.headHash !== verifier.headHash) return fail(`checkpoint at sequence ${line.seq} does not match the chain`, line.seq);
        checkpoints++;
        break;
      }
      case "end": {
        const r = verifier.report();
        if (line.events !== r.events || line.lastSeq !== verifier.lastSeq || line.headHash !== verifier.headHash) return fail("the export was cut short or extended: its end does not match the events");
        const statement = { tenantId: header.tenantId, exportedAt: header.exportedAt, fromSeq: header.fromSeq, events: r.events, lastSeq: verifier.lastSeq, headHash: verifier.headHash };
        const signature = line.signature;
        if (typeof signature !== "string" || !keys.some((key) => verifyExportStatement(statement, signature, key))) {
          return fail("the export's end is not signed for this export: it was cut short, or its end was taken from another export");
        }
        if (!line.checkpoint) {
          if (r.events > 0) return fail("the export's end carries no signed checkpoint");
          ended = true;
          break;
        }
        const bad = checkSigned(line.checkpoint);
        if (bad) return fail(bad, line.checkpoint.seq);
        if (line.checkpoint.seq !== verifier.lastSeq || line.checkpoint.headHash !== verifier.headHash) return fail("the closing checkpoint does not match the chain's head");
        checkpoints++;
        ended = true;
        break;
      }
      default:
        return fail("unknown line type");
    }
  }
  if (!header || !verifier) return report({ badLine: n || 1, problem: "empty export" });
  if (!ended) return fail("the export has no end line: it was cut short");
  return { ok: true, tenantId: header.tenantId, events: verifier.report().events, checkpoints, headHash: verifier.headHash };
}
