import { GENESIS_HASH, eventHashMatches, type StoredAuditEvent } from "./canonical";

export interface ChainReport {
  ok: boolean;
  events: number;
  headHash: string;
  firstBadSeq?: number;
  problem?: string;
}

/**
 * Checks a tenant's chain one event at a time, in sequence order, so a verifier can stream any
 * number of events in flat memory. The first event must link to the genesis hash unless the
 * caller starts from a known earlier head (a partial export).
 */
export class ChainVerifier {
  private expectedSeq: number | null;
  private prevHash: string;
  /** The hash before the last event taken, to step back to when that event turns out unproven. */
  private hashBefore: string;
  private count = 0;
  /** The head is vouched for by a signed checkpoint: a broken link after it blames the later event. */
  private anchored = false;
  private bad: { seq: number; problem: string } | null = null;
  /** The last failure named the event before the one pushed (a rewritten event, see push). */
  steppedBack = false;

  constructor(start: { seq: number; prevHash: string } | null = { seq: 1, prevHash: GENESIS_HASH }) {
    this.expectedSeq = start ? start.seq : null;
    this.prevHash = start ? start.prevHash : GENESIS_HASH;
    this.hashBefore = this.prevHash;
  }

  /** Feeds the next event; returns false once the chain is known to be broken. */
  push(e: StoredAuditEvent): boolean {
    if (this.bad) return false;
    if (this.expectedSeq === null) {
      // Open start: take the first event's own link as the trusted starting point.
      this.expectedSeq = e.seq;
      this.prevHash = e.prevHash;
    }
    if (e.seq !== this.expectedSeq) {
      return this.fail(this.expectedSeq, e.seq < this.expectedSeq ? `sequence ${e.seq} repeats or goes back` : `sequence ${this.expectedSeq} is missing`);
    }
    if (e.prevHash !== this.prevHash) {
      // An event that matches its own hash but names another hash for the one before it: either
      // that earlier event was changed and hashed again, or this event's link was. Neither can be
      // vouched for, so the earlier one is the first bad event and is not counted as verified.
      // A checkpoint signed over the earlier event vouches for it; then this one was rewritten.
      if (this.count > 0 && !this.anchored && eventHashMatches(e)) {
        this.count--;
        this.prevHash = this.hashBefore;
        this.expectedSeq = e.seq - 1;
        this.steppedBack = true;
        return this.fail(e.seq - 1, `the chain breaks between sequence ${e.seq - 1} and ${e.seq}: event ${e.seq} links to another hash, so one of the two was rewritten`);
      }
      return this.fail(e.seq, "previous hash does not match the event before it");
    }
    if (!eventHashMatches(e)) return this.fail(e.seq, "stored hash does not match the event's content");
    this.hashBefore = this.prevHash;
    this.prevHash = e.hash;
    this.expectedSeq = e.seq + 1;
    this.count++;
    this.anchored = false;
    return true;
  }

  /** Marks the head as vouched for (a validly signed checkpoint names it). */
  anchor(): void {
    this.anchored = true;
  }

  private fail(seq: number, problem: string): false {
    this.bad = { seq, problem };
    return false;
  }

  get headHash(): string {
    return this.prevHash;
  }

  get lastSeq(): number {
    return (this.expectedSeq ?? 1) - 1;
  }

  report(): ChainReport {
    const base = { events: this.count, headHash: this.prevHash };
    return this.bad ? { ok: false, ...base, firstBadSeq: this.bad.seq, problem: this.bad.problem } : { ok: true, ...base };
  }
}
