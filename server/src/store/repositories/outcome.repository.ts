import { Brackets, type EntityManager, type SelectQueryBuilder } from "typeorm";
import type { PendingWhat } from "../../domain/agreement";
import { CAN_BE_MISSED } from "../../domain/status";
import type { Approach, OutcomeStatus, Visibility, What } from "../../domain/types";
import { OutcomeAgreementEntity, OutcomeEntity } from "../entities";
import { findOne, updateRow } from "../entity-sql";

/** An outcome as the services see it: plain data, JSON already parsed. */
export interface Outcome {
  tenantId: string;
  id: string;
  ownerId: string;
  teamId: string;
  title: string;
  metric: string;
  unit: string;
  baseline: number;
  target: number;
  currentValue: number | null;
  deadline: string;
  ifMissed: string;
  visibility: Visibility;
  status: OutcomeStatus;
  approach: Approach;
  riskClass: string | null;
  approvalState: "not_required" | "pending" | "approved";
  approvedBy: string | null;
  agreedWhat: What | null;
  pending: PendingWhat | null;
  delegateIds: string[];
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  agreedAt: string | null;
  doneAt: string | null;
  closedAt: string | null;
  atRiskSince: string | null;
  escalatedAt: string | null;
  lastCheckInAt: string | null;
}

export interface AgreementRecord {
  outcomeId: string;
  version: number;
  kind: "create" | "change" | "drop";
  what: What;
  proposedBy: string;
  proposedAs: "owner" | "manager";
  reason: string | null;
  state: "pending" | "agreed" | "superseded" | "withdrawn" | "declined";
  ownerAcceptedAt: string | null;
  managerAcceptedAt: string | null;
  managerId: string | null;
  createdAt: string;
  decidedAt: string | null;
  /** Who ended the pending state: the accepting party, the one who withdrew or declined, or the proposer of the next version. */
  decidedBy: string | null;
  /** The reason given when withdrawing or declining. */
  decisionReason: string | null;
}

const parse = <T>(s: string | null, fallback: T): T => (s ? (JSON.parse(s) as T) : fallback);

export function toOutcome(e: OutcomeEntity): Outcome {
  return {
    tenantId: e.tenantId,
    id: e.id,
    ownerId: e.ownerId,
    teamId: e.teamId,
    title: e.title,
    metric: e.metric,
    unit: e.unit,
    baseline: Number(e.baseline),
    target: Number(e.target),
    currentValue: e.currentValue === null ? null : Number(e.currentValue),
    deadline: e.deadline,
    ifMissed: e.ifMissed,
    visibility: e.visibility as Visibility,
    status: e.status as OutcomeStatus,
    approach: parse<Approach>(e.approach, {}),
    riskClass: e.riskClass,
    approvalState: e.approvalState as Outcome["approvalState"],
    approvedBy: e.approvedBy,
    agreedWhat: parse<What | null>(e.agreedWhat, null),
    pending: parse<PendingWhat | null>(e.pending, null),
    delegateIds: parse<string[]>(e.delegateIds, []),
    version: Number(e.version),
    createdBy: e.createdBy,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    agreedAt: e.agreedAt,
    doneAt: e.doneAt,
    closedAt: e.closedAt,
    atRiskSince: e.atRiskSince,
    escalatedAt: e.escalatedAt,
    lastCheckInAt: e.lastCheckInAt,
  };
}

export function toEntity(o: Outcome): OutcomeEntity {
  const e = new OutcomeEntity();
  Object.assign(e, {
    ...o,
    approach: JSON.stringify(o.approach),
    agreedWhat: o.agreedWhat ? JSON.stringify(o.agreedWhat) : null,
    pending: o.pending ? JSON.stringify(o.pending) : null,
    delegateIds: JSON.stringify(o.delegateIds),
  });
  return e;
}

