import type { EntityManager } from "typeorm";
import { checkInFacts } from "../../domain/check-in-facts";
import { queryRows } from "../entity-sql";
import { sqlParams } from "./sql-params";

// Read models of the dashboards: only the columns the figures need, as plain rows, in a handful
// of queries that each use an index by tenant and team (or owner) and a time window. Time-ordered
// rows come back in time order (the index gives it for free), which keeps the domain's sorting cheap.

export interface TeamRow {
  id: string;
  name: string;
  rhythm: "weekly" | "biweekly";
}

export interface RhythmRow {
  outcomeId: string | null;
  teamId: string;
  cadence: "weekly" | "biweekly";
}

export interface MemberRow {
  id: string;
  role: "lead" | "member";
  displayName: string | null;
  timeZone: string | null;
  managerId: string | null;
}

export interface PersonRow {
  id: string;
  displayName: string;
  timeZone: string | null;
  managerId: string | null;
}

export interface OutcomeRow {
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
  visibility: "private" | "team" | "public";
  status: string;
  delegateIds: string;
  pending: string | null;
  version: number;
  createdAt: string;
  agreedAt: string | null;
  doneAt: string | null;
  atRiskSince: string | null;
  lastCheckInAt: string | null;
  /** As stored: `pending` when the class needed approval as it was set. */
  approvalState: string;
  riskClass: string | null;
}

export interface CheckInRow {
  id: string;
  outcomeId: string;
  authorId: string;
  at: string;
  status: string;
  confidence: number;
  progress: number;
  mode: string;
  ideasCount: number;
  supportAsked: boolean;
}

/** A check-in row as read: the counted facts, or the texts to count them from when they are missing. */
type StoredCheckInRow = Omit<CheckInRow, "ideasCount" | "supportAsked"> & { ideasCount: number | null; supportAsked: boolean | number | null; ideas: string | null; supportNeeded: string | null };

export interface CommentRow {
  id: string;
  checkInId: string;
  outcomeId: string;
  authorId: string;
  at: string;
  kind: string;
}

export interface NudgeRow {
  id: string;
  outcomeId: string;
  ownerId: string;
  senderId: string | null;
  kind: string;
  at: string;
}

export interface ReviewRow {
  id: string;
  outcomeId: string;
  at: string;
  causes: string;
}

export interface Window {
  from: string;
  to: string;
}

const OPEN = "('draft', 'proposed', 'agreed', 'at_risk')";
const OUTCOME_COLUMNS = `id, owner_id AS "ownerId", team_id AS "teamId", title, metric, unit, baseline, target, current_value AS "currentValue",
  deadline, if_missed AS "ifMissed", visibility, status, delegate_ids AS "delegateIds", pending, version, created_at AS "createdAt",
  agreed_at AS "agreedAt", done_at AS "doneAt", at_risk_since AS "atRiskSince", last_check_in_at AS "lastCheckInAt", approval_state AS "approvalState", risk_class AS "riskClass"`;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const outcome = (r: OutcomeRow): OutcomeRow => ({ ...r, baseline: Number(r.baseline), target: Number(r.target), currentValue: num(r.currentValue), version: Number(r.version) });

export class DashboardRepository {
  /** A cheap change stamp: every committed change in a tenant appends to its audit chain, so its head moves. */
  async changeStamp(m: EntityManager, tenantId: string): Promise<number> {
    const p = sqlParams(m);
    const rows = await queryRows<{ seq: number | string }>(m, `SELECT seq FROM audit_event WHERE tenant_id = ${p.add(tenantId)} ORDER BY seq DESC LIMIT 1`, p.values);
    return Number(rows[0]?.seq ?? 0);
  }

  async team(m: EntityManager, tenantId: string, teamId: string): Promise<TeamRow | null> {
    const p = sqlParams(m);
    const rows = await queryRows<TeamRow>(m, `SELECT id, name, rhythm FROM team WHERE tenant_id = ${p.add(tenantId)} AND id = ${p.add(teamId)}`, p.values);
    return rows[0] ?? null;
  }

  async teams(m: EntityManager, tenantId: string, ids: readonly string[]): Promise<TeamRow[]> {
    if (ids.length === 0) return [];
    const p = sqlParams(m);
    return queryRows(m, `SELECT id, name, rhythm FROM team WHERE tenant_id = ${p.add(tenantId)} AND id IN (${p.list([...new Set(ids)])})`, p.values);
  }

