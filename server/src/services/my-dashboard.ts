import type { DataSource } from "typeorm";
import type { ATTENTION_REASONS, MyDashboard } from "../contract/dashboards";
import { underManager, waitingFor, type Party, type PendingWhat } from "../domain/agreement";
import { rhythmOf, type Rhythm } from "../domain/pitfalls";
import { nudgesInWeek, ruleOfKind } from "../domain/boundaries";
import { isOverdue } from "../domain/status";
import { DAY_MS } from "../domain/time";
import type { OutcomeStatus } from "../domain/types";
import type { BoundaryEnforcement } from "./boundary-enforcement";
import { DashboardRepository, type OutcomeRow, type PersonRow } from "../store/repositories/dashboard.repository";
import { nextCheckInDue, progressFraction, todayIn, type Cadence } from "./dashboard-figures";
import { riskApprovalHolds } from "./outcome-state";

export interface MyDashboardDeps {
  dataSource: DataSource;
  boundaries: BoundaryEnforcement;
}

/** Closed outcomes stay on the personal dashboard this long after their last change. */
const RECENT_DAYS = 30;
const OPEN: readonly string[] = ["draft", "proposed", "agreed", "at_risk"];

type Reason = (typeof ATTENTION_REASONS)[number];

const DEFINITIONS: MyDashboard["definitions"] = {
  outcomes: `Outcomes you own that are open, or that closed in the last ${RECENT_DAYS} days.`,
  progress: "(current - baseline) / (target - baseline) of the measure, clamped to 0..1; null before any progress is reported.",
  nextCheckInDue:
    "For agreed and at-risk outcomes: the date of the last check-in (or of the agreement, before the first check-in) in the owner's time zone, plus the outcome's rhythm: its own check-in schedule's, else its team's schedule's, else the team's default (7 days weekly, 14 biweekly). Overdue when that date is before today in the owner's zone.",
  pendingAgreements:
    "Open outcomes with a proposed version of the what that you still have to accept: as the owner, or as the owner's direct manager. Accept with POST /api/v1/outcomes/{id}/agreement and the outcome's current version.",
  attention:
    "Open outcomes of your direct reports that are at risk, wait for your agreement, are past their deadline day in the owner's zone, or whose next check-in is overdue; with the nudges and reminders of the past 7 days (escalations not counted) against the weekly nudge limit of the boundaries that apply to the owner.",
};

/** Builds the personal dashboard in a few queries: the caller's outcomes, their reports' open outcomes, teams and recent nudges. */
export class MyDashboardBuilder {
  private readonly repo = new DashboardRepository();

  constructor(private readonly deps: MyDashboardDeps) {}

  async build(caller: { tenantId: string; userId: string }, now: Date): Promise<MyDashboard> {
    const m = this.deps.dataSource.manager;
    const t = caller.tenantId;
    const nowIso = now.toISOString();
    const nowMs = now.getTime();
    const [self, reports, mine] = await Promise.all([
      this.repo.people(m, t, [caller.userId]),
      this.repo.directReports(m, t, caller.userId),
      this.repo.ownedOutcomes(m, t, [caller.userId], new Date(nowMs - RECENT_DAYS * DAY_MS).toISOString()),
    ]);
    const theirs = (await this.repo.ownedOutcomes(m, t, reports.map((r) => r.id), nowIso, true)).filter((o) => o.status !== "draft");
    const teamIds = [...mine, ...theirs].map((o) => o.teamId);
    const [teams, nudges, memberships, schedules] = await Promise.all([
      this.repo.teams(m, t, teamIds),
      this.repo.outcomeNudges(m, t, theirs.map((o) => o.id), new Date(nowMs - 7 * DAY_MS).toISOString()),
      this.repo.teamIdsOf(m, t, reports.map((r) => r.id)),
      this.repo.rhythms(m, t, teamIds),
    ]);
    const teamById = new Map(teams.map((x) => [x.id, x]));
    // An outcome's own check-in schedule, else its team's, else the team's default rhythm.
    const rhythms: Rhythm[] = [...schedules, ...teams.map((x) => ({ teamId: x.id, cadence: x.rhythm }))];
    const cadenceOf = (o: OutcomeRow): Cadence => rhythmOf(rhythms, o);
    const people = new Map<string, PersonRow>([...reports, ...self].map((p) => [p.id, p]));
    // A proposal as it stands under the owner's manager now: the caller's own manager for their
    // outcomes, the caller for their reports'.
    const pendingOf = (o: OutcomeRow): PendingWhat | null => (o.pending ? underManager(JSON.parse(o.pending) as PendingWhat, people.get(o.ownerId)?.managerId ?? null) : null);
    const hasManager = (self[0]?.managerId ?? null) !== null;
    // Without a manager, the caller's proposals wait for a risk approval only while a blocking rule
    // in force now holds them: one made since the class was set counts too, as the outcome says.
    const holds = new Map<string, boolean>();
    const held = hasManager ? [] : mine.filter((o) => o.pending && o.riskClass && o.approvalState !== "approved");
    if (held.length) {
      const myTeams = (await this.repo.teamIdsOf(m, t, [caller.userId])).map((r) => r.teamId);
      for (const o of held) holds.set(o.id, riskApprovalHolds(await this.deps.boundaries.rulesFor(m, t, { teamIds: [...new Set([o.teamId, ...myTeams])], personId: o.ownerId }, nowIso), o.riskClass));
    }
    const approvalHolds = (o: OutcomeRow) => holds.get(o.id) ?? o.approvalState === "pending";
    const zoneOf = (id: string) => people.get(id)?.timeZone ?? null;
    const nameOf = (id: string) => people.get(id)?.displayName ?? null;
    // Calendar arithmetic in a time zone is the costly part here: once per zone and per outcome.
    const todays = new Map<string, string>();
    const today = (zone: string | null) => {
      let date = todays.get(zone ?? "");
      if (date === undefined) {
        date = todayIn(nowMs, zone);
        todays.set(zone ?? "", date);
      }
      return date;
    };
    const dues = new Map<string, { date: string | null; overdue: boolean }>();
    const due = (o: OutcomeRow) => {
      const known = dues.get(o.id);
      if (known) return known;
      const date = nextCheckInDue(o, cadenceOf(o), zoneOf(o.ownerId));
      const out = { date, overdue: date !== null && date < today(zoneOf(o.ownerId)) };
      dues.set(o.id, out);
      return out;
    };

    const outcomes = mine.map((o) => {
      const pending = pendingOf(o);
      const next = due(o);
      return {
        id: o.id,
        title: o.title,
        teamId: o.teamId,
        teamName: teamById.get(o.teamId)?.name ?? null,
        status: o.status as OutcomeStatus,
        deadline: o.deadline,
        measure: { metric: o.metric, unit: o.unit, baseline: o.baseline, target: o.target, current: o.currentValue },
        progress: progressFraction(o),
        cadence: cadenceOf(o),
        lastCheckInAt: o.lastCheckInAt,
        nextCheckInDue: next.date,
        checkInOverdue: next.overdue,
        // A closed outcome waits for nobody, whatever was left on the table when it closed.
        waitingFor: OPEN.includes(o.status) ? waitingFor(pending, hasManager, approvalHolds(o)) : [],
      };
    });

    const nextCheckIns = [...mine.map((o) => ({ o, role: "owner" as const })), ...theirs.map((o) => ({ o, role: "manager" as const }))]
      .flatMap(({ o, role }) => {
        const next = due(o);
        return next.date ? [{ outcomeId: o.id, title: o.title, ownerId: o.ownerId, ownerName: nameOf(o.ownerId), role, dueDate: next.date, overdue: next.overdue }] : [];
      })
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.title.localeCompare(b.title));

