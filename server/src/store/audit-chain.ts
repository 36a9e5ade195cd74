import type { EntityManager } from "typeorm";
import { GENESIS_HASH, hashEvent, type StoredAuditEvent } from "../audit/canonical";
import { ChainVerifier, type ChainReport } from "../audit/chain-verifier";
import { firstBreak, type ChainBreak, type SignedCheckpoint } from "../audit/checkpoint-evidence";
import { signedByServer, type CheckpointSigner } from "../audit/signing";
import { DatabaseClock, dbNow } from "./db-time";
import { execute, queryRows } from "./entity-sql";
import { AuditCheckpointEntity, AuditEventEntity } from "./entities";
import { sqlParams } from "./repositories/sql-params";

/** The actor id of changes the system makes by itself, in the tenant they concern. */
export const SYSTEM_ACTOR_ID = "system";

export interface AuditDraft {
  action: string;
  entity: string;
  entityId: string;
  changes: Record<string, { before?: unknown; after?: unknown }>;
  reason: string | null;
  /** Who made this change, when not the unit of work's actor (the system, acting on its own). */
  actor?: AuditActor;
}

export interface AuditActor {
  tenantId: string;
  userId: string;
}

export interface CheckpointRecord {
  tenantId: string;
  seq: number;
  headHash: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

/** Signed checkpoints show the stored chain to be broken: nothing may be signed over it. */
export class AuditChainBroken extends Error {
  constructor(
    readonly problem: string,
    /** The first event the checkpoints show to be bad, when they show which. */
    readonly firstBadSeq?: number,
  ) {
    super(problem);
  }
}

/** Runs a function in a database transaction. */
export type Transact = <T>(fn: (manager: EntityManager) => Promise<T>) => Promise<T>;

/** A copy with every object's keys in sorted order; values JSON turns into something else first become that. */
function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const v = typeof (value as { toJSON?: unknown }).toJSON === "function" ? (value as { toJSON(): unknown }).toJSON() : value;
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(sortedKeys);
  // No prototype, so a key named __proto__ (JSON.parse makes such keys) stays an ordinary key.
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v).sort()) out[k] = sortedKeys((v as Record<string, unknown>)[k]);
  return out;
}

/** Stable JSON: object keys sorted, so the same changes always give the same stored text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortedKeys(value));
}

/** Sequence numbers are stored as 32-bit integers (PostgreSQL `integer`): no chain goes past this one. */
export const MAX_AUDIT_SEQ = 2_147_483_647;

/** A chain head: the newest event's sequence, hash and stamp; `stored` when the tenant has a head row. */
interface Head {
  seq: number;
  hash: string;
  occurredAt: string;
  stored: boolean;
}

/**
 * A PostgreSQL writer holds the head row after an attempt that found it, so the next attempt links.
 * At most: one attempt that cannot see a head row created meanwhile, one that waits for it and
 * locks it, one that links. More would mean a bug.
 */
const MAX_LINK_ATTEMPTS = 4;

const EVENT_COLUMNS = "tenant_id, seq, occurred_at, actor_tenant_id, actor_id, action, entity, entity_id, changes, reason, request_id, prev_hash, hash";
const EVENT_COLUMN_COUNT = 13;

/** Links drafts after a head: consecutive sequences, each event hashing the one before. */
function link(head: { seq: number; hash: string }, tenantId: string, actor: AuditActor, requestId: string | null, drafts: AuditDraft[], occurredAt: string): StoredAuditEvent[] {
  let prevHash = head.hash;
  let seq = head.seq;
  return drafts.map((d) => {
    seq += 1;
    const unhashed = {
      tenantId,
      seq,
      occurredAt,
      actorTenantId: (d.actor ?? actor).tenantId,
      actorId: (d.actor ?? actor).userId,
      action: d.action,
      entity: d.entity,
      entityId: d.entityId,
      changes: stableJson(d.changes),
      reason: d.reason,
      requestId,
      prevHash,
    };
    const row = { ...unhashed, hash: hashEvent(unhashed) };
    prevHash = row.hash;
    return row;
  });
}

const eventParams = (rows: readonly StoredAuditEvent[]): unknown[] =>
  rows.flatMap((e) => [e.tenantId, e.seq, e.occurredAt, e.actorTenantId, e.actorId, e.action, e.entity, e.entityId, e.changes, e.reason, e.requestId, e.prevHash, e.hash]);

