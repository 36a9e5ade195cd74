import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { GraphRequestError } from "../graph/graph-api";
import { SYSTEM_ACTOR_ID } from "../store/audit-chain";
import { dbNow } from "../store/db-time";
import type { Tx, UnitOfWork } from "../store/unit-of-work";
import { OutboxRepository, type OutboxKind, type OutboxMessage } from "./outbox.repository";

/** The actor of what the outbox does on its own. */
export const SYSTEM_ACTOR = SYSTEM_ACTOR_ID;

export interface DeliveryContext {
  workerId: string;
  /** Aborted when the worker stops: Graph calls in flight let go. */
  signal: AbortSignal;
}

/**
 * Delivers one kind of message. `deliver` talks to Graph and answers with the database writes
 * that record the result (run in one audited unit of work together with marking the message
 * done), or null when there is nothing to record. `failed` records a message given up on.
 */
export interface DeliveryHandler {
  deliver(msg: OutboxMessage, ctx: DeliveryContext): Promise<((tx: Tx) => Promise<void>) | null>;
  failed?(tx: Tx, msg: OutboxMessage, error: string): Promise<void>;
}

export interface WorkerOptions {
  pollMs: number;
  leaseSeconds: number;
  maxAttempts: number;
  /** First retry delay; it doubles with each attempt (capped at 5 minutes), with jitter. */
  backoffMs: number;
  /** Messages in flight at once per instance. */
  concurrency?: number;
  /** Tests: runs between Graph's answer and the commit that records it. */
  beforeCommit?: (msg: OutboxMessage) => Promise<void>;
}

/** A permanent refusal: retrying cannot help (bad request, forbidden, not found). */
export class PermanentDeliveryError extends Error {}

class LostClaim extends Error {}

const MAX_BACKOFF_MS = 5 * 60_000;

