// What a manager looks at: their people's outcomes, agreements to give, recent check-ins to
// coach, and how many nudges are left this week per outcome.
import type { Api } from "../../api";
import type { AttentionItem, NextCheckIn } from "../../api/dashboards";
import type { CheckIn, Me, Outcome } from "../../api/types";
import { isOpen } from "../../components/format";
import { rememberName } from "../../session";

export interface NudgeAllowance {
  thisWeek: number;
  limit: number | null;
  left: number | null;
}

export interface ManagerData {
  outcomes: Outcome[];
  toCoach: (CheckIn & { outcome: Outcome })[];
  nudges: Record<string, NudgeAllowance>;
  attention: AttentionItem[];
  /** The server's next check-in per outcome, where the dashboard has it. */
  nextCheckIns: Record<string, NextCheckIn>;
}

const WEEK_MS = 7 * 86_400_000;
const RECENT_OUTCOMES = 12;

/** The tightest nudge limit in force, from the boundaries the caller may read (fallback when the dashboard is absent). */
async function nudgeLimit(api: Api, signal: AbortSignal): Promise<number | null> {
  const boundaries = await api.governance.boundaries({ kind: "nudge_limit" }, signal);
  const limits = boundaries.filter((b) => b.inForce && b.rule.kind === "nudge_limit").map((b) => (b.rule.kind === "nudge_limit" ? b.rule.perOutcomePerWeek : Infinity));
  return limits.length ? Math.min(...limits) : null;
}

export async function loadManager(api: Api, me: Me, signal: AbortSignal): Promise<ManagerData> {
  const [outcomes, dashboard] = await Promise.all([api.outcomes.ownedBy(me.directReports.map((r) => r.id), signal), api.dashboards.me(signal)]);
  for (const [id, name] of Object.entries(dashboard?.names ?? {})) rememberName(id, name);
  const open = outcomes.filter(isOpen);

  const recent = open
    .filter((o) => o.lastCheckInAt)
    .sort((a, b) => (b.lastCheckInAt ?? "").localeCompare(a.lastCheckInAt ?? ""))
    .slice(0, RECENT_OUTCOMES);
  // The newest check-in of each outcome: coaching answers the latest state, not the history.
  const lists = await Promise.all(recent.map((o) => api.outcomes.checkIns(o.id, signal).then((l) => l.items.slice(0, 1).map((c) => ({ ...c, outcome: o })))));
  const toCoach = lists
    .flat()
    .filter((c) => !c.comments.some((m) => m.authorId === me.id))
    .sort((a, b) => b.at.localeCompare(a.at));

  const nudges: Record<string, NudgeAllowance> = {};
  if (dashboard && dashboard.attention.length) {
    for (const a of dashboard.attention) {
      if (a.nudgesThisWeek !== null) nudges[a.outcomeId] = { thisWeek: a.nudgesThisWeek, limit: a.nudgeLimit, left: a.nudgesLeft };
    }
  }
  const missing = open.filter((o) => !nudges[o.id]);
  if (missing.length) {
    const [limit, counts] = await Promise.all([
      nudgeLimit(api, signal),
      Promise.all(missing.map((o) => api.outcomes.nudges(o.id, signal).then((ns) => [o.id, ns.filter((n) => n.kind !== "escalation" && Date.now() - Date.parse(n.at) < WEEK_MS).length] as const))),
    ]);
    for (const [id, thisWeek] of counts) nudges[id] = { thisWeek, limit, left: limit === null ? null : Math.max(0, limit - thisWeek) };
  }
  return { outcomes, toCoach, nudges, attention: dashboard?.attention ?? [], nextCheckIns: dashboard?.nextCheckIns ?? {} };
}
