import { hash } from "node:crypto";
import type { DataSource } from "typeorm";
import type { DashboardTeams, TeamDashboard, TeamDashboardQuery } from "../contract/dashboards";
import { detectPitfalls, reviewCauses, rhythmOf, teamRhythmOf, type PitfallInput, type Rhythm } from "../domain/pitfalls";
import { signsOfBalance } from "../domain/signs";
import { DAY_MS } from "../domain/time";
import type { CauseCategory, CheckInRecord, CommentRecord, NudgeRecord, OutcomeRecord, OutcomeStatus, ReviewRecord } from "../domain/types";
import { ForbiddenError, NotFoundError } from "../errors";
import { ROLES } from "../identity/principal";
import { JsonText } from "../json-text";
import { canSee, reportsOf, type Viewer } from "../policies/viewer";
import { type ChangeStamps } from "../store/change-stamps";
import { DashboardRepository, type MemberRow, type OutcomeRow, type TeamRow } from "../store/repositories/dashboard.repository";
import { PeopleRepository } from "../store/repositories/people.repository";
import { nextCheckInDue, progressFraction, rhythmAdherence, seriesStartMs, statusCounts, todayIn, weeklySeries, type RhythmAdherence, type Week } from "./dashboard-figures";
import { MyDashboardBuilder, type MyDashboardDeps } from "./my-dashboard";

/** Who asks: the facts that decide what a dashboard shows, without any request object. */
export interface DashboardCaller {
  tenantId: string;
  userId: string;
  roles: readonly string[];
}

export interface DashboardOptions {
  /** How long a computed dashboard may be reused while nothing in the tenant changed (ms); 0 turns reuse off. */
  cacheMs?: number;
}

const DEFAULT_DAYS = 90;
/**
 * Check-ins, comments and nudges this far before the period are read, so runs that began earlier are
 * measured whole; a stretch at risk running when the read begins is read back to its start.
 */
const LOOKBACK_DAYS = 56;
/** A stretch at risk running when the read begins is read back to its start, up to this many days more. */
const STRETCH_DAYS = 365;
const STATUS_ORDER: OutcomeStatus[] = ["at_risk", "agreed", "proposed", "draft", "missed", "done", "dropped"];

/**
 * Reuses a computed value while the tenant's change stamp (its audit chain head) is unchanged
 * and the entry is younger than the time to live. Every committed change in a tenant is audited,
 * so a moved stamp means something may have changed; the time to live bounds figures that depend
 * on the clock. Concurrent misses share one computation.
 */
class StampedCache<T> {
  private readonly entries = new Map<string, { stamp: number; until: number; value: Promise<T> }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max = 1000,
  ) {}

  get(key: string, stamp: number, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp && hit.until > now) return hit.value;
    const value = load();
    if (this.ttlMs <= 0) return value;
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { stamp, until: now + this.ttlMs, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}

interface TeamHead {
  team: TeamRow;
  members: MemberRow[];
}

/** Who owns an outcome and who may see it. */
type Sighted = Pick<OutcomeRow, "id" | "ownerId" | "teamId" | "visibility"> & { delegates: string[] };

type SnapshotOutcome = OutcomeRow & {
  delegates: string[];
  ownerName: string | null;
  /** The day the next check-in is due in the owner's zone, on the outcome's rhythm, and whether that day has passed. */
  nextCheckInDue: string | null;
  checkInOverdue: boolean;
};

/** A team's stored history for a period, read once per change and shared by its readers. */
interface TeamData {
  period: { from: string; to: string };
  generatedAt: string;
  fromMs: number;
  toMs: number;
  cadence: TeamRow["rhythm"];
  outcomes: SnapshotOutcome[];
  /**
   * The team's other outcomes whose check-ins, comments, nudges or reviews were read for the period
   * (a review or comment written today on an outcome closed long ago): not listed, but their
   * records count for the readers who may see them.
   */
  unlisted: Sighted[];
  /** Each listed or unlisted outcome's owner, whose own comments are neither coaching nor chasing. */
  owners: Map<string, string>;
  history: PitfallInput;
  /** Reminders and nudges people sent (not escalations), for the weekly series. */
  counted: NudgeRecord[];
}

