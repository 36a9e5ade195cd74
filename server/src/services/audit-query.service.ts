import { stringify } from "csv-stringify/sync";
import type { DataSource, EntityManager } from "typeorm";
import type { StoredAuditEvent } from "../audit/canonical";
import { ChainVerifier, type ChainReport } from "../audit/chain-verifier";
import { CheckpointEvidence, type ChainBreak, type SignedCheckpoint } from "../audit/checkpoint-evidence";
import { exportJsonl } from "../audit/export-writer";
import { signedByServer, type CheckpointSigner } from "../audit/signing";
import type { AuditEventOut, AuditEventsQuery, AuditExportQuery, CheckpointOut, VerifyReportOut } from "../contract/audit";
import { AppError, ConflictError, NotFoundError, ValidationError } from "../errors";
import { ROLES, requireGate, type RoleGate } from "../identity/principal";
import { AuditChainBroken, MAX_AUDIT_SEQ, type AuditChain, type CheckpointRecord } from "../store/audit-chain";
import { AuditRepository, type AuditFilter, type AuditRow } from "../store/repositories/audit.repository";
import type { UnitOfWork } from "../store/unit-of-work";

/** Who asks, as the services see it: no request object, just the facts that decide access. */
export interface AuditCaller {
  tenantId: string;
  userId: string;
  roles: readonly string[];
  requestId: string | null;
}

export interface AuditDeps {
  dataSource: DataSource;
  uow: UnitOfWork;
  chain: AuditChain;
  signer: CheckpointSigner;
}

export interface ExportStream {
  contentType: string;
  filename: string;
  /** Events the file will hold, as known before streaming starts (the export's own event included). */
  total: number;
  /** Text chunks in order; read one page of the chain at a time, so memory stays flat. */
  chunks: AsyncIterable<string>;
}

/** The audit trail is the compliance officers': the routes check this before reading a request, and the service again. */
export const AUDIT_GATE: RoleGate = { anyOf: [ROLES.compliance], refusal: "The audit trail is open to compliance officers only (app role Leeway.Compliance)." };

export const PUBLIC_KEY_URL = "/.well-known/leeway/audit-signing-key.pem";

/** The stored columns, in the order they are hashed, as the CSV export's header. */
const CSV_COLUMNS: { key: keyof StoredAuditEvent; header: string }[] = [
  { key: "tenantId", header: "tenant_id" },
  { key: "seq", header: "seq" },
  { key: "occurredAt", header: "occurred_at" },
  { key: "actorTenantId", header: "actor_tenant_id" },
  { key: "actorId", header: "actor_id" },
  { key: "action", header: "action" },
  { key: "entity", header: "entity" },
  { key: "entityId", header: "entity_id" },
  { key: "changes", header: "changes" },
  { key: "reason", header: "reason" },
  { key: "requestId", header: "request_id" },
  { key: "prevHash", header: "prev_hash" },
  { key: "hash", header: "hash" },
];
const EXPORT_PAGE = 2000;

/** Opaque to clients: base64url of the last sequence number they saw. */
export function encodeSeqCursor(seq: number): string {
  return Buffer.from(`s:${seq}`).toString("base64url");
}

/** The sequence number in a cursor; one past any sequence the store holds was never handed out. */
export function decodeSeqCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const m = /^s:(\d{1,10})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const seq = m ? Number(m[1]) : NaN;
  if (!(seq <= MAX_AUDIT_SEQ)) throw new ValidationError([{ path: "cursor", message: "Not a cursor this API handed out." }]);
  return seq;
}

/** 409: signed checkpoints show the stored chain to be broken, so the server signs nothing over it. */
class ChainBrokenError extends AppError {
  constructor(refused: string, problem: string, firstBadSeq?: number) {
    super(
      409,
      "chain-broken",
      "The audit chain is broken",
      `${refused}: ${problem}. Nothing was signed over the broken chain; GET /api/v1/audit/verify names the first bad event.`,
      firstBadSeq !== undefined ? { firstBadSeq } : {},
    );
  }
}

