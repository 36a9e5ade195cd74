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

/** Who owns an outcome and who may see it: enough to decide whether a reader may count its records. */
export interface OutcomeSightRow {
  id: string;
  ownerId: string;
  teamId: string;
  visibility: "private" | "team" | "public";
  delegateIds: string;
}

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

const CHECK_IN_COLUMNS = `c.id, c.outcome_id AS "outcomeId", c.author_id AS "authorId", c.at, c.status, c.confidence, c.progress, c.mode, c.ideas_count AS "ideasCount", c.support_asked AS "supportAsked",
  CASE WHEN c.ideas_count IS NULL OR c.support_asked IS NULL THEN c.ideas END AS ideas,
  CASE WHEN c.ideas_count IS NULL OR c.support_asked IS NULL THEN c.support_needed END AS "supportNeeded"`;
/** Statuses that keep a stretch at risk going; any other check-in ends it. */
const AT_RISK = "('at_risk', 'off_track')";
/** Ids per IN (...) list: well inside both engines' limits on bound values. */
const IDS_PER_QUERY = 500;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function checkIn({ ideas, supportNeeded, ...r }: StoredCheckInRow): CheckInRow {
  return {
    ...r,
    confidence: Number(r.confidence),
    progress: Number(r.progress),
    // Counted when written; a check-in written before the counting began is counted from its text.
    ...(r.ideasCount === null || r.supportAsked === null
      ? checkInFacts({ ideas: ideas ? (JSON.parse(ideas) as string[]) : [], supportNeeded })
      : { ideasCount: Number(r.ideasCount), supportAsked: Boolean(r.supportAsked) }), // SQLite: 0 or 1
  };
}

/** Runs `read` over the ids a slice at a time and joins the rows. */
async function inSlices<T>(ids: readonly string[], read: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) out.push(...(await read(unique.slice(i, i + IDS_PER_QUERY))));
  return out;
}
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

  /**
   * The check-in schedules in force for these teams: each team's own, and those of its outcomes.
   * With `closedSince`, also the rhythm a closed outcome kept until it closed then or later: the
   * schedule its closing ended, not one cancelled before. A schedule in force comes first.
   */
  async rhythms(m: EntityManager, tenantId: string, teamIds: readonly string[], closedSince?: string): Promise<RhythmRow[]> {
    if (teamIds.length === 0) return [];
    const p = sqlParams(m);
    // Placeholders are taken in the order they appear in the text (SQLite's `?` are positional).
    const inScope = `s.tenant_id = ${p.add(tenantId)} AND s.team_id IN (${p.list([...new Set(teamIds)])})`;
    const ended = closedSince
      ? ` OR (s.status = 'cancelled' AND s.outcome_id IS NOT NULL AND s.cancelled_at >= ${p.add(closedSince)} AND EXISTS (
            SELECT 1 FROM outcome o WHERE o.tenant_id = s.tenant_id AND o.id = s.outcome_id AND o.status IN ('done', 'missed', 'dropped') AND s.cancelled_at >= o.closed_at))`
      : "";
    return queryRows(m,
      `SELECT s.outcome_id AS "outcomeId", s.team_id AS "teamId", s.cadence AS "cadence" FROM check_in_schedule s
        WHERE ${inScope} AND (s.status = 'active'${ended})
        ORDER BY CASE WHEN s.status = 'active' THEN 0 ELSE 1 END, s.cancelled_at DESC`,
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

  /** Who owns these outcomes and who may see them, by key; an outcome no longer stored is left out. */
  async outcomeSights(m: EntityManager, tenantId: string, ids: readonly string[]): Promise<OutcomeSightRow[]> {
    return inSlices(ids, (slice) => {
      const p = sqlParams(m);
      return queryRows<OutcomeSightRow>(m,
        `SELECT id, owner_id AS "ownerId", team_id AS "teamId", visibility, delegate_ids AS "delegateIds" FROM outcome WHERE tenant_id = ${p.add(tenantId)} AND id IN (${p.list(slice)})`,
        p.values,
      );
    });
  }

  async teamCheckIns(m: EntityManager, tenantId: string, teamId: string, w: Window): Promise<CheckInRow[]> {
    const p = sqlParams(m);
    const rows = await queryRows<StoredCheckInRow>(m, 
      `SELECT ${CHECK_IN_COLUMNS} FROM check_in c WHERE c.tenant_id = ${p.add(tenantId)} AND c.team_id = ${p.add(teamId)} AND c.at >= ${p.add(w.from)} AND c.at <= ${p.add(w.to)} ORDER BY c.at`,
      p.values,
    );
    return rows.map(checkIn);
  }

  /**
   * For each of these outcomes, its check-ins in the team from `from` up to `before`, back to its
   * last one that was not at risk or off track: the part of a stretch at risk that began before
   * `before`, in time order. Each outcome's check-ins are walked back on the index by outcome and
   * time, no further than `from`, so the read is bounded by time as the team's other reads are.
   */
  async stretchesBefore(m: EntityManager, tenantId: string, teamId: string, outcomeIds: readonly string[], w: { from: string; before: string }): Promise<CheckInRow[]> {
    const rows = await inSlices(outcomeIds, (slice) => {
      const p = sqlParams(m);
      return queryRows<StoredCheckInRow>(m,
        `SELECT ${CHECK_IN_COLUMNS}
           FROM (SELECT o.id AS outcome_id,
                        COALESCE((SELECT b.at FROM check_in b
                                   WHERE b.tenant_id = o.tenant_id AND b.outcome_id = o.id AND b.at >= ${p.add(w.from)} AND b.at < ${p.add(w.before)} AND b.status NOT IN ${AT_RISK}
                                   ORDER BY b.at DESC LIMIT 1), '') AS after_at
                   FROM outcome o WHERE o.tenant_id = ${p.add(tenantId)} AND o.id IN (${p.list(slice)})) s
           JOIN check_in c ON c.tenant_id = ${p.add(tenantId)} AND c.outcome_id = s.outcome_id AND c.at > s.after_at
                          AND c.at >= ${p.add(w.from)} AND c.at < ${p.add(w.before)} AND c.team_id = ${p.add(teamId)}
          ORDER BY c.at`,
        p.values,
      );
    });
    return rows.map(checkIn).sort((a, b) => a.at.localeCompare(b.at));
  }

  /** The team's comments on these outcomes written from `from` up to `before` (on the index by team and time). */
  async commentsBefore(m: EntityManager, tenantId: string, teamId: string, outcomeIds: readonly string[], w: { from: string; before: string }): Promise<CommentRow[]> {
    return inSlices(outcomeIds, (slice) => {
      const p = sqlParams(m);
      return queryRows<CommentRow>(m,
        `SELECT id, check_in_id AS "checkInId", outcome_id AS "outcomeId", author_id AS "authorId", at, kind
           FROM check_in_comment WHERE tenant_id = ${p.add(tenantId)} AND team_id = ${p.add(teamId)} AND at >= ${p.add(w.from)} AND at < ${p.add(w.before)} AND outcome_id IN (${p.list(slice)})`,
        p.values,
      );
    });
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
