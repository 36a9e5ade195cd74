// The kinds of compliance boundary: their rule shapes, validation, human wording, what "tighter"
// means for each, and how several rules of one kind merge into the strictest. Also the shapes of
// a boundary and of what checking one finds, shared by boundaries.ts and boundary-checks.ts.

import { matchTexts } from "./text-matching";
import type { DomainError } from "./types";

export const REQUIRED_FIELDS = ["title", "measure", "deadline", "ifMissed", "approach", "teamId", "visibility", "riskClass"] as const;
export type RequiredField = (typeof REQUIRED_FIELDS)[number];

export interface ContentPattern {
  name: string;
  regex: string;
  /** Extra flags among `m`, `s`, `u`; matching is always case-insensitive. */
  flags?: string;
}

export type BoundaryRule =
  | { kind: "checkin_cadence"; minDays: number; maxDays: number }
  | { kind: "required_fields"; fields: RequiredField[] }
  | { kind: "approval_for_risk_class"; riskClasses: string[] }
  | { kind: "working_hours_only" }
  | { kind: "content_pattern"; patterns: ContentPattern[] }
  | { kind: "nudge_limit"; perOutcomePerWeek: number }
  | { kind: "escalation"; atRiskCheckIns: number }
  | { kind: "retention"; freeTextDays: number };

export type BoundaryKind = BoundaryRule["kind"];
export type RuleOf<K extends BoundaryKind> = Extract<BoundaryRule, { kind: K }>;

export const BOUNDARY_KINDS: readonly BoundaryKind[] = [
  "checkin_cadence", "required_fields", "approval_for_risk_class", "working_hours_only",
  "content_pattern", "nudge_limit", "escalation", "retention",
];

// ---- Boundaries and what comes out of checking them ----

export type BoundaryScope = { level: "tenant" } | { level: "team"; teamId: string } | { level: "person"; personId: string };
export type ScopeLevel = BoundaryScope["level"];
export type Enforcement = "block" | "warn";
export type BoundaryState = "active" | "pending_approval" | "rejected" | "superseded";

export interface Boundary {
  id: string;
  name: string;
  version: number;
  scope: BoundaryScope;
  enforcement: Enforcement;
  rule: BoundaryRule;
  /** ISO instant (a bare date means 00:00 UTC) from which the boundary applies. */
  effectiveFrom: string;
  /** Exclusive end of the boundary's window, if any. */
  effectiveTo?: string | null;
  /** Exclusive instant at which the boundary lapses by itself; required at person level. */
  expiresAt?: string | null;
  reason?: string | null;
  state: BoundaryState;
}

/** Where a merged rule or a finding comes from. */
export interface RuleSource {
  boundaryId: string;
  boundaryName: string;
  version: number;
  scope: BoundaryScope;
  enforcement: Enforcement;
  rule: BoundaryRule;
  /** The rule in words. */
  text: string;
}

export interface EffectiveRule<K extends BoundaryKind = BoundaryKind> {
  kind: K;
  /** The strictest value of every field across the sources. */
  rule: RuleOf<K>;
  /** `block` when any source blocks. */
  enforcement: Enforcement;
  text: string;
  /** Every boundary of this kind that applies, widest scope first. */
  sources: RuleSource[];
}

export type EffectiveRules = EffectiveRule[];

export interface BoundaryFinding {
  boundaryId: string;
  boundaryName: string;
  kind: BoundaryKind;
  /** The rule in words. */
  rule: string;
  enforcement: Enforcement;
  message: string;
  /** Field path the finding concerns, e.g. `note` or `ideas.1`. */
  path?: string;
  /** Stable short name of what was found, e.g. `too_soon` or `pattern:IBAN`. */
  code: string;
}

const LEVEL_RANK: Record<ScopeLevel, number> = { tenant: 0, team: 1, person: 2 };

/** 0 for tenant, 1 for team, 2 for person: higher is narrower. */
export function scopeRank(scope: BoundaryScope): number {
  return LEVEL_RANK[scope.level];
}

// ---- Rule values ----

export const MAX_PATTERN_LENGTH = 500;
export const MAX_PATTERNS = 50;
const ALLOWED_FLAGS = new Set(["i", "m", "s", "u"]);

/** Normalised flags: always `i`, plus the allowed extras, sorted. */
export function patternFlags(p: ContentPattern): string {
  const set = new Set(["i", ...(p.flags ?? "").split("").filter((f) => ALLOWED_FLAGS.has(f))]);
  return [...set].sort().join("");
}