/** `count` rows of event placeholders from parameter `first` on; `seq` is typed, as VALUES in a SELECT has no column to infer it from. */
function eventValues(count: number, pg: boolean, first = 1): string {
  return Array.from({ length: count }, (_, r) => {
    const cells = Array.from({ length: EVENT_COLUMN_COUNT }, (_x, c) => (pg ? `$${first + r * EVENT_COLUMN_COUNT + c}${c === 1 ? "::integer" : ""}` : "?"));
    return `(${cells.join(", ")})`;
  }).join(", ");
}

const sqlTexts = new Map<string, string>();

/** Statement texts depend only on their shape, so each is built once. */
function cachedSql(key: string, build: () => string): string {
  let sql = sqlTexts.get(key);
  if (sql === undefined) {
    sql = build();
    sqlTexts.set(key, sql);
  }
  return sql;
}

/** The plain INSERT of `count` events. */
function insertEventsSql(count: number, pg = false): string {
  return cachedSql(`insert|${count}|${pg}`, () => `INSERT INTO audit_event (${EVENT_COLUMNS}) VALUES ${eventValues(count, pg)}`);
}

/**
 * PostgreSQL, one statement: locks the tenant's head row (creating it for a chain that has none)
 * and, when the head is the expected one ($5, $6), moves it on to the new head ($2..$4) and
 * inserts the events; otherwise changes nothing and inserts nothing. Either way it answers the
 * row as it now stands, so a writer that expected a stale head can link again to the head it has
 * just locked.
 *
 * The row is selected by tenant alone: a writer that finds it locked waits, and then judges the
 * expected head against the version the other writer committed. (A condition on the head in the
 * WHERE clause would be judged against the older version this statement's snapshot sees, and
 * would fail at once instead of waiting.)
 */
function linkedInsertSql(count: number, headStored: boolean): string {
  return cachedSql(`linked|${count}|${headStored}`, () => {
    const expected = headStored ? "audit_head.seq = $5 AND audit_head.hash = $6" : "false";
    const moveHead = headStored
      ? `UPDATE audit_head SET seq = CASE WHEN ${expected} THEN $2 ELSE seq END, hash = CASE WHEN ${expected} THEN $3 ELSE hash END,
           occurred_at = CASE WHEN ${expected} THEN $4 ELSE occurred_at END
         WHERE tenant_id = $1 RETURNING seq, hash, occurred_at`
      : `INSERT INTO audit_head (tenant_id, seq, hash, occurred_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id) DO UPDATE SET seq = audit_head.seq RETURNING seq, hash, occurred_at`;
    const values = eventValues(count, true, headStored ? 7 : 5);
    return `WITH head AS (${moveHead}),
      inserted AS (INSERT INTO audit_event (${EVENT_COLUMNS}) SELECT v.* FROM (VALUES ${values}) AS v WHERE EXISTS (SELECT 1 FROM head WHERE seq = $2 AND hash = $3) RETURNING 1)
      SELECT head.seq, head.hash, head.occurred_at AS "occurredAt", (SELECT count(*) FROM inserted) AS inserted FROM head`;
  });
}

export class AuditChain {
  constructor(
    private readonly signer: CheckpointSigner,
    private readonly checkpointEvery: number,
  ) {}

  /** PostgreSQL: the head each tenant's chain will have once this instance's appends commit. */
  private readonly expectedHeads = new Map<string, Head>();
  /** PostgreSQL: per tenant, the append whose statement this instance sent last, until it holds the row. */
  private readonly turns = new Map<string, Promise<void>>();
  private readonly clock = new DatabaseClock();

  /**
   * Appends events to the tenant's chain inside the caller's transaction, as the last statements
   * of a unit of work: on PostgreSQL the tenant's head row stays locked until the commit.
   */
  async append(manager: EntityManager, tenantId: string, actor: AuditActor, requestId: string | null, drafts: AuditDraft[]): Promise<StoredAuditEvent[]> {
    if (drafts.length === 0) return [];
    const pg = manager.connection.options.type === "postgres";
    const rows = pg ? await this.appendLinked(manager, tenantId, actor, requestId, drafts) : await this.appendSqlite(manager, tenantId, actor, requestId, drafts);
    const every = this.checkpointEvery;
    const first = rows[0]!.seq;
    const last = rows[rows.length - 1]!;
    // A periodic checkpoint vouches for the chain as stored, so none is signed over a chain that
    // signed checkpoints show to be cut or rewritten; the write itself goes through, and
    // verification reports the break.
    if (Math.floor(last.seq / every) > Math.floor((first - 1) / every) && !(await this.signedCheckpointDisagrees(manager, tenantId))) {
      await this.writeCheckpoint(manager, tenantId, last.seq, last.hash, last.occurredAt);
    }
    return rows;
  }