/** What a team dashboard shows, its figures computed over the outcomes a set of readers may see. */
interface TeamSnapshot {
  period: { from: string; to: string };
  generatedAt: string;
  outcomes: SnapshotOutcome[];
  rhythm: RhythmAdherence;
  signs: TeamDashboard["signs"];
  pitfalls: ReturnType<typeof detectPitfalls>;
  reviewCauses: TeamDashboard["reviewCauses"];
  series: { weeks: Week[]; definition: string };
}

const json = <T>(text: string | null, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback);

const SCOPE =
  "Figures (rhythm, signs, pitfall counts, review causes, series) and lists (outcomes, pitfall items) cover only the team's outcomes you may see, so a " +
  "private outcome shows in no count. The team's outcomes listed are those that are open, or that were updated or came due in the period; the figures also count " +
  "the check-ins, comments, nudges and reviews read for the period of the team's other outcomes that you may see, such as a review written in the period of an outcome " +
  `closed before it. Check-ins, comments and nudges from up to ${LOOKBACK_DAYS} days before the period are read, and for an outcome at risk or off track then, its ` +
  `check-ins in the team back to the start of that stretch (at most ${STRETCH_DAYS} days further), so that stretches and runs that began earlier are measured whole; ` +
  "review causes count reviews written in the period.";

/** The figures of a team's history, over the outcomes in `visible` (listed or not) and the records of those only. */
function figures(data: TeamData, visible: ReadonlySet<string>): TeamSnapshot {
  const keep = <T extends { outcomeId: string }>(rows: T[]) => rows.filter((r) => visible.has(r.outcomeId));
  const h = data.history;
  // An owner's own note on their check-in is neither coaching nor chasing, whether or not the outcome is listed.
  const comments = keep(h.comments).filter((c) => data.owners.get(c.outcomeId) !== c.authorId);
  const history: PitfallInput = { ...h, outcomes: h.outcomes.filter((o) => visible.has(o.id)), checkIns: keep(h.checkIns), comments, nudges: keep(h.nudges), reviews: keep(h.reviews) };
  const outcomes = data.outcomes.filter((o) => visible.has(o.id));
  const { from, to } = data.period;
  const inPeriod = (at: string) => at >= from && at <= to;
  return {
    period: data.period,
    generatedAt: data.generatedAt,
    outcomes,
    rhythm: rhythmAdherence({ outcomes, checkIns: history.checkIns, cadence: data.cadence, outcomeCadence: (id) => h.rhythms?.find((r) => r.outcomeId === id)?.cadence, fromMs: data.fromMs, toMs: data.toMs }),
    signs: signsOfBalance(history),
    pitfalls: detectPitfalls(history),
    reviewCauses: reviewCauses(history.reviews.filter((r) => inPeriod(r.at))),
    // The series counts others' comments only, as the signs do.
    series: weeklySeries({ toMs: data.toMs, checkIns: history.checkIns, nudges: keep(data.counted), comments }),
  };
}

/** The team and personal dashboards: a few indexed reads per request, figures from the domain rules, plain objects out. */
export class DashboardService {
  private readonly repo = new DashboardRepository();
  private readonly people = new PeopleRepository();
  private readonly heads: StampedCache<TeamHead | null>;
  private readonly viewers: StampedCache<{ teamIds: Set<string>; reportIds: Set<string> }>;
  private readonly data: StampedCache<TeamData>;
  private readonly snapshots: StampedCache<TeamSnapshot>;
  private readonly mine: MyDashboardBuilder;
  /** Dashboards as sent, per caller: serialised once per change stamp, not on every request. */
  private readonly myCache: StampedCache<JsonText>;
  private readonly rendered: StampedCache<JsonText>;
  private readonly ds: DataSource;
  private readonly stamps: ChangeStamps | null;

