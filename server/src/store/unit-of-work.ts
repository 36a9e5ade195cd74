import type { DataSource, EntityManager } from "typeorm";
import { SYSTEM_ACTOR_ID, type AuditActor, type AuditChain, type AuditDraft } from "./audit-chain";
import { ChangeStamps } from "./change-stamps";

export type Changes = Record<string, { before?: unknown; after?: unknown }>;

export interface WorkContext {
  tenantId: string;
  actor: AuditActor;
  requestId?: string | null;
}

export interface AuditInput {
  action: string;
  entity: string;
  entityId: string;
  changes?: Changes;
  reason?: string | null;
  /**
   * The system made this change by itself (a deadline passing, an escalation), though a person's
   * request set it off: the event names the system as its actor, and the request id still links it.
   */
  bySystem?: boolean;
}

/** What a service sees of a running transaction: the manager to write with, and the audit to append to. */
export class Tx {
  private readonly drafts: AuditDraft[] = [];
  private readonly commitHooks: (() => void)[] = [];
  /** What the work returned, handed back to the caller once the commit is durable. */
  value: unknown;

  constructor(
    readonly manager: EntityManager,
    readonly ctx: WorkContext,
  ) {}

  audit(input: AuditInput): void {
    this.drafts.push({
      action: input.action,
      entity: input.entity,
      entityId: input.entityId,
      changes: input.changes ?? {},
      reason: input.reason ?? null,
      ...(input.bySystem ? { actor: { tenantId: this.ctx.tenantId, userId: SYSTEM_ACTOR_ID } } : {}),
    });
  }

  /** Runs after a successful commit (for example to wake the outbox worker). */
  afterCommit(hook: () => void): void {
    this.commitHooks.push(hook);
  }

  get auditDrafts(): readonly AuditDraft[] {
    return this.drafts;
  }

  get hooks(): readonly (() => void)[] {
    return this.commitHooks;
  }
}

interface Done {
  value: unknown;
  hooks: readonly (() => void)[];
}

interface Job {
  execute: (manager: EntityManager) => Promise<Done>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = ({ ok: true } & Done) | { ok: false; error: unknown };

/**
 * SQLite has one connection and one writer, so units of work take turns; and each commit waits
 * for the disk (synchronous=FULL), which costs more than the work itself. Units that queue while
 * the writer is busy therefore commit together: each runs in a savepoint of one transaction (a
 * failing unit rolls back to its savepoint and fails alone), and all are answered only after the
 * shared COMMIT is durable. If the shared transaction itself fails, each unit runs again alone,
 * so one unit's failure never becomes another's and nothing is acknowledged before it is on disk.
 *
 * The one connection also serves every read and the outbox's bookkeeping, so a unit's work waits
 * for nothing but the database: a unit that awaited other I/O (Graph, a timer) would let those
 * statements run inside its open transaction. Calls to Graph go through the outbox, after commit.
 */
class GroupCommit {
  private readonly queue: Job[] = [];
  private draining = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly maxBatch: number,
  ) {}

  submit(job: Job): void {
    this.queue.push(job);
    if (!this.draining) {
      this.draining = true;
      // better-sqlite3 answers synchronously, so a unit started now would run to its COMMIT
      // without the event loop ever reading another request. Starting after the current round of
      // I/O lets the requests that arrived together queue up and commit together.
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await this.runBatch(this.queue.splice(0, this.maxBatch));
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
    }
  }

  private async runBatch(batch: Job[]): Promise<void> {
    if (batch.length === 1) return this.runAlone(batch[0]!);
    const settled: Settled[] = [];
    try {
      await this.dataSource.transaction(async (manager) => {
        for (const job of batch) {
          await manager.query("SAVEPOINT leeway_unit");
          try {
            const done = await job.execute(manager);
            await manager.query("RELEASE leeway_unit");
            settled.push({ ok: true, ...done });
          } catch (error) {
            await manager.query("ROLLBACK TO leeway_unit");
            await manager.query("RELEASE leeway_unit");
            settled.push({ ok: false, error });
          }
        }
      });
    } catch {
      for (const job of batch) await this.runAlone(job);
      return;
    }
    batch.forEach((job, i) => settle(job, settled[i]!));
  }

  private async runAlone(job: Job): Promise<void> {
    let result: Settled;
    try {
      result = { ok: true, ...(await this.dataSource.transaction((manager) => job.execute(manager))) };
    } catch (error) {
      result = { ok: false, error };
    }
    settle(job, result);
  }
}

function settle(job: Job, result: Settled): void {
  if (!result.ok) return job.reject(result.error);
  job.resolve(result.value);
  for (const hook of result.hooks) hook();
}

/**
 * Every mutation runs here: one database transaction that also appends its audit events as its
 * last statements. If anything throws, the transaction rolls back and no audit row exists.
 */
export class UnitOfWork {
  private readonly group: GroupCommit | null;
  /** Each tenant's newest committed audit sequence, as this instance knows it. */
  readonly stamps = new ChangeStamps();

  constructor(
    readonly dataSource: DataSource,
    private readonly chain: AuditChain,
    options: { maxGroupCommit?: number } = {},
  ) {
    this.group = dataSource.options.type === "postgres" ? null : new GroupCommit(dataSource, options.maxGroupCommit ?? 16);
  }

  /** Runs the work and appends its audit events; the Tx carries the work's value and commit hooks. */
  private async unit(manager: EntityManager, ctx: WorkContext, work: (tx: Tx) => Promise<unknown>): Promise<Tx> {
    const tx = new Tx(manager, ctx);
    tx.value = await work(tx);
    if (tx.auditDrafts.length === 0) throw new Error("a unit of work must record at least one audit event");
    const events = await this.chain.append(manager, ctx.tenantId, ctx.actor, ctx.requestId ?? null, [...tx.auditDrafts]);
    const head = events[events.length - 1]!.seq;
    tx.afterCommit(() => this.stamps.note(ctx.tenantId, head));
    return tx;
  }

  async run<T>(ctx: WorkContext, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transaction(async (manager) => {
      const tx = await this.unit(manager, ctx, work);
      return { value: tx.value, hooks: tx.hooks };
    }) as Promise<T>;
  }

  /**
   * A transaction for the audit machinery itself (a signed checkpoint), which appends no event of
   * its own; on SQLite it takes its turn with the units of work on the one connection.
   */
  async exclusive<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.transaction(async (manager) => ({ value: await fn(manager), hooks: [] })) as Promise<T>;
  }

  private async transaction(execute: (manager: EntityManager) => Promise<Done>): Promise<unknown> {
    const group = this.group;
    if (group) return new Promise((resolve, reject) => group.submit({ execute, resolve, reject }));
    const done = await this.dataSource.transaction(execute);
    for (const hook of done.hooks) hook();
    return done.value;
  }
}

/** Field-by-field before/after of the keys that changed. */
export function diff<T extends object>(before: T | null, after: T | null, keys: readonly (keyof T & string)[]): Changes {
  const out: Changes = {};
  for (const k of keys) {
    const b = before ? before[k] : undefined;
    const a = after ? after[k] : undefined;
    if (JSON.stringify(b) !== JSON.stringify(a)) out[k] = { ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) };
  }
  return out;
}
