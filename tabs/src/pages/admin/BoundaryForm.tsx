import { Button, Field, Input, Radio, RadioGroup, Select, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type FormEvent } from "react";
import { ApiError } from "../../api/client";
import type { Boundary, BoundaryDetail } from "../../api/types";
import { ProblemBar } from "../../components/ProblemBar";
import type { TeamChoice } from "../../hooks/useTeams";
import { useSession } from "../../session";
import {
  KINDS, boundaryFieldErrors, boundaryValues, changeBoundaryBody, createBoundaryBody, emptyBoundary, validateBoundary, type BoundaryFormValues, type Kind, type Level,
} from "./boundary-model";
import { RuleFields } from "./RuleFields";

const useStyles = makeStyles({
  form: { display: "grid", gap: tokens.spacingVerticalM, maxWidth: "48rem" },
  row: { display: "grid", gap: tokens.spacingHorizontalM, gridTemplateColumns: "repeat(auto-fit, minmax(12rem, 1fr))", alignItems: "start" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
});

export interface BoundaryFormProps {
  /** The boundary to change; absent to create one. */
  editing?: { boundary: Boundary; etag: string | null };
  onSaved: (b: BoundaryDetail) => void;
  onCancel: () => void;
  /** Teams a boundary may be scoped to: every team of the organisation for an admin. */
  teams: TeamChoice[];
}

/** Create or change a boundary. Changes may wait for a second person's approval (maker-checker). */
export function BoundaryForm({ editing, onSaved, onCancel, teams }: BoundaryFormProps) {
  const s = useStyles();
  const { api, me } = useSession();
  const [before] = useState(() => (editing ? boundaryValues(editing.boundary) : emptyBoundary(me.teams[0]?.id)));
  const [v, setV] = useState<BoundaryFormValues>(before);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = validateBoundary(v);

  const set = <K extends keyof BoundaryFormValues>(key: K, value: BoundaryFormValues[K]) => {
    setV((x) => ({ ...x, [key]: value }));
    setTouched((t) => ({ ...t, [key]: true }));
    setServerErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== key && !k.startsWith(`${String(key)}.`))));
  };
  const message = (key: string) => serverErrors[key] ?? (submitted || touched[key.split(".")[0] ?? key] ? errors[key] : undefined);
  const field = (key: string, label: string, required = false) => ({ label, required, validationMessage: message(key), validationState: message(key) ? ("error" as const) : ("none" as const) });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length) return;
    setBusy(true);
    setError(null);
    try {
      const r = editing
        ? await api.governance.updateBoundary(editing.boundary.id, editing.etag ?? undefined, changeBoundaryBody(before, v))
        : await api.governance.createBoundary(createBoundaryBody(v));
      onSaved(r.data);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setServerErrors(boundaryFieldErrors(err.fieldErrors()));
      setBusy(false);
    }
  };

  return (
    <form className={s.form} onSubmit={(e) => void submit(e)} noValidate aria-label={editing ? "Change boundary" : "New boundary"}>
      <Field {...field("name", "Name", true)}>
        <Input name="name" value={v.name} onChange={(_, d) => set("name", d.value)} />
      </Field>
      <div className={s.row}>
        <Field label="Kind of rule" hint={editing ? "The kind stays as it was created" : undefined}>
          <Select name="kind" value={v.kind} disabled={!!editing} onChange={(_, d) => set("kind", d.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="When broken">
          <RadioGroup name="enforcement" layout="horizontal" value={v.enforcement} onChange={(_, d) => set("enforcement", d.value as "block" | "warn")}>
            <Radio value="block" label="Block the change" />
            <Radio value="warn" label="Warn" />
          </RadioGroup>
        </Field>
      </div>
      <RuleFields values={v} set={set} message={message} />
      <div className={s.row}>
        <Field label="Applies to" hint={editing ? "The scope stays as it was created" : "A narrower boundary adds to the wider ones in force; it may not loosen them"}>
          <Select name="level" value={v.level} disabled={!!editing} onChange={(_, d) => set("level", d.value as Level)}>
            <option value="tenant">The whole organisation</option>
            <option value="team">One team</option>
            <option value="person">One person</option>
          </Select>
        </Field>
        {v.level === "team" && (
          <Field {...field("teamId", "Team", true)}>
            <Select name="teamId" value={v.teamId} disabled={!!editing} onChange={(_, d) => set("teamId", d.value)}>
              {!v.teamId && <option value="">Choose a team</option>}
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
              {v.teamId && !teams.some((t) => t.id === v.teamId) && <option value={v.teamId}>{v.teamId}</option>}
            </Select>
          </Field>
        )}
        {v.level === "person" && (
          <Field {...field("personId", "Person (object id)", true)}>
            <Input name="personId" value={v.personId} disabled={!!editing} onChange={(_, d) => set("personId", d.value)} />
          </Field>
        )}
      </div>
      <div className={s.row}>
        <Field {...field("effectiveFrom", "Starts on")} hint="Empty: now">
          <Input name="effectiveFrom" type="date" value={v.effectiveFrom} onChange={(_, d) => set("effectiveFrom", d.value)} />
        </Field>
        <Field {...field("expiresAt", "Expires on", v.level === "person")}>
          <Input name="expiresAt" type="date" value={v.expiresAt} onChange={(_, d) => set("expiresAt", d.value)} />
        </Field>
      </div>
      <Field {...field("reason", "Reason", v.level === "person")}>
        <Textarea name="reason" value={v.reason} onChange={(_, d) => set("reason", d.value)} resize="vertical" />
      </Field>
      <ProblemBar error={error} />
      <div className={s.actions}>
        <Button appearance="primary" type="submit" disabled={busy}>
          {busy ? "Saving…" : editing ? "Save change" : "Create boundary"}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
