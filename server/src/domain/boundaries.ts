// Compliance boundaries: when one is in force, which apply to a person, how several merge, and
// the rule that a narrower scope may only tighten a wider one. The checks of writes against the
// rules live in boundary-checks.ts.

import {
  BOUNDARY_KINDS, LIST_KINDS, describeRule, looserFields, mergeRules, scopeRank, sharedEntries, validateRule,
  type Boundary, type BoundaryFinding, type BoundaryKind, type EffectiveRule, type EffectiveRules, type RuleOf, type RuleSource, type ScopeLevel,
} from "./boundary-kinds";
import { toMs } from "./time";
import { fail, ok, type DomainError, type Result } from "./types";

export * from "./boundary-kinds";
export * from "./boundary-checks";

/**
 * Active, inside its effective window (`effectiveFrom` inclusive, `effectiveTo` exclusive), and
 * not past `expiresAt`, so a person-level tightening lapses by itself. Unreadable dates are never
 * in force.
 */
export function isInForce(b: Boundary, now: string): boolean {
  if (b.state !== "active") return false;
  const t = toMs(now);
  const from = toMs(b.effectiveFrom);
  if (!Number.isFinite(t) || !Number.isFinite(from) || t < from) return false;
  for (const end of [b.effectiveTo, b.expiresAt]) {
    if (end === null || end === undefined || end === "") continue;
    const e = toMs(end);
    if (!Number.isFinite(e) || t >= e) return false;
  }
  return true;
}

/** The highest version in force of each boundary that `keep` accepts. */
export function latestInForce(all: Boundary[], now: string, keep: (b: Boundary) => boolean = () => true): Boundary[] {
  const latest = new Map<string, Boundary>();
  for (const b of all) {
    if (!isInForce(b, now) || !keep(b)) continue;
    const seen = latest.get(b.id);
    if (!seen || seen.version < b.version) latest.set(b.id, b);
  }
  return [...latest.values()];
}

/**
 * Boundaries in force for a person: tenant-wide, those of any of the person's teams, and the
 * person's own. When several versions of one boundary are in force, the highest version counts.
 * Ordered widest scope first, then by name.
 */
