import { createPublicKey } from "node:crypto";
import type { Readable } from "node:stream";
import { GENESIS_HASH, type StoredAuditEvent } from "./canonical";
import { ChainVerifier } from "./chain-verifier";
import { EXPORT_FORMAT, EXPORT_VERSION, exportLineText, type ExportCheckpoint, type ExportHeader, type ExportLine, type ExportTrailer } from "./export-format";
import { isStrictBase64, keyIdOf, verifyCheckpoint, verifyExportStatement } from "./signing";

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

type Fields = Record<string, unknown>;

const isText = (v: unknown): v is string => typeof v === "string";
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

const EVENT_TEXTS = ["tenantId", "occurredAt", "actorTenantId", "actorId", "action", "entity", "entityId", "changes", "prevHash", "hash"] as const;

function asHeader(l: Fields): ExportHeader | null {
  const ok = l.format === EXPORT_FORMAT && isCount(l.version) && isText(l.tenantId) && isText(l.exportedAt) && isCount(l.fromSeq) && isText(l.prevHash) && isText(l.keyId);
  return ok ? (l as unknown as ExportHeader) : null;
}

function asEvent(l: Fields): StoredAuditEvent | null {
  if (!isCount(l.seq) || l.seq < 1) return null;
  for (const k of EVENT_TEXTS) if (!isText(l[k])) return null;
  if (!(isText(l.reason) || l.reason === null) || !(isText(l.requestId) || l.requestId === null)) return null;
  return l as unknown as StoredAuditEvent;
}

/** A checkpoint line's fields, or what is wrong with them. */
function asCheckpoint(l: unknown): ExportCheckpoint | string {
  if (l === null || typeof l !== "object" || Array.isArray(l)) return "a checkpoint is not a JSON object";
  const c = l as Fields;
  if (c.type !== "checkpoint" || !isText(c.tenantId) || !isCount(c.seq) || !isText(c.headHash) || !isText(c.signedAt) || !isText(c.keyId) || !isText(c.signature)) {
    return "checkpoint is missing fields";
  }
  if (!isStrictBase64(c.signature)) return `the signature of the checkpoint at sequence ${c.seq} is not strict base64`;
  return c as unknown as ExportCheckpoint;
}

function asTrailer(l: Fields): ExportTrailer | string {
  if (!isCount(l.events) || !isCount(l.lastSeq) || !isText(l.headHash) || !isText(l.signature) || !isText(l.keyId) || !("checkpoint" in l)) return "the end line is missing fields";
  if (!isStrictBase64(l.signature)) return "the signature of the export's end is not strict base64";
  if (l.checkpoint !== null) {
    const cp = asCheckpoint(l.checkpoint);
    if (typeof cp === "string") return `the end's closing checkpoint: ${cp}`;
  }
  return l as unknown as ExportTrailer;
}

/**
 * The export's lines as they are in the file: split at line feeds only, each decoded as strict
 * UTF-8 (a byte sequence that is not UTF-8 gives null, a byte order mark is kept, so neither
 * passes for text the writer wrote). `terminated` says whether the line ends with its line feed.
 */
async function* fileLines(input: Readable): AsyncGenerator<{ text: string | null; terminated: boolean }> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const decode = (bytes: Uint8Array): string | null => {
    try {
      return decoder.decode(bytes);
    } catch {
      return null;
    }
  };
  let pending: Buffer[] = [];
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    for (let end = buf.indexOf(0x0a); end !== -1; end = buf.indexOf(0x0a, start)) {
      const piece = buf.subarray(start, end);
      yield { text: decode(pending.length ? Buffer.concat([...pending, piece]) : piece), terminated: true };
      pending = [];
      start = end + 1;
    }
    if (start < buf.length) pending.push(buf.subarray(start));
  }
  if (pending.length) yield { text: decode(Buffer.concat(pending)), terminated: false };
}

/** The key id of each public key given (null for one that cannot be read: it verifies nothing). */
function keyIds(pems: readonly string[]): (string | null)[] {
  return pems.map((pem) => {
    try {
      return keyIdOf(createPublicKey(pem));
    } catch {
      return null;
    }
  });
}

/**
 * Verifies an exported trail with no database and no server: every line exactly as the export
 * writer writes it, every event's hash and link from the genesis hash on, contiguous sequence
 * numbers, every checkpoint's Ed25519 signature against the given public keys (one, or each key
 * the trail was signed with across rotations) and the key id it names, and the signature of the
 * export's end over its whole extent, which proves nothing was cut from either end.
 */
