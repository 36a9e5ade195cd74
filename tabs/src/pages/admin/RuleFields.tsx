import { Button, Checkbox, Field, Input, Text, makeStyles, tokens } from "@fluentui/react-components";
import { REQUIRED_FIELD_CHOICES, type BoundaryFormValues, type PatternRow } from "./boundary-model";

const useStyles = makeStyles({
  row: { display: "grid", gap: tokens.spacingHorizontalM, gridTemplateColumns: "repeat(auto-fit, minmax(10rem, 1fr))", alignItems: "start" },
  pattern: { display: "grid", gap: tokens.spacingHorizontalS, gridTemplateColumns: "1fr 2fr 6rem auto", alignItems: "end" },
  group: { border: "none", margin: 0, padding: 0, display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(10rem, 1fr))" },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0 },
  error: { color: tokens.colorPaletteRedForeground1, gridColumn: "1 / -1" },
});

export interface RuleFieldsProps {
  values: BoundaryFormValues;
  set: <K extends keyof BoundaryFormValues>(key: K, value: BoundaryFormValues[K]) => void;
  message: (key: string) => string | undefined;
}

const state = (m: string | undefined) => (m ? ("error" as const) : ("none" as const));

/** The fields of the rule, one set per kind of boundary. */
export function RuleFields({ values: v, set, message }: RuleFieldsProps) {
  const s = useStyles();
  const number = (key: "minDays" | "maxDays" | "perOutcomePerWeek" | "atRiskCheckIns" | "freeTextDays", label: string, hint?: string) => (
    <Field label={label} hint={hint} required validationMessage={message(key)} validationState={state(message(key))}>
      <Input name={key} inputMode="numeric" value={v[key]} onChange={(_, d) => set(key, d.value)} />
    </Field>
  );
  const setPattern = (i: number, patch: Partial<PatternRow>) => set("patterns", v.patterns.map((p, j) => (j === i ? { ...p, ...patch } : p)));

  switch (v.kind) {
    case "checkin_cadence":
      return (
        <div className={s.row}>
          {number("minDays", "Minimum days between check-ins", "Guards against over-monitoring")}
          {number("maxDays", "Maximum days between check-ins")}
        </div>
      );
    case "required_fields":
      return (
        <fieldset className={s.group}>
          <legend className={s.legend}>Fields every outcome must have</legend>
          {REQUIRED_FIELD_CHOICES.map((f) => (
            <Checkbox key={f} label={f} checked={v.fields.includes(f)} onChange={(_, d) => set("fields", d.checked ? [...v.fields, f] : v.fields.filter((x) => x !== f))} />
          ))}
          {message("fields") && <Text className={s.error}>{message("fields")}</Text>}
        </fieldset>
      );
    case "approval_for_risk_class":
      return (
        <Field label="Risk classes that need approval" hint="Separate with commas" required validationMessage={message("riskClasses")} validationState={state(message("riskClasses"))}>
          <Input name="riskClasses" value={v.riskClasses} onChange={(_, d) => set("riskClasses", d.value)} />
        </Field>
      );
    case "content_pattern":
      return (
        <div>
          {v.patterns.map((p, i) => (
            <div key={i} className={s.pattern}>
              <Field label={`Pattern ${i + 1} name`} required validationMessage={message(`patterns.${i}.name`)} validationState={state(message(`patterns.${i}.name`))}>
                <Input value={p.name} onChange={(_, d) => setPattern(i, { name: d.value })} />
              </Field>
              <Field label={`Pattern ${i + 1} regular expression`} required validationMessage={message(`patterns.${i}.regex`)} validationState={state(message(`patterns.${i}.regex`))}>
                <Input value={p.regex} onChange={(_, d) => setPattern(i, { regex: d.value })} />
              </Field>
              <Field label="Flags" validationMessage={message(`patterns.${i}.flags`)} validationState={state(message(`patterns.${i}.flags`))}>
                <Input value={p.flags} onChange={(_, d) => setPattern(i, { flags: d.value })} />
              </Field>
              <Button onClick={() => set("patterns", v.patterns.filter((_, j) => j !== i))} disabled={v.patterns.length === 1} aria-label={`Remove pattern ${i + 1}`}>
                Remove
              </Button>
            </div>
          ))}
          {message("patterns") && <Text className={s.error}>{message("patterns")}</Text>}
          <Button onClick={() => set("patterns", [...v.patterns, { name: "", regex: "", flags: "" }])} disabled={v.patterns.length >= 50}>
            Add a pattern
          </Button>
        </div>
      );
    case "nudge_limit":
      return number("perOutcomePerWeek", "Nudges per outcome per week");
    case "escalation":
      return number("atRiskCheckIns", "Escalate after this many at-risk check-ins in a row");
    case "retention":
      return number("freeTextDays", "Keep free text for (days)", "Older notes are removed; the figures stay");
    case "working_hours_only":
      return <Text>Check-ins may only be recorded inside the owner's working hours.</Text>;
  }
}
