import type { EntityManager } from "typeorm";
import { applicableBoundaries, blocking, effectiveRules, findingsForTheRecord, warnings, type Boundary, type BoundaryFinding, type EffectiveRules } from "../domain/boundaries";
import { UnprocessableError } from "../errors";
import { BoundaryRepository, type FindingContext } from "../store/repositories/boundary.repository";
import type { Tx, UnitOfWork } from "../store/unit-of-work";

export interface FindingOut {
  boundaryId: string;
  boundaryName: string;
  kind: string;
  rule: string;
  enforcement: "block" | "warn";
  message: string;
  path?: string;
}

const present = (f: BoundaryFinding): FindingOut => ({
  boundaryId: f.boundaryId,
  boundaryName: f.boundaryName,
  kind: f.kind,
  rule: f.rule,
  enforcement: f.enforcement,
  message: f.message,
  ...(f.path ? { path: f.path } : {}),
});

/** 422: a boundary with enforcement `block` refused the write. Names the boundary and its rule. */
export class BoundaryBlockedError extends UnprocessableError {
  constructor(
    readonly findings: BoundaryFinding[],
    readonly context: FindingContext,
  ) {
    const first = findings[0]!;
    super("boundary-blocked", "Blocked by a compliance boundary", `${first.boundaryName}: ${first.message}`, {
      boundary: { id: first.boundaryId, name: first.boundaryName, kind: first.kind, rule: first.rule },
      findings: findings.map(present),
    });
  }
}

/**
 * Applies compliance boundaries to writes. Blocking findings abort the unit of work (nothing is
 * written) and are then recorded, audited, in a unit of their own; warnings are recorded with
 * the write and returned to the caller.
 */
export class BoundaryEnforcement {
  private readonly repo = new BoundaryRepository();
  private readonly cache = new Map<string, { boundaries: Boundary[]; until: number }>();
  /** Per tenant, how many times its cache was cleared: a read that a clearing overtook is not kept. */
  private readonly clearings = new Map<string, number>();

  constructor(private readonly uow: UnitOfWork) {}

  /** Active boundaries of a tenant, cached briefly; boundary writes on this instance clear it. */
  async active(m: EntityManager, tenantId: string): Promise<Boundary[]> {
    const hit = this.cache.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.boundaries;
    const clearedBefore = this.clearings.get(tenantId) ?? 0;
    const boundaries = await this.repo.active(m, tenantId);
    // A boundary change that committed while this read ran may be missing from it: this request
    // judges by what it read, but the cache keeps only a read that started after the last change.
    if ((this.clearings.get(tenantId) ?? 0) === clearedBefore) this.cache.set(tenantId, { boundaries, until: Date.now() + 5_000 });
    return boundaries;
  }

  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
    this.clearings.set(tenantId, (this.clearings.get(tenantId) ?? 0) + 1);
  }

  /** `personId` null: the tenant's and the teams' rules only, for something that is nobody's own (a team's rhythm). */
  async rulesFor(m: EntityManager, tenantId: string, who: { teamIds: string[]; personId: string | null }, now: string): Promise<EffectiveRules> {
    return effectiveRules(applicableBoundaries(await this.active(m, tenantId), who, now));
  }

  /**
   * The rules for a person whose teams are read only when they could matter: when some boundary
   * in force in the tenant is scoped to a team outside `knownTeamIds`.
   */
  async rulesForPerson(m: EntityManager, tenantId: string, personId: string, knownTeamIds: string[], teamsOf: () => Promise<string[]>, now: string): Promise<EffectiveRules> {
    const active = await this.active(m, tenantId);
    const needsTeams = active.some((b) => b.scope.level === "team" && !knownTeamIds.includes(b.scope.teamId));
    const teamIds = needsTeams ? [...new Set([...knownTeamIds, ...(await teamsOf())])] : knownTeamIds;
    return effectiveRules(applicableBoundaries(active, { teamIds, personId }, now));
  }

  /** Throws BoundaryBlockedError for blocking findings; records and returns warnings. */
  async enforce(tx: Tx, ctx: Omit<FindingContext, "tenantId" | "actorId">, findings: BoundaryFinding[]): Promise<FindingOut[]> {
    const full: FindingContext = { ...ctx, tenantId: tx.ctx.tenantId, actorId: tx.ctx.actor.userId };
    const blocked = blocking(findings);
    if (blocked.length) throw new BoundaryBlockedError(blocked, full);
    const warned = warnings(findings);
    if (warned.length) {
      const recorded = await this.forTheRecord(tx.manager, full.tenantId, warned);
      await this.repo.recordFindings(tx.manager, full, recorded, new Date().toISOString());
      tx.audit({
        action: "boundary.warned",
        entity: ctx.entity,
        entityId: ctx.entityId ?? "-",
        changes: { findings: { after: recorded.map(({ finding: f }) => ({ boundaryId: f.boundaryId, code: f.code, path: f.path ?? null })) } },
      });
    }
    return warned.map(present);
  }

  /**
   * Records, in the write's own unit of work, blocking findings that stopped part of a write that
   * otherwise goes through (an approval that cannot also agree), and returns them to be shown.
   */
  async heldBack(tx: Tx, ctx: Omit<FindingContext, "tenantId" | "actorId">, findings: BoundaryFinding[]): Promise<FindingOut[]> {
    const blocked = blocking(findings);
    if (!blocked.length) return [];
    await this.recordBlocked(tx, { ...ctx, tenantId: tx.ctx.tenantId, actorId: tx.ctx.actor.userId }, blocked);
    return blocked.map(present);
  }

  /** Records and audits what blocked a write: the boundaries that blocked it, each once; one that only warned let nothing through. */
  private async recordBlocked(tx: Tx, c: FindingContext, findings: BoundaryFinding[]): Promise<void> {
    const recorded = (await this.forTheRecord(tx.manager, c.tenantId, findings)).filter(({ finding }) => finding.enforcement === "block");
    await this.repo.recordFindings(tx.manager, c, recorded, new Date().toISOString());
    tx.audit({
      action: "boundary.blocked",
      entity: c.entity,
      entityId: c.entityId ?? "-",
      changes: { operation: { after: c.operation }, findings: { after: recorded.map(({ finding: f }) => ({ boundaryId: f.boundaryId, code: f.code, path: f.path ?? null })) } },
    });
  }

  /** Runs a write; when a boundary blocks it, records the refused attempt (audited) and rethrows. */
  async guard<T>(requestId: string | null, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof BoundaryBlockedError)) throw err;
      const c = err.context;
      await this.uow.run({ tenantId: c.tenantId, actor: { tenantId: c.tenantId, userId: c.actorId }, requestId }, (tx) => this.recordBlocked(tx, c, err.findings));
      throw err;
    }
  }

  /**
   * Every boundary behind the findings, each with the version that found it: the record names
   * each boundary broken, where the caller is shown one finding per field.
   */
  private async forTheRecord(m: EntityManager, tenantId: string, findings: BoundaryFinding[]): Promise<{ finding: BoundaryFinding; version: number }[]> {
    const all = findingsForTheRecord(findings);
    const active = all.some((x) => x.version === null) ? await this.active(m, tenantId) : [];
    return all.map(({ finding, version }) => ({ finding, version: version ?? active.find((b) => b.id === finding.boundaryId)?.version ?? 1 }));
  }
}
