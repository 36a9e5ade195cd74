// The outcome form's values (as typed), its checks (the same rules the server applies, so most
// mistakes show while typing), and the request bodies built from it.
import type { NewOutcome, Outcome, OutcomeChange, Visibility } from "../../api/types";

export interface OutcomeFormValues {
  title: string;
  metric: string;
  unit: string;
  baseline: string;
  target: string;
  deadline: string;
  ifMissed: string;
  visibility: Visibility;
  plan: string;
  tools: string;
  schedule: string;
  riskClass: string;
}

export type FieldName = keyof OutcomeFormValues;

/** Server error paths → the form field that shows them. */
export const PATH_TO_FIELD: Record<string, FieldName> = {
  title: "title",
  "measure.metric": "metric",
  "measure.unit": "unit",
  "measure.baseline": "baseline",
  "measure.target": "target",
  deadline: "deadline",
  ifMissed: "ifMissed",
  visibility: "visibility",
  "approach.plan": "plan",
  "approach.tools": "tools",
  "approach.schedule": "schedule",
  approach: "plan",
  riskClass: "riskClass",
};

/** Who and where, chosen beside the form on create: the server checks them against the directory. */
export type PlacementField = "ownerId" | "teamId";

export function fieldForPath(path: string): FieldName | null {
  const parts = path.split(".");
  for (let n = parts.length; n > 0; n--) {
    const f = PATH_TO_FIELD[parts.slice(0, n).join(".")];
    if (f) return f;
  }
  return null;
}

export function emptyValues(): OutcomeFormValues {
  return { title: "", metric: "", unit: "", baseline: "", target: "", deadline: "", ifMissed: "", visibility: "team", plan: "", tools: "", schedule: "", riskClass: "" };
}

export function valuesOf(o: Outcome): OutcomeFormValues {
  return {
    title: o.title,
    metric: o.measure.metric,
    unit: o.measure.unit,
    baseline: String(o.measure.baseline),
    target: String(o.measure.target),
    deadline: o.deadline,
    ifMissed: o.ifMissed,
    visibility: o.visibility,
    plan: o.approach.plan ?? "",
    tools: (o.approach.tools ?? []).join(", "),
    schedule: o.approach.schedule ?? "",
    riskClass: o.riskClass ?? "",
  };
}

/**
 * The values an edit starts from. While a change of the what waits for agreement, the server takes
 * an edit as a change of that proposal (fields left out keep the proposal's values), so the form
 * starts from the proposal: what the person sees is what they would send.
 */
export function editValuesOf(o: Outcome): OutcomeFormValues {
  const v = valuesOf(o);
  const pending = o.agreement.pending;
  if (pending?.kind !== "change") return v;
  const w = pending.what;
  return { ...v, title: w.title, metric: w.measure.metric, unit: w.measure.unit, baseline: String(w.measure.baseline), target: String(w.measure.target), deadline: w.deadline, ifMissed: w.ifMissed };
}

/** Whether the values change the what (title, measure, deadline, if missed) from `before`. */
export function changesWhat(before: OutcomeFormValues, v: OutcomeFormValues): boolean {
  const c = changeBody(before, v, "");
  return c.title !== undefined || c.measure !== undefined || c.deadline !== undefined || c.ifMissed !== undefined;
}

const toolsOf = (s: string) =>
  s
    .split(/[,\n]/)
    .map((t) => t.trim())
    .filter(Boolean);

const isNumber = (s: string) => s.trim() !== "" && Number.isFinite(Number(s));

function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const localToday = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

/**
 * Messages per field; an empty object means the form may be sent. `approach: false` when the
 * form does not send the approach (it is someone else's), so its fields cannot hold it back.
 */