  constructor(deps: MyDashboardDeps & { uow?: { stamps: ChangeStamps } }, options: DashboardOptions = {}) {
    const ttl = options.cacheMs ?? 5_000;
    this.ds = deps.dataSource;
    this.stamps = deps.uow?.stamps ?? null;
    this.heads = new StampedCache(ttl);
    this.viewers = new StampedCache(ttl);
    this.data = new StampedCache(ttl);
    this.snapshots = new StampedCache(ttl);
    this.myCache = new StampedCache(ttl);
    this.rendered = new StampedCache(ttl);
    this.mine = new MyDashboardBuilder(deps);
  }

  private changeStamp(tenantId: string): Promise<number> {
    const read = () => this.repo.changeStamp(this.ds.manager, tenantId);
    return this.stamps ? this.stamps.get(tenantId, read) : read();
  }

  private async viewer(caller: DashboardCaller, stamp: number): Promise<Viewer> {
    const m = this.ds.manager;
    const known = await this.viewers.get(`${caller.tenantId}|${caller.userId}`, stamp, async () => {
      const [teams, reports] = await Promise.all([this.people.teamsOf(m, caller.tenantId, caller.userId), reportsOf(m, caller.tenantId, caller.userId)]);
      return { teamIds: new Set(teams.map((t) => t.id)), reportIds: new Set(reports) };
    });
    return {
      tenantId: caller.tenantId,
      userId: caller.userId,
      roles: [...caller.roles],
      ...known,
      isCompliance: caller.roles.includes(ROLES.compliance),
      isAdmin: caller.roles.includes(ROLES.admin),
    };
  }

  /**
   * Who may read a team's dashboard: its members, anyone above a member in the manager chain,
   * compliance officers and admins. Others in the tenant get 403 (a team's existence is directory
   * information everyone can read in Microsoft 365); a team of another tenant does not exist (404).
   */
  async team(caller: DashboardCaller, teamId: string, q: TeamDashboardQuery, now = new Date()): Promise<JsonText> {
    const m = this.ds.manager;
    const stamp = await this.changeStamp(caller.tenantId);
    const [head, viewer] = await Promise.all([
      this.heads.get(`${caller.tenantId}|${teamId}`, stamp, async () => {
        const team = await this.repo.team(m, caller.tenantId, teamId);
        return team ? { team, members: await this.repo.members(m, caller.tenantId, teamId) } : null;
      }),
      this.viewer(caller, stamp),
    ]);
    if (!head) throw new NotFoundError("team");
    const access = viewer.teamIds.has(teamId)
      ? "member"
      : head.members.some((p) => viewer.reportIds.has(p.id))
        ? "manager"
        : viewer.isCompliance
          ? "compliance"
          : viewer.isAdmin
            ? "admin"
            : null;
    if (!access) throw new ForbiddenError("A team's dashboard is open to its members, their managers, compliance officers and admins.");
    const period = `${caller.tenantId}|${teamId}|${q.from ?? ""}|${q.to ?? ""}`;
    return this.rendered.get(`${period}|${caller.userId}|${viewer.isCompliance}|${viewer.isAdmin}`, stamp, async () => {
      const data = await this.data.get(period, stamp, () => this.load(caller.tenantId, head, q, now));
      // Figures count only what this reader may see: a private outcome, listed or not, must not show
      // through a count, a share or a median. Readers who see the same outcomes share one computation.
      const sighted: Sighted[] = [...data.outcomes, ...data.unlisted];
      const visible = sighted.filter((o) => canSee(viewer, { ownerId: o.ownerId, teamId: o.teamId, visibility: o.visibility, delegateIds: o.delegates }));
      const key = visible.length === sighted.length ? "all" : hash("sha256", visible.map((o) => o.id).sort().join(","), "base64url");
      const snap = await this.snapshots.get(`${period}|${key}`, stamp, async () => figures(data, new Set(visible.map((o) => o.id))));
      return new JsonText(JSON.stringify(this.present(head, snap, access)));
    });
  }