/** The wait before the next attempt: Graph's Retry-After when it gave one, else exponential with full jitter. */
export function backoffDelay(attempts: number, baseMs: number, err: unknown, random = Math.random): number {
  if (err instanceof GraphRequestError && err.retryAfterSeconds !== undefined) return err.retryAfterSeconds * 1000 + Math.floor(random() * 250);
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

function describe(err: unknown): string {
  if (err instanceof GraphRequestError) return `${err.status || "no answer"} ${err.code}: ${err.message}`.slice(0, 2000);
  return (err instanceof Error ? err.message : String(err)).slice(0, 2000);
}

function isPermanent(err: unknown): boolean {
  if (err instanceof PermanentDeliveryError) return true;
  return err instanceof GraphRequestError && !err.transient;
}

/**
 * Drains the outbox: claims due messages (a lease per message, so a crashed instance's claims
 * expire and are taken over), hands them to their handler, and records the result. Woken right
 * after a commit that wrote a message, and polls as well, so messages left by a restart or by
 * another instance are picked up.
 */
export class OutboxWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  private readonly repo = new OutboxRepository();
  private readonly handlers = new Map<OutboxKind, DeliveryHandler>();
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly opts: WorkerOptions,
    private readonly log: Logger,
  ) {}

  register(kinds: OutboxKind[], handler: DeliveryHandler): this {
    for (const k of kinds) this.handlers.set(k, handler);
    return this;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const tick = () => {
      this.wake();
      this.timer = setTimeout(tick, this.opts.pollMs);
      this.timer.unref();
    };
    // The first look waits a moment, so a server whose Graph is its own local tenant is listening by then.
    this.timer = setTimeout(tick, Math.min(this.opts.pollMs, 250));
    this.timer.unref();
  }

  /** Looks for due messages now (called after a commit that wrote one); a worker never started stays idle. */
  wake(): void {
    if (!this.started || this.stopping.signal.aborted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Claims and delivers until nothing is due and nothing is in flight; for tests that want a deterministic drain. */
  async drain(): Promise<void> {
    for (;;) {
      while (this.running || this.inFlight.size > 0) await Promise.allSettled([this.running, ...this.inFlight]);
      await this.loop();
      if (this.inFlight.size === 0) return;
    }
  }

  /**
   * Keeps up to `concurrency` deliveries in flight: claims as many messages as there are free
   * slots, and looks again whenever a delivery ends, so one slow call never holds up the rest.
   */
  private async loop(): Promise<void> {
    const slots = this.opts.concurrency ?? 4;
    do {
      this.again = false;
      try {
        while (!this.stopping.signal.aborted && this.inFlight.size < slots) {
          const m = this.uow.dataSource.manager;
          const now = await dbNow(m);
          const leaseUntil = new Date(Date.parse(now) + this.opts.leaseSeconds * 1000).toISOString();
          const batch = await this.repo.claim(m, this.id, now, leaseUntil, slots - this.inFlight.size);
          if (batch.length === 0) break;
          for (const msg of batch) void this.track(this.deliver(msg)).finally(() => this.wake());
        }
      } catch (err) {
        this.log.error({ err }, "outbox round failed; the next poll tries again");
      }
    } while (this.again && !this.stopping.signal.aborted);
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  private async deliver(msg: OutboxMessage): Promise<void> {
    const handler = this.handlers.get(msg.kind);
    const m = this.uow.dataSource.manager;
    try {
      if (!handler) throw new PermanentDeliveryError(`no handler for outbox messages of kind ${msg.kind}`);
      const record = await handler.deliver(msg, { workerId: this.id, signal: this.stopping.signal });
      await this.opts.beforeCommit?.(msg);
      const now = new Date().toISOString();
      if (!record) {
        if (!(await this.repo.markDone(m, msg, this.id, now))) throw new LostClaim();
      } else {
        await this.uow.run({ tenantId: msg.tenantId, actor: { tenantId: msg.tenantId, userId: SYSTEM_ACTOR }, requestId: `outbox:${msg.id}` }, async (tx) => {
          if (!(await this.repo.markDone(tx.manager, msg, this.id, now))) throw new LostClaim();
          await record(tx);
        });
      }
      this.log.debug({ message: msg.id, kind: msg.kind, attempts: msg.attempts }, "outbox message delivered");
    } catch (err) {
      await this.settleFailure(msg, handler, err);
    }
  }

  private async settleFailure(msg: OutboxMessage, handler: DeliveryHandler | undefined, err: unknown): Promise<void> {
    const m = this.uow.dataSource.manager;
    try {
      if (err instanceof LostClaim) {
        this.log.warn({ message: msg.id }, "outbox claim expired and was taken over; the other worker delivers it");
        return;
      }
      if (this.stopping.signal.aborted) {
        await this.repo.release(m, msg, this.id);
        return;
      }
      const error = describe(err);
      if (isPermanent(err) || msg.attempts >= this.opts.maxAttempts) {
        const now = new Date().toISOString();
        this.log.warn({ message: msg.id, kind: msg.kind, attempts: msg.attempts, error }, "outbox message failed; giving up");
        if (handler?.failed) {
          await this.uow.run({ tenantId: msg.tenantId, actor: { tenantId: msg.tenantId, userId: SYSTEM_ACTOR }, requestId: `outbox:${msg.id}` }, async (tx) => {
            if (!(await this.repo.markFailed(tx.manager, msg, this.id, now, error))) throw new LostClaim();
            await handler.failed!(tx, msg, error);
          });
        } else {
          await this.repo.markFailed(m, msg, this.id, now, error);
        }
        return;
      }
      const delay = backoffDelay(msg.attempts, this.opts.backoffMs, err);
      this.log.info({ message: msg.id, kind: msg.kind, attempts: msg.attempts, retryInMs: delay, error }, "outbox delivery failed; retrying later");
      const now = Date.parse(await dbNow(m));
      await this.repo.retryLater(m, msg, this.id, new Date(now + delay).toISOString(), error);
    } catch (inner) {
      if (inner instanceof LostClaim) return;
      // The claim stays until its lease ends; then another round takes the message again.
      this.log.error({ err: inner, message: msg.id }, "could not record an outbox delivery failure");
    }
  }

  /** Stops claiming, abandons Graph calls in flight (their messages are given back) and waits for them to settle. */
  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const settle = Promise.allSettled([...this.inFlight, ...(this.running ? [this.running] : [])]);
    await Promise.race([settle, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  }
}
