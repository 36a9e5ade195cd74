/**
 * Each tenant's change stamp: the sequence number of its newest audit event. Every committed
 * change is audited, so an unchanged stamp means nothing changed, and read models (dashboards)
 * can be reused while it holds.
 *
 * Reading the stamp is one query per request, which on a busy dashboard costs more than the rest
 * of the answer. So this instance's own commits set it directly (a writer sees its change at
 * once), and a value read from the database is trusted for `maxAgeMs`: changes committed by other
 * server instances show within that time.
 */
export class ChangeStamps {
  private readonly known = new Map<string, { seq: number; at: number }>();

  constructor(private readonly maxAgeMs = 1_000) {}

  async get(tenantId: string, read: () => Promise<number>): Promise<number> {
    const hit = this.known.get(tenantId);
    if (hit && Date.now() - hit.at <= this.maxAgeMs) return hit.seq;
    const seq = await read();
    this.note(tenantId, seq);
    return this.known.get(tenantId)!.seq;
  }

  /** A commit (or a read) saw the chain at `seq`; a stamp never goes back. */
  note(tenantId: string, seq: number): void {
    const hit = this.known.get(tenantId);
    this.known.set(tenantId, { seq: Math.max(seq, hit?.seq ?? 0), at: Date.now() });
  }
}
