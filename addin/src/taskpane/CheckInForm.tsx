import { Button, Field, Input, makeStyles, Radio, RadioGroup, Textarea, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { ApiProblem } from "../api/problem";
import type { CheckInResult, CheckInStatus, NewCheckIn, Outcome, Question } from "../api/types";
import { usePane } from "./pane-context";
import { ProblemBar } from "./ProblemBar";
import { STATUS_LABEL } from "./OutcomePicker";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  // Two columns, so "On track" and "Off track" keep their words together in a narrow pane.
  statuses: { display: "grid", gridTemplateColumns: "1fr 1fr" },
});

type TextField = "note" | "supportNeeded" | "nextStep" | "blockers";

/** Where the answer to each coaching question goes in the check-in. */
const ANSWER_FIELD: Record<string, TextField> = { plan: "note", support: "supportNeeded", next_step: "nextStep", follow_up: "blockers" };
const STATUSES: CheckInStatus[] = ["on_track", "at_risk", "off_track", "done"];
const FIELD_PATHS = ["status", "confidence", "progress", "note", "supportNeeded", "nextStep", "blockers", "ideas", "mode", "occurrenceId"];

interface Props {
  outcome: Outcome;
  questions: Question[];
  occurrenceId: string | undefined;
  onRecorded(result: CheckInResult): void;
}

/** The owner's check-in for this occurrence: where things stand, answered through the coaching questions. */
export function CheckInForm({ outcome, questions, occurrenceId, onRecorded }: Props) {
  const { api } = usePane();
  const styles = useStyles();
  const [status, setStatus] = useState<CheckInStatus>("on_track");
  const [confidence, setConfidence] = useState("4");
  const [progress, setProgress] = useState(String(outcome.measure.current ?? outcome.measure.baseline));
  const [answers, setAnswers] = useState<Partial<Record<TextField, string>>>({});
  const [ideas, setIdeas] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Done closes the agreed outcome: before owner and manager agree what done is, the server
  // refuses it, so the form does not offer it.
  const agreed = outcome.status !== "draft" && outcome.status !== "proposed";
  const problem = error instanceof ApiProblem ? error : null;
  const fieldProps = (path: string) => {
    const message = problem?.fieldError(path);
    return { validationMessage: message, validationState: message ? ("error" as const) : ("none" as const) };
  };

  async function submit() {
    setError(null);
    const value = Number(progress);
    if (progress.trim() === "" || !Number.isFinite(value)) {
      setError(new ApiProblem(400, { title: "Check the form", errors: [{ path: "progress", message: "Progress must be a number." }] }));
      return;
    }
    const body: NewCheckIn = {
      status,
      confidence: Number(confidence),
      progress: value,
      mode: "meeting",
      ...(occurrenceId ? { occurrenceId } : {}),
    };
    for (const [field, text] of Object.entries(answers) as [TextField, string][]) if (text.trim()) body[field] = text.trim();
    const ideaList = ideas.split("\n").map((s) => s.trim()).filter(Boolean);
    if (ideaList.length) body.ideas = ideaList;
    setBusy(true);
    try {
      onRecorded(await api.recordCheckIn(outcome.id, body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className={styles.form}
      aria-label={`Record check-in: ${outcome.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Field label="Where does it stand?" hint={agreed ? undefined : "Done can be recorded once the outcome is agreed with your manager."} {...fieldProps("status")}>
        <RadioGroup className={styles.statuses} value={status} onChange={(_e, d) => setStatus(d.value as CheckInStatus)}>
          {STATUSES.map((s) => (
            <Radio key={s} value={s} label={STATUS_LABEL[s]} disabled={s === "done" && !agreed} />
          ))}
        </RadioGroup>
      </Field>
      <Field label="Confidence (1 = low, 5 = high)" {...fieldProps("confidence")}>
        <RadioGroup value={confidence} onChange={(_e, d) => setConfidence(d.value)} layout="horizontal">
          {["1", "2", "3", "4", "5"].map((c) => (
            <Radio key={c} value={c} label={c} />
          ))}
        </RadioGroup>
      </Field>
      <Field label={`Progress: ${outcome.measure.metric} (${outcome.measure.unit}), target ${outcome.measure.target}`} {...fieldProps("progress")}>
        <Input inputMode="decimal" value={progress} onChange={(_e, d) => setProgress(d.value)} />
      </Field>
      {questions.map((q) => {
        const field = ANSWER_FIELD[q.key] ?? "note";
        return (
          <Field key={q.key} label={q.text} {...fieldProps(field)}>
            <Textarea resize="vertical" value={answers[field] ?? ""} onChange={(_e, d) => setAnswers((a) => ({ ...a, [field]: d.value }))} />
          </Field>
        );
      })}
      <Field label="Ideas (one per line, optional)" {...fieldProps("ideas")}>
        <Textarea resize="vertical" value={ideas} onChange={(_e, d) => setIdeas(d.value)} />
      </Field>
      <ProblemBar error={error} fieldPaths={FIELD_PATHS} />
      <Button appearance="primary" type="submit" disabled={busy}>
        {busy ? "Recording…" : "Record check-in"}
      </Button>
    </form>
  );
}
