import { MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { Occurrence } from "../office/appointment";
import { SCHEDULE_PROPERTY } from "../office/appointment";
import { formatSlot } from "../lib/zoned-time";
import { scheduleIdsOf } from "./apply";
import { CheckInCard } from "./CheckInCard";
import { usePane } from "./pane-context";
import { outcomeIdsInBody, scheduleIdsInBody } from "./plan";
import { ProblemBar } from "./ProblemBar";
import { useLoad } from "./useLoad";

const useStyles = makeStyles({
  view: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

/** The check-in's occurrence id as the API stores it (at most 200 characters). */
export function occurrenceIdOf(o: Occurrence): string | undefined {
  if (o.itemId && o.itemId.length <= 200) return o.itemId;
  return o.start ?? undefined;
}

interface Linked {
  outcomeIds: string[];
  occurrence: Occurrence;
  /** Why the schedule could not be read, when the outcomes came from the agenda's links instead. */
  scheduleError: unknown;
}

/** Someone reading the meeting: the outcomes it checks in on, and a check-in for this occurrence. */
export function ReadView() {
  const { api, appointment, timeZone } = usePane();
  const styles = useStyles();
  const linked = useLoad(async (): Promise<Linked> => {
    const body = await appointment.getBodyHtml();
    // The organizer's item carries the custom property; a series Leeway made names its schedule in the body.
    const ids = [...new Set([...scheduleIdsOf(await appointment.getCustomProperty(SCHEDULE_PROPERTY)), ...scheduleIdsInBody(body)])];
    let outcomeIds: string[] = [];
    let scheduleError: unknown = null;
    try {
      const schedules = await Promise.all(ids.map((id) => api.schedule(id)));
      outcomeIds = schedules.flatMap((s) => (s.outcomeId ? [s.outcomeId] : []));
    } catch (err) {
      scheduleError = err;
    }
    // An attendee's copy of the meeting has no custom properties (they stay in the organizer's
    // mailbox); the agenda links to each outcome, so those links name them.
    if (outcomeIds.length === 0) outcomeIds = outcomeIdsInBody(body);
    return { outcomeIds, occurrence: await appointment.occurrence(), scheduleError };
  }, [api, appointment]);

  if (linked.loading) return <Spinner label="Reading the meeting…" />;
  if (linked.error) return <ProblemBar error={linked.error} />;
  const { outcomeIds, occurrence, scheduleError } = linked.data as Linked;
  if (outcomeIds.length === 0) {
    return (
      <div className={styles.view}>
        {scheduleError ? <ProblemBar error={scheduleError} /> : null}
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Not a Leeway check-in</MessageBarTitle>
            This meeting is not linked to any outcome. The organizer can make it a check-in from the Leeway pane while editing it.
          </MessageBarBody>
        </MessageBar>
      </div>
    );
  }
  return (
    <div className={styles.view}>
      <Text as="h2" size={500} weight="semibold">
        Check-in
      </Text>
      {occurrence.start && <Text>This occurrence: {formatSlot(new Date(occurrence.start), timeZone, true)}</Text>}
      {outcomeIds.map((id) => (
        <CheckInCard key={id} outcomeId={id} occurrenceId={occurrenceIdOf(occurrence)} />
      ))}
    </div>
  );
}