/** Identity of a pattern for comparisons: the same expression with the same flags. */
export function patternKey(p: ContentPattern): string {
  return `/${p.regex}/${patternFlags(p)}`;
}

/** A braced quantifier, `{2}`, `{2,}` or `{2,5}`, where it starts. */
const BRACES = /\{\d+(,\d*)?\}/y;
/** What follows `(?` in a group that is not plainly capturing. */
const GROUP_KIND = /\?(?:[:=!]|<[=!]|<[^>]*>)/y;

/**
 * Whether a pattern repeats without bound a group that itself holds an unbounded repetition, such
 * as `(a+)+` or `((\w*x))*`: the classic shape of catastrophic backtracking. Bounded repeats such
 * as `(\d{4} ?){2,7}` pass. One pass over the text, so no pattern can make the check itself slow.
 */
export function repeatsUnboundedRepetition(source: string, unicode = false): boolean {
  const groups: boolean[] = [false];
  let i = 0;
  // The quantifier at i, if any: how many characters it takes and whether it is unbounded.
  const quantifier = (): { length: number; unbounded: boolean } | null => {
    const c = source[i];
    let q: { length: number; unbounded: boolean };
    if (c === "*" || c === "+") q = { length: 1, unbounded: true };
    else if (c === "?") q = { length: 1, unbounded: false };
    else if (c === "{") {
      BRACES.lastIndex = i;
      const m = BRACES.exec(source);
      if (!m) return null;
      q = { length: m[0].length, unbounded: m[1] === "," };
    } else return null;
    // A lazy quantifier backtracks just as much.
    if (source[i + q.length] === "?") q.length++;
    return q;
  };
  // After an atom: an unbounded quantifier on it makes the enclosing group unbounded.
  const quantify = (atomUnbounded: boolean): boolean => {
    const q = quantifier();
    if (q) i += q.length;
    if (q?.unbounded && atomUnbounded) return true;
    if (q?.unbounded || atomUnbounded) groups[groups.length - 1] = true;
    return false;
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\\") {
      // An escape is one atom; with the u flag, those with braces (\u{62}, \p{L}) end at the
      // closing brace, whose digits must not pass for a quantifier. Without it, \u{2,} is the
      // letter u repeated.
      const braced = unicode && "upP".includes(source[i + 1] ?? "") && source[i + 2] === "{" ? source.indexOf("}", i + 3) : -1;
      i = braced >= 0 ? braced + 1 : i + 2;
      if (quantify(false)) return true;
    } else if (c === "[") {
      i++;
      while (i < source.length && source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
      i++;
      if (quantify(false)) return true;
    } else if (c === "(") {
      i++;
      if (source[i] === "?") {
        // (?: (?= (?! (?<= (?<! (?<name>
        GROUP_KIND.lastIndex = i;
        const m = GROUP_KIND.exec(source);
        i += m ? m[0].length : 1;
      }
      groups.push(false);
    } else if (c === ")") {
      i++;
      const inner = groups.length > 1 ? groups.pop()! : false;
      if (quantify(inner)) return true;
    } else {
      i++;
      if (quantify(false)) return true;
    }
  }
  return false;
}

/**
 * Texts on which patterns that backtrack catastrophically take seconds or more: runs of one
 * character, of digits with separators, of alternating pairs, each spoiled at the end.
 */
const PROBES = ["a".repeat(30) + "!", "A1".repeat(15) + "!", "1".repeat(30) + "!", "1 ".repeat(20) + "!", "12-".repeat(12) + "!", "ab".repeat(15) + "!", " ".repeat(30) + "!", "x.y,".repeat(8) + "!"];
const PROBE_BUDGET_MS = 50;

/** Compiled patterns, and the reasons others cannot be used, by `patternKey`; cleared when full. */
const compiled = new Map<string, RegExp | string>();
/** Keys of patterns that went through the probe texts in time. */
const probed = new Set<string>();
const MAX_COMPILED = 2000;

/**
 * Compiles a forbidden-content pattern, or explains why it cannot be used. Patterns are written
 * by admins and run over everyone's free text.
 *
 * With `probe`, as when a boundary is written, the pattern must also not repeat an unbounded
 * repetition, not match empty text (and so every text), and get through texts on which
 * backtracking patterns take seconds; the last two run the admin's pattern under a time limit.
 * A stored pattern is only compiled: it is matched against the real text under the scan's limit,
 * so a check made stricter later, or a busy moment, never stops every write in its scope.
 */
