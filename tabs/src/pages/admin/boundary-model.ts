// The boundary form: values as typed, checks that mirror the server's, and request bodies.
import type { Boundary, BoundaryChange, BoundaryRule, NewBoundary } from "../../api/types";

export type Kind = BoundaryRule["kind"];
export type Level = "tenant" | "team" | "person";

export const KINDS: { kind: Kind; label: string }[] = [
  { kind: "content_pattern", label: "Forbidden content in free text" },
  { kind: "checkin_cadence", label: "Check-in cadence" },
  { kind: "required_fields", label: "Required outcome fields" },
  { kind: "approval_for_risk_class", label: "Approval for a risk class" },
  { kind: "working_hours_only", label: "Check-ins only in working hours" },
  { kind: "nudge_limit", label: "Nudge limit" },
  { kind: "escalation", label: "Escalation when at risk" },
  { kind: "retention", label: "Retention of free text" },
];

export const kindLabel = (k: string) => KINDS.find((x) => x.kind === k)?.label ?? k;

export const REQUIRED_FIELD_CHOICES = ["title", "measure", "deadline", "ifMissed", "approach", "teamId", "visibility", "riskClass"] as const;

export interface PatternRow {
  name: string;
  regex: string;
  flags: string;
}

export interface BoundaryFormValues {
  name: string;
  level: Level;
  teamId: string;
  personId: string;
  enforcement: "block" | "warn";
  kind: Kind;
  minDays: string;
  maxDays: string;
  fields: string[];
  riskClasses: string;
  patterns: PatternRow[];
  perOutcomePerWeek: string;
  atRiskCheckIns: string;
  freeTextDays: string;
  effectiveFrom: string;
  expiresAt: string;
  reason: string;
}

export function emptyBoundary(teamId = ""): BoundaryFormValues {
  return {
    name: "",
    level: "tenant",
    teamId,
    personId: "",
    enforcement: "block",
    kind: "content_pattern",
    minDays: "1",
    maxDays: "14",
    fields: [],
    riskClasses: "",
    patterns: [{ name: "", regex: "", flags: "" }],
    perOutcomePerWeek: "2",
    atRiskCheckIns: "3",
    freeTextDays: "365",
    effectiveFrom: "",
    expiresAt: "",
    reason: "",
  };
}

export function boundaryValues(b: Boundary): BoundaryFormValues {
  const v = emptyBoundary();
  v.name = b.name;
  v.level = b.scope.level;
  if (b.scope.level === "team") v.teamId = b.scope.teamId;
  if (b.scope.level === "person") v.personId = b.scope.personId;
  v.enforcement = b.enforcement;
  v.kind = b.rule.kind;
  const r = b.rule;
  if (r.kind === "checkin_cadence") [v.minDays, v.maxDays] = [String(r.minDays), String(r.maxDays)];
  if (r.kind === "required_fields") v.fields = [...r.fields];
  if (r.kind === "approval_for_risk_class") v.riskClasses = r.riskClasses.join(", ");
  if (r.kind === "content_pattern") v.patterns = r.patterns.map((p) => ({ name: p.name, regex: p.regex, flags: p.flags ?? "" }));
  if (r.kind === "nudge_limit") v.perOutcomePerWeek = String(r.perOutcomePerWeek);
  if (r.kind === "escalation") v.atRiskCheckIns = String(r.atRiskCheckIns);
  if (r.kind === "retention") v.freeTextDays = String(r.freeTextDays);
  v.effectiveFrom = b.effectiveFrom.slice(0, 10);
  v.expiresAt = b.expiresAt?.slice(0, 10) ?? "";
  v.reason = b.reason ?? "";
  return v;
}

const whole = (s: string, min: number, max: number) => /^\d+$/.test(s.trim()) && Number(s) >= min && Number(s) <= max;

export type Errors = Record<string, string>;