  /** SQLite has one writer (the unit of work's turn), so the head read from the events stays the head. */
  private async appendSqlite(manager: EntityManager, tenantId: string, actor: AuditActor, requestId: string | null, drafts: AuditDraft[]): Promise<StoredAuditEvent[]> {
    const { head, occurredAt } = await this.headAndNow(manager, tenantId);
    const rows = link(head, tenantId, actor, requestId, drafts, occurredAt);
    for (let i = 0; i < rows.length; i += 200) await execute(manager, insertEventsSql(Math.min(200, rows.length - i)), eventParams(rows.slice(i, i + 200)));
    return rows;
  }

  /**
   * PostgreSQL has many writers (connections and server instances). Each links its events to the
   * head it expects and, in one statement, moves the tenant's head row on from exactly that head
   * and inserts the events. The row lock orders the writers until each commits; a writer whose
   * expected head was stale (another instance wrote, or an append rolled back) changes nothing
   * but now holds the row, and links again to the head the statement answered.
   *
   * Within this instance the appends of a tenant are sent in turn, each once the one before holds
   * the row: it links to that one's events and waits for the row inside the database, so the row
   * passes from each commit to the next writer without a round trip through this process.
   */
  private async appendLinked(manager: EntityManager, tenantId: string, actor: AuditActor, requestId: string | null, drafts: AuditDraft[]): Promise<StoredAuditEvent[]> {
    const now = await this.clock.now(manager);
    const before = this.turns.get(tenantId);
    let done!: () => void;
    const turn = new Promise<void>((resolve) => (done = resolve));
    this.turns.set(tenantId, turn);
    try {
      if (before) await before;
      return await this.linkAndInsert(manager, tenantId, actor, requestId, drafts, now);
    } finally {
      done();
      if (this.turns.get(tenantId) === turn) this.turns.delete(tenantId);
    }
  }

  private async linkAndInsert(manager: EntityManager, tenantId: string, actor: AuditActor, requestId: string | null, drafts: AuditDraft[], now: string): Promise<StoredAuditEvent[]> {
    let head = this.expectedHeads.get(tenantId) ?? (await this.storedHead(manager, tenantId));
    try {
      for (let attempt = 1; attempt <= MAX_LINK_ATTEMPTS; attempt++) {
        // Stamps never go back along a chain, whichever instance wrote the event before.
        const rows = link(head, tenantId, actor, requestId, drafts, now > head.occurredAt ? now : head.occurredAt);
        const last = rows[rows.length - 1]!;
        const first = rows.slice(0, 200);
        const params = [tenantId, last.seq, last.hash, last.occurredAt, ...(head.stored ? [head.seq, head.hash] : []), ...eventParams(first)];
        const [row] = await queryRows<{ seq: number | string; hash: string; occurredAt: string; inserted: number | string }>(manager, linkedInsertSql(first.length, head.stored), params);
        if (!row) {
          // No head row in this statement's snapshot: it was created by a transaction not yet
          // committed then (this instance's previous append, say). The committed head decides;
          // the statement that creates the row waits for that transaction and then locks the row.
          head = await this.storedHead(manager, tenantId);
          continue;
        }
        const current: Head = { seq: Number(row.seq), hash: row.hash, occurredAt: row.occurredAt, stored: true };
        if (Number(row.inserted) === first.length && current.seq === last.seq && current.hash === last.hash) {
          this.expectedHeads.set(tenantId, current);
          // The head row is this transaction's until it ends; the rest follows in plain inserts.
          for (let i = 200; i < rows.length; i += 200) await execute(manager, insertEventsSql(Math.min(200, rows.length - i), true), eventParams(rows.slice(i, i + 200)));
          return rows;
        }
        // Another writer moved the head on; this transaction holds the row now, so linking again to it succeeds.
        head = current;
      }
      throw new Error(`audit chain of tenant ${tenantId}: the head moved on ${MAX_LINK_ATTEMPTS} times in a row`);
    } catch (err) {
      this.expectedHeads.delete(tenantId);
      throw err;
    }
  }