function presentEvent(r: AuditRow): AuditEventOut {
  let changes: AuditEventOut["changes"] = null;
  let changesText: string | undefined;
  try {
    changes = JSON.parse(r.changes) as AuditEventOut["changes"];
  } catch (_e) {
    // The stored text is shown as it is: a compliance officer must see even an unreadable row.
    changesText = r.changes;
  }
  return {
    seq: r.seq,
    occurredAt: r.occurredAt,
    actor: { id: r.actorId, tenantId: r.actorTenantId, displayName: r.actorName },
    action: r.action,
    entity: r.entity,
    entityId: r.entityId,
    changes,
    ...(changesText !== undefined ? { changesText } : {}),
    reason: r.reason,
    requestId: r.requestId,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

const presentCheckpoint = (c: CheckpointRecord): CheckpointOut => ({ seq: c.seq, headHash: c.headHash, signedAt: c.signedAt, keyId: c.keyId, signature: c.signature });

/**
 * Compliance access to a tenant's audit trail: search, export, verification and signed
 * checkpoints. Every method checks the Leeway.Compliance role first and only ever reads the
 * caller's own tenant.
 */
export class AuditQueryService {
  private readonly repo = new AuditRepository();

  constructor(private readonly deps: AuditDeps) {}

  private require(caller: AuditCaller): void {
    requireGate(caller, AUDIT_GATE);
  }

  private work(caller: AuditCaller) {
    return { tenantId: caller.tenantId, actor: { tenantId: caller.tenantId, userId: caller.userId }, requestId: caller.requestId };
  }

  async events(caller: AuditCaller, q: AuditEventsQuery): Promise<{ items: AuditEventOut[]; nextCursor: string | null }> {
    this.require(caller);
    const before = decodeSeqCursor(q.cursor);
    const rows = await this.repo.search(this.deps.dataSource.manager, caller.tenantId, q, before, q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page.map(presentEvent), nextCursor: rows.length > q.limit && last ? encodeSeqCursor(last.seq) : null };
  }

  async event(caller: AuditCaller, seq: number): Promise<AuditEventOut> {
    this.require(caller);
    const row = await this.repo.one(this.deps.dataSource.manager, caller.tenantId, seq);
    if (!row) throw new NotFoundError("audit event");
    return presentEvent(row);
  }

  /**
   * Records the export in the chain first (its own unit of work, committed before any byte is
   * sent), then streams. The export's event is therefore inside the file: the JSONL closing
   * checkpoint is signed after it, and the CSV runs up to the head read right after it.
   *
   * A JSONL export is signed, so it is refused when signed checkpoints show the stored chain to
   * be broken; the check runs in the unit of work before the export's event is appended, so a
   * refused export leaves no event and no checkpoint. The CSV export signs nothing and stays
   * open, to look into a break.
   */
  async startExport(caller: AuditCaller, q: AuditExportQuery): Promise<ExportStream> {
    this.require(caller);
    const { dataSource: ds, chain, signer } = this.deps;
    const refused = "The audit trail cannot be exported as signed JSONL";
    await this.deps.uow.run(this.work(caller), async (tx) => {
      if (q.format === "jsonl") await this.refuseBrokenChain(tx.manager, caller.tenantId, refused);
      tx.audit({
        action: "audit.exported",
        entity: "audit_trail",
        entityId: caller.tenantId,
        changes: { format: { after: q.format }, from: { after: q.from ?? null }, to: { after: q.to ?? null } },
      });
    });
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    const base = `leeway-audit-${caller.tenantId}-${stamp}`;
    if (q.format === "jsonl") {
      // Signed before the answer starts, so a refusal is still a problem+json and not a cut stream.
      const closing = await this.signHead(caller.tenantId, refused);
      return { contentType: "application/x-ndjson", filename: `${base}.jsonl`, total: closing?.seq ?? 0, chunks: exportJsonl(ds, chain, caller.tenantId, signer, closing) };
    }
    const head = await chain.head(ds.manager, caller.tenantId);
    const filter: AuditFilter = { from: q.from, to: q.to };
    const total = q.from || q.to ? await this.repo.count(ds.manager, caller.tenantId, filter, head.seq) : head.seq;
    return { contentType: "text/csv; charset=utf-8", filename: `${base}.csv`, total, chunks: this.csvChunks(caller.tenantId, filter, head.seq) };
  }

  private async *csvChunks(tenantId: string, filter: AuditFilter, throughSeq: number): AsyncGenerator<string> {
    // A cell that starts like a formula (=, +, -, @, tab, carriage return) gets a leading
    // apostrophe, so a spreadsheet shows it instead of running it; the JSONL export stays exact.
    yield stringify([], { header: true, columns: CSV_COLUMNS });
    let after = 0;
    for (;;) {
      const page = await this.repo.exportPage(this.deps.dataSource.manager, tenantId, filter, after, throughSeq, EXPORT_PAGE);
      if (page.length === 0) return;
      yield stringify(page, { header: false, columns: CSV_COLUMNS, escape_formulas: true });
      after = page[page.length - 1]!.seq;
      if (page.length < EXPORT_PAGE) return;
    }
  }

  /**
   * Walks the whole chain (hashes, links, contiguous sequence numbers) and, on the way, compares
   * every signed checkpoint with the stored event at its sequence. A validly signed checkpoint
   * beyond the stored end shows events cut from the tail; one whose head differs shows a
   * consistently re-hashed rewrite that the links alone cannot reveal.
   */
  async verify(caller: AuditCaller): Promise<VerifyReportOut> {
    this.require(caller);
    const m = this.deps.dataSource.manager;
    const signed = (c: SignedCheckpoint) => signedByServer(this.deps.signer, c);
    const checkpoints = await this.repo.allCheckpoints(m, caller.tenantId);
    const verifier = new ChainVerifier();
    const evidence = new CheckpointEvidence(signed);
    const matched = new Map<number, boolean>();
    let next = 0;
    let broken: ChainBreak | null = null;
    walk: for await (const page of this.deps.chain.pages(m, caller.tenantId)) {
      for (const e of page) {
        if (!verifier.push(e)) break walk;
        while (next < checkpoints.length && checkpoints[next]!.seq <= e.seq) {
          const cp = checkpoints[next++]!;
          if (cp.seq !== e.seq) continue;
          matched.set(cp.seq, cp.headHash === e.hash);
          broken = evidence.atEvent(cp, e.hash);
          if (broken) break walk;
          // A signed checkpoint over this event vouches for it: a broken link after it blames the later event.
          if (cp.headHash === e.hash && signed(cp)) verifier.anchor();
        }
      }
    }
    const report = verifier.report();
    if (report.ok && !broken) {
      const end = { seq: verifier.lastSeq, hash: verifier.headHash };
      for (const cp of checkpoints.slice(next)) if ((broken = evidence.beyondEnd(cp, end))) break;
    }
    // The events a checkpoint shows to be rewritten are not verified, though their links hold.
    const result: ChainReport = broken ? { ok: false, events: broken.lastGood.seq, headHash: broken.lastGood.hash, firstBadSeq: broken.firstBadSeq, problem: broken.problem } : report;
    const out: VerifyReportOut = {
      ok: result.ok,
      events: result.events,
      headHash: result.headHash,
      ...(result.firstBadSeq !== undefined ? { firstBadSeq: result.firstBadSeq } : {}),
      ...(result.problem ? { problem: result.problem } : {}),
      checkpoints: { checked: matched.size, latest: null },
      verifiedAt: new Date().toISOString(),
    };
    const latest = checkpoints[checkpoints.length - 1];
    if (latest) {
      const matchesChain = matched.get(latest.seq) ?? (await this.repo.hashAt(m, caller.tenantId, latest.seq)) === latest.headHash;
      out.checkpoints.latest = { ...presentCheckpoint(latest), signatureValid: signed(latest), matchesChain };
    }
    return out;
  }

  /**
   * Signs the chain head now. The request itself is audited first, so the signed head includes it;
   * over a chain that signed checkpoints show to be broken, it is refused before that.
   */
  async checkpoint(caller: AuditCaller): Promise<CheckpointOut> {
    this.require(caller);
    const refused = "The chain head cannot be signed";
    await this.deps.uow.run(this.work(caller), async (tx) => {
      await this.refuseBrokenChain(tx.manager, caller.tenantId, refused);
      tx.audit({ action: "audit.checkpoint_requested", entity: "audit_trail", entityId: caller.tenantId });
    });
    const record = await this.signHead(caller.tenantId, refused);
    if (!record) throw new ConflictError("The audit trail is empty; there is no head to sign.");
    return presentCheckpoint(record);
  }

  private async refuseBrokenChain(m: EntityManager, tenantId: string, refused: string): Promise<void> {
    const broken = await this.deps.chain.brokenByCheckpoints(m, tenantId);
    if (broken) throw new ChainBrokenError(refused, broken.problem, broken.firstBadSeq);
  }

  private async signHead(tenantId: string, refused: string): Promise<CheckpointRecord | null> {
    try {
      return await this.deps.chain.checkpoint((fn) => this.deps.uow.exclusive(fn), tenantId);
    } catch (err) {
      if (err instanceof AuditChainBroken) throw new ChainBrokenError(refused, err.problem, err.firstBadSeq);
      throw err;
    }
  }

  async checkpoints(caller: AuditCaller, q: { cursor?: string | undefined; limit: number }) {
    this.require(caller);
    const before = decodeSeqCursor(q.cursor);
    const rows = await this.repo.checkpoints(this.deps.dataSource.manager, caller.tenantId, before, q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(presentCheckpoint),
      nextCursor: rows.length > q.limit && last ? encodeSeqCursor(last.seq) : null,
      publicKeyUrl: PUBLIC_KEY_URL,
      keyId: this.deps.signer.keyId,
    };
  }
}