export function applicableBoundaries(all: Boundary[], who: { teamIds: string[]; personId?: string | null }, now: string): Boundary[] {
  const teams = new Set(who.teamIds);
  const mine = ({ scope: s }: Boundary) => s.level === "tenant" || (s.level === "team" && teams.has(s.teamId)) || (s.level === "person" && !!who.personId && s.personId === who.personId);
  return latestInForce(all, now, mine).sort((a, b) => scopeRank(a.scope) - scopeRank(b.scope) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function sourceOf(b: Boundary): RuleSource {
  return { boundaryId: b.id, boundaryName: b.name, version: b.version, scope: b.scope, enforcement: b.enforcement, rule: b.rule, text: describeRule(b.rule) };
}

/** One merged rule per kind present, in the order of BOUNDARY_KINDS. */
export function effectiveRules(applicable: Boundary[]): EffectiveRules {
  const byKind = new Map<BoundaryKind, Boundary[]>();
  for (const b of [...applicable].sort((x, y) => scopeRank(x.scope) - scopeRank(y.scope))) {
    byKind.set(b.rule.kind, [...(byKind.get(b.rule.kind) ?? []), b]);
  }
  return BOUNDARY_KINDS.filter((k) => byKind.has(k)).map((kind) => {
    const bs = byKind.get(kind) ?? [];
    const rule = mergeRules(bs.map((b) => b.rule) as RuleOf<typeof kind>[]);
    return {
      kind,
      rule,
      enforcement: bs.some((b) => b.enforcement === "block") ? "block" : "warn",
      text: describeRule(rule),
      sources: bs.map(sourceOf),
    };
  });
}

/** The merged rule of one kind, if any applies. */
export function ruleOfKind<K extends BoundaryKind>(rules: EffectiveRules, kind: K): EffectiveRule<K> | undefined {
  return rules.find((r) => r.kind === kind) as EffectiveRule<K> | undefined;
}

export interface TighteningViolation {
  /** The wider boundary that would be loosened. */
  boundaryId: string;
  boundaryName: string;
  scope: ScopeLevel;
  /** Path inside the candidate, e.g. `rule.maxDays` or `enforcement`. */
  field: string;
  candidateValue: unknown;
  widerValue: unknown;
  message: string;
}

/**
 * A narrower scope may only tighten a wider one. Compares `candidate` with every active boundary in
 * `wider` of the same kind and a wider scope level (team against tenant; person against team and
 * tenant; the caller passes the team boundaries of the person's own teams) whose time in force
 * overlaps the candidate's: a wider rule that ends before the candidate starts, or starts only
 * after it ends, never applies beside it. Empty when the candidate only tightens.
 *
 * Every boundary in force is checked on its own, so the wider one still holds beside the
 * candidate; what is refused is a candidate that reads as loosening it:
 * - a number (gap, limit, threshold, days) laxer than the wider one's;
 * - `warn` where the wider one blocks, unless the candidate asks for something more (a number
 *   strictly tighter: a warning before the block); for a list kind (required fields, risk classes,
 *   patterns), warning about an entry the wider one blocks.
 * A list that leaves out some of the wider one's entries loosens nothing: the lists add up.
 */
export function checkTightening(candidate: Boundary, wider: Boundary[]): TighteningViolation[] {
  const out: TighteningViolation[] = [];
  const starts = toMs(candidate.effectiveFrom);
  const endOf = (b: Boundary) => Math.min(...[b.effectiveTo, b.expiresAt].filter((e): e is string => !!e).map(toMs).filter(Number.isFinite));
  const candidateEnds = endOf(candidate);
  for (const w of wider) {
    if (w.id === candidate.id || w.state !== "active" || w.rule.kind !== candidate.rule.kind) continue;
    if (scopeRank(w.scope) >= scopeRank(candidate.scope)) continue;
    if (Number.isFinite(starts) && endOf(w) <= starts) continue;
    if (toMs(w.effectiveFrom) >= candidateEnds) continue;
    const head = `"${candidate.name}" is looser than the ${w.scope.level} boundary "${w.name}"`;
    const base = { boundaryId: w.id, boundaryName: w.name, scope: w.scope.level };
    const list = LIST_KINDS.includes(candidate.rule.kind);
    if (candidate.enforcement === "warn" && w.enforcement === "block") {
      const weaker = { ...base, field: "enforcement", candidateValue: "warn", widerValue: "block" };
      if (list) {
        const shared = sharedEntries(candidate.rule, w.rule);
        if (shared.length > 0) out.push({ ...weaker, message: `${head}: it only warns about ${shared.join(", ")}, which "${w.name}" blocks; leave ${shared.length === 1 ? "it" : "them"} to "${w.name}".` });
      } else if (looserFields(w.rule, candidate.rule).length === 0) {
        out.push({ ...weaker, message: `${head}: it only warns where "${w.name}" blocks, and asks for nothing more.` });
      }
    }
    if (list) continue;
    for (const f of looserFields(candidate.rule, w.rule)) {
      out.push({ ...base, field: f.field, candidateValue: f.candidateValue, widerValue: f.widerValue, message: `${head}: it ${f.message}.` });
    }
  }
  return out;
}

/** A person-level boundary needs a reason and an expiry after it starts; other levels pass. */
export function validatePersonScope(candidate: Boundary): DomainError[] {
  if (candidate.scope.level !== "person") return [];
  const errors: DomainError[] = [];
  if (!candidate.scope.personId.trim()) errors.push({ code: "invalid_boundary", path: "scope.personId", message: "A person-level boundary names the person." });
  if (!candidate.reason?.trim()) {
    errors.push({ code: "reason_required", path: "reason", message: "A boundary for one person needs a reason that person and compliance can read." });
  }
  const from = toMs(candidate.effectiveFrom);
  const expires = toMs(candidate.expiresAt);
  if (!Number.isFinite(expires)) {
    errors.push({ code: "expiry_required", path: "expiresAt", message: "A boundary for one person needs an expiry date, so it lapses by itself." });
  } else if (Number.isFinite(from) && expires <= from) {
    errors.push({ code: "expiry_required", path: "expiresAt", message: "The expiry must come after the date the boundary takes effect." });
  }
  return errors;
}

/** Everything wrong with a boundary on its own: name, version, dates, rule values, person scope. */
export function validateBoundary(candidate: Boundary): DomainError[] {
  const errors: DomainError[] = [];
  const bad = (path: string, message: string) => errors.push({ code: "invalid_boundary", path, message });
  if (!candidate.name.trim()) bad("name", "A boundary needs a name.");
  if (!Number.isInteger(candidate.version) || candidate.version < 1) bad("version", "The version is a whole number, 1 or more.");
  const from = toMs(candidate.effectiveFrom);
  if (!Number.isFinite(from)) bad("effectiveFrom", "The start must be a date or an ISO date-time.");
  if (candidate.effectiveTo) {
    const to = toMs(candidate.effectiveTo);
    if (!Number.isFinite(to)) bad("effectiveTo", "The end must be a date or an ISO date-time.");
    else if (Number.isFinite(from) && to <= from) bad("effectiveTo", "The end must come after the start.");
  }
  if (candidate.expiresAt && candidate.scope.level !== "person") {
    const e = toMs(candidate.expiresAt);
    if (!Number.isFinite(e) || (Number.isFinite(from) && e <= from)) bad("expiresAt", "The expiry must be a date after the start.");
  }
  return [...errors, ...validateRule(candidate.rule), ...validatePersonScope(candidate)];
}

/**
 * Maker-checker: a boundary change is approved by someone other than its author who holds the
 * admin or compliance role.
 */
export function canApproveBoundary(change: { proposedBy: string }, approver: { id: string; roles: string[] }): Result<true> {
  if (approver.id === change.proposedBy) {
    return fail("not_allowed", "Nobody approves their own boundary change; ask another admin or a compliance officer.");
  }
  if (!approver.roles.some((r) => r === "Leeway.Admin" || r === "Leeway.Compliance")) {
    return fail("not_allowed", "Approving a boundary change needs the admin or the compliance role.");
  }
  return ok(true);
}

export function blocking(findings: BoundaryFinding[]): BoundaryFinding[] {
  return findings.filter((f) => f.enforcement === "block");
}

export function warnings(findings: BoundaryFinding[]): BoundaryFinding[] {
  return findings.filter((f) => f.enforcement === "warn");
}