  /** The tenant's head as committed: its head row, or for a chain without one, its newest event. */
  private async storedHead(manager: EntityManager, tenantId: string): Promise<Head> {
    const [row] = await queryRows<{ seq: number | string; hash: string; occurredAt: string }>(manager, `SELECT seq, hash, occurred_at AS "occurredAt" FROM audit_head WHERE tenant_id = $1`, [tenantId]);
    if (row) return { seq: Number(row.seq), hash: row.hash, occurredAt: row.occurredAt, stored: true };
    const [last] = await queryRows<{ seq: number | string; hash: string; occurredAt: string }>(
      manager,
      `SELECT seq, hash, occurred_at AS "occurredAt" FROM audit_event WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1`,
      [tenantId],
    );
    return last ? { seq: Number(last.seq), hash: last.hash, occurredAt: last.occurredAt, stored: false } : { seq: 0, hash: GENESIS_HASH, occurredAt: "", stored: false };
  }

  /** The chain head and the database's clock in one statement (SQLite). */
  private async headAndNow(manager: EntityManager, tenantId: string): Promise<{ head: Head; occurredAt: string }> {
    const sql = `SELECT h.seq, h.hash, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS now
           FROM (SELECT 1) one LEFT JOIN (SELECT seq, hash FROM audit_event WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1) h`;
    const [row] = await queryRows<{ seq: number | string | null; hash: string | null; now: string }>(manager, sql, [tenantId]);
    if (!row) throw new Error("the database did not answer the chain head query");
    const head = row.seq === null ? { seq: 0, hash: GENESIS_HASH } : { seq: Number(row.seq), hash: row.hash! };
    return { head: { ...head, occurredAt: "", stored: false }, occurredAt: row.now };
  }

