import { Button, Field, Input, Radio, RadioGroup, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type FormEvent, type ReactNode } from "react";
import { validate, type FieldName, type OutcomeFormValues } from "./outcome-form-model";

const useStyles = makeStyles({
  form: { display: "grid", gap: tokens.spacingVerticalM, maxWidth: "44rem" },
  row: { display: "grid", gap: tokens.spacingHorizontalM, gridTemplateColumns: "repeat(auto-fit, minmax(10rem, 1fr))", alignItems: "start" },
  group: { display: "grid", gap: tokens.spacingVerticalS, border: "none", padding: 0, margin: 0 },
  legend: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightBase500, padding: 0, marginBottom: tokens.spacingVerticalS },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
  facts: { display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0, "& dd": { margin: 0 }, "& dt": { fontWeight: tokens.fontWeightSemibold } },
});

/**
 * How the form treats the approach: `edit` for the owner (or someone acting for them), `read-only`
 * for a manager editing the what, `none` when proposing for someone else, whose how it will be.
 */
export type ApproachMode = "edit" | "read-only" | "none";

const VISIBILITY_TEXT: Record<string, string> = { private: "The owner and their managers", team: "The owner's team", public: "Everyone" };

export interface OutcomeFormProps {
  values: OutcomeFormValues;
  onChange: (v: OutcomeFormValues) => void;
  creating: boolean;
  /** Field messages from the server's last answer (400 errors, 422 findings). */
  serverErrors: Partial<Record<FieldName, string>>;
  onServerErrorSeen: (field: FieldName) => void;
  onSubmit: () => void;
  onCancel: () => void;
  busy: boolean;
  submitLabel: string;
  approachMode?: ApproachMode;
  /** Hint under the approach, e.g. that it belongs to the owner. */
  approachHint?: string;
  /** Who may see it and the risk class: `read-only` for anyone but the owner editing it. */
  ownerSettings?: "edit" | "read-only";
  /** Fields before the what (owner, team) and after the approach (reason). */
  before?: ReactNode;
  after?: ReactNode;
  problem?: ReactNode;
}