export function compilePattern(p: ContentPattern, path = "pattern", opts: { probe?: boolean } = {}): RegExp | DomainError {
  const bad = (message: string, sub = "regex"): DomainError => ({ code: "invalid_boundary", path: `${path}.${sub}`, message });
  if (!p.name.trim()) return bad("A pattern needs a name.", "name");
  if (!p.regex) return bad(`Pattern "${p.name}" is empty.`);
  if (p.regex.length > MAX_PATTERN_LENGTH) return bad(`Pattern "${p.name}" is longer than ${MAX_PATTERN_LENGTH} characters.`);
  const unknown = (p.flags ?? "").split("").filter((f) => f && !ALLOWED_FLAGS.has(f));
  if (unknown.length > 0) return bad(`Pattern "${p.name}" uses flags that are not allowed: ${unknown.join("")} (allowed: i, m, s, u).`, "flags");
  const key = patternKey(p);
  let known = compiled.get(key);
  if (known === undefined) {
    known = judge(p);
    if (compiled.size >= MAX_COMPILED) {
      compiled.clear();
      probed.clear();
    }
    compiled.set(key, known);
  }
  if (typeof known === "string") return bad(`Pattern "${p.name}" ${known}`);
  if (opts.probe && repeatsUnboundedRepetition(p.regex, known.unicode)) return bad(`Pattern "${p.name}" repeats an unbounded repetition (like (a+)+), which can take forever on some texts; bound one of them.`);
  if (opts.probe && !probed.has(key)) {
    // Run under the time limit like any matching: the admin's pattern may be slow even on empty
    // text. A failure is not kept, so a refusal on a busy machine is not remembered.
    const matched = matchTexts([known], ["", ...PROBES], PROBE_BUDGET_MS);
    if (matched === null) return bad(`Pattern "${p.name}" takes too long on some texts (it backtracks without bound); rewrite it so that no repetition can match the same text in several ways.`);
    if (matched[0]![0]) return bad(`Pattern "${p.name}" matches empty text, so it would match every text; make it require at least one character.`);
    probed.add(key);
  }
  return known;
}

/** Whether compilePattern answered a problem rather than a compiled pattern. */
export function isPatternProblem(v: RegExp | DomainError): v is DomainError {
  return !(v instanceof RegExp);
}

/** The compiled pattern, or why it can never be used (to follow its name in a message). */
function judge(p: ContentPattern): RegExp | string {
  let re: RegExp;
  try {
    re = new RegExp(p.regex, patternFlags(p));
  } catch (e) {
    return `does not compile: ${(e as Error).message}`;
  }
  return re;
}

const nonNegativeInt = (v: number) => Number.isInteger(v) && v >= 0;
const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;