  private async load(tenantId: string, head: TeamHead, q: TeamDashboardQuery, now: Date): Promise<TeamData> {
    const m = this.ds.manager;
    const teamId = head.team.id;
    const to = q.to ?? now.toISOString();
    const toMs = Date.parse(to);
    const from = q.from ?? new Date(toMs - DEFAULT_DAYS * DAY_MS).toISOString();
    const fromMs = Date.parse(from);
    const window = { from: new Date(Math.min(fromMs, seriesStartMs(toMs)) - LOOKBACK_DAYS * DAY_MS).toISOString(), to };
    const [rows, checkInRows, commentRows, nudgeRows, firstNudges, reviewRows, schedules] = await Promise.all([
      this.repo.teamOutcomes(m, tenantId, teamId, from, to),
      this.repo.teamCheckIns(m, tenantId, teamId, window),
      this.repo.teamComments(m, tenantId, teamId, window),
      this.repo.teamNudges(m, tenantId, teamId, window),
      this.repo.firstNudgesBefore(m, tenantId, teamId, window.from),
      this.repo.teamReviews(m, tenantId, teamId),
      this.repo.rhythms(m, tenantId, [teamId], from),
    ]);
    const listed = new Set(rows.map((o) => o.id));
    const reviewed = reviewRows.filter((r) => r.at >= from && r.at <= to);
    // Escalations ask the manager to support; they are not reminders to the owner.
    const counted = nudgeRows.filter((n) => n.kind === "reminder" || n.kind === "nudge");
    const others = [...new Set([...checkInRows, ...commentRows, ...counted, ...reviewed].map((r) => r.outcomeId))].filter((id) => !listed.has(id));
    // An outcome whose first check-in read is at risk or off track may have been so for longer:
    // its stretch is read back to its start, so the time to self-correct is not cut short.
    const firsts = new Map<string, string>();
    for (const c of checkInRows) if (!firsts.has(c.outcomeId)) firsts.set(c.outcomeId, c.status);
    const cut = [...firsts].filter(([, status]) => status === "at_risk" || status === "off_track").map(([id]) => id);
    const stretchFrom = new Date(Date.parse(window.from) - STRETCH_DAYS * DAY_MS).toISOString();
    const [unlistedRows, stretchRows] = await Promise.all([
      this.repo.outcomeSights(m, tenantId, others),
      cut.length ? this.repo.stretchesBefore(m, tenantId, teamId, cut, { from: stretchFrom, before: window.from }) : [],
    ]);
    // Coaching on a stretch's earlier check-ins tells a supported stretch from an ignored one.
    const earlierComments = stretchRows.length
      ? await this.repo.commentsBefore(m, tenantId, teamId, [...new Set(stretchRows.map((c) => c.outcomeId))], { from: stretchRows[0]!.at, before: window.from })
      : [];

    // The rhythms agreed in check-in schedules come before the team's default.
    const rhythms: Rhythm[] = [...schedules, { teamId, cadence: head.team.rhythm }];
    const cadence = teamRhythmOf(rhythms, teamId);
    const names = new Map(head.members.map((p) => [p.id, p.displayName]));
    const strangers = [...new Set(rows.map((o) => o.ownerId))].filter((id) => !names.has(id));
    // Owners who are no longer members: their names for the list, their zones for their deadlines.
    const formerOwners = await this.repo.people(m, tenantId, strangers);
    for (const p of formerOwners) names.set(p.id, p.displayName);

    const zones = new Map([...head.members, ...formerOwners].map((p) => [p.id, p.timeZone]));
    const outcomes: SnapshotOutcome[] = rows.map((o) => {
      const zone = zones.get(o.ownerId) ?? null;
      const due = nextCheckInDue(o, rhythmOf(rhythms, o), zone);
      return { ...o, delegates: json<string[]>(o.delegateIds, []), ownerName: names.get(o.ownerId) ?? null, nextCheckInDue: due, checkInOverdue: due !== null && due < todayIn(now.getTime(), zone) };
    });
    const records: OutcomeRecord[] = outcomes.map((o) => ({
      id: o.id,
      ownerId: o.ownerId,
      teamId: o.teamId,
      title: o.title,
      measure: { metric: o.metric, unit: o.unit, baseline: o.baseline, target: o.target, current: o.currentValue },
      deadline: o.deadline,
      ifMissed: o.ifMissed,
      status: o.status as OutcomeStatus,
      createdAt: o.createdAt,
      agreedAt: o.agreedAt,
      doneAt: o.doneAt,
      visibility: o.visibility,
    }));
    const checkIns: CheckInRecord[] = [...stretchRows, ...checkInRows].map((c) => ({
      id: c.id,
      outcomeId: c.outcomeId,
      authorId: c.authorId,
      at: c.at,
      status: c.status as CheckInRecord["status"],
      confidence: c.confidence,
      progress: c.progress,
      mode: c.mode as CheckInRecord["mode"],
      ideasCount: c.ideasCount,
      supportAsked: c.supportAsked,
    }));
    const comments: CommentRecord[] = [...earlierComments, ...commentRows].map((c) => ({ ...c, kind: c.kind as CommentRecord["kind"] }));
    const nudges: NudgeRecord[] = [
      ...firstNudges.map((n, i) => ({ id: `earlier-${i}`, outcomeId: n.outcomeId, ownerId: "", senderId: null, at: n.at, kind: "nudge" as const })),
      ...counted.map((n) => ({ ...n, kind: n.kind as NudgeRecord["kind"] })),
    ];
    const reviews: ReviewRecord[] = reviewRows.map((r) => ({ id: r.id, outcomeId: r.outcomeId, at: r.at, causes: json<CauseCategory[]>(r.causes, []) }));
    const history: PitfallInput = {
      outcomes: records,
      checkIns,
      comments,
      nudges,
      reviews,
      people: head.members.map((p) => ({ id: p.id, ...(p.displayName ? { displayName: p.displayName } : {}), timeZone: p.timeZone })),
      owners: formerOwners.map((p) => ({ id: p.id, ...(p.displayName ? { displayName: p.displayName } : {}), timeZone: p.timeZone })),
      now: now.toISOString(),
      from,
      to,
      rhythms,
    };
    const unlisted: Sighted[] = unlistedRows.map((o) => ({ id: o.id, ownerId: o.ownerId, teamId: o.teamId, visibility: o.visibility, delegates: json<string[]>(o.delegateIds, []) }));
    const owners = new Map([...outcomes, ...unlisted].map((o) => [o.id, o.ownerId]));
    return { period: { from, to }, generatedAt: now.toISOString(), fromMs, toMs, cadence, outcomes, unlisted, owners, history, counted: nudges.slice(firstNudges.length) };
  }

