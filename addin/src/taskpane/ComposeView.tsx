import { Button, Field, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Spinner, Text, tokens } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import { ApiProblem } from "../api/problem";
import type { Cadence, Outcome } from "../api/types";
import { SCHEDULE_PROPERTY } from "../office/appointment";
import { applyCheckIn, STEP_LABELS, type ApplyResult, type StepKey } from "./apply";
import { LinkedSchedules } from "./LinkedSchedules";
import { OutcomePicker } from "./OutcomePicker";
import { usePane } from "./pane-context";
import { attendeeIdsOf, CADENCE_LABEL, cadenceChoices, defaultFirstStart, privateAmongOthers, TERMINAL } from "./plan";
import { ProblemBar } from "./ProblemBar";
import { TimePicker } from "./TimePicker";
import { useLoad } from "./useLoad";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  note: { color: tokens.colorNeutralForeground2, display: "block", marginLeft: "32px" },
  steps: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

const FIELD_PATHS = ["outcomeId", "cadence", "firstStart", "durationMinutes", "attendeeIds", "timeZone"];

/** Organizer composing a meeting: turn it into the check-in series of one or more outcomes. */
export function ComposeView() {
  const pane = usePane();
  const styles = useStyles();
  const { api, me, appointment, timeZone } = pane;
  const linked = useLoad(() => appointment.getCustomProperty(SCHEDULE_PROPERTY), [appointment]);

  const names = useMemo(() => new Map([[me.id, me.displayName], ...me.directReports.map((r) => [r.id, r.displayName] as const)]), [me]);
  /** The name as the meeting shows it to everyone. */
  const ownerName = (id: string) => names.get(id) ?? "Someone else";
  /** The name as the pane shows it to the signed-in person. */
  const ownerLabel = (id: string) => (id === me.id ? `${me.displayName} (you)` : ownerName(id));

  const data = useLoad(async () => {
    const mine = new Set([me.id, ...me.directReports.map((r) => r.id)]);
    const [all, boundaries] = await Promise.all([api.outcomes(), api.cadenceBoundaries()]);
    const outcomes = all.filter((o) => mine.has(o.ownerId) && !TERMINAL.has(o.status)).sort((a, b) => ownerName(a.ownerId).localeCompare(ownerName(b.ownerId)) || a.title.localeCompare(b.title));
    return { outcomes, boundaries };
  }, [api, me]);

  const [selected, setSelected] = useState<string[]>([]);
  const [cadence, setCadence] = useState<Cadence>("weekly");
  const [duration, setDuration] = useState(30);
  const [chosenStart, setChosenStart] = useState<Date | null>(null);
  const [steps, setSteps] = useState<Partial<Record<StepKey, "running" | "done">>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ApplyResult | null>(null);

  const chosen: Outcome[] = (data.data?.outcomes ?? []).filter((o) => selected.includes(o.id));
  const choices = cadenceChoices(data.data?.boundaries ?? [], chosen);
  const effectiveCadence: Cadence = choices[cadence].allowed ? cadence : choices.weekly.allowed ? "weekly" : "biweekly";

  // Times that suit everyone the meeting invites, whichever outcomes they come for.
  const invited = attendeeIdsOf(chosen);
  const slots = useLoad(
    async () => (chosen[0] ? api.suggestions({ outcomeId: chosen[0].id, attendeeIds: invited, durationMinutes: duration, timeZone, maxCandidates: 5 }) : undefined),
    [api, chosen[0]?.id, invited.join(","), duration, timeZone],
  );
  // One active rhythm per outcome: say so before Apply, instead of after a 409.
  const existing = useLoad(async () => (await Promise.all(chosen.map((o) => api.schedulesOf(o.id)))).flat().filter((x) => x.status === "active"), [api, chosen.map((o) => o.id).join(",")]);
  const taken = chosen.filter((o) => (existing.data ?? []).some((x) => x.outcomeId === o.id));
  const suggested = slots.data?.suggestions[0];
  const firstStart = chosenStart ?? (suggested ? new Date(suggested.start) : defaultFirstStart(new Date(), timeZone));

  const problem = error instanceof ApiProblem ? error : null;
  // Warn-level boundaries let the series through and say why; one outcome's series or several may
  // hear the same warning, which is shown once.
  const warnings = (result?.schedules ?? []).flatMap((x) => x.warnings).filter((w, i, all) => all.findIndex((v) => v.boundaryId === w.boundaryId && v.message === w.message) === i);
  const fieldError = (path: string) => problem?.fieldError(path);

  async function apply() {
    setError(null);
    setResult(null);
    if (chosen.length === 0) {
      setError(new ApiProblem(400, { title: "Choose an outcome", errors: [{ path: "outcomeId", message: "Choose at least one outcome to check in on." }] }));
      return;
    }
    const alone = privateAmongOthers(chosen);
    if (alone) {
      setError(new ApiProblem(400, { title: "A private outcome needs its own meeting", errors: [{ path: "outcomeId", message: `“${alone.title}” is private, so its check-in cannot be shared with other people's outcomes. Apply it to a meeting of its own.` }] }));
      return;
    }
    setBusy(true);
    setSteps({});
    try {
      const r = await applyCheckIn(
        { ...pane, outcomes: chosen, cadence: effectiveCadence, firstStart, durationMinutes: duration, ownerName },
        (key, state) => setSteps((s) => ({ ...s, [key]: state })),
      );
      setResult(r);
      linked.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (linked.loading || data.loading) return <Spinner label="Loading your outcomes…" />;
  if (linked.data && !result) return <LinkedSchedules ids={linked.data} />;
  if (data.error) return <ProblemBar error={data.error} />;
  const outcomes = data.data?.outcomes ?? [];

  return (
    <form
      className={styles.form}
      onSubmit={(e) => {
        e.preventDefault();
        void apply();
      }}
    >
      <Text as="h2" size={500} weight="semibold">
        Make this meeting a check-in
      </Text>
      <Text>Pick the outcomes, the rhythm and the first time. Apply fills in the meeting and registers it with Leeway.</Text>
      {outcomes.length === 0 ? (
        <MessageBar intent="info">
          <MessageBarBody>You have no open outcomes, and neither do your reports. Propose one in the Leeway tab first.</MessageBarBody>
        </MessageBar>
      ) : (
        <OutcomePicker outcomes={outcomes} selected={selected} onChange={setSelected} ownerName={ownerLabel} error={fieldError("outcomeId")} />
      )}
      <Field label="Rhythm" validationMessage={fieldError("cadence")} validationState={fieldError("cadence") ? "error" : "none"}>
        <RadioGroup value={effectiveCadence} onChange={(_e, d) => setCadence(d.value as Cadence)}>
          {(["weekly", "biweekly"] as const).map((c) => (
            <div key={c}>
              <Radio value={c} label={CADENCE_LABEL[c]} disabled={!choices[c].allowed} aria-describedby={choices[c].note ? `cadence-note-${c}` : undefined} />
              {choices[c].note && (
                <Text id={`cadence-note-${c}`} size={200} className={styles.note}>
                  {choices[c].note}
                </Text>
              )}
            </div>
          ))}
        </RadioGroup>
      </Field>
      <TimePicker
        timeZone={timeZone}
        suggestions={slots.data}
        slotsLoading={slots.loading}
        slotsError={slots.error}
        firstStart={firstStart}
        onFirstStart={setChosenStart}
        durationMinutes={duration}
        onDuration={setDuration}
        firstStartError={fieldError("firstStart")}
        durationError={fieldError("durationMinutes")}
      />
      {taken.length > 0 && (
        <MessageBar intent="warning" layout="multiline" data-testid="rhythm-exists">
          <MessageBarBody>
            <MessageBarTitle>Already has a check-in rhythm</MessageBarTitle>
            {taken.map((o) => o.title).join("; ")}: each outcome keeps one rhythm. Open its existing series, or cancel that rhythm in the Leeway tab first.
          </MessageBarBody>
        </MessageBar>
      )}
      <ProblemBar error={error ?? existing.error} fieldPaths={FIELD_PATHS} />
      <Button appearance="primary" type="submit" disabled={busy || outcomes.length === 0 || taken.length > 0}>
        {busy ? "Applying…" : "Apply to this meeting"}
      </Button>
      {Object.keys(steps).length > 0 && (
        <ol className={styles.steps} aria-label="Progress">
          {(Object.keys(STEP_LABELS) as StepKey[]).map((k) => (
            <li key={k}>
              {STEP_LABELS[k]}: {steps[k] === "done" ? "done" : steps[k] === "running" ? (error ? "failed" : "working…") : "waiting"}
            </li>
          ))}
        </ol>
      )}
      {result && (
        <MessageBar intent={warnings.length > 0 ? "warning" : "success"} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The meeting is now a Leeway check-in</MessageBarTitle>
            {CADENCE_LABEL[effectiveCadence]}; registered with Leeway as the series of {result.schedules.length === 1 ? "this outcome" : `${result.schedules.length} outcomes`}.
            {result.attendees.length > 0 && <div>Invited: {result.attendees.map((a) => a.displayName ?? a.email).join(", ")}.</div>}
            {result.unresolved.length > 0 && <div>Add by hand (no address found): {result.unresolved.join(", ")}.</div>}
            {warnings.map((w) => (
              <div key={w.boundaryId + w.message} data-testid="schedule-warning">
                Compliance warning, {w.boundaryName}: {w.message}
              </div>
            ))}
          </MessageBarBody>
        </MessageBar>
      )}
      {result && <LinkedSchedules ids={result.schedules.map((s) => s.id).join(",")} />}
    </form>
  );
}
