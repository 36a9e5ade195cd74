import { Badge, Button, Card, Divider, makeStyles, Radio, RadioGroup, Switch, Text, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import type { AppointmentMode, WeeklyRecurrence } from "../office/appointment";
import type { PreviewAppointment, PreviewState } from "../office/preview-appointment";
import { SafeHtml } from "./SafeHtml";

const useStyles = makeStyles({
  panel: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, backgroundColor: tokens.colorNeutralBackground2, borderTop: `4px dashed ${tokens.colorPaletteMarigoldBorderActive}` },
  dl: { display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXS, margin: 0 },
  dt: { fontWeight: tokens.fontWeightSemibold },
  dd: { margin: 0, overflowWrap: "anywhere" },
  body: { backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`, padding: tokens.spacingHorizontalS, maxHeight: "22rem", overflowY: "auto" },
  source: { whiteSpace: "pre-wrap", fontSize: tokens.fontSizeBase200, margin: 0 },
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
});

const DAY_NAMES: Record<string, string> = { sun: "Sunday", mon: "Monday", tue: "Tuesday", wed: "Wednesday", thu: "Thursday", fri: "Friday", sat: "Saturday" };

export function describeRecurrence(r: WeeklyRecurrence | null): string {
  if (!r) return "None (a single meeting)";
  const every = r.interval === 1 ? "Every week" : "Every 2 weeks";
  const days = r.days.map((d) => DAY_NAMES[d] ?? d).join(", ");
  return `${every} on ${days} at ${r.startTime} (${r.timeZone}), ${r.durationMinutes} min, from ${r.startDate}${r.endDate ? ` until ${r.endDate}` : ""}`;
}

/** The preview appointment, shown as it stands, so what the pane does to it can be seen. */
export function PreviewPanel({ appointment, reason }: { appointment: PreviewAppointment; reason: string }) {
  const styles = useStyles();
  const [state, setState] = useState<PreviewState>(() => appointment.snapshot());
  const [showSource, setShowSource] = useState(false);
  useEffect(() => appointment.subscribe(setState), [appointment]);
  const props = Object.entries(state.customProperties);

  return (
    <Card className={styles.panel} aria-labelledby="preview-title" data-testid="preview-appointment">
      <div className={styles.row}>
        <Text as="h2" id="preview-title" size={500} weight="semibold">
          Preview appointment
        </Text>
        <Badge color="warning" appearance="filled">
          Not Outlook
        </Badge>
      </div>
      <Text size={200}>{reason} The pane is working on this stand-in appointment; nothing is sent to anyone's calendar.</Text>
      <RadioGroup
        layout="horizontal"
        aria-label="Open the appointment as"
        value={state.mode}
        onChange={(_e, d) => appointment.switchMode(d.value as AppointmentMode)}
      >
        <Radio value="organizer" label="Organizer, editing" />
        <Radio value="attendee" label="Attendee, reading" />
      </RadioGroup>
      <Divider />
      <dl className={styles.dl}>
        <dt className={styles.dt}>Subject</dt>
        <dd className={styles.dd} data-testid="preview-subject">
          {state.subject || "(no subject)"}
        </dd>
        <dt className={styles.dt}>Recurrence</dt>
        <dd className={styles.dd} data-testid="preview-recurrence">
          {describeRecurrence(state.recurrence)}
        </dd>
        <dt className={styles.dt}>Attendees</dt>
        <dd className={styles.dd} data-testid="preview-attendees">
          {state.attendees.length ? state.attendees.map((a) => (a.displayName ? `${a.displayName} <${a.email}>` : a.email)).join("; ") : "(none)"}
        </dd>
        <dt className={styles.dt}>Custom properties</dt>
        <dd className={styles.dd} data-testid="preview-properties">
          {props.length ? props.map(([k, v]) => `${k} = ${v}`).join("; ") : "(none)"}
        </dd>
        <dt className={styles.dt}>Item id</dt>
        <dd className={styles.dd} data-testid="preview-item-id">
          {state.itemId ?? "(not saved yet)"}
        </dd>
      </dl>
      <div className={styles.row}>
        <Text weight="semibold">Body</Text>
        <Switch label="Show HTML" checked={showSource} onChange={(_e, d) => setShowSource(d.checked)} />
      </div>
      <div className={styles.body} data-testid="preview-body">
        {showSource ? <pre className={styles.source}>{state.bodyHtml}</pre> : <SafeHtml html={state.bodyHtml} />}
      </div>
      <div>
        <Button onClick={() => appointment.reset()}>Start over with a new appointment</Button>
      </div>
    </Card>
  );
}