  /** Every team membership of a tenant. */
  async memberships(m: EntityManager, tenantId: string): Promise<{ personId: string; teamId: string }[]> {
    const p = sqlParams(m);
    return queryRows(m, `SELECT person_id AS "personId", team_id AS "teamId" FROM team_membership WHERE tenant_id = ${p.add(tenantId)}`, p.values);
  }

  /** Every team of a tenant. */
  async allTeams(m: EntityManager, tenantId: string): Promise<TeamRow[]> {
    const p = sqlParams(m);
    return queryRows(m, `SELECT id, name, rhythm FROM team WHERE tenant_id = ${p.add(tenantId)}`, p.values);
  }

  /** The check-in schedules in force for these teams: each team's own, and those of its outcomes. */
  async rhythms(m: EntityManager, tenantId: string, teamIds: readonly string[]): Promise<RhythmRow[]> {
    if (teamIds.length === 0) return [];
    const p = sqlParams(m);
    return queryRows(m,
      `SELECT outcome_id AS "outcomeId", team_id AS "teamId", cadence FROM check_in_schedule
        WHERE tenant_id = ${p.add(tenantId)} AND team_id IN (${p.list([...new Set(teamIds)])}) AND status = 'active'`,
      p.values,
    );
  }

  async members(m: EntityManager, tenantId: string, teamId: string): Promise<MemberRow[]> {
    const p = sqlParams(m);
    return queryRows(m, 
      `SELECT tm.person_id AS "id", tm.role AS "role", pe.display_name AS "displayName", pe.time_zone AS "timeZone", pe.manager_id AS "managerId"
         FROM team_membership tm LEFT JOIN person pe ON pe.tenant_id = tm.tenant_id AND pe.id = tm.person_id
        WHERE tm.tenant_id = ${p.add(tenantId)} AND tm.team_id = ${p.add(teamId)}`,
      p.values,
    );
  }

  async teamIdsOf(m: EntityManager, tenantId: string, personIds: readonly string[]): Promise<{ personId: string; teamId: string }[]> {
    if (personIds.length === 0) return [];
    const p = sqlParams(m);
    return queryRows(m, 
      `SELECT person_id AS "personId", team_id AS "teamId" FROM team_membership WHERE tenant_id = ${p.add(tenantId)} AND person_id IN (${p.list([...new Set(personIds)])})`,
      p.values,
    );
  }

  async people(m: EntityManager, tenantId: string, ids: readonly string[]): Promise<PersonRow[]> {
    if (ids.length === 0) return [];
    const p = sqlParams(m);
    return queryRows(m, 
      `SELECT id, display_name AS "displayName", time_zone AS "timeZone", manager_id AS "managerId" FROM person WHERE tenant_id = ${p.add(tenantId)} AND id IN (${p.list([...new Set(ids)])})`,
      p.values,
    );
  }

  async directReports(m: EntityManager, tenantId: string, managerId: string): Promise<PersonRow[]> {
    const p = sqlParams(m);
    return queryRows(m, 
      `SELECT id, display_name AS "displayName", time_zone AS "timeZone", manager_id AS "managerId" FROM person WHERE tenant_id = ${p.add(tenantId)} AND manager_id = ${p.add(managerId)} ORDER BY display_name`,
      p.values,
    );
  }

  /** The team's outcomes that are open, or were updated since `since`, or came due between `since` and `until` (ISO instants). */
  async teamOutcomes(m: EntityManager, tenantId: string, teamId: string, since: string, until: string): Promise<OutcomeRow[]> {
    const p = sqlParams(m);
    const rows = await queryRows<OutcomeRow>(m, 
      `SELECT ${OUTCOME_COLUMNS} FROM outcome
        WHERE tenant_id = ${p.add(tenantId)} AND team_id = ${p.add(teamId)}
          AND (status IN ${OPEN} OR updated_at >= ${p.add(since)} OR (deadline >= ${p.add(since.slice(0, 10))} AND deadline <= ${p.add(until.slice(0, 10))}))`,
      p.values,
    );
    return rows.map(outcome);
  }

  /** Outcomes owned by any of these people: all open ones, and closed ones updated since `since`. */
  async ownedOutcomes(m: EntityManager, tenantId: string, ownerIds: readonly string[], since: string, openOnly = false): Promise<OutcomeRow[]> {
    if (ownerIds.length === 0) return [];
    const p = sqlParams(m);
    const tenant = p.add(tenantId);
    const owners = p.list([...new Set(ownerIds)]);
    const recent = openOnly ? "" : ` OR updated_at >= ${p.add(since)}`;
    const rows = await queryRows<OutcomeRow>(m, `SELECT ${OUTCOME_COLUMNS} FROM outcome WHERE tenant_id = ${tenant} AND owner_id IN (${owners}) AND (status IN ${OPEN}${recent})`, p.values);
    return rows.map(outcome);
  }

