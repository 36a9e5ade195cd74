import type { EntityManager } from "typeorm";
import { CheckInScheduleEntity, type Cadence, type SyncState } from "../entities/schedule.entity";
import { findOne } from "../entity-sql";

export interface Schedule {
  tenantId: string;
  id: string;
  outcomeId: string | null;
  teamId: string;
  cadence: Cadence;
  firstStart: string;
  timeZone: string;
  durationMinutes: number;
  attendeeIds: string[];
  organizerId: string;
  origin: "leeway" | "outlook";
  status: "active" | "cancelled";
  syncState: SyncState;
  graphEventId: string | null;
  iCalUId: string | null;
  externalItemId: string | null;
  syncedVersion: number | null;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  syncedAt: string | null;
  cancelledAt: string | null;
}

export type SyncFields = Partial<Pick<Schedule, "syncState" | "graphEventId" | "iCalUId" | "syncedVersion" | "syncedAt">>;
const SYNC_KEYS: ReadonlySet<string> = new Set<keyof SyncFields>(["syncState", "graphEventId", "iCalUId", "syncedVersion", "syncedAt"]);

export function toSchedule(e: CheckInScheduleEntity): Schedule {
  return {
    tenantId: e.tenantId,
    id: e.id,
    outcomeId: e.outcomeId,
    teamId: e.teamId,
    cadence: e.cadence,
    firstStart: e.firstStart,
    timeZone: e.timeZone,
    durationMinutes: Number(e.durationMinutes),
    attendeeIds: JSON.parse(e.attendeeIds) as string[],
    organizerId: e.organizerId,
    origin: e.origin,
    status: e.status,
    syncState: e.syncState,
    graphEventId: e.graphEventId,
    iCalUId: e.iCalUId,
    externalItemId: e.externalItemId,
    syncedVersion: e.syncedVersion === null ? null : Number(e.syncedVersion),
    version: Number(e.version),
    createdBy: e.createdBy,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    syncedAt: e.syncedAt,
    cancelledAt: e.cancelledAt,
  };
}

function toEntity(m: EntityManager, s: Schedule): CheckInScheduleEntity {
  return m.create(CheckInScheduleEntity, { ...s, attendeeIds: JSON.stringify(s.attendeeIds) });
}

/** Check-in schedules as plain objects. Content changes are optimistic (version); sync bookkeeping is not. */
export class ScheduleRepository {
  /** `forUpdate` holds the row until the transaction ends (PostgreSQL; SQLite's one writer needs no lock). */
  async get(m: EntityManager, tenantId: string, id: string, options: { forUpdate?: boolean } = {}): Promise<Schedule | null> {
    const e = await findOne(m, CheckInScheduleEntity, { tenantId, id }, { forUpdate: options.forUpdate ?? false });
    return e ? toSchedule(e) : null;
  }

  async insert(m: EntityManager, s: Schedule): Promise<void> {
    await m.insert(CheckInScheduleEntity, toEntity(m, s));
  }

  /**
   * Writes the new content only if nobody changed the schedule since `expectedVersion`. The sync
   * bookkeeping is the delivery's and may have moved on since the caller read the schedule (a
   * series created in Outlook meanwhile), so only the sync fields the change itself sets, in
   * `sync`, are written.
   */
  async update(m: EntityManager, s: Schedule, expectedVersion: number, sync: SyncFields = {}): Promise<boolean> {
    const { tenantId, id, ...rest } = toEntity(m, s);
    const content = Object.fromEntries(Object.entries(rest).filter(([k]) => !SYNC_KEYS.has(k)));
    const r = await m
      .createQueryBuilder()
      .update(CheckInScheduleEntity)
      .set({ ...content, ...sync })
      .where("tenant_id = :tenantId AND id = :id AND version = :expectedVersion", { tenantId, id, expectedVersion })
      .execute();
    return r.affected === 1;
  }

  /** Records what the delivery learnt (series ids, sync state) without touching the content or its version. */
  async setSync(m: EntityManager, tenantId: string, id: string, fields: SyncFields): Promise<void> {
    await m.createQueryBuilder().update(CheckInScheduleEntity).set(fields).where("tenant_id = :tenantId AND id = :id", { tenantId, id }).execute();
  }

  async activeFor(m: EntityManager, tenantId: string, target: { outcomeId: string } | { teamId: string }): Promise<Schedule | null> {
    const qb = m.getRepository(CheckInScheduleEntity).createQueryBuilder("s").where("s.tenantId = :tenantId AND s.status = 'active'", { tenantId });
    if ("outcomeId" in target) qb.andWhere("s.outcomeId = :outcomeId", { outcomeId: target.outcomeId });
    else qb.andWhere("s.teamId = :teamId AND s.outcomeId IS NULL", { teamId: target.teamId });
    const e = await qb.getOne();
    return e ? toSchedule(e) : null;
  }

  async list(m: EntityManager, tenantId: string, filter: { outcomeId?: string; teamId?: string; status?: string; involving?: string }, limit = 200): Promise<Schedule[]> {
    const qb = m.getRepository(CheckInScheduleEntity).createQueryBuilder("s").where("s.tenantId = :tenantId", { tenantId });
    if (filter.outcomeId) qb.andWhere("s.outcomeId = :outcomeId", { outcomeId: filter.outcomeId });
    if (filter.teamId) qb.andWhere("s.teamId = :teamId", { teamId: filter.teamId });
    if (filter.status) qb.andWhere("s.status = :status", { status: filter.status });
    if (filter.involving) qb.andWhere("(s.organizerId = :me OR s.attendeeIds LIKE :meJson)", { me: filter.involving, meJson: `%${JSON.stringify(filter.involving)}%` });
    const rows = await qb.orderBy("s.createdAt", "DESC").addOrderBy("s.id", "DESC").limit(limit).getMany();
    return rows.map(toSchedule);
  }

  /**
   * Other active rhythms carried by the same Outlook meeting as `s` (the add-in makes one meeting
   * the check-in of several outcomes): same organizer and the same Graph event. Only rhythms that
   * know the event's id count, since only they change or remove it; an Outlook item id alone
   * names a draft, which may since have become another event.
   */
  async othersOnSameSeries(m: EntityManager, s: Pick<Schedule, "tenantId" | "id" | "organizerId" | "graphEventId">): Promise<string[]> {
    if (s.graphEventId === null) return [];
    const rows = await m
      .getRepository(CheckInScheduleEntity)
      .createQueryBuilder("s")
      .select("s.id", "id")
      .where("s.tenantId = :tenantId AND s.status = 'active' AND s.id <> :id AND s.organizerId = :organizerId AND s.graphEventId = :g", {
        tenantId: s.tenantId,
        id: s.id,
        organizerId: s.organizerId,
        g: s.graphEventId,
      })
      .orderBy("s.id", "ASC")
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /** Active schedules of every tenant, a page at a time (for the reminder job). */
  async activePage(m: EntityManager, after: { tenantId: string; id: string } | null, limit: number): Promise<Schedule[]> {
    const qb = m.getRepository(CheckInScheduleEntity).createQueryBuilder("s").where("s.status = 'active'");
    if (after) qb.andWhere("(s.tenantId > :t OR (s.tenantId = :t AND s.id > :id))", { t: after.tenantId, id: after.id });
    const rows = await qb.orderBy("s.tenantId", "ASC").addOrderBy("s.id", "ASC").limit(limit).getMany();
    return rows.map(toSchedule);
  }
}