export function validateBoundary(v: BoundaryFormValues): Errors {
  const e: Errors = {};
  if (!v.name.trim()) e.name = "Give the boundary a name.";
  else if (v.name.trim().length > 200) e.name = "At most 200 characters.";
  if (v.level === "team" && !v.teamId.trim()) e.teamId = "Choose the team.";
  if (v.level === "person") {
    if (!v.personId.trim()) e.personId = "Give the person's id.";
    if (!v.reason.trim()) e.reason = "A boundary for one person needs a reason.";
    if (!v.expiresAt) e.expiresAt = "A boundary for one person needs an expiry.";
  }
  if (v.expiresAt && v.effectiveFrom && v.expiresAt <= v.effectiveFrom) e.expiresAt = "The expiry must come after the start.";
  switch (v.kind) {
    case "checkin_cadence":
      if (!whole(v.minDays, 0, 366)) e.minDays = "A whole number from 0 to 366.";
      if (!whole(v.maxDays, 1, 366)) e.maxDays = "A whole number from 1 to 366.";
      else if (whole(v.minDays, 0, 366) && Number(v.minDays) > Number(v.maxDays)) e.maxDays = "The maximum gap cannot be below the minimum.";
      break;
    case "required_fields":
      if (v.fields.length === 0) e.fields = "Name at least one field.";
      break;
    case "approval_for_risk_class":
      if (!splitList(v.riskClasses).length) e.riskClasses = "Name at least one risk class.";
      break;
    case "content_pattern":
      v.patterns.forEach((p, i) => {
        if (!p.name.trim()) e[`patterns.${i}.name`] = "Name the pattern.";
        if (!p.regex) e[`patterns.${i}.regex`] = "The pattern cannot be empty.";
        else if (p.regex.length > 500) e[`patterns.${i}.regex`] = "At most 500 characters.";
        else {
          try {
            new RegExp(p.regex);
          } catch {
            e[`patterns.${i}.regex`] = "Not a valid regular expression.";
          }
        }
        if (!/^[imsu]{0,4}$/.test(p.flags)) e[`patterns.${i}.flags`] = "Allowed flags: i, m, s, u.";
      });
      if (v.patterns.length === 0) e.patterns = "Name at least one pattern.";
      break;
    case "nudge_limit":
      if (!whole(v.perOutcomePerWeek, 0, 100)) e.perOutcomePerWeek = "A whole number from 0 to 100.";
      break;
    case "escalation":
      if (!whole(v.atRiskCheckIns, 1, 100)) e.atRiskCheckIns = "A whole number from 1 to 100.";
      break;
    case "retention":
      if (!whole(v.freeTextDays, 1, 36500)) e.freeTextDays = "A whole number of days from 1 to 36500.";
      break;
    case "working_hours_only":
      break;
  }
  return e;
}

const splitList = (s: string) =>
  s
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

export function ruleOf(v: BoundaryFormValues): BoundaryRule {
  switch (v.kind) {
    case "checkin_cadence":
      return { kind: v.kind, minDays: Number(v.minDays), maxDays: Number(v.maxDays) };
    case "required_fields":
      return { kind: v.kind, fields: v.fields as (typeof REQUIRED_FIELD_CHOICES)[number][] };
    case "approval_for_risk_class":
      return { kind: v.kind, riskClasses: splitList(v.riskClasses) };
    case "content_pattern":
      return { kind: v.kind, patterns: v.patterns.map((p) => ({ name: p.name.trim(), regex: p.regex, ...(p.flags ? { flags: p.flags } : {}) })) };
    case "nudge_limit":
      return { kind: v.kind, perOutcomePerWeek: Number(v.perOutcomePerWeek) };
    case "escalation":
      return { kind: v.kind, atRiskCheckIns: Number(v.atRiskCheckIns) };
    case "retention":
      return { kind: v.kind, freeTextDays: Number(v.freeTextDays) };
    case "working_hours_only":
      return { kind: v.kind };
  }
}

export function createBoundaryBody(v: BoundaryFormValues): NewBoundary {
  const scope: NewBoundary["scope"] = v.level === "tenant" ? { level: "tenant" } : v.level === "team" ? { level: "team", teamId: v.teamId.trim() } : { level: "person", personId: v.personId.trim() };
  return {
    name: v.name.trim(),
    scope,
    enforcement: v.enforcement,
    rule: ruleOf(v),
    ...(v.effectiveFrom ? { effectiveFrom: v.effectiveFrom } : {}),
    ...(v.expiresAt ? { expiresAt: v.expiresAt } : {}),
    ...(v.reason.trim() ? { reason: v.reason.trim() } : {}),
  };
}

export function changeBoundaryBody(before: BoundaryFormValues, v: BoundaryFormValues): BoundaryChange {
  const c: BoundaryChange = {};
  if (v.name.trim() !== before.name) c.name = v.name.trim();
  if (v.enforcement !== before.enforcement) c.enforcement = v.enforcement;
  if (JSON.stringify(ruleOf(v)) !== JSON.stringify(ruleOf(before))) c.rule = ruleOf(v);
  if (v.effectiveFrom !== before.effectiveFrom && v.effectiveFrom) c.effectiveFrom = v.effectiveFrom;
  if (v.expiresAt !== before.expiresAt) c.expiresAt = v.expiresAt || null;
  if (v.reason.trim() !== before.reason) c.reason = v.reason.trim() || null;
  return c;
}

/** Server error paths ("rule.patterns.0.regex", "scope.teamId") → the form's keys. */
export function boundaryFieldErrors(byPath: Record<string, string>): Errors {
  const out: Errors = {};
  for (const [path, message] of Object.entries(byPath)) {
    const key = path.replace(/^rule\./, "").replace(/^scope\./, "");
    if (!out[key]) out[key] = message;
  }
  return out;
}

export function scopeText(b: Pick<Boundary, "scope">, teamName: (id: string) => string): string {
  if (b.scope.level === "tenant") return "Whole organisation";
  if (b.scope.level === "team") return `Team: ${teamName(b.scope.teamId)}`;
  return `Person: ${b.scope.personId}`;
}