  private present(head: TeamHead, snap: TeamSnapshot, access: TeamDashboard["access"]): TeamDashboard {
    // The snapshot was computed over exactly the outcomes this reader may see.
    const visible = [...snap.outcomes]
      .sort((a, b) => STATUS_ORDER.indexOf(a.status as OutcomeStatus) - STATUS_ORDER.indexOf(b.status as OutcomeStatus) || a.deadline.localeCompare(b.deadline));
    const byId = new Map(visible.map((o) => [o.id, o]));
    const owners = new Map<string, SnapshotOutcome[]>();
    for (const o of visible) {
      const list = owners.get(o.ownerId);
      if (list) list.push(o);
      else owners.set(o.ownerId, [o]);
    }
    return {
      team: {
        id: head.team.id,
        name: head.team.name,
        // The team's check-in schedule's rhythm, else its default.
        rhythm: snap.rhythm.cadence,
        members: head.members.map((p) => ({ id: p.id, displayName: p.displayName, role: p.role })).sort((a, b) => (a.displayName ?? "").localeCompare(b.displayName ?? "")),
      },
      access,
      period: snap.period,
      generatedAt: snap.generatedAt,
      outcomes: {
        visible: visible.length,
        byStatus: statusCounts(visible.map((o) => o.status)),
        byOwner: [...owners.entries()]
          .map(([ownerId, list]) => ({ ownerId, displayName: list[0]?.ownerName ?? null, total: list.length, byStatus: statusCounts(list.map((o) => o.status)) }))
          .sort((a, b) => (a.displayName ?? "").localeCompare(b.displayName ?? "")),
        items: visible.map((o) => ({
          id: o.id,
          title: o.title,
          ownerId: o.ownerId,
          ownerName: o.ownerName,
          status: o.status as OutcomeStatus,
          visibility: o.visibility,
          deadline: o.deadline,
          progress: progressFraction(o),
          lastCheckInAt: o.lastCheckInAt,
          atRiskSince: o.atRiskSince,
          nextCheckInDue: o.nextCheckInDue,
          checkInOverdue: o.checkInOverdue,
        })),
        definition:
          "The team's outcomes that you may see (open ones, and those updated or due in the period), counted by status and by owner. For agreed and at-risk outcomes, the next check-in is due on the day of the last check-in (or of the agreement, before the first) in the owner's time zone plus the outcome's rhythm: its own check-in schedule's, else the team's schedule's, else the team's default; overdue once that day has passed.",
      },
      rhythm: snap.rhythm,
      signs: snap.signs,
      pitfalls: snap.pitfalls.map((p) => {
        const items = p.items.flatMap((i) => {
          const o = byId.get(i.outcomeId);
          return o ? [{ outcomeId: o.id, title: o.title, ownerId: o.ownerId, reason: i.reason }] : [];
        });
        return { key: p.key, label: p.label, detected: p.detected, count: p.count, items, hiddenItems: p.items.length - items.length, definition: p.definition };
      }),
      reviewCauses: snap.reviewCauses,
      series: snap.series,
      definitions: { scope: SCOPE },
    };
  }

