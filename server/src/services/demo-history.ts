// A believable past for the demo organisation: outcomes with their agreement history, weeks of
// check-ins, manager comments, nudges, a blameless review and Contoso's compliance boundaries.
// Deterministic: the same story relative to the moment of seeding, with the same ids every time.
// Written inside the unit of work that seeds the tenant, so a tenant never exists without it.

import type { DemoPerson, DemoTenant } from "../local-m365/demo-directory";
import { DEMO } from "../local-m365/demo-directory";
import type { PendingWhat } from "../domain/agreement";
import type { BoundaryRule, ContentPattern } from "../domain/boundary-kinds";
import { checkInFacts } from "../domain/check-in-facts";
import { statusAfterCheckIn } from "../domain/status";
import { DAY_MS, MINUTE_MS, WEEKDAYS, addDays, endOfDayMs, localParts, parseClock, zonedToMs } from "../domain/time";
import type { CheckInStatus, What } from "../domain/types";
import { BoundaryEntity, CheckInEntity, CommentEntity, NudgeEntity, OutcomeAgreementEntity, OutcomeEntity, ReviewEntity, TeamEntity } from "../store/entities";
import { toBoundaryEntity, type StoredBoundary } from "../store/repositories/boundary.repository";
import { toEntity, type AgreementRecord, type Outcome } from "../store/repositories/outcome.repository";
import { diff, type Tx } from "../store/unit-of-work";
import { STORIES, type CheckInSpec, type Moment, type OutcomeSpec, type TenantStory } from "./demo-history-story";
import { digestAll, textDigest } from "./free-text";

const REASON = "demo history";
const HOME_ZONE = "Europe/London";
const ESCALATE_AFTER = 3;

/** Small deterministic generator (mulberry32): the same seed gives the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => n.toString().padStart(12, "0");
/** Fixed ids: the tenant's prefix, a kind number and a running number, e.g. c0c0c0c0-3000-4000-8000-000000000001. */
export function demoId(tenantId: string, kind: "outcome" | "checkIn" | "comment" | "nudge" | "review" | "boundary", n: number): string {
  const code = { outcome: 3000, checkIn: 3100, comment: 3200, nudge: 3300, review: 3400, boundary: 3500 }[kind];
  return `${tenantId.slice(0, 8)}-${code}-4000-8000-${pad(n)}`;
}

const C = DEMO.contoso;
/** The outcomes and boundaries demos and tests point at. */
export const DEMO_HISTORY = {
  decisionTime: demoId(C.tenantId, "outcome", 1),
  switchJourney: demoId(C.tenantId, "outcome", 2),
  arrears: demoId(C.tenantId, "outcome", 3),
  paperwork: demoId(C.tenantId, "outcome", 4),
  affordabilityModel: demoId(C.tenantId, "outcome", 5),
  valuationBacklog: demoId(C.tenantId, "outcome", 6),
  pricingSheet: demoId(C.tenantId, "outcome", 7),
  fraudWriteOffs: demoId(C.tenantId, "outcome", 8),
  remortgageDraft: demoId(C.tenantId, "outcome", 9),
  accountNumbers: demoId(C.tenantId, "boundary", 1),
  cadence: demoId(C.tenantId, "boundary", 2),
  nudgeLimit: demoId(C.tenantId, "boundary", 3),
  escalation: demoId(C.tenantId, "boundary", 4),
} as const;

export const ACCOUNT_NUMBER_PATTERNS: ContentPattern[] = [
  { name: "IBAN", regex: "\\b[A-Z]{2}\\d{2} ?[A-Z0-9]{4}(?: ?\\d{4}){2,7}(?: ?\\d{1,3})?\\b" },
  { name: "UK sort code and account number", regex: "\\b\\d{2}[- ]?\\d{2}[- ]?\\d{2}[ ,;/]{1,3}\\d{8}\\b" },
  { name: "Account number", regex: "\\b(?:account|acct|a/c)(?: number| no\\.?)?[ :#]{1,3}\\d{8}\\b" },
];
// Not preceded or followed by a digit or hyphen, so the tail of a GUID is not mistaken for a card.
export const CARD_NUMBER_PATTERN: ContentPattern = { name: "Payment card number", regex: "(?<![\\d-])(?:\\d{4}[ -]?){3}\\d{4}(?![\\d-])" };

