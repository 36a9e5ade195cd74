// What the team dashboard shows, gathered from the dashboard API (signs, pitfalls, causes,
// rhythm) and the outcomes and check-ins APIs (the outcomes themselves and recent check-ins).
import type { Api } from "../../api";
import type { TeamDashboardView } from "../../api/dashboards";
import type { CheckIn, Outcome, OutcomeStatus } from "../../api/types";
import { isOpen } from "../../components/format";
import { rememberName } from "../../session";

export interface TeamCheckIn extends CheckIn {
  outcome: Outcome;
}

export interface TeamData {
  outcomes: Outcome[];
  dashboard: TeamDashboardView | null;
  checkIns: TeamCheckIn[];
}

/** Check-ins are read for the most recently active outcomes only, to keep the page quick. */
const CHECK_IN_OUTCOMES = 12;

export async function loadTeam(api: Api, teamId: string, signal: AbortSignal): Promise<TeamData> {
  const [outcomes, dashboard] = await Promise.all([api.outcomes.listAll({ teamId }, signal), api.dashboards.team(teamId, signal)]);
  for (const [id, name] of Object.entries(dashboard?.names ?? {})) rememberName(id, name);
  const active = outcomes
    .filter((o) => o.lastCheckInAt)
    .sort((a, b) => (b.lastCheckInAt ?? "").localeCompare(a.lastCheckInAt ?? ""))
    .slice(0, CHECK_IN_OUTCOMES);
  const lists = await Promise.all(active.map((o) => api.outcomes.checkIns(o.id, signal).then((l) => l.items.map((c) => ({ ...c, outcome: o })))));
  const checkIns = lists.flat().sort((a, b) => b.at.localeCompare(a.at));
  return { outcomes, dashboard, checkIns };
}

export const STATUS_ORDER: OutcomeStatus[] = ["proposed", "agreed", "at_risk", "done", "missed", "dropped", "draft"];

export function countByStatus(outcomes: Outcome[]): Record<OutcomeStatus, number> {
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<OutcomeStatus, number>;
  for (const o of outcomes) counts[o.status] += 1;
  return counts;
}

export interface OwnerRow {
  ownerId: string;
  open: number;
  atRisk: number;
  done: number;
  missed: number;
}

export function byOwner(outcomes: Outcome[]): OwnerRow[] {
  const rows = new Map<string, OwnerRow>();
  for (const o of outcomes) {
    const r = rows.get(o.ownerId) ?? { ownerId: o.ownerId, open: 0, atRisk: 0, done: 0, missed: 0 };
    if (isOpen(o)) r.open += 1;
    if (o.status === "at_risk") r.atRisk += 1;
    if (o.status === "done") r.done += 1;
    if (o.status === "missed") r.missed += 1;
    rows.set(o.ownerId, r);
  }
  return [...rows.values()].sort((a, b) => b.open - a.open);
}

/** Monday (UTC) of the week of an instant, as YYYY-MM-DD. */
export function weekOf(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day);
  return d.toISOString().slice(0, 10);
}

export interface WeekPoint {
  week: string;
  checkIns: number;
  atRisk: number;
  /** Only the figures the source has: the server counts nudges and coaching, the page counts ideas. */
  ideas: number | null;
  nudges: number | null;
  coaching: number | null;
}

/** Check-ins per week over the last `weeks` weeks (the loaded check-ins only). */
export function checkInsPerWeek(checkIns: CheckIn[], weeks = 8, now = new Date()): WeekPoint[] {
  const points: WeekPoint[] = [];
  const start = new Date(`${weekOf(now.toISOString())}T00:00:00Z`);
  for (let i = weeks - 1; i >= 0; i--) {
    const d = new Date(start);
    d.setUTCDate(d.getUTCDate() - 7 * i);
    points.push({ week: d.toISOString().slice(0, 10), checkIns: 0, atRisk: 0, ideas: 0, nudges: null, coaching: null });
  }
  const byWeek = new Map(points.map((p) => [p.week, p]));
  for (const c of checkIns) {
    const p = byWeek.get(weekOf(c.at));
    if (!p) continue;
    p.checkIns += 1;
    if (c.status === "at_risk" || c.status === "off_track") p.atRisk += 1;
    p.ideas = (p.ideas ?? 0) + c.ideas.length;
  }
  return points;
}

/** The server's weekly series when the dashboard has one, else what the loaded check-ins show. */
export function weeksFor(data: TeamData): WeekPoint[] {
  const server = data.dashboard?.weeks ?? [];
  if (server.length === 0) return checkInsPerWeek(data.checkIns);
  return server.map((w) => ({ week: w.start.slice(0, 10), checkIns: w.checkIns, atRisk: w.atRisk, ideas: null, nudges: w.nudges, coaching: w.coachingComments }));
}
