import { GENESIS_HASH, type CheckpointStatement } from "./canonical";

export interface SignedCheckpoint extends CheckpointStatement {
  signature: string;
}

/** A break in the stored chain that a signed checkpoint proves. */
export interface ChainBreak {
  firstBadSeq: number;
  /** The last event still vouched for (sequence 0 and the genesis hash when none is): the chain up to it is the good part. */
  lastGood: { seq: number; hash: string };
  problem: string;
}

/**
 * Compares signed checkpoints with the stored chain, oldest first. A hash chain alone cannot show
 * that it was rewritten and hashed again, nor that its tail was cut off; a validly signed
 * checkpoint can. One whose head differs from the stored event at its sequence shows that the
 * events since the last checkpoint that still matches were rewritten; one beyond the stored end
 * shows that events were removed from the end. A checkpoint whose signature does not verify
 * proves nothing and is passed over.
 */
export class CheckpointEvidence {
  /** Checkpoints that match the stored chain, oldest first; their signatures are checked only once a break is found. */
  private readonly matched: SignedCheckpoint[] = [];

  constructor(private readonly signed: (c: SignedCheckpoint) => boolean) {}

  /** The last matching checkpoint that is validly signed: a row that merely matches vouches for nothing. */
  private lastGood(): { seq: number; hash: string } {
    for (let i = this.matched.length - 1; i >= 0; i--) {
      const cp = this.matched[i]!;
      if (this.signed(cp)) return { seq: cp.seq, hash: cp.headHash };
    }
    return { seq: 0, hash: GENESIS_HASH };
  }

  /** A checkpoint within the stored chain, against the stored event's hash at its sequence (null when that event is missing). */
  atEvent(cp: SignedCheckpoint, storedHash: string | null): ChainBreak | null {
    if (storedHash === cp.headHash) {
      this.matched.push(cp);
      return null;
    }
    if (!this.signed(cp)) return null;
    const good = this.lastGood();
    const from = good.seq + 1;
    const problem =
      storedHash === null
        ? `sequence ${cp.seq}, covered by the head signed at ${cp.signedAt}, is missing from the stored chain`
        : `the stored chain at sequence ${cp.seq} differs from the head signed at ${cp.signedAt}: events from ${from} to ${cp.seq} were rewritten`;
    return { firstBadSeq: from, lastGood: good, problem };
  }

  /** A checkpoint past the stored chain's last event, `end`. */
  beyondEnd(cp: SignedCheckpoint, end: { seq: number; hash: string }): ChainBreak | null {
    if (cp.seq <= end.seq || !this.signed(cp)) return null;
    return {
      firstBadSeq: end.seq + 1,
      lastGood: end,
      problem: `the chain ends at sequence ${end.seq}, but a checkpoint signed at ${cp.signedAt} covers sequence ${cp.seq}: events were removed from the end`,
    };
  }
}

/**
 * The first break that checkpoints (oldest first, each with the stored event's hash at its
 * sequence) prove in a chain whose last stored event is `end`, without walking the events.
 */
export function firstBreak(checkpoints: readonly (SignedCheckpoint & { storedHash: string | null })[], end: { seq: number; hash: string }, signed: (c: SignedCheckpoint) => boolean): ChainBreak | null {
  const evidence = new CheckpointEvidence(signed);
  for (const cp of checkpoints) {
    const found = cp.seq > end.seq ? evidence.beyondEnd(cp, end) : evidence.atEvent(cp, cp.storedHash);
    if (found) return found;
  }
  return null;
}