/**
 * Turns story moments into instants. Week 1 is the latest week whose Monday-to-Thursday meetings
 * are over (the current week from Friday on, London time), so the newest check-ins are days old.
 */
class Clock {
  readonly today: string;
  private readonly monday: string;
  private readonly seen = new Map<string, number>();

  constructor(readonly now: number) {
    const local = localParts(now, HOME_ZONE);
    const weekday = (WEEKDAYS.indexOf(local.weekday) + 6) % 7;
    this.today = local.date;
    this.monday = addDays(local.date, -weekday + (weekday >= 4 ? 7 : 0));
  }

  at(m: Moment | { daysAgo: number }, zone: string, day: number, time = "10:00", jitterMinutes = 0): number {
    const date = "daysAgo" in m ? addDays(this.today, -m.daysAgo) : addDays(this.monday, -7 * m.w + (m.d ?? day));
    const clock = ("t" in m && m.t) || time;
    // Zone arithmetic goes through Intl and is slow; many moments share a day, time and zone.
    const key = `${date} ${clock} ${zone}`;
    let ms = this.seen.get(key);
    if (ms === undefined) this.seen.set(key, (ms = zonedToMs(date, parseClock(clock), zone)));
    return ms + jitterMinutes * MINUTE_MS;
  }

  date(daysFromToday: number): string {
    return addDays(this.today, daysFromToday);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;

const NOTES: Record<CheckInStatus, string[]> = {
  on_track: ["Steady week, no blockers.", "On plan.", "Good week; the numbers moved as expected.", "Progress as planned; nothing in the way.", "A solid week."],
  at_risk: ["Behind plan this week.", "Slipping; working on it."],
  off_track: ["Well behind plan."],
  done: ["Done."],
};
const NEXT_STEPS = ["Keep the weekly rhythm.", "Review the figures with the team.", "Follow up with the people involved.", "Plan the next batch.", "Share the progress at the team meeting."];

interface Rows {
  outcomes: OutcomeEntity[];
  agreements: OutcomeAgreementEntity[];
  checkIns: CheckInEntity[];
  comments: CommentEntity[];
  nudges: NudgeEntity[];
  reviews: ReviewEntity[];
  boundaries: BoundaryEntity[];
}

export type HistoryCounts = { [K in keyof Rows]: number } & { auditEvents: number };

/** One outcome's history, replayed in time order the way the services would have written it. */
function replay(spec: OutcomeSpec, story: TenantStory, tenant: DemoTenant, clock: Clock, tx: Tx, rows: Rows): void {
  const t = tenant.id;
  const person = (id: string): DemoPerson => tenant.people.find((p) => p.id === id) ?? fail(`unknown person ${id}`);
  const owner = person(spec.owner);
  const manager = owner.managerId ? person(owner.managerId) : owner;
  const zone = owner.timeZone;
  const day = story.teamDay[spec.team] ?? 0;
  const r = prng(spec.n * 7919 + t.charCodeAt(0));
  const createdMs = clock.at(spec.created, zone, 0, "09:30");
  const proposedAs = spec.proposedBy ?? "owner";
  const proposer = proposedAs === "owner" ? owner : manager;
  const original: What = { title: spec.title, measure: { metric: spec.metric, unit: spec.unit, baseline: spec.baseline, target: spec.target }, deadline: clock.date(spec.deadline), ifMissed: spec.ifMissed };
  const o: Outcome = {
    tenantId: t, id: demoId(t, "outcome", spec.n), ownerId: owner.id, teamId: spec.team, title: original.title, metric: spec.metric, unit: spec.unit,
    baseline: spec.baseline, target: spec.target, currentValue: null, deadline: original.deadline, ifMissed: spec.ifMissed, visibility: spec.visibility,
    status: spec.draft ? "draft" : "proposed", approach: spec.approach, riskClass: null, approvalState: "not_required", approvedBy: null, agreedWhat: null,
    pending: spec.draft ? null : { what: original, proposedBy: proposedAs, proposedAtVersion: 1, reason: null, kind: "change", acceptedBy: [proposedAs] },
    delegateIds: [], version: 1, createdBy: proposer.id, createdAt: iso(createdMs), updatedAt: iso(createdMs),
    agreedAt: null, doneAt: null, closedAt: null, atRiskSince: null, escalatedAt: null, lastCheckInAt: null,
  };
  const agreements: AgreementRecord[] = [];
  const accepted = (party: "owner" | "manager", at: string) => (party === "owner" ? { ownerAcceptedAt: at } : { managerAcceptedAt: at });
  if (!spec.draft) {
    agreements.push({ outcomeId: o.id, version: 1, kind: "create", what: original, proposedBy: proposer.id, proposedAs, reason: null, state: "pending", ownerAcceptedAt: null, managerAcceptedAt: null, managerId: owner.managerId, createdAt: o.createdAt, decidedAt: null, decidedBy: null, decisionReason: null, ...accepted(proposedAs, o.createdAt) });
  }
  // Nudges leave the outcome as it is; everything else writes a new version of it.
  const events: { at: number; run: (at: string) => void; keepsVersion?: boolean }[] = [];
  if (spec.agreedAfter !== undefined) {
    events.push({ at: createdMs + spec.agreedAfter * DAY_MS, run: (at) => {
      Object.assign(agreements[0]!, { state: "agreed", decidedAt: at, decidedBy: (proposedAs === "owner" ? manager : owner).id, ...accepted(proposedAs === "owner" ? "manager" : "owner", at) });
      Object.assign(o, { status: "agreed", agreedWhat: original, pending: null, agreedAt: at });
    } });
  }
  let streak = 0;
  (spec.checkIns ?? []).forEach((c: CheckInSpec, i) => {
    events.push({ at: clock.at(c, zone, day, "10:00", Math.floor(r() * 45)), run: (at) => checkIn(c, i, at) });
  });
  const checkIn = (c: CheckInSpec, i: number, at: string) => {
    if (o.status !== "agreed" && o.status !== "at_risk") fail(`check-in on ${o.id} while it is ${o.status}`);
    const status = c.s ?? "on_track";
    const row: CheckInEntity = Object.assign(new CheckInEntity(), {
      tenantId: t, id: demoId(t, "checkIn", spec.n * 100 + i), outcomeId: o.id, teamId: o.teamId, ownerId: owner.id, authorId: owner.id, at, status,
      confidence: c.c ?? { on_track: pick(r, [3, 4, 4, 5]), at_risk: 2, off_track: 1, done: 5 }[status], progress: c.p,
      note: c.note ?? pick(r, NOTES[status]), blockers: c.blockers ?? null, supportNeeded: c.support ?? null, nextStep: c.next ?? (status === "done" ? null : pick(r, NEXT_STEPS)),
      ideas: JSON.stringify(c.ideas ?? []), ...checkInFacts({ ideas: c.ideas, supportNeeded: c.support }), mode: c.mode ?? (r() < 0.75 ? "meeting" : "async"), occurrenceId: null, scheduleId: null, redactedAt: null,
    });
    rows.checkIns.push(row);
    tx.audit({ action: "checkin.recorded", entity: "check_in", entityId: row.id, reason: REASON, changes: {
      outcomeId: { after: o.id }, at: { after: at }, authorId: { after: owner.id }, status: { after: status }, confidence: { after: row.confidence }, progress: { after: c.p }, mode: { after: row.mode },
      ...digestAll({ note: row.note, blockers: row.blockers, supportNeeded: row.supportNeeded, nextStep: row.nextStep, ideas: c.ideas }),
    } });
    const next = statusAfterCheckIn(o.status, status);
    Object.assign(o, { status: next, currentValue: c.p, lastCheckInAt: at, atRiskSince: next === "at_risk" ? (o.atRiskSince ?? at) : null });
    if (next === "done") Object.assign(o, { doneAt: at, closedAt: at });
    streak = status === "at_risk" || status === "off_track" ? streak + 1 : 0;
    if (story.tenantId === C.tenantId && streak === ESCALATE_AFTER && next === "at_risk") {
      o.escalatedAt = at;
      nudge(at, null, "escalation", `At risk for ${ESCALATE_AFTER} check-ins in a row (Escalate outcomes at risk); the manager is asked to offer support.`);
    }
    (c.comments ?? []).forEach((k, j) => {
      const kAt = iso(Date.parse(at) + (3 * 60 + j * 40) * MINUTE_MS);
      const comment: CommentEntity = Object.assign(new CommentEntity(), {
        tenantId: t, id: demoId(t, "comment", spec.n * 100 + rows.comments.filter((x) => x.outcomeId === o.id).length), checkInId: row.id, outcomeId: o.id,
        teamId: o.teamId, authorId: k.by ?? manager.id, at: kAt, kind: k.kind, text: k.text, redactedAt: null,
      });
      rows.comments.push(comment);
      tx.audit({ action: "comment.added", entity: "comment", entityId: comment.id, reason: REASON, changes: { checkInId: { after: row.id }, kind: { after: k.kind }, at: { after: kAt }, authorId: { after: comment.authorId }, ...digestAll({ text: k.text }) } });
    });
  };
  const nudge = (at: string, senderId: string | null, kind: "reminder" | "nudge" | "escalation", message: string) => {
    const n: NudgeEntity = Object.assign(new NudgeEntity(), {
      tenantId: t, id: demoId(t, "nudge", spec.n * 100 + rows.nudges.filter((x) => x.outcomeId === o.id).length), outcomeId: o.id, teamId: o.teamId, ownerId: owner.id, senderId, kind, at, message, redactedAt: null,
    });
    rows.nudges.push(n);
    tx.audit({ action: `nudge.${kind === "nudge" ? "sent" : kind}`, entity: "nudge", entityId: n.id, reason: REASON, changes: { outcomeId: { after: o.id }, kind: { after: kind }, senderId: { after: senderId }, at: { after: at }, ...digestAll({ message }) } });
  };
  for (const n of spec.nudges ?? []) {
    events.push({ at: clock.at(n, n.by ? person(n.by).timeZone : zone, day), run: (at) => nudge(at, n.by ?? null, n.kind, n.message), keepsVersion: true });
  }
  const change = spec.change;
  if (change) {
    const proposedMs = clock.at(change.at, zone, 0, "14:00");
    const what: What = { ...original, measure: { ...original.measure, target: change.target ?? original.measure.target }, deadline: change.deadline === undefined ? original.deadline : clock.date(change.deadline) };
    const record: AgreementRecord = {
      outcomeId: o.id, version: 0, kind: "change", what, proposedBy: (change.by === "owner" ? owner : manager).id, proposedAs: change.by, reason: change.reason, state: "pending",
      ownerAcceptedAt: null, managerAcceptedAt: null, managerId: owner.managerId, createdAt: iso(proposedMs), decidedAt: null, decidedBy: null, decisionReason: null, ...accepted(change.by, iso(proposedMs)),
    };
    events.push({ at: proposedMs, run: () => {
      record.version = o.version;
      o.pending = { what, proposedBy: change.by, proposedAtVersion: o.version, reason: change.reason, kind: "change", acceptedBy: [change.by] } satisfies PendingWhat;
      agreements.push(record);
    } });
    if (change.agreedAfter !== undefined) {
      events.push({ at: proposedMs + change.agreedAfter * DAY_MS, run: (at) => {
        Object.assign(record, { state: "agreed", decidedAt: at, decidedBy: (change.by === "owner" ? manager : owner).id, ...accepted(change.by === "owner" ? "manager" : "owner", at) });
        Object.assign(o, { agreedWhat: what, pending: null, target: what.measure.target, deadline: what.deadline });
      } });
    }
  }
  if (spec.missed) {
    events.push({ at: endOfDayMs(clock.date(spec.deadline), zone) + MINUTE_MS, run: (at) => Object.assign(o, { status: "missed", closedAt: at }) });
  }
  for (const e of events.sort((a, b) => a.at - b.at)) {
    if (e.at >= clock.now) fail(`${o.id} has an event in the future`);
    if (!e.keepsVersion) Object.assign(o, { version: o.version + 1, updatedAt: iso(e.at) });
    e.run(iso(e.at));
  }
  if (spec.review) {
    const rv = spec.review;
    const at = iso(clock.at({ daysAgo: rv.daysAgo }, zone, 0, "11:00"));
    const actions = rv.actions.map((a) => ({ description: a.description, ownerId: a.owner, dueDate: clock.date(a.dueInDays) }));
    const review: ReviewEntity = Object.assign(new ReviewEntity(), {
      tenantId: t, id: demoId(t, "review", spec.n), outcomeId: o.id, teamId: o.teamId, authorId: owner.id, at, whatBlocked: rv.whatBlocked, whatCouldImprove: rv.whatCouldImprove,
      supportNeeded: rv.supportNeeded, causes: JSON.stringify(rv.causes), actions: JSON.stringify(actions), redactedAt: null,
    });
    rows.reviews.push(review);
    tx.audit({ action: "review.written", entity: "review", entityId: review.id, reason: REASON, changes: {
      outcomeId: { after: o.id }, at: { after: at }, authorId: { after: owner.id }, causes: { after: rv.causes },
      actions: { after: actions.map((x) => ({ description: textDigest(x.description), ownerId: x.ownerId, dueDate: x.dueDate })) },
      ...digestAll({ whatBlocked: rv.whatBlocked, whatCouldImprove: rv.whatCouldImprove, supportNeeded: rv.supportNeeded }),
    } });
  }
  rows.outcomes.push(toEntity(o));
  rows.agreements.push(...agreements.map((a) => Object.assign(new OutcomeAgreementEntity(), { ...a, tenantId: t, what: JSON.stringify(a.what) })));
  const keys = ["title", "ownerId", "teamId", "metric", "unit", "baseline", "target", "currentValue", "deadline", "ifMissed", "visibility", "status", "approach", "agreedWhat", "pending", "version", "createdAt", "agreedAt", "doneAt", "closedAt", "escalatedAt"] as const;
  tx.audit({ action: "outcome.created", entity: "outcome", entityId: o.id, reason: REASON, changes: { ...diff(null, o, keys), agreementVersions: { after: agreements.map((a) => `${a.version}:${a.kind}:${a.state}`) } } });
}

/** Contoso's boundaries: proposed by Miriam, approved by a second person; one change still waits for approval. */
function boundaries(tenantId: string, clock: Clock, tx: Tx): BoundaryEntity[] {
  const proposedAt = iso(clock.at({ w: 14, d: 0 }, HOME_ZONE, 0, "09:30"));
  const decidedAt = iso(clock.at({ w: 14, d: 1 }, HOME_ZONE, 0, "10:15"));
  const base = { version: 1, scope: { level: "tenant" as const }, effectiveFrom: decidedAt, effectiveTo: null, expiresAt: null, state: "active" as const, proposedBy: C.miriam, proposedAt, decidedAt };
  const b = (n: number, name: string, enforcement: "block" | "warn", rule: BoundaryRule, decidedBy: string, reason: string): StoredBoundary =>
    ({ ...base, id: demoId(tenantId, "boundary", n), name, enforcement, rule, decidedBy, reason });
  const accountNumbers = b(1, "No account numbers in free text", "block", { kind: "content_pattern", patterns: ACCOUNT_NUMBER_PATTERNS }, C.lidia,
    "Customer account details belong in the core banking system, never in notes or comments.");
  const versions: StoredBoundary[] = [
    accountNumbers,
    b(2, "Check-in rhythm", "warn", { kind: "checkin_cadence", minDays: 1, maxDays: 14 }, C.grady, "Check in at least every fortnight, and not more than once a day."),
    b(3, "Nudge limit", "warn", { kind: "nudge_limit", perOutcomePerWeek: 2 }, C.grady, "Coach rather than chase: two reminders a week per outcome are enough."),
    b(4, "Escalate outcomes at risk", "warn", { kind: "escalation", atRiskCheckIns: 3 }, C.lidia, "Three at-risk check-ins in a row ask the manager to offer support."),
    {
      ...accountNumbers, version: 2, state: "pending_approval", rule: { kind: "content_pattern", patterns: [...ACCOUNT_NUMBER_PATTERNS, CARD_NUMBER_PATTERN] },
      reason: "Card operations join Payments Operations next quarter; card numbers must not appear in free text either.",
      proposedAt: iso(clock.at({ daysAgo: 2 }, HOME_ZONE, 0, "15:40")), decidedBy: null, decidedAt: null,
    },
  ];
  for (const v of versions) {
    const changes = { version: { after: v.version }, name: { after: v.name }, scope: { after: v.scope }, enforcement: { after: v.enforcement }, rule: { after: v.rule }, effectiveFrom: { after: v.effectiveFrom }, proposedBy: { after: v.proposedBy }, proposedAt: { after: v.proposedAt } };
    tx.audit({ action: "boundary.proposed", entity: "boundary", entityId: v.id, reason: REASON, changes: { ...changes, state: { after: "pending_approval" } } });
    if (v.state === "active") {
      tx.audit({ action: "boundary.approved", entity: "boundary", entityId: v.id, reason: REASON, changes: { version: { after: v.version }, state: { before: "pending_approval", after: "active" }, decidedBy: { after: v.decidedBy }, decidedAt: { after: v.decidedAt } } });
    }
  }
  return versions.map((v) => toBoundaryEntity(tenantId, v));
}

function fail(message: string): never {
  throw new Error(`demo history: ${message}`);
}

/** Inserts rows in statements of at most 500 rows (fewer for wide tables, to stay under bind-parameter limits). */
async function insertAll(tx: Tx, entity: new () => object, rows: object[], columns: number): Promise<void> {
  const size = Math.min(500, Math.floor(30_000 / columns));
  for (let i = 0; i < rows.length; i += size) {
    await tx.manager.createQueryBuilder().insert().into(entity).values(rows.slice(i, i + size)).updateEntity(false).execute();
  }
}

/**
 * Writes the tenant's demo history inside the seeding unit of work (actor "system", reason
 * "demo history" on every event). Call once, right after the tenant itself was seeded.
 */
export async function seedDemoHistory(tx: Tx, tenant: DemoTenant, now: Date = new Date()): Promise<HistoryCounts> {
  const rows: Rows = { outcomes: [], agreements: [], checkIns: [], comments: [], nudges: [], reviews: [], boundaries: [] };
  const story = STORIES.find((s) => s.tenantId === tenant.id);
  const before = tx.auditDrafts.length;
  if (story) {
    const clock = new Clock(now.getTime());
    for (const teamId of story.biweeklyTeams) {
      await tx.manager.update(TeamEntity, { tenantId: tenant.id, id: teamId }, { rhythm: "biweekly" });
      tx.audit({ action: "team.updated", entity: "team", entityId: teamId, reason: REASON, changes: { rhythm: { before: "weekly", after: "biweekly" } } });
    }
    if (tenant.id === C.tenantId) rows.boundaries.push(...boundaries(tenant.id, clock, tx));
    for (const spec of story.outcomes) replay(spec, story, tenant, clock, tx, rows);
    await insertAll(tx, OutcomeEntity, rows.outcomes, 31);
    await insertAll(tx, OutcomeAgreementEntity, rows.agreements, 16);
    await insertAll(tx, CheckInEntity, rows.checkIns, 21);
    await insertAll(tx, CommentEntity, rows.comments, 10);
    await insertAll(tx, NudgeEntity, rows.nudges, 10);
    await insertAll(tx, ReviewEntity, rows.reviews, 12);
    await insertAll(tx, BoundaryEntity, rows.boundaries, 19);
  }
  const counts = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.length])) as { [K in keyof Rows]: number };
  return { ...counts, auditEvents: tx.auditDrafts.length - before };
}