export function OutcomeForm(p: OutcomeFormProps) {
  const s = useStyles();
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const approachMode = p.approachMode ?? "edit";
  const errors = validate(p.values, { creating: p.creating, approach: approachMode === "edit" });

  const set = (field: FieldName) => (value: string) => {
    p.onChange({ ...p.values, [field]: value });
    setTouched((t) => ({ ...t, [field]: true }));
    if (p.serverErrors[field]) p.onServerErrorSeen(field);
  };
  const messageFor = (field: FieldName) => p.serverErrors[field] ?? (touched[field] || submitted ? errors[field] : undefined);
  const field = (name: FieldName, label: string, required = false) => ({
    label,
    required,
    validationMessage: messageFor(name),
    validationState: messageFor(name) ? ("error" as const) : ("none" as const),
  });
  const blur = (name: FieldName) => () => setTouched((t) => ({ ...t, [name]: true }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length === 0) p.onSubmit();
    else document.querySelector<HTMLElement>(`[name="${Object.keys(errors)[0]}"]`)?.focus();
  };

  return (
    <form className={s.form} onSubmit={submit} noValidate aria-label={p.submitLabel}>
      {p.before}
      <fieldset className={s.group}>
        <legend className={s.legend}>What (agreed by owner and manager)</legend>
        <Field {...field("title", "Title", true)}>
          <Input name="title" value={p.values.title} onChange={(_, d) => set("title")(d.value)} onBlur={blur("title")} />
        </Field>
        <div className={s.row}>
          <Field {...field("metric", "Measure", true)} hint="What is counted, e.g. median decision time">
            <Input name="metric" value={p.values.metric} onChange={(_, d) => set("metric")(d.value)} onBlur={blur("metric")} />
          </Field>
          <Field {...field("unit", "Unit", true)}>
            <Input name="unit" value={p.values.unit} onChange={(_, d) => set("unit")(d.value)} onBlur={blur("unit")} />
          </Field>
        </div>
        <div className={s.row}>
          <Field {...field("baseline", "Baseline", true)}>
            <Input name="baseline" inputMode="decimal" value={p.values.baseline} onChange={(_, d) => set("baseline")(d.value)} onBlur={blur("baseline")} />
          </Field>
          <Field {...field("target", "Target", true)}>
            <Input name="target" inputMode="decimal" value={p.values.target} onChange={(_, d) => set("target")(d.value)} onBlur={blur("target")} />
          </Field>
          <Field {...field("deadline", "Deadline", true)}>
            <Input name="deadline" type="date" value={p.values.deadline} onChange={(_, d) => set("deadline")(d.value)} onBlur={blur("deadline")} />
          </Field>
        </div>
        <Field {...field("ifMissed", "If the mark is missed", true)} hint="What you agreed happens then, e.g. a review together">
          <Textarea name="ifMissed" value={p.values.ifMissed} onChange={(_, d) => set("ifMissed")(d.value)} onBlur={blur("ifMissed")} resize="vertical" />
        </Field>
        {p.ownerSettings === "read-only" ? (
          <dl className={s.facts} data-testid="owner-settings">
            <dt>Who can see it</dt>
            <dd>{VISIBILITY_TEXT[p.values.visibility] ?? p.values.visibility}</dd>
            <dt>Risk class</dt>
            <dd>{p.values.riskClass || "None"}</dd>
            <dt />
            <dd>Only the owner changes these.</dd>
          </dl>
        ) : (
          <>
            <Field {...field("visibility", "Who can see it")}>
              <RadioGroup name="visibility" layout="horizontal" value={p.values.visibility} onChange={(_, d) => set("visibility")(d.value)}>
                <Radio value="private" label="Me and my manager" />
                <Radio value="team" label="My team" />
                <Radio value="public" label="Everyone" />
              </RadioGroup>
            </Field>
            <Field {...field("riskClass", "Risk class (optional)")} hint="Some risk classes need a compliance approval">
              <Input name="riskClass" value={p.values.riskClass} onChange={(_, d) => set("riskClass")(d.value)} onBlur={blur("riskClass")} />
            </Field>
          </>
        )}
      </fieldset>
      <fieldset className={s.group}>
        <legend className={s.legend}>How (the owner’s approach)</legend>
        {p.approachHint && <div>{p.approachHint}</div>}
        {approachMode === "edit" ? (
          <>
            <Field {...field("plan", "Plan")}>
              <Textarea name="plan" value={p.values.plan} onChange={(_, d) => set("plan")(d.value)} resize="vertical" />
            </Field>
            <div className={s.row}>
              <Field {...field("tools", "Tools")} hint="Separate with commas">
                <Input name="tools" value={p.values.tools} onChange={(_, d) => set("tools")(d.value)} />
              </Field>
              <Field {...field("schedule", "Schedule")}>
                <Input name="schedule" value={p.values.schedule} onChange={(_, d) => set("schedule")(d.value)} />
              </Field>
            </div>
          </>
        ) : approachMode === "read-only" ? (
          <ApproachFacts values={p.values} />
        ) : null}
      </fieldset>
      {p.after}
      {p.problem}
      <div className={s.actions}>
        <Button appearance="primary" type="submit" disabled={p.busy}>
          {p.busy ? "Saving…" : p.submitLabel}
        </Button>
        <Button onClick={p.onCancel} disabled={p.busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** The owner's approach as it stands, for someone who may read it but not change it. */
function ApproachFacts({ values }: { values: OutcomeFormValues }) {
  const s = useStyles();
  if (!values.plan && !values.tools && !values.schedule) return <Text>The owner has not written down an approach.</Text>;
  return (
    <dl className={s.facts} aria-label="The owner’s approach">
      {values.plan && (
        <>
          <dt>Plan</dt>
          <dd>{values.plan}</dd>
        </>
      )}
      {values.tools && (
        <>
          <dt>Tools</dt>
          <dd>{values.tools}</dd>
        </>
      )}
      {values.schedule && (
        <>
          <dt>Schedule</dt>
          <dd>{values.schedule}</dd>
        </>
      )}
    </dl>
  );
}