export function validate(v: OutcomeFormValues, opts: { creating: boolean; approach?: boolean }): Partial<Record<FieldName, string>> {
  const e: Partial<Record<FieldName, string>> = {};
  const title = v.title.trim();
  if (title.length < 3) e.title = title ? "The title needs at least 3 characters." : "Give the outcome a title.";
  else if (title.length > 200) e.title = "At most 200 characters.";
  if (!v.metric.trim()) e.metric = "Name what is measured.";
  else if (v.metric.trim().length > 200) e.metric = "At most 200 characters.";
  if (!v.unit.trim()) e.unit = "Give the unit, e.g. days or %.";
  else if (v.unit.trim().length > 50) e.unit = "At most 50 characters.";
  if (!isNumber(v.baseline)) e.baseline = "The baseline must be a number.";
  if (!isNumber(v.target)) e.target = "The target must be a number.";
  else if (isNumber(v.baseline) && Number(v.target) === Number(v.baseline)) e.target = "The target must differ from the baseline, or there is nothing to achieve.";
  if (!isRealDate(v.deadline)) e.deadline = "Pick a real date.";
  else if (opts.creating && v.deadline < localToday()) e.deadline = "The deadline cannot be in the past.";
  if (!v.ifMissed.trim()) e.ifMissed = "Agree what happens if the mark is missed.";
  else if (v.ifMissed.trim().length > 2000) e.ifMissed = "At most 2000 characters.";
  if (opts.approach !== false) {
    if (v.plan.length > 4000) e.plan = "At most 4000 characters.";
    const tools = toolsOf(v.tools);
    if (tools.length > 30) e.tools = "At most 30 tools.";
    else if (tools.some((t) => t.length > 200)) e.tools = "Each tool at most 200 characters.";
    if (v.schedule.length > 1000) e.schedule = "At most 1000 characters.";
  }
  if (v.riskClass.trim().length > 50) e.riskClass = "At most 50 characters.";
  return e;
}

function approachOf(v: OutcomeFormValues): NonNullable<NewOutcome["approach"]> {
  const a: NonNullable<NewOutcome["approach"]> = {};
  if (v.plan.trim()) a.plan = v.plan.trim();
  const tools = toolsOf(v.tools);
  if (tools.length) a.tools = tools;
  if (v.schedule.trim()) a.schedule = v.schedule.trim();
  return a;
}

/** The create request; without the approach when the owner is someone else (the how is the owner's alone). */
export function createBody(v: OutcomeFormValues, ownerId: string, teamId: string, opts: { approach: boolean } = { approach: true }): NewOutcome {
  const approach = opts.approach ? approachOf(v) : {};
  return {
    title: v.title.trim(),
    ownerId,
    teamId,
    measure: { metric: v.metric.trim(), unit: v.unit.trim(), baseline: Number(v.baseline), target: Number(v.target) },
    deadline: v.deadline,
    ifMissed: v.ifMissed.trim(),
    visibility: v.visibility,
    ...(Object.keys(approach).length ? { approach } : {}),
    ...(v.riskClass.trim() ? { riskClass: v.riskClass.trim() } : {}),
  };
}

/** Only what changed: the server turns a change of the what into a proposal, so send no more. */
export function changeBody(before: OutcomeFormValues, v: OutcomeFormValues, reason: string): OutcomeChange {
  const c: OutcomeChange = {};
  if (v.title.trim() !== before.title) c.title = v.title.trim();
  const measure: NonNullable<OutcomeChange["measure"]> = {};
  if (v.metric.trim() !== before.metric) measure.metric = v.metric.trim();
  if (v.unit.trim() !== before.unit) measure.unit = v.unit.trim();
  if (Number(v.baseline) !== Number(before.baseline)) measure.baseline = Number(v.baseline);
  if (Number(v.target) !== Number(before.target)) measure.target = Number(v.target);
  if (Object.keys(measure).length) c.measure = measure;
  if (v.deadline !== before.deadline) c.deadline = v.deadline;
  if (v.ifMissed.trim() !== before.ifMissed) c.ifMissed = v.ifMissed.trim();
  if (v.visibility !== before.visibility) c.visibility = v.visibility;
  if (v.plan !== before.plan || v.tools !== before.tools || v.schedule !== before.schedule) {
    c.approach = { plan: v.plan.trim(), tools: toolsOf(v.tools), schedule: v.schedule.trim() };
  }
  if (v.riskClass.trim() !== before.riskClass) c.riskClass = v.riskClass.trim() || null;
  if (Object.keys(c).length && reason.trim()) c.reason = reason.trim();
  return c;
}

/** The server's field messages (400 `errors`, 422 `findings`) placed on the form's fields. */
export function serverFieldErrors(byPath: Record<string, string>): Partial<Record<FieldName, string>> {
  const out: Partial<Record<FieldName, string>> = {};
  for (const [path, message] of Object.entries(byPath)) {
    const f = fieldForPath(path);
    if (f && !out[f]) out[f] = message;
  }
  return out;
}

/** The server's messages about the owner and the team (e.g. "Adele Vance is not a member of Lending"), for the fields that chose them. */
export function placementErrors(byPath: Record<string, string>): Partial<Record<PlacementField, string>> {
  const out: Partial<Record<PlacementField, string>> = {};
  for (const f of ["ownerId", "teamId"] as const) if (byPath[f]) out[f] = byPath[f];
  return out;
}