  /**
   * The teams whose dashboards the caller may read, by name: their own, those of anyone below them
   * in the manager chain, and for compliance officers and admins every team of the tenant.
   */
  async teams(caller: DashboardCaller): Promise<DashboardTeams> {
    const m = this.ds.manager;
    const viewer = await this.viewer(caller, await this.changeStamp(caller.tenantId));
    const everyTeam = viewer.isCompliance || viewer.isAdmin;
    // The teams of anyone below the caller: the tenant's memberships read once, however long the chain.
    const managed = new Set(viewer.reportIds.size ? (await this.repo.memberships(m, caller.tenantId)).filter((r) => viewer.reportIds.has(r.personId)).map((r) => r.teamId) : []);
    const teams = everyTeam ? await this.repo.allTeams(m, caller.tenantId) : await this.repo.teams(m, caller.tenantId, [...viewer.teamIds, ...managed]);
    // Why, in the order the team dashboard gives it.
    const access = (id: string): DashboardTeams["items"][number]["access"] =>
      viewer.teamIds.has(id) ? "member" : managed.has(id) ? "manager" : viewer.isCompliance ? "compliance" : "admin";
    return { items: teams.map((t) => ({ id: t.id, name: t.name, access: access(t.id) })).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)) };
  }

  /** The caller's own outcomes, next check-ins, agreements waiting for them and, for managers, what needs attention. */
  async me(caller: DashboardCaller, now = new Date()): Promise<JsonText> {
    const stamp = await this.changeStamp(caller.tenantId);
    return this.myCache.get(`${caller.tenantId}|${caller.userId}|${caller.roles.join(",")}`, stamp, async () => new JsonText(JSON.stringify(await this.mine.build(caller, now))));
  }
}
