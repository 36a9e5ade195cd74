// The dashboards API, turned into what the pages show. The server computes every figure (signs
// of balance, pitfalls, review causes, rhythm) with its definition; the tab only presents them.
import type { DashboardTeams, MyDashboard, TeamDashboard } from "../../../server/src/contract/dashboards";
import { ApiError, type ApiClient } from "./client";

export type { DashboardTeams, MyDashboard, TeamDashboard };

export interface SignView {
  key: string;
  label: string;
  value: number | null;
  unit: string;
  definition: string;
  sample: number | null;
}

export interface PitfallView {
  key: string;
  label: string;
  detected: boolean;
  count: number;
  definition: string;
  items: { outcomeId: string; title: string; reason: string }[];
}

export interface CausesView {
  counts: Record<string, number>;
  systemShare: number | null;
  individualShare: number | null;
  definition: string;
}

export interface RhythmView {
  /** Percent of the check-ins the rhythm expects that took place. */
  adherence: number | null;
  /** Percent of the outcomes on the rhythm with a check-in in the latest window. */
  onRhythmNow: number | null;
  cadence: string | null;
  definition: string;
}

export interface WeekFigures {
  /** Monday the week starts, YYYY-MM-DD. */
  start: string;
  checkIns: number;
  atRisk: number;
  nudges: number | null;
  coachingComments: number | null;
  directives: number | null;
}

export interface AttentionItem {
  outcomeId: string;
  title: string;
  ownerId: string;
  reasons: string[];
  nudgesThisWeek: number | null;
  nudgeLimit: number | null;
  nudgesLeft: number | null;
}

export interface TeamDashboardView {
  teamName: string | null;
  signs: SignView[];
  pitfalls: PitfallView[];
  causes: CausesView | null;
  rhythm: RhythmView | null;
  weeks: WeekFigures[];
  seriesDefinition: string;
  /** Next check-in per outcome id, for the team's agreed and at-risk outcomes the caller may see. */
  nextCheckIns: Record<string, NextCheckIn>;
  names: Record<string, string>;
}

/** A next check-in as the server counts it: the day (YYYY-MM-DD, in the owner's time zone) and whether it is overdue. */
export interface NextCheckIn {
  date: string;
  overdue: boolean;
}

export interface MyDashboardView {
  /** Next check-in per outcome id. */
  nextCheckIns: Record<string, NextCheckIn>;
  /** As a manager: my people's outcomes that need attention, with nudges left this week. */
  attention: AttentionItem[];
  names: Record<string, string>;
}

function names(rows: { id: string; name: string | null | undefined }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) if (r.id && r.name) out[r.id] = r.name;
  return out;
}

export function readTeamDashboard(d: TeamDashboard): TeamDashboardView {
  return {
    teamName: d.team.name,
    signs: d.signs.map((s) => ({ key: s.key, label: s.label, value: s.value, unit: s.unit, definition: s.definition, sample: s.sample })),
    pitfalls: d.pitfalls.map((p) => ({
      key: p.key,
      label: p.label,
      detected: p.detected,
      count: p.count,
      definition: p.definition,
      items: p.items.map((i) => ({ outcomeId: i.outcomeId, title: i.title, reason: i.reason })),
    })),
    causes: { counts: d.reviewCauses.counts, systemShare: d.reviewCauses.systemShare, individualShare: d.reviewCauses.individualShare, definition: d.reviewCauses.definition },
    rhythm: { adherence: d.rhythm.adherence, onRhythmNow: d.rhythm.onRhythmNow, cadence: d.rhythm.cadence, definition: d.rhythm.definition },
    weeks: d.series.weeks.map((w) => ({ start: w.start, checkIns: w.checkIns, atRisk: w.atRisk, nudges: w.nudges, coachingComments: w.coachingComments, directives: w.directives })),
    seriesDefinition: d.series.definition,
    nextCheckIns: Object.fromEntries(d.outcomes.items.flatMap((o) => (o.nextCheckInDue ? [[o.id, { date: o.nextCheckInDue, overdue: o.checkInOverdue }]] : []))),
    names: names([
      ...d.team.members.map((m) => ({ id: m.id, name: m.displayName })),
      ...d.outcomes.byOwner.map((o) => ({ id: o.ownerId, name: o.displayName })),
      ...d.outcomes.items.map((o) => ({ id: o.ownerId, name: o.ownerName })),
    ]),
  };
}

export function readMyDashboard(d: MyDashboard): MyDashboardView {
  const nextCheckIns: Record<string, NextCheckIn> = {};
  for (const n of d.nextCheckIns) nextCheckIns[n.outcomeId] = { date: n.dueDate, overdue: n.overdue };
  for (const o of d.outcomes) if (o.nextCheckInDue && !nextCheckIns[o.id]) nextCheckIns[o.id] = { date: o.nextCheckInDue, overdue: o.checkInOverdue };
  return {
    nextCheckIns,
    attention: d.asManager.attention.map((a) => ({
      outcomeId: a.outcomeId,
      title: a.title,
      ownerId: a.ownerId,
      reasons: a.reasons,
      nudgesThisWeek: a.nudges.thisWeek,
      nudgeLimit: a.nudges.limit,
      nudgesLeft: a.nudges.left,
    })),
    names: names([
      ...d.asManager.directReports.map((r) => ({ id: r.id, name: r.displayName })),
      ...d.nextCheckIns.map((n) => ({ id: n.ownerId, name: n.ownerName })),
      ...d.pendingAgreements.map((p) => ({ id: p.ownerId, name: p.ownerName })),
      ...d.asManager.attention.map((a) => ({ id: a.ownerId, name: a.ownerName })),
    ]),
  };
}

/** null when the server answers 404 for the dashboard, so the pages show what the outcomes give. */
async function optional<T, V>(load: () => Promise<T>, read: (raw: T) => V): Promise<V | null> {
  try {
    return read(await load());
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export class DashboardsApi {
  constructor(private readonly c: ApiClient) {}

  team(teamId: string, signal?: AbortSignal): Promise<TeamDashboardView | null> {
    return optional(() => this.c.get<TeamDashboard>(`/dashboards/team/${encodeURIComponent(teamId)}`, undefined, signal), readTeamDashboard);
  }

  me(signal?: AbortSignal): Promise<MyDashboardView | null> {
    return optional(() => this.c.get<MyDashboard>("/dashboards/me", undefined, signal), readMyDashboard);
  }

  /** The teams whose dashboards the caller may read: their own, their people's, and for compliance and admins every team. */
  async teams(signal?: AbortSignal): Promise<DashboardTeams["items"]> {
    return (await this.c.get<DashboardTeams>("/dashboards/teams", undefined, signal)).items;
  }
}
