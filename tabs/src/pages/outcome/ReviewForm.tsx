import { Button, Checkbox, Field, Input, Select, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type FormEvent } from "react";
import { ApiError } from "../../api/client";
import type { CauseCategory, NewReview, Outcome, Review } from "../../api/types";
import { ProblemBar, WarningsBar } from "../../components/ProblemBar";
import { nameOf, useSession } from "../../session";

const useStyles = makeStyles({
  form: { display: "grid", gap: tokens.spacingVerticalM, maxWidth: "44rem" },
  causes: { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(14rem, 1fr))", border: "none", padding: 0, margin: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalXS },
  error: { color: tokens.colorPaletteRedForeground1, gridColumn: "1 / -1" },
  action: { display: "grid", gap: tokens.spacingHorizontalS, gridTemplateColumns: "2fr 1fr 1fr auto", alignItems: "end" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
});

export const CAUSES: { value: CauseCategory; label: string; hint: string }[] = [
  { value: "system", label: "System", hint: "tools, data, platforms" },
  { value: "process", label: "Process", hint: "hand-offs, approvals, rules" },
  { value: "resources", label: "Resources", hint: "time, people, budget" },
  { value: "external", label: "External", hint: "customers, suppliers, markets" },
  { value: "skills", label: "Skills", hint: "knowledge to build" },
  { value: "individual", label: "Individual", hint: "personal circumstances" },
];

interface ActionRow {
  description: string;
  ownerId: string;
  dueDate: string;
}

/** A blameless review: what blocked, what could improve, what support is needed. It names causes, never fault. */
export function ReviewForm({ outcome, onSaved, onCancel }: { outcome: Outcome; onSaved: (r: Review) => void; onCancel: () => void }) {
  const s = useStyles();
  const { api, me } = useSession();
  const [whatBlocked, setWhatBlocked] = useState("");
  const [whatCouldImprove, setWhatCouldImprove] = useState("");
  const [supportNeeded, setSupportNeeded] = useState("");
  const [causes, setCauses] = useState<CauseCategory[]>([]);
  const [actions, setActions] = useState<ActionRow[]>([]);
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const people = [outcome.ownerId, ...(outcome.managerId ? [outcome.managerId] : [])];

  const errors: Record<string, string> = {};
  if (!whatBlocked.trim()) errors.whatBlocked = "Describe what blocked the outcome.";
  if (!whatCouldImprove.trim()) errors.whatCouldImprove = "Describe what could improve next time.";
  if (causes.length === 0) errors.causes = "Pick at least one cause category.";
  actions.forEach((a, i) => {
    if (!a.description.trim()) errors[`actions.${i}.description`] = "Describe the action or remove it.";
  });
  const msg = (path: string) => serverErrors[path] ?? (submitted ? errors[path] : undefined);
  const state = (path: string) => (msg(path) ? ("error" as const) : ("none" as const));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length) return;
    const body: NewReview = {
      whatBlocked: whatBlocked.trim(),
      whatCouldImprove: whatCouldImprove.trim(),
      causes,
      actions: actions.map((a) => ({ description: a.description.trim(), ownerId: a.ownerId, ...(a.dueDate ? { dueDate: a.dueDate } : {}) })),
      ...(supportNeeded.trim() ? { supportNeeded: supportNeeded.trim() } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.outcomes.review(outcome.id, body));
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setServerErrors(err.fieldErrors());
      setBusy(false);
    }
  };

  return (
    <form className={s.form} onSubmit={(e) => void submit(e)} noValidate aria-label="Write a review">
      <Text>A review looks for what in the work and around it can be better next time. It names causes, not people at fault.</Text>
      <Field label="What blocked it" required validationMessage={msg("whatBlocked")} validationState={state("whatBlocked")}>
        <Textarea name="whatBlocked" value={whatBlocked} onChange={(_, d) => setWhatBlocked(d.value)} resize="vertical" />
      </Field>
      <Field label="What could improve" required validationMessage={msg("whatCouldImprove")} validationState={state("whatCouldImprove")}>
        <Textarea name="whatCouldImprove" value={whatCouldImprove} onChange={(_, d) => setWhatCouldImprove(d.value)} resize="vertical" />
      </Field>
      <Field label="Support needed" validationMessage={msg("supportNeeded")} validationState={state("supportNeeded")}>
        <Textarea name="supportNeeded" value={supportNeeded} onChange={(_, d) => setSupportNeeded(d.value)} resize="vertical" />
      </Field>
      <fieldset className={s.causes} aria-describedby={msg("causes") ? "causes-error" : undefined}>
        <legend className={s.legend}>Causes (at least one)</legend>
        {CAUSES.map((c) => (
          <Checkbox
            key={c.value}
            label={`${c.label} (${c.hint})`}
            checked={causes.includes(c.value)}
            onChange={(_, d) => setCauses((cs) => (d.checked ? [...cs, c.value] : cs.filter((x) => x !== c.value)))}
          />
        ))}
        {msg("causes") && (
          <Text id="causes-error" className={s.error} role="alert">
            {msg("causes")}
          </Text>
        )}
      </fieldset>
      {actions.map((a, i) => (
        <div key={i} className={s.action}>
          <Field label={`Follow-up ${i + 1}`} validationMessage={msg(`actions.${i}.description`)} validationState={state(`actions.${i}.description`)}>
            <Input value={a.description} onChange={(_, d) => setActions((as) => as.map((x, j) => (j === i ? { ...x, description: d.value } : x)))} />
          </Field>
          <Field label="Owner">
            <Select value={a.ownerId} onChange={(_, d) => setActions((as) => as.map((x, j) => (j === i ? { ...x, ownerId: d.value } : x)))}>
              {people.map((id) => (
                <option key={id} value={id}>
                  {nameOf(id, me)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Due">
            <Input type="date" value={a.dueDate} onChange={(_, d) => setActions((as) => as.map((x, j) => (j === i ? { ...x, dueDate: d.value } : x)))} />
          </Field>
          <Button onClick={() => setActions((as) => as.filter((_, j) => j !== i))} aria-label={`Remove follow-up ${i + 1}`}>
            Remove
          </Button>
        </div>
      ))}
      <div>
        <Button onClick={() => setActions((as) => [...as, { description: "", ownerId: outcome.ownerId, dueDate: "" }])} disabled={actions.length >= 20}>
          Add a follow-up action
        </Button>
      </div>
      <ProblemBar error={error} shownOnFields={["whatBlocked", "whatCouldImprove", "supportNeeded", "causes", ...actions.map((_, i) => `actions.${i}.description`)].map(msg)} />
      <div className={s.actions}>
        <Button appearance="primary" type="submit" disabled={busy}>
          {busy ? "Saving…" : "Save review"}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function ReviewSummary({ review }: { review: Review }) {
  const { me } = useSession();
  return (
    <article aria-label="Review">
      <Text weight="semibold" block>
        Review by {nameOf(review.authorId, me)}
      </Text>
      <Text block>What blocked: {review.whatBlocked}</Text>
      <Text block>What could improve: {review.whatCouldImprove}</Text>
      {review.supportNeeded && <Text block>Support needed: {review.supportNeeded}</Text>}
      <Text block>Causes: {review.causes.map((c) => CAUSES.find((x) => x.value === c)?.label ?? c).join(", ")}</Text>
      {review.actions.length > 0 && (
        <ul>
          {review.actions.map((a, i) => (
            <li key={i}>
              {a.description} — {nameOf(a.ownerId, me)}
              {a.dueDate ? `, by ${a.dueDate}` : ""}
            </li>
          ))}
        </ul>
      )}
      <WarningsBar warnings={review.warnings} />
    </article>
  );
}
