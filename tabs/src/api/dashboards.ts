// The dashboards API. Its answers are read defensively: the figures the server computes (signs
// of balance, pitfalls, review causes, rhythm) are shown when present, and a missing dashboard
// route (404) is reported as null so the pages can fall back to what the outcomes list gives.
import { ApiError, type ApiClient } from "./client";

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
  /** Percent of expected check-ins that happened. */
  adherence: number | null;
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
  names: Record<string, string>;
}

export interface MyDashboardView {
  /** Next check-in per outcome id (ISO date or date-time). */
  nextCheckIns: Record<string, string>;
  /** As a manager: my people's outcomes that need attention, with nudges left this week. */
  attention: AttentionItem[];
  names: Record<string, string>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown, fallback = "") => (typeof v === "string" ? v : fallback);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Arrays of objects, or maps of key → object (the key becomes `key`). */
function entries(v: unknown): Obj[] {
  if (Array.isArray(v)) return v.filter(isObj);
  if (isObj(v)) return Object.entries(v).filter(([, x]) => isObj(x)).map(([key, x]) => ({ key, ...(x as Obj) }));
  return [];
}

function collectNames(into: Record<string, string>, rows: Obj[], idKey: string, nameKey: string): void {
  for (const r of rows) {
    const id = str(r[idKey]);
    const name = str(r[nameKey]);
    if (id && name) into[id] = name;
  }
}

function first(o: Obj, ...keys: string[]): unknown {
  for (const k of keys) if (o[k] !== undefined) return o[k];
  return undefined;
}

export function readTeamDashboard(raw: unknown): TeamDashboardView {
  const o = isObj(raw) ? raw : {};
  const signs = entries(o.signs).map((s) => ({
    key: str(s.key),
    label: str(s.label, str(s.key)),
    value: num(s.value),
    unit: str(s.unit),
    definition: str(s.definition),
    sample: num(s.sample),
  }));
  const pitfalls = entries(o.pitfalls).map((p) => ({
    key: str(p.key),
    label: str(p.label, str(p.key)),
    detected: p.detected === true || (num(p.count) ?? 0) > 0,
    count: num(p.count) ?? 0,
    definition: str(p.definition),
    items: entries(p.items).map((i) => ({ outcomeId: str(i.outcomeId), title: str(i.title), reason: str(i.reason) })),
  }));
  const c = first(o, "reviewCauses", "causes");
  const causes = isObj(c)
    ? {
        counts: Object.fromEntries(Object.entries(isObj(c.counts) ? c.counts : {}).filter(([, v]) => typeof v === "number")) as Record<string, number>,
        systemShare: num(c.systemShare),
        individualShare: num(c.individualShare),
        definition: str(c.definition),
      }
    : null;
  const r = first(o, "rhythm", "rhythmAdherence");
  const rhythm = isObj(r)
    ? { adherence: num(first(r, "adherence", "percent", "value")), cadence: str(first(r, "cadence"), "") || null, definition: str(r.definition) }
    : typeof r === "number"
      ? { adherence: r, cadence: null, definition: "" }
      : null;
  const seriesRaw = first(o, "series", "overTime");
  const seriesObj = isObj(seriesRaw) ? seriesRaw : {};
  const weeks = entries(Array.isArray(seriesRaw) ? seriesRaw : seriesObj.weeks)
    .map((w) => ({
      start: str(first(w, "start", "from", "week")),
      checkIns: num(w.checkIns) ?? 0,
      atRisk: num(w.atRisk) ?? 0,
      nudges: num(w.nudges),
      coachingComments: num(w.coachingComments),
      directives: num(w.directives),
    }))
    .filter((w) => /^\d{4}-\d{2}-\d{2}/.test(w.start));
  const names: Record<string, string> = {};
  const team = isObj(o.team) ? o.team : {};
  const outcomes = isObj(o.outcomes) ? o.outcomes : {};
  collectNames(names, entries(team.members), "id", "displayName");
  collectNames(names, entries(outcomes.byOwner), "ownerId", "displayName");
  collectNames(names, entries(outcomes.items), "ownerId", "ownerName");
  return { teamName: str(team.name) || null, signs, pitfalls, causes, rhythm, weeks, seriesDefinition: str(seriesObj.definition), names };
}

export function readMyDashboard(raw: unknown): MyDashboardView {
  const o = isObj(raw) ? raw : {};
  const nextCheckIns: Record<string, string> = {};
  const names: Record<string, string> = {};
  for (const n of entries(o.nextCheckIns)) {
    const id = str(n.outcomeId);
    const at = str(first(n, "dueDate", "due", "at"));
    if (id && at) nextCheckIns[id] = at;
  }
  for (const out of entries(o.outcomes)) {
    const id = str(out.id);
    const at = str(first(out, "nextCheckInDue", "nextCheckInAt"));
    if (id && at && !nextCheckIns[id]) nextCheckIns[id] = at;
  }
  const asManager = isObj(o.asManager) ? o.asManager : {};
  collectNames(names, entries(asManager.directReports), "id", "displayName");
  collectNames(names, entries(o.nextCheckIns), "ownerId", "ownerName");
  collectNames(names, entries(o.pendingAgreements), "ownerId", "ownerName");
  const attention = entries(asManager.attention).map((a) => {
    const nudges = isObj(a.nudges) ? a.nudges : {};
    collectNames(names, [a], "ownerId", "ownerName");
    return {
      outcomeId: str(a.outcomeId),
      title: str(a.title),
      ownerId: str(a.ownerId),
      reasons: Array.isArray(a.reasons) ? a.reasons.filter((r): r is string => typeof r === "string") : [],
      nudgesThisWeek: num(nudges.thisWeek),
      nudgeLimit: num(nudges.limit),
      nudgesLeft: num(nudges.left),
    };
  });
  return { nextCheckIns, attention, names };
}

/** null when the server has no such dashboard yet (404), so callers fall back. */
async function optional<T>(load: () => Promise<unknown>, read: (raw: unknown) => T): Promise<T | null> {
  try {
    return read(await load());
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 501)) return null;
    throw err;
  }
}

export class DashboardsApi {
  constructor(private readonly c: ApiClient) {}

  team(teamId: string, signal?: AbortSignal): Promise<TeamDashboardView | null> {
    return optional(() => this.c.get(`/dashboards/team/${encodeURIComponent(teamId)}`, undefined, signal), readTeamDashboard);
  }

  me(signal?: AbortSignal): Promise<MyDashboardView | null> {
    return optional(() => this.c.get("/dashboards/me", undefined, signal), readMyDashboard);
  }
}
