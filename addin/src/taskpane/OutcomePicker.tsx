import { Badge, Checkbox, makeStyles, Text, tokens } from "@fluentui/react-components";
import type { Outcome } from "../api/types";

const useStyles = makeStyles({
  fieldset: { border: "none", margin: 0, padding: 0, minWidth: 0 },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS, fontWeight: tokens.fontWeightRegular },
  error: { color: tokens.colorPaletteRedForeground1, display: "block", marginTop: tokens.spacingVerticalXS },
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, margin: 0, padding: 0, listStyleType: "none" },
  meta: { display: "block", color: tokens.colorNeutralForeground2, marginLeft: "32px" },
});

export const STATUS_LABEL: Record<string, string> = {
  draft: "Draft",
  proposed: "Proposed",
  agreed: "Agreed",
  at_risk: "At risk",
  done: "Done",
  missed: "Missed",
  dropped: "Dropped",
  on_track: "On track",
  off_track: "Off track",
};

export function StatusBadge({ status }: { status: string }) {
  const color = status === "at_risk" || status === "off_track" ? "warning" : status === "missed" ? "danger" : status === "done" || status === "on_track" || status === "agreed" ? "success" : "informative";
  return (
    <Badge appearance="tint" color={color}>
      {STATUS_LABEL[status] ?? status}
    </Badge>
  );
}

interface Props {
  outcomes: Outcome[];
  selected: string[];
  onChange(ids: string[]): void;
  ownerName(id: string): string;
  error?: string | undefined;
}

/** The outcomes the meeting checks in on: the organizer's own and their reports'. */
export function OutcomePicker({ outcomes, selected, onChange, ownerName, error }: Props) {
  const styles = useStyles();
  return (
    // A fieldset, not a Fluent Field: Field gives its one control an id, and here there are many.
    <fieldset className={styles.fieldset} aria-describedby={error ? "outcomes-error" : undefined}>
      <legend className={styles.legend}>Outcomes to check in on</legend>
      <ul className={styles.list}>
        {outcomes.map((o) => (
          <li key={o.id}>
            <Checkbox
              label={o.title}
              checked={selected.includes(o.id)}
              onChange={(_e, d) => onChange(d.checked ? [...selected, o.id] : selected.filter((id) => id !== o.id))}
            />
            <Text size={200} className={styles.meta}>
              {ownerName(o.ownerId)} · due {o.deadline} · <StatusBadge status={o.status} />
            </Text>
          </li>
        ))}
      </ul>
      {error && (
        <Text id="outcomes-error" role="alert" className={styles.error}>
          {error}
        </Text>
      )}
    </fieldset>
  );
}