  async teamCheckIns(m: EntityManager, tenantId: string, teamId: string, w: Window): Promise<CheckInRow[]> {
    const p = sqlParams(m);
    const rows = await queryRows<StoredCheckInRow>(m, 
      `SELECT id, outcome_id AS "outcomeId", author_id AS "authorId", at, status, confidence, progress, mode, ideas_count AS "ideasCount", support_asked AS "supportAsked",
              CASE WHEN ideas_count IS NULL OR support_asked IS NULL THEN ideas END AS ideas,
              CASE WHEN ideas_count IS NULL OR support_asked IS NULL THEN support_needed END AS "supportNeeded"
         FROM check_in WHERE tenant_id = ${p.add(tenantId)} AND team_id = ${p.add(teamId)} AND at >= ${p.add(w.from)} AND at <= ${p.add(w.to)} ORDER BY at`,
      p.values,
    );
    return rows.map(({ ideas, supportNeeded, ...r }) => ({
      ...r,
      confidence: Number(r.confidence),
      progress: Number(r.progress),
      // Counted when written; a check-in written before the counting began is counted from its text.
      ...(r.ideasCount === null || r.supportAsked === null
        ? checkInFacts({ ideas: ideas ? (JSON.parse(ideas) as string[]) : [], supportNeeded })
        : { ideasCount: Number(r.ideasCount), supportAsked: Boolean(r.supportAsked) }), // SQLite: 0 or 1
    }));
  }

  async teamComments(m: EntityManager, tenantId: string, teamId: string, w: Window): Promise<CommentRow[]> {
    const p = sqlParams(m);
    return queryRows(m, 
      `SELECT id, check_in_id AS "checkInId", outcome_id AS "outcomeId", author_id AS "authorId", at, kind
         FROM check_in_comment WHERE tenant_id = ${p.add(tenantId)} AND team_id = ${p.add(teamId)} AND at >= ${p.add(w.from)} AND at <= ${p.add(w.to)} ORDER BY at`,
      p.values,
    );
  }

  async teamNudges(m: EntityManager, tenantId: string, teamId: string, w: Window): Promise<NudgeRow[]> {
    const p = sqlParams(m);
    return queryRows(m, 
      `SELECT id, outcome_id AS "outcomeId", owner_id AS "ownerId", sender_id AS "senderId", kind, at
         FROM nudge WHERE tenant_id = ${p.add(tenantId)} AND team_id = ${p.add(teamId)} AND at >= ${p.add(w.from)} AND at <= ${p.add(w.to)} ORDER BY at`,
      p.values,
    );
  }

  /** The first reminder or nudge of each of the team's outcomes before `before`, for "done without reminders". */
  async firstNudgesBefore(m: EntityManager, tenantId: string, teamId: string, before: string): Promise<{ outcomeId: string; at: string }[]> {
    const p = sqlParams(m);
    return queryRows(m, 
      `SELECT outcome_id AS "outcomeId", MIN(at) AS "at" FROM nudge
        WHERE tenant_id = ${p.add(tenantId)} AND team_id = ${p.add(teamId)} AND at < ${p.add(before)} AND kind IN ('reminder', 'nudge')
        GROUP BY outcome_id`,
      p.values,
    );
  }

  async outcomeNudges(m: EntityManager, tenantId: string, outcomeIds: readonly string[], since: string): Promise<NudgeRow[]> {
    if (outcomeIds.length === 0) return [];
    const p = sqlParams(m);
    return queryRows(m, 
      `SELECT id, outcome_id AS "outcomeId", owner_id AS "ownerId", sender_id AS "senderId", kind, at
         FROM nudge WHERE tenant_id = ${p.add(tenantId)} AND outcome_id IN (${p.list(outcomeIds)}) AND at > ${p.add(since)}`,
      p.values,
    );
  }

  /** All of the team's reviews: few (one per missed or dropped outcome), and needed to tell reviewed from ignored. */
  async teamReviews(m: EntityManager, tenantId: string, teamId: string): Promise<ReviewRow[]> {
    const p = sqlParams(m);
    return queryRows(m, `SELECT id, outcome_id AS "outcomeId", at, causes FROM review WHERE tenant_id = ${p.add(tenantId)} AND team_id = ${p.add(teamId)}`, p.values);
  }
}
