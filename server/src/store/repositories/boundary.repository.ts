import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { Boundary, BoundaryFinding, BoundaryRule, BoundaryScope } from "../../domain/boundaries";
import { BoundaryEntity, BoundaryFindingEntity } from "../entities";

export interface StoredBoundary extends Omit<Boundary, "state"> {
  state: Boundary["state"] | "retired";
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export function toBoundary(e: BoundaryEntity): StoredBoundary {
  const scope: BoundaryScope =
    e.scopeLevel === "team" ? { level: "team", teamId: e.scopeId ?? "" } : e.scopeLevel === "person" ? { level: "person", personId: e.scopeId ?? "" } : { level: "tenant" };
  return {
    id: e.id,
    name: e.name,
    version: Number(e.version),
    scope,
    enforcement: e.enforcement as Boundary["enforcement"],
    rule: JSON.parse(e.rule) as BoundaryRule,
    effectiveFrom: e.effectiveFrom,
    effectiveTo: e.effectiveTo,
    expiresAt: e.expiresAt,
    reason: e.reason,
    state: e.state as StoredBoundary["state"],
    proposedBy: e.proposedBy,
    proposedAt: e.proposedAt,
    decidedBy: e.decidedBy,
    decidedAt: e.decidedAt,
  };
}

export function toBoundaryEntity(tenantId: string, b: StoredBoundary): BoundaryEntity {
  const e = new BoundaryEntity();
  Object.assign(e, {
    tenantId,
    id: b.id,
    version: b.version,
    name: b.name,
    kind: b.rule.kind,
    scopeLevel: b.scope.level,
    scopeId: b.scope.level === "team" ? b.scope.teamId : b.scope.level === "person" ? b.scope.personId : null,
    enforcement: b.enforcement,
    rule: JSON.stringify(b.rule),
    effectiveFrom: b.effectiveFrom,
    effectiveTo: b.effectiveTo ?? null,
    expiresAt: b.expiresAt ?? null,
    reason: b.reason ?? null,
    state: b.state,
    proposedBy: b.proposedBy,
    proposedAt: b.proposedAt,
    decidedBy: b.decidedBy,
    decidedAt: b.decidedAt,
  });
  return e;
}

export interface FindingFilter {
  from?: string;
  to?: string;
  boundaryId?: string;
  enforcement?: "block" | "warn";
  /** Keyset position: the last row of the previous page (newest first). */
  after?: { at: string; id: string };
  limit: number;
}

export interface StoredFinding {
  id: string;
  boundaryId: string;
  boundaryVersion: number;
  boundaryName: string;
  kind: string;
  enforcement: "block" | "warn";
  operation: string;
  entity: string;
  entityId: string | null;
  actorId: string;
  path: string | null;
  message: string;
  at: string;
}

export interface FindingContext {
  tenantId: string;
  actorId: string;
  operation: string;
  entity: string;
  entityId: string | null;
}

export class BoundaryRepository {
  async all(m: EntityManager, tenantId: string): Promise<StoredBoundary[]> {
    const rows = await m.find(BoundaryEntity, { where: { tenantId }, order: { proposedAt: "ASC", version: "ASC" } });
    return rows.map(toBoundary);
  }

  async active(m: EntityManager, tenantId: string): Promise<Boundary[]> {
    const rows = await m.find(BoundaryEntity, { where: { tenantId, state: "active" } });
    return rows.map(toBoundary) as Boundary[];
  }

  async versions(m: EntityManager, tenantId: string, id: string): Promise<StoredBoundary[]> {
    const rows = await m.find(BoundaryEntity, { where: { tenantId, id }, order: { version: "ASC" } });
    return rows.map(toBoundary);
  }

  async save(m: EntityManager, tenantId: string, b: StoredBoundary): Promise<void> {
    await m.save(BoundaryEntity, toBoundaryEntity(tenantId, b));
  }

  /** Adds a new version; fails on the primary key if that version already exists (never overwrites). */
  async insertVersion(m: EntityManager, tenantId: string, b: StoredBoundary): Promise<void> {
    await m.insert(BoundaryEntity, toBoundaryEntity(tenantId, b));
  }

  /**
   * Moves one version from state `from` to state `to` (recording the decision when given), only if
   * it is still in state `from`. Returns false when another writer got there first.
   */
  async transition(
    m: EntityManager,
    tenantId: string,
    key: { id: string; version: number },
    from: StoredBoundary["state"],
    to: StoredBoundary["state"],
    decision?: { by: string; at: string },
  ): Promise<boolean> {
    const result = await m.update(
      BoundaryEntity,
      { tenantId, id: key.id, version: key.version, state: from },
      { state: to, ...(decision ? { decidedBy: decision.by, decidedAt: decision.at } : {}) },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Recorded findings of a tenant, newest first, filtered and paged by keyset. */
  async findings(m: EntityManager, tenantId: string, f: FindingFilter): Promise<StoredFinding[]> {
    const q = m.createQueryBuilder(BoundaryFindingEntity, "f").where("f.tenantId = :tenantId", { tenantId });
    if (f.from) q.andWhere("f.at >= :from", { from: f.from });
    if (f.to) q.andWhere("f.at < :to", { to: f.to });
    if (f.boundaryId) q.andWhere("f.boundaryId = :boundaryId", { boundaryId: f.boundaryId });
    if (f.enforcement) q.andWhere("f.enforcement = :enforcement", { enforcement: f.enforcement });
    if (f.after) q.andWhere("(f.at < :afterAt OR (f.at = :afterAt AND f.id < :afterId))", { afterAt: f.after.at, afterId: f.after.id });
    const rows = await q.orderBy("f.at", "DESC").addOrderBy("f.id", "DESC").limit(f.limit).getMany();
    return rows.map((r) => ({
      id: r.id,
      boundaryId: r.boundaryId,
      boundaryVersion: Number(r.boundaryVersion),
      boundaryName: r.boundaryName,
      kind: r.kind,
      enforcement: r.enforcement as StoredFinding["enforcement"],
      operation: r.operation,
      entity: r.entity,
      entityId: r.entityId,
      actorId: r.actorId,
      path: r.path,
      message: r.message,
      at: r.at,
    }));
  }

  /** One row per boundary finding, with the version of the boundary that found it. */
  async recordFindings(m: EntityManager, ctx: FindingContext, findings: { finding: BoundaryFinding; version: number }[], at: string): Promise<string[]> {
    const rows = findings.map(({ finding: f, version }) => ({
      tenantId: ctx.tenantId,
      id: randomUUID(),
      boundaryId: f.boundaryId,
      boundaryVersion: version,
      boundaryName: f.boundaryName,
      kind: f.kind,
      enforcement: f.enforcement,
      operation: ctx.operation,
      entity: ctx.entity,
      entityId: ctx.entityId,
      actorId: ctx.actorId,
      path: f.path ?? null,
      message: f.message,
      at,
    }));
    if (rows.length) await m.insert(BoundaryFindingEntity, rows);
    return rows.map((r) => r.id);
  }
}
