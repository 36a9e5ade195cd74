import { Badge, Card, CardHeader, makeStyles, Spinner, Text, tokens } from "@fluentui/react-components";
import { scheduleIdsOf } from "./apply";
import { usePane } from "./pane-context";
import { CADENCE_LABEL } from "./plan";
import { formatSlot } from "../lib/zoned-time";
import { paneZoneOf } from "../office/time-zones";
import { ProblemBar } from "./ProblemBar";
import { useLoad } from "./useLoad";

const useStyles = makeStyles({
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});

const SYNC_TEXT: Record<string, string> = {
  linked: "linked",
  synced: "synced",
  pending: "on its way",
  failed: "delivery failed",
  cancelled: "cancelled",
};

/** The Leeway schedules an appointment is registered as, read back from the server. */
export function LinkedSchedules({ ids }: { ids: string }) {
  const { api, timeZone } = usePane();
  const styles = useStyles();
  const list = useLoad(
    () =>
      Promise.all(
        scheduleIdsOf(ids).map(async (id) => {
          const schedule = await api.schedule(id);
          const outcome = schedule.outcomeId ? await api.outcome(schedule.outcomeId) : null;
          return { schedule, outcome };
        }),
      ),
    [api, ids],
  );
  if (list.loading) return <Spinner size="small" label="Reading the schedule…" />;
  if (list.error) return <ProblemBar error={list.error} />;
  return (
    <section className={styles.list} aria-label="Leeway schedules of this meeting">
      <Text as="h2" size={400} weight="semibold">
        Check-in series
      </Text>
      {(list.data ?? []).map(({ schedule, outcome }) => (
        <Card key={schedule.id} data-testid="linked-schedule">
          <CardHeader
            header={<Text weight="semibold">{outcome?.title ?? "Team rhythm"}</Text>}
            description={
              <Text size={200}>
                {CADENCE_LABEL[schedule.cadence]}, {schedule.durationMinutes} min, from {formatSlot(new Date(schedule.firstStart), paneZoneOf(schedule.timeZone) ?? timeZone, true)}
              </Text>
            }
            action={<Badge appearance="outline">{SYNC_TEXT[schedule.syncState] ?? schedule.syncState}</Badge>}
          />
          <Text size={200}>Schedule {schedule.id}</Text>
        </Card>
      ))}
    </section>
  );
}