  async head(manager: EntityManager, tenantId: string): Promise<{ seq: number; hash: string }> {
    const last = await manager
      .getRepository(AuditEventEntity)
      .createQueryBuilder("e")
      .select(["e.seq", "e.hash"])
      .where("e.tenantId = :tenantId", { tenantId })
      .orderBy("e.seq", "DESC")
      .limit(1)
      .getOne();
    return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Signs the current head on demand; the head cannot move meanwhile (PostgreSQL: the head row's
   * lock holds appends back until the checkpoint commits). `transact` runs the transaction: the
   * unit of work's, so that on SQLite it takes its turn.
   */
  async checkpoint(transact: Transact, tenantId: string): Promise<CheckpointRecord | null> {
    return transact(async (manager) => {
      if (manager.connection.options.type === "postgres") await manager.query("SELECT 1 FROM audit_head WHERE tenant_id = $1 FOR UPDATE", [tenantId]);
      // A signature over a chain already shown to be broken would vouch for the break.
      const broken = await this.brokenByCheckpoints(manager, tenantId);
      if (broken) throw new AuditChainBroken(broken.problem, broken.firstBadSeq);
      const head = await this.head(manager, tenantId);
      if (head.seq === 0) return null;
      const existing = await manager.getRepository(AuditCheckpointEntity).findOneBy({ tenantId, seq: head.seq });
      if (existing && existing.headHash !== head.hash) {
        // Signed, it would have shown the break above; unsigned, the checkpoints themselves were changed.
        throw new AuditChainBroken(`the checkpoint stored at sequence ${head.seq} does not carry the hash of the event there, and its signature does not verify`);
      }
      if (existing) return { ...existing, seq: Number(existing.seq) };
      return this.writeCheckpoint(manager, tenantId, head.seq, head.hash, await dbNow(manager));
    });
  }

  /**
   * The first break that the tenant's signed checkpoints prove in the stored chain: a checkpoint
   * whose head differs from the stored event at its sequence, or one beyond the last stored
   * event. Reads the checkpoints, the stored hash at each and the head in one statement (one
   * snapshot, so an append committed meanwhile is not taken for a cut) instead of walking the
   * chain; verification (`GET /audit/verify`) walks it. A break needs a signed checkpoint that
   * disagrees with the chain, so the checkpoints are read in full only when there is one.
   */
  async brokenByCheckpoints(manager: EntityManager, tenantId: string): Promise<ChainBreak | null> {
    if (!(await this.signedCheckpointDisagrees(manager, tenantId))) return null;
    const p = sqlParams(manager);
    const sql = `WITH head AS (SELECT seq, hash FROM audit_event WHERE tenant_id = ${p.add(tenantId)} ORDER BY seq DESC LIMIT 1)
      SELECT c.tenant_id AS "tenantId", c.seq, c.head_hash AS "headHash", c.signed_at AS "signedAt", c.signature, e.hash AS "storedHash",
        (SELECT seq FROM head) AS "endSeq", (SELECT hash FROM head) AS "endHash"
      FROM audit_checkpoint c LEFT JOIN audit_event e ON e.tenant_id = c.tenant_id AND e.seq = c.seq
      WHERE c.tenant_id = ${p.add(tenantId)} ORDER BY c.seq ASC`;
    type Row = SignedCheckpoint & { seq: number | string; storedHash: string | null; endSeq: number | string | null; endHash: string | null };
    const rows: Row[] = await manager.query(sql, p.values);
    const first = rows[0];
    if (!first) return null;
    const end = first.endSeq === null ? { seq: 0, hash: GENESIS_HASH } : { seq: Number(first.endSeq), hash: first.endHash! };
    const signed = (c: SignedCheckpoint) => signedByServer(this.signer, c);
    return firstBreak(rows.map((r) => ({ ...r, seq: Number(r.seq) })), end, signed);
  }

  /**
   * Whether a validly signed checkpoint disagrees with the stored chain: its event is missing, lies
   * beyond the end, or has another hash. Only disagreeing rows leave the database (normally none),
   * so it is cheap enough to ask inside an append, while the tenant's head is held.
   */
  private async signedCheckpointDisagrees(manager: EntityManager, tenantId: string): Promise<boolean> {
    const p = sqlParams(manager);
    const rows: (SignedCheckpoint & { seq: number | string })[] = await manager.query(
      `SELECT c.tenant_id AS "tenantId", c.seq, c.head_hash AS "headHash", c.signed_at AS "signedAt", c.signature
       FROM audit_checkpoint c LEFT JOIN audit_event e ON e.tenant_id = c.tenant_id AND e.seq = c.seq
       WHERE c.tenant_id = ${p.add(tenantId)} AND (e.hash IS NULL OR e.hash <> c.head_hash)`,
      p.values,
    );
    return rows.some((c) => signedByServer(this.signer, { ...c, seq: Number(c.seq) }));
  }

  private async writeCheckpoint(manager: EntityManager, tenantId: string, seq: number, headHash: string, signedAt: string): Promise<CheckpointRecord> {
    const record: CheckpointRecord = {
      tenantId,
      seq,
      headHash,
      signedAt,
      keyId: this.signer.keyId,
      signature: this.signer.sign({ tenantId, seq, headHash, signedAt }),
    };
    await manager.createQueryBuilder().insert().into(AuditCheckpointEntity).values(record).updateEntity(false).execute();
    return record;
  }

  /** Walks the whole chain in pages; memory stays flat whatever its length. */
  async verify(manager: EntityManager, tenantId: string, pageSize = 5000): Promise<ChainReport> {
    const verifier = new ChainVerifier();
    for await (const page of this.pages(manager, tenantId, pageSize)) {
      for (const e of page) if (!verifier.push(e)) return verifier.report();
    }
    return verifier.report();
  }

  /**
   * Reads the chain in sequence order, one page at a time. A plain SQL query with column aliases
   * instead of entity hydration: verification is bounded by hashing, not by building objects.
   */
  async *pages(manager: EntityManager, tenantId: string, pageSize = 5000, from = 0): AsyncGenerator<StoredAuditEvent[]> {
    const pg = manager.connection.options.type === "postgres";
    const sql = `SELECT tenant_id AS "tenantId", seq, occurred_at AS "occurredAt", actor_tenant_id AS "actorTenantId", actor_id AS "actorId",
        action, entity, entity_id AS "entityId", changes, reason, request_id AS "requestId", prev_hash AS "prevHash", hash
      FROM audit_event WHERE tenant_id = ${pg ? "$1" : "?"} AND seq > ${pg ? "$2" : "?"} ORDER BY seq ASC LIMIT ${pg ? "$3" : "?"}`;
    let after = from;
    for (;;) {
      const rows: StoredAuditEvent[] = await manager.query(sql, [tenantId, after, pageSize]);
      if (rows.length === 0) return;
      for (const r of rows) if (typeof r.seq !== "number") r.seq = Number(r.seq);
      yield rows;
      after = rows[rows.length - 1]!.seq;
      if (rows.length < pageSize) return;
    }
  }
}

export function toStored(e: AuditEventEntity): StoredAuditEvent {
  return {
    tenantId: e.tenantId,
    seq: Number(e.seq),
    occurredAt: e.occurredAt,
    actorTenantId: e.actorTenantId,
    actorId: e.actorId,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    changes: e.changes,
    reason: e.reason,
    requestId: e.requestId,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