    const waiting = (o: OutcomeRow, as: Party) => {
      const pending = pendingOf(o);
      // As the outcome says it: an owner without a manager takes the manager's side too.
      if (!pending || !OPEN.includes(o.status) || !waitingFor(pending, as === "manager" || hasManager, approvalHolds(o)).includes(as)) return [];
      return [{
        outcomeId: o.id,
        title: o.title,
        ownerId: o.ownerId,
        ownerName: nameOf(o.ownerId),
        as,
        kind: pending.kind,
        proposedBy: pending.proposedBy,
        reason: pending.reason,
        pendingVersion: pending.proposedAtVersion,
        version: o.version,
        status: o.status as OutcomeStatus,
      }];
    };
    const pendingAgreements = [...mine.flatMap((o) => waiting(o, "owner")), ...theirs.flatMap((o) => waiting(o, "manager"))];

    const teamsOf = new Map<string, string[]>();
    for (const r of memberships) teamsOf.set(r.personId, [...(teamsOf.get(r.personId) ?? []), r.teamId]);
    const counted = nudges.filter((n) => n.kind !== "escalation");
    const limits = new Map<string, Promise<number | null>>();
    const limitFor = (o: OutcomeRow) => {
      const teamIds = [...new Set([o.teamId, ...(teamsOf.get(o.ownerId) ?? [])])].sort();
      const key = `${o.ownerId}|${teamIds.join(",")}`;
      let limit = limits.get(key);
      if (!limit) {
        limit = this.deps.boundaries.rulesFor(m, t, { teamIds, personId: o.ownerId }, nowIso).then((rules) => ruleOfKind(rules, "nudge_limit")?.rule.perOutcomePerWeek ?? null);
        limits.set(key, limit);
      }
      return limit;
    };
    const attention = [];
    for (const o of theirs) {
      const pending = pendingOf(o);
      const reasons: Reason[] = [];
      if (o.status === "at_risk") reasons.push("at_risk");
      if (pending && !pending.acceptedBy.includes("manager")) reasons.push("awaiting_my_agreement");
      if (isOverdue({ status: o.status as OutcomeStatus, deadline: o.deadline }, nowIso, zoneOf(o.ownerId))) reasons.push("past_deadline");
      if (due(o).overdue) reasons.push("check_in_overdue");
      if (reasons.length === 0) continue;
      const limit = await limitFor(o);
      const thisWeek = nudgesInWeek(counted, o.id, nowIso).count;
      attention.push({
        outcomeId: o.id,
        title: o.title,
        ownerId: o.ownerId,
        ownerName: nameOf(o.ownerId),
        status: o.status as OutcomeStatus,
        deadline: o.deadline,
        reasons,
        atRiskSince: o.atRiskSince,
        lastCheckInAt: o.lastCheckInAt,
        nudges: { thisWeek, limit, left: limit === null ? null : Math.max(0, limit - thisWeek) },
      });
    }
    attention.sort((a, b) => Number(b.reasons.includes("at_risk")) - Number(a.reasons.includes("at_risk")) || a.deadline.localeCompare(b.deadline));

    return {
      generatedAt: nowIso,
      outcomes,
      nextCheckIns,
      pendingAgreements,
      asManager: { directReports: reports.map((r) => ({ id: r.id, displayName: r.displayName })), attention },
      definitions: DEFINITIONS,
    };
  }
}
