import type { EntityManager } from "typeorm";
import { applicableBoundaries, blocking, effectiveRules, warnings, type Boundary, type BoundaryFinding, type EffectiveRules } from "../domain/boundaries";
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

  constructor(private readonly uow: UnitOfWork) {}

  /** Active boundaries of a tenant, cached briefly; boundary writes on this instance clear it. */
  async active(m: EntityManager, tenantId: string): Promise<Boundary[]> {
    const hit = this.cache.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.boundaries;
    const boundaries = await this.repo.active(m, tenantId);
    this.cache.set(tenantId, { boundaries, until: Date.now() + 5_000 });
    return boundaries;
  }

  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  async rulesFor(m: EntityManager, tenantId: string, who: { teamIds: string[]; personId: string }, now: string): Promise<EffectiveRules> {
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
      const versions = await this.versionsOf(tx.manager, full.tenantId, warned);
      await this.repo.recordFindings(tx.manager, full, warned, versions, new Date().toISOString());
      tx.audit({
        action: "boundary.warned",
        entity: ctx.entity,
        entityId: ctx.entityId ?? "-",
        changes: { findings: { after: warned.map((f) => ({ boundaryId: f.boundaryId, code: f.code, path: f.path ?? null })) } },
      });
    }
    return warned.map(present);
  }

  /** Runs a write; when a boundary blocks it, records the refused attempt (audited) and rethrows. */
  async guard<T>(requestId: string | null, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof BoundaryBlockedError)) throw err;
      const c = err.context;
      await this.uow.run({ tenantId: c.tenantId, actor: { tenantId: c.tenantId, userId: c.actorId }, requestId }, async (tx) => {
        const versions = await this.versionsOf(tx.manager, c.tenantId, err.findings);
        await this.repo.recordFindings(tx.manager, c, err.findings, versions, new Date().toISOString());
        tx.audit({
          action: "boundary.blocked",
          entity: c.entity,
          entityId: c.entityId ?? "-",
          changes: { operation: { after: c.operation }, findings: { after: err.findings.map((f) => ({ boundaryId: f.boundaryId, code: f.code, path: f.path ?? null })) } },
        });
      });
      throw err;
    }
  }

  private async versionsOf(m: EntityManager, tenantId: string, findings: BoundaryFinding[]): Promise<Map<string, number>> {
    const active = await this.active(m, tenantId);
    return new Map(findings.map((f) => [f.boundaryId, active.find((b) => b.id === f.boundaryId)?.version ?? 1]));
  }
}