export async function verifyExport(input: Readable, publicKeys: string | readonly string[]): Promise<ExportReport> {
  // Every key the trail was signed with: after a rotation, older checkpoints carry the old key.
  const keys = typeof publicKeys === "string" ? [publicKeys] : publicKeys;
  const ids = keyIds(keys);
  let header: ExportHeader | null = null;
  let verifier: ChainVerifier | null = null;
  let checkpoints = 0;
  let lastCheckpointSeq = 0;
  let n = 0;
  /** The line of the last event taken into the chain, which a broken link after it may point back to. */
  let lastEventLine = 0;
  let ended = false;
  let terminated = true;
  const report = (extra: Partial<ExportReport>): ExportReport => ({
    ok: false,
    tenantId: header?.tenantId ?? null,
    events: verifier?.report().events ?? 0,
    checkpoints,
    headHash: verifier?.headHash ?? null,
    ...extra,
  });
  const fail = (problem: string, seq?: number) => report({ badLine: n, problem, ...(seq !== undefined ? { firstBadSeq: seq } : {}) });

  /** What is wrong with a checkpoint's signature or the key it names, if anything. */
  const checkSigned = (c: ExportCheckpoint): string | null => {
    if (!header || c.tenantId !== header.tenantId) return "checkpoint is for another tenant";
    const by = keys.findIndex((key) => verifyCheckpoint(c, c.signature, key));
    if (by < 0) return `checkpoint at sequence ${c.seq} has an invalid signature (under every key given)`;
    if (c.keyId !== ids[by]) return `checkpoint at sequence ${c.seq} names key ${c.keyId}, but it is signed with key ${ids[by]}`;
    return null;
  };

  for await (const read of fileLines(input)) {
    n++;
    terminated = read.terminated;
    const raw = read.text;
    if (raw === null) return fail("not valid UTF-8");
    if (ended) return fail("content after the end of the export");
    if (raw === "") return fail("an empty line: the export writes none");
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return fail("not valid JSON");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return fail("a line is not a JSON object");
    const fields = parsed as Fields;
    let line: ExportLine;
    switch (fields.type) {
      case "header": {
        const h = asHeader(fields);
        if (!h) return fail(header ? "a second header" : "the export does not start with a Leeway audit header");
        line = h;
        break;
      }
      case "event": {
        const e = asEvent(fields);
        if (!e) return fail("event line is missing fields");
        line = { type: "event", ...e };
        break;
      }
      case "checkpoint": {
        const c = asCheckpoint(fields);
        if (typeof c === "string") return fail(c);
        line = c;
        break;
      }
      case "end": {
        const t = asTrailer(fields);
        if (typeof t === "string") return fail(t);
        line = t;
        break;
      }
      default:
        return fail(header ? "unknown line type" : "the export does not start with a Leeway audit header");
    }
    if (!header) {
      if (line.type !== "header") return fail("the export does not start with a Leeway audit header");
      if (line.version !== EXPORT_VERSION) {
        return fail(`this is a version ${String(line.version)} export; only version ${EXPORT_VERSION} proves where it ends: export the trail again`);
      }
    }
    // Only the writer's own text for this content: no key added or repeated, nothing re-spelled.
    if (exportLineText(line) !== raw) return fail("the line is not exactly as the export writes it: a key was added or repeated, or a value was written another way");

    if (!header) {
      header = line as ExportHeader;
      // An export holds the whole chain: a file that starts later has lost its beginning.
      if (header.fromSeq !== 1 || header.prevHash !== GENESIS_HASH) return fail("the export does not start at the chain's first event and the genesis hash: its beginning is missing");
      verifier = new ChainVerifier({ seq: 1, prevHash: GENESIS_HASH });
      continue;
    }
    if (!verifier) return fail("no header");
    switch (line.type) {
      case "header":
        return fail("a second header");
      case "event": {
        if (line.tenantId !== header.tenantId) return fail("event belongs to another tenant", line.seq);
        if (!verifier.push(line)) {
          const r = verifier.report();
          const failed = fail(r.problem ?? "chain broken", r.firstBadSeq);
          // Named the event before: its line, not this one's (a gap is named where it shows).
          return verifier.steppedBack ? { ...failed, badLine: lastEventLine } : failed;
        }
        lastEventLine = n;
        break;
      }
      case "checkpoint": {
        const bad = checkSigned(line);
        if (bad) return fail(bad, line.seq);
        if (line.seq !== verifier.lastSeq || line.headHash !== verifier.headHash) return fail(`checkpoint at sequence ${line.seq} does not match the chain`, line.seq);
        // The writer puts each checkpoint once, after its event: a repeated line was added.
        if (line.seq <= lastCheckpointSeq) return fail(`checkpoint at sequence ${line.seq} appears twice`, line.seq);
        lastCheckpointSeq = line.seq;
        checkpoints++;
        verifier.anchor();
        break;
      }
      case "end": {
        const r = verifier.report();
        if (line.events !== r.events || line.lastSeq !== verifier.lastSeq || line.headHash !== verifier.headHash) return fail("the export was cut short or extended: its end does not match the events");
        const statement = { tenantId: header.tenantId, exportedAt: header.exportedAt, fromSeq: header.fromSeq, events: r.events, lastSeq: verifier.lastSeq, headHash: verifier.headHash };
        const by = keys.findIndex((key) => verifyExportStatement(statement, line.signature, key));
        if (by < 0) return fail("the export's end is not signed for this export: it was cut short, or its end was taken from another export");
        if (line.keyId !== ids[by]) return fail(`the end names key ${line.keyId}, but it is signed with key ${ids[by]}`);
        if (header.keyId !== ids[by]) return fail(`the header names key ${header.keyId}, but the export's end is signed with key ${ids[by]}`);
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
    }
  }
  if (!header || !verifier) return report({ badLine: n || 1, problem: "empty export" });
  if (!ended) return fail("the export has no end line: it was cut short");
  if (!terminated) return fail("the end line has lost its line feed: the export writes one after every line");
  return { ok: true, tenantId: header.tenantId, events: verifier.report().events, checkpoints, headHash: verifier.headHash };
}