export class OutcomeRepository {
  /**
   * `forUpdate` locks the row until the transaction ends (PostgreSQL; SQLite's single writer needs
   * no lock), so concurrent writers that append to the outcome, such as check-ins, queue up
   * instead of failing on a version that moved under them.
   */
  async get(m: EntityManager, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<Outcome | null> {
    const e = await findOne(m, OutcomeEntity, { tenantId, id }, { forUpdate: options.forUpdate ?? false });
    return e ? toOutcome(e) : null;
  }

  async insert(m: EntityManager, o: Outcome): Promise<void> {
    await m.insert(OutcomeEntity, toEntity(o));
  }

  /**
   * Writes a new state only if nobody changed the outcome since `expectedVersion`
   * (optimistic concurrency); returns false when someone did. `only` narrows the write to the
   * fields a caller changed (the version and update time always go with them).
   */
  async update(m: EntityManager, o: Outcome, expectedVersion: number, only?: readonly (keyof Outcome & keyof OutcomeEntity)[]): Promise<boolean> {
    return (await updateRow(m, OutcomeEntity, toEntity(o), { version: expectedVersion }, only)) === 1;
  }

  fromEntity(e: OutcomeEntity): Outcome {
    return toOutcome(e);
  }

  query(m: EntityManager, tenantId: string): SelectQueryBuilder<OutcomeEntity> {
    return m.getRepository(OutcomeEntity).createQueryBuilder("o").where("o.tenantId = :tenantId", { tenantId });
  }

  /**
   * The tenant's outcomes a reader may see, newest first, after a keyset position: their own,
   * public ones, those they are a delegate of, their teams' team outcomes, their reports' (all of
   * them for compliance), filtered by team, owner and stored status. For `missed`, open outcomes
   * due by today (UTC) are read too: their deadline day may have ended in the owner's zone before
   * the sweep recorded it, and the caller keeps those that show as missed.
   */
  visibleQuery(
    m: EntityManager,
    tenantId: string,
    reader: { userId: string; isCompliance: boolean; teamIds: ReadonlySet<string>; reportIds: ReadonlySet<string> },
    q: { teamId?: string | undefined; ownerId?: string | undefined; status?: OutcomeStatus | undefined; after?: { at: string; id: string } | undefined },
  ): SelectQueryBuilder<OutcomeEntity> {
    const qb = this.query(m, tenantId);
    if (!reader.isCompliance) {
      qb.andWhere(
        new Brackets((w) => {
          w.where("o.ownerId = :me", { me: reader.userId })
            .orWhere("o.visibility = 'public'")
            .orWhere("o.delegateIds LIKE :meJson", { meJson: `%${JSON.stringify(reader.userId)}%` });
          if (reader.teamIds.size) w.orWhere("(o.visibility = 'team' AND o.teamId IN (:...teams))", { teams: [...reader.teamIds] });
          if (reader.reportIds.size) w.orWhere("o.ownerId IN (:...reports)", { reports: [...reader.reportIds] });
        }),
      );
    }
    if (q.teamId) qb.andWhere("o.teamId = :teamId", { teamId: q.teamId });
    if (q.ownerId) qb.andWhere("o.ownerId = :ownerId", { ownerId: q.ownerId });
    if (q.status === "missed") {
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      qb.andWhere("(o.status = 'missed' OR (o.status IN (:...canMiss) AND o.deadline < :tomorrow))", { canMiss: [...CAN_BE_MISSED], tomorrow });
    } else if (q.status) qb.andWhere("o.status = :status", { status: q.status });
    if (q.after) qb.andWhere("(o.createdAt < :cAt OR (o.createdAt = :cAt AND o.id < :cId))", { cAt: q.after.at, cId: q.after.id });
    return qb.orderBy("o.createdAt", "DESC").addOrderBy("o.id", "DESC");
  }

  async history(m: EntityManager, tenantId: string, outcomeId: string): Promise<AgreementRecord[]> {
    const rows = await m.find(OutcomeAgreementEntity, { where: { tenantId, outcomeId }, order: { version: "ASC" } });
    return rows.map((r) => ({
      outcomeId: r.outcomeId,
      version: Number(r.version),
      kind: r.kind as AgreementRecord["kind"],
      what: JSON.parse(r.what) as What,
      proposedBy: r.proposedBy,
      proposedAs: r.proposedAs as AgreementRecord["proposedAs"],
      reason: r.reason,
      state: r.state as AgreementRecord["state"],
      ownerAcceptedAt: r.ownerAcceptedAt,
      managerAcceptedAt: r.managerAcceptedAt,
      managerId: r.managerId,
      createdAt: r.createdAt,
      decidedAt: r.decidedAt,
      decidedBy: r.decidedBy,
      decisionReason: r.decisionReason,
    }));
  }

  async saveAgreement(m: EntityManager, tenantId: string, a: AgreementRecord): Promise<void> {
    await m.save(OutcomeAgreementEntity, m.create(OutcomeAgreementEntity, { ...a, tenantId, what: JSON.stringify(a.what) }));
  }
}