/** Errors in a rule's own values (paths start with `rule.`). */
export function validateRule(rule: BoundaryRule): DomainError[] {
  const errors: DomainError[] = [];
  const bad = (path: string, message: string) => errors.push({ code: "invalid_boundary", path: `rule.${path}`, message });
  switch (rule.kind) {
    case "checkin_cadence":
      if (!nonNegativeInt(rule.minDays)) bad("minDays", "The minimum gap must be a whole number of days, 0 or more.");
      if (!positiveInt(rule.maxDays)) bad("maxDays", "The maximum gap must be a whole number of days, 1 or more.");
      if (rule.minDays > rule.maxDays) bad("minDays", "The minimum gap cannot be longer than the maximum gap.");
      break;
    case "required_fields":
      if (rule.fields.length === 0) bad("fields", "Name at least one required field.");
      rule.fields.forEach((f, i) => {
        if (!REQUIRED_FIELDS.includes(f)) bad(`fields.${i}`, `Unknown field "${String(f)}"; known fields: ${REQUIRED_FIELDS.join(", ")}.`);
      });
      break;
    case "approval_for_risk_class":
      if (rule.riskClasses.length === 0) bad("riskClasses", "Name at least one risk class.");
      rule.riskClasses.forEach((c, i) => {
        if (!c.trim()) bad(`riskClasses.${i}`, "A risk class cannot be empty.");
      });
      break;
    case "working_hours_only":
      break;
    case "content_pattern":
      if (rule.patterns.length === 0) bad("patterns", "Name at least one pattern.");
      if (rule.patterns.length > MAX_PATTERNS) bad("patterns", `At most ${MAX_PATTERNS} patterns per boundary.`);
      rule.patterns.forEach((p, i) => {
        const compiled = compilePattern(p, `rule.patterns.${i}`, { probe: true });
        if (isPatternProblem(compiled)) errors.push(compiled);
      });
      break;
    case "nudge_limit":
      if (!nonNegativeInt(rule.perOutcomePerWeek)) bad("perOutcomePerWeek", "The nudge limit must be a whole number, 0 or more.");
      break;
    case "escalation":
      if (!positiveInt(rule.atRiskCheckIns)) bad("atRiskCheckIns", "Escalation needs a whole number of check-ins, 1 or more.");
      break;
    case "retention":
      if (!positiveInt(rule.freeTextDays)) bad("freeTextDays", "Retention must be a whole number of days, 1 or more.");
      break;
  }
  return errors;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The rule in words, as shown to people and written into findings. */
export function describeRule(rule: BoundaryRule): string {
  switch (rule.kind) {
    case "checkin_cadence":
      return `Check in at least every ${plural(rule.maxDays, "day")} and no more often than every ${plural(rule.minDays, "day")}.`;
    case "required_fields":
      return `Outcomes must state: ${rule.fields.join(", ")}.`;
    case "approval_for_risk_class":
      return `Outcomes of risk class ${rule.riskClasses.join(", ")} need approval by compliance or an admin before agreement.`;
    case "working_hours_only":
      return "Check-ins and check-in meetings only inside each person's working hours.";
    case "content_pattern":
      return `Free text must not contain: ${rule.patterns.map((p) => p.name).join(", ")}.`;
    case "nudge_limit":
      return `At most ${plural(rule.perOutcomePerWeek, "nudge")} per outcome per week.`;
    case "escalation":
      return `Escalate when an outcome is at risk for ${plural(rule.atRiskCheckIns, "check-in")} in a row.`;
    case "retention":
      return `Free text is kept for ${plural(rule.freeTextDays, "day")}.`;
  }
}

export interface LooserField {
  /** Path inside the boundary, e.g. `rule.maxDays`. */
  field: string;
  message: string;
  candidateValue: unknown;
  widerValue: unknown;
}

/**
 * Kinds whose rule is a list of things asked for (fields, risk classes, patterns). Every boundary
 * in force is checked on its own, so boundaries of these kinds add up entry by entry: a narrower
 * one can ask for more, never for less.
 */
export const LIST_KINDS: readonly BoundaryKind[] = ["required_fields", "approval_for_risk_class", "content_pattern"];

/** The entries of a list rule that another rule of its kind also holds, named as a message names them. */
export function sharedEntries(candidate: BoundaryRule, wider: BoundaryRule): string[] {
  if (candidate.kind !== wider.kind) return [];
  switch (candidate.kind) {
    case "required_fields": {
      const theirs = (wider as RuleOf<"required_fields">).fields;
      return candidate.fields.filter((f) => theirs.includes(f));
    }
    case "approval_for_risk_class": {
      const norm = (c: string) => c.trim().toLowerCase();
      const theirs = new Set((wider as RuleOf<"approval_for_risk_class">).riskClasses.map(norm));
      return candidate.riskClasses.filter((c) => theirs.has(norm(c))).map((c) => c.trim());
    }
    case "content_pattern": {
      const theirs = new Set((wider as RuleOf<"content_pattern">).patterns.map(patternKey));
      return candidate.patterns.filter((p) => theirs.has(patternKey(p))).map((p) => p.name);
    }
    default:
      return [];
  }
}

/**
 * Where `candidate` asks for less than `wider` (same kind), each rule taken by itself. Tighter
 * means: cadence with a minimum gap at least as long and a maximum gap at least as short; required
 * fields, risk classes and content patterns as a superset; nudge limit, escalation threshold and
 * retention at most as large. Working-hours-only has no values and is always as tight as itself.
 * (Narrower boundaries are judged against wider ones by checkTightening, where lists add up.)
 */
export function looserFields(candidate: BoundaryRule, wider: BoundaryRule): LooserField[] {
  const out: LooserField[] = [];
  const add = (field: string, message: string, candidateValue: unknown, widerValue: unknown) =>
    out.push({ field: `rule.${field}`, message, candidateValue, widerValue });
  if (candidate.kind !== wider.kind) return out;
  switch (candidate.kind) {
    case "checkin_cadence": {
      const w = wider as RuleOf<"checkin_cadence">;
      if (candidate.minDays < w.minDays) add("minDays", `allows check-ins every ${plural(candidate.minDays, "day")}, more often than the ${plural(w.minDays, "day")} minimum`, candidate.minDays, w.minDays);
      if (candidate.maxDays > w.maxDays) add("maxDays", `allows ${plural(candidate.maxDays, "day")} between check-ins, longer than the ${plural(w.maxDays, "day")} maximum`, candidate.maxDays, w.maxDays);
      break;
    }
    case "required_fields": {
      const missing = (wider as RuleOf<"required_fields">).fields.filter((f) => !candidate.fields.includes(f));
      if (missing.length) add("fields", `does not require ${missing.join(", ")}`, candidate.fields, (wider as RuleOf<"required_fields">).fields);
      break;
    }
    case "approval_for_risk_class": {
      const mine = new Set(candidate.riskClasses.map((c) => c.trim().toLowerCase()));
      const missing = (wider as RuleOf<"approval_for_risk_class">).riskClasses.filter((c) => !mine.has(c.trim().toLowerCase()));
      if (missing.length) add("riskClasses", `does not require approval for ${missing.join(", ")}`, candidate.riskClasses, (wider as RuleOf<"approval_for_risk_class">).riskClasses);
      break;
    }
    case "working_hours_only":
      break;
    case "content_pattern": {
      const mine = new Set(candidate.patterns.map(patternKey));
      const missing = (wider as RuleOf<"content_pattern">).patterns.filter((p) => !mine.has(patternKey(p)));
      if (missing.length) add("patterns", `does not forbid ${missing.map((p) => p.name).join(", ")}`, candidate.patterns.map((p) => p.name), (wider as RuleOf<"content_pattern">).patterns.map((p) => p.name));
      break;
    }
    case "nudge_limit": {
      const w = (wider as RuleOf<"nudge_limit">).perOutcomePerWeek;
      if (candidate.perOutcomePerWeek > w) add("perOutcomePerWeek", `allows ${plural(candidate.perOutcomePerWeek, "nudge")} a week, more than ${w}`, candidate.perOutcomePerWeek, w);
      break;
    }
    case "escalation": {
      const w = (wider as RuleOf<"escalation">).atRiskCheckIns;
      if (candidate.atRiskCheckIns > w) add("atRiskCheckIns", `escalates after ${plural(candidate.atRiskCheckIns, "check-in")}, later than after ${w}`, candidate.atRiskCheckIns, w);
      break;
    }
    case "retention": {
      const w = (wider as RuleOf<"retention">).freeTextDays;
      if (candidate.freeTextDays > w) add("freeTextDays", `keeps free text ${plural(candidate.freeTextDays, "day")}, longer than ${w}`, candidate.freeTextDays, w);
      break;
    }
  }
  return out;
}

function unique<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

/** The strictest rule several rules of one kind add up to. `rules` must be non-empty and of one kind. */
export function mergeRules<K extends BoundaryKind>(rules: RuleOf<K>[]): RuleOf<K> {
  const all = rules as BoundaryRule[];
  const first = all[0];
  if (!first) throw new Error("mergeRules needs at least one rule");
  const of = <X extends BoundaryKind>(_k: X) => all as RuleOf<X>[];
  let merged: BoundaryRule;
  switch (first.kind) {
    case "checkin_cadence": {
      const rs = of("checkin_cadence");
      merged = { kind: "checkin_cadence", minDays: Math.max(...rs.map((r) => r.minDays)), maxDays: Math.min(...rs.map((r) => r.maxDays)) };
      break;
    }
    case "required_fields":
      merged = { kind: "required_fields", fields: REQUIRED_FIELDS.filter((f) => of("required_fields").some((r) => r.fields.includes(f))) };
      break;
    case "approval_for_risk_class":
      merged = { kind: "approval_for_risk_class", riskClasses: unique(of("approval_for_risk_class").flatMap((r) => r.riskClasses), (c) => c.trim().toLowerCase()) };
      break;
    case "working_hours_only":
      merged = { kind: "working_hours_only" };
      break;
    case "content_pattern":
      merged = { kind: "content_pattern", patterns: unique(of("content_pattern").flatMap((r) => r.patterns), patternKey) };
      break;
    case "nudge_limit":
      merged = { kind: "nudge_limit", perOutcomePerWeek: Math.min(...of("nudge_limit").map((r) => r.perOutcomePerWeek)) };
      break;
    case "escalation":
      merged = { kind: "escalation", atRiskCheckIns: Math.min(...of("escalation").map((r) => r.atRiskCheckIns)) };
      break;
    case "retention":
      merged = { kind: "retention", freeTextDays: Math.min(...of("retention").map((r) => r.freeTextDays)) };
      break;
  }
  return merged as RuleOf<K>;
}
