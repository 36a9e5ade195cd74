import { Card, CardHeader, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from "@fluentui/react-components";
import { useState } from "react";
import type { CheckIn, CheckInResult, Outcome } from "../api/types";
import { CheckInForm } from "./CheckInForm";
import { STATUS_LABEL, StatusBadge } from "./OutcomePicker";
import { TERMINAL } from "./plan";
import { usePane } from "./pane-context";
import { ProblemBar } from "./ProblemBar";
import { useLoad } from "./useLoad";

const useStyles = makeStyles({
  body: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground2 },
});

function LastCheckIn({ checkIn, outcome }: { checkIn: CheckIn | undefined; outcome: Outcome }) {
  const styles = useStyles();
  if (!checkIn) return <Text className={styles.muted}>No check-in yet.</Text>;
  return (
    <div data-testid="last-check-in">
      <Text weight="semibold">Last check-in, {new Date(checkIn.at).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" })}: </Text>
      <StatusBadge status={checkIn.status} /> <Text>confidence {checkIn.confidence}/5, progress {checkIn.progress} {outcome.measure.unit}</Text>
      {checkIn.note && <div><Text className={styles.muted}>Plan: {checkIn.note}</Text></div>}
      {checkIn.nextStep && <div><Text className={styles.muted}>Next step: {checkIn.nextStep}</Text></div>}
      {checkIn.supportNeeded && <div><Text className={styles.muted}>Support needed: {checkIn.supportNeeded}</Text></div>}
    </div>
  );
}

/** One outcome of the meeting: where it stands, its last check-in, and the form for this occurrence. */
export function CheckInCard({ outcomeId, occurrenceId }: { outcomeId: string; occurrenceId: string | undefined }) {
  const { api, me } = usePane();
  const styles = useStyles();
  const [recorded, setRecorded] = useState<CheckInResult | null>(null);
  const data = useLoad(async () => {
    const [outcome, checkIns] = await Promise.all([api.outcome(outcomeId), api.checkIns(outcomeId)]);
    return { outcome, checkIns };
  }, [api, outcomeId, recorded?.id]);

  if (data.loading && !data.data) return <Spinner size="small" label="Loading the outcome…" />;
  if (data.error || !data.data) return <ProblemBar error={data.error} />;
  const { outcome, checkIns } = data.data;
  const forThisMeeting = occurrenceId ? checkIns.items.find((c) => c.occurrenceId === occurrenceId) : undefined;
  const canRecord = outcome.ownerId === me.id || outcome.delegateIds.includes(me.id);
  // Done, missed and dropped outcomes take no more check-ins (the server answers 409).
  const closed = TERMINAL.has(outcome.status);
  const m = outcome.measure;

  return (
    <Card data-testid="meeting-outcome" aria-label={outcome.title}>
      <CardHeader header={<Text weight="semibold">{outcome.title}</Text>} action={<StatusBadge status={outcome.status} />} description={<Text size={200}>{m.metric}: {m.current ?? m.baseline} now, target {m.target} {m.unit} by {outcome.deadline}</Text>} />
      <div className={styles.body}>
        <LastCheckIn checkIn={checkIns.items[0]} outcome={outcome} />
        {recorded && (
          <MessageBar intent="success" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Check-in recorded for this meeting</MessageBarTitle>
              Outcome status: {STATUS_LABEL[recorded.outcomeStatus] ?? recorded.outcomeStatus}.
              {recorded.warnings.map((w) => (
                <div key={w.boundaryId + w.message}>
                  {w.boundaryName}: {w.message}
                </div>
              ))}
              <div>Questions for next time: {recorded.coachingQuestions.map((q) => q.text).join(" ")}</div>
            </MessageBarBody>
          </MessageBar>
        )}
        {forThisMeeting && !recorded ? (
          <MessageBar intent="success">
            <MessageBarBody>A check-in for this meeting is already recorded.</MessageBarBody>
          </MessageBar>
        ) : !recorded && closed ? (
          <MessageBar intent="info" data-testid="outcome-closed">
            <MessageBarBody>This outcome is closed ({(STATUS_LABEL[outcome.status] ?? outcome.status).toLowerCase()}): it takes no more check-ins.</MessageBarBody>
          </MessageBar>
        ) : !recorded && canRecord ? (
          <CheckInForm outcome={outcome} questions={checkIns.coachingQuestions} occurrenceId={occurrenceId} onRecorded={setRecorded} />
        ) : !recorded ? (
          <Text className={styles.muted}>The owner records the check-in; use the coaching questions to listen and offer support:</Text>
        ) : null}
        {!canRecord && !forThisMeeting && !closed && (
          <ol>
            {checkIns.coachingQuestions.map((q) => (
              <li key={q.key}>{q.text}</li>
            ))}
          </ol>
        )}
      </div>
    </Card>
  );
}
