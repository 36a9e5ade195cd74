import type { DataSource, EntityManager } from "typeorm";
import type { AuditActor, AuditChain, AuditDraft } from "./audit-chain";

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
}

/** What a service sees of a running transaction: the manager to write with, and the audit to append to. */
export class Tx {
  private readonly drafts: AuditDraft[] = [];
  private readonly commitHooks: (() => void)[] = [];

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

/** SQLite has one writer per connection: transactions from concurrent requests take turns. */
class Turnstile {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/**
 * Every mutation runs here: one database transaction that also appends its audit events as its
 * last statements. If anything throws, the transaction rolls back and no audit row exists.
 */
export class UnitOfWork {
  private readonly turnstile: Turnstile | null;

  constructor(
    readonly dataSource: DataSource,
    private readonly chain: AuditChain,
  ) {
    this.turnstile = dataSource.options.type === "postgres" ? null : new Turnstile();
  }

  async run<T>(ctx: WorkContext, work: (tx: Tx) => Promise<T>): Promise<T> {
    const attempt = async () => {
      let tx: Tx | undefined;
      const result = await this.dataSource.transaction(async (manager) => {
        tx = new Tx(manager, ctx);
        const value = await work(tx);
        if (tx.auditDrafts.length === 0) throw new Error("a unit of work must record at least one audit event");
        await this.chain.append(manager, ctx.tenantId, ctx.actor, ctx.requestId ?? null, [...tx.auditDrafts]);
        return value;
      });
      for (const hook of tx?.hooks ?? []) hook();
      return result;
    };
    return this.turnstile ? this.turnstile.run(attempt) : attempt();
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
