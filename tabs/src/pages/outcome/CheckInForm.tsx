import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type FormEvent } from "react";
import { ApiError } from "../../api/client";
import type { CheckInStatus, NewCheckIn, Outcome, RecordedCheckIn } from "../../api/types";
import { ProblemBar, WarningsBar } from "../../components/ProblemBar";
import { useSession } from "../../session";

const useStyles = makeStyles({
  form: { display: "grid", gap: tokens.spacingVerticalM, maxWidth: "44rem" },
  row: { display: "grid", gap: tokens.spacingHorizontalM, gridTemplateColumns: "repeat(auto-fit, minmax(12rem, 1fr))", alignItems: "start" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
  questions: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  recorded: { display: "grid", gap: tokens.spacingVerticalS, justifyItems: "start", "& > div": { justifySelf: "stretch" } },
});

type Field = "progress" | "note" | "blockers" | "supportNeeded" | "nextStep" | "ideas";
const LIMITS: Record<Exclude<Field, "progress" | "ideas">, number> = { note: 4000, blockers: 4000, supportNeeded: 4000, nextStep: 1000 };

/** Coaching questions that came back with a check-in: questions, never orders. */
export function CoachingQuestions({ questions, title = "Questions for the next conversation" }: { questions: { key: string; text: string }[]; title?: string }) {
  const s = useStyles();
  if (!questions.length) return null;
  return (
    <MessageBar intent="info" layout="multiline" data-testid="coaching-questions">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        <ul className={s.questions}>
          {questions.map((q) => (
            <li key={q.key}>{q.text}</li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}

export function CheckInForm({ outcome, onRecorded, onCancel }: { outcome: Outcome; onRecorded: (c: RecordedCheckIn) => void; onCancel: () => void }) {
  const s = useStyles();
  const { api } = useSession();
  const [status, setStatus] = useState<CheckInStatus>("on_track");
  const [confidence, setConfidence] = useState("3");
  const [mode, setMode] = useState<"async" | "meeting">("async");
  const [text, setText] = useState<Record<Field, string>>({
    progress: String(outcome.measure.current ?? outcome.measure.baseline),
    note: "",
    blockers: "",
    supportNeeded: "",
    nextStep: "",
    ideas: "",
  });
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Done closes the agreed outcome: before owner and manager agree what done is, the server
  // refuses it, so the form does not offer it.
  const agreed = outcome.status !== "draft" && outcome.status !== "proposed";

  const ideas = text.ideas.split("\n").map((i) => i.trim()).filter(Boolean);
  const errors: Partial<Record<Field, string>> = {};
  if (text.progress.trim() === "" || !Number.isFinite(Number(text.progress))) errors.progress = "Progress is the measure's current value, a number.";
  for (const [f, max] of Object.entries(LIMITS) as [keyof typeof LIMITS, number][]) if (text[f].length > max) errors[f] = `At most ${max} characters.`;
  if (ideas.length > 20) errors.ideas = "At most 20 ideas.";
  else if (ideas.some((i) => i.length > 500)) errors.ideas = "Each idea at most 500 characters.";

  const msg = (f: Field) => serverErrors[f] ?? Object.entries(serverErrors).find(([p]) => p.startsWith(`${f}.`))?.[1] ?? (touched[f] ? errors[f] : undefined);
  const props = (f: Field, label: string) => ({ label, validationMessage: msg(f), validationState: msg(f) ? ("error" as const) : ("none" as const) });
  const set = (f: Field) => (value: string) => {
    setText((t) => ({ ...t, [f]: value }));
    setTouched((t) => ({ ...t, [f]: true }));
    setServerErrors((e) => Object.fromEntries(Object.entries(e).filter(([p]) => p !== f && !p.startsWith(`${f}.`))));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched({ progress: true, note: true, blockers: true, supportNeeded: true, nextStep: true, ideas: true });
    if (Object.keys(errors).length) return;
    const body: NewCheckIn = { status, confidence: Number(confidence), progress: Number(text.progress), mode };
    for (const f of ["note", "blockers", "supportNeeded", "nextStep"] as const) if (text[f].trim()) body[f] = text[f].trim();
    if (ideas.length) body.ideas = ideas;
    setBusy(true);
    setError(null);
    try {
      onRecorded(await api.outcomes.recordCheckIn(outcome.id, body));
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setServerErrors(err.fieldErrors());
      setBusy(false);
    }
  };

  return (
    <form className={s.form} onSubmit={(e) => void submit(e)} noValidate aria-label="Record a check-in">
      <div className={s.row}>
        <Field label="How is it going?" hint={agreed ? undefined : "Done can be recorded once the outcome is agreed with your manager."}>
          <RadioGroup name="status" value={status} onChange={(_, d) => setStatus(d.value as CheckInStatus)}>
            <Radio value="on_track" label="On track" />
            <Radio value="at_risk" label="At risk" />
            <Radio value="off_track" label="Off track" />
            <Radio value="done" label="Done" disabled={!agreed} />
          </RadioGroup>
        </Field>
        <Field label="Confidence (1 low – 5 high)">
          <RadioGroup name="confidence" layout="horizontal" value={confidence} onChange={(_, d) => setConfidence(d.value)}>
            {["1", "2", "3", "4", "5"].map((n) => (
              <Radio key={n} value={n} label={n} />
            ))}
          </RadioGroup>
        </Field>
        <Field label="Held as">
          <RadioGroup name="mode" value={mode} onChange={(_, d) => setMode(d.value as "async" | "meeting")}>
            <Radio value="async" label="Written update" />
            <Radio value="meeting" label="Meeting" />
          </RadioGroup>
        </Field>
      </div>
      <Field {...props("progress", `Progress: current ${outcome.measure.metric} (${outcome.measure.unit})`)} required hint={`Baseline ${outcome.measure.baseline}, target ${outcome.measure.target}`}>
        <Input name="progress" inputMode="decimal" value={text.progress} onChange={(_, d) => set("progress")(d.value)} />
      </Field>
      <Field {...props("note", "What happened")}>
        <Textarea name="note" value={text.note} onChange={(_, d) => set("note")(d.value)} resize="vertical" />
      </Field>
      <div className={s.row}>
        <Field {...props("blockers", "Blockers")}>
          <Textarea name="blockers" value={text.blockers} onChange={(_, d) => set("blockers")(d.value)} resize="vertical" />
        </Field>
        <Field {...props("supportNeeded", "Support needed")}>
          <Textarea name="supportNeeded" value={text.supportNeeded} onChange={(_, d) => set("supportNeeded")(d.value)} resize="vertical" />
        </Field>
      </div>
      <Field {...props("nextStep", "Next step")}>
        <Input name="nextStep" value={text.nextStep} onChange={(_, d) => set("nextStep")(d.value)} />
      </Field>
      <Field {...props("ideas", "Ideas")} hint="One per line: improvements you noticed along the way">
        <Textarea name="ideas" value={text.ideas} onChange={(_, d) => set("ideas")(d.value)} resize="vertical" />
      </Field>
      <ProblemBar error={error} shownOnFields={(Object.keys(text) as Field[]).map(msg)} />
      <div className={s.actions}>
        <Button appearance="primary" type="submit" disabled={busy}>
          {busy ? "Recording…" : "Record check-in"}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** What the person sees right after recording: the coaching questions and any warnings. */
export function CheckInRecorded({ result, onDone }: { result: RecordedCheckIn; onDone: () => void }) {
  const s = useStyles();
  return (
    <div role="status" data-testid="check-in-recorded" className={s.recorded}>
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Check-in recorded</MessageBarTitle>
          {result.escalated ? "The outcome has been at risk for several check-ins, so support has been asked for." : "Thank you. Your manager sees it at the next check-in."}
        </MessageBarBody>
      </MessageBar>
      <CoachingQuestions questions={result.coachingQuestions} />
      <WarningsBar warnings={result.warnings} />
      <Button onClick={onDone}>Close</Button>
    </div>
  );
}
