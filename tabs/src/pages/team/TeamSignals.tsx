import { Badge, Link, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { CausesView, PitfallView, RhythmView, SignView } from "../../api/dashboards";
import type { Outcome } from "../../api/types";

const useStyles = makeStyles({
  grid: { display: "grid", gap: tokens.spacingHorizontalM, gridTemplateColumns: "repeat(auto-fit, minmax(16rem, 1fr))", listStyleType: "none", margin: 0, padding: 0 },
  tile: {
    display: "grid",
    gap: tokens.spacingVerticalXS,
    alignContent: "start",
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  value: { fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold },
  definition: { color: tokens.colorNeutralForeground2 },
  head: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", justifyContent: "space-between" },
  items: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

function formatSign(s: SignView): { value: string; unit: string } {
  if (s.value === null) return { value: "—", unit: "" };
  if (s.unit === "percent") return { value: `${s.value}%`, unit: "" };
  return { value: String(s.value), unit: s.unit };
}

export function Signs({ signs }: { signs: SignView[] }) {
  const s = useStyles();
  return (
    <ul className={s.grid} aria-label="Signs of balance">
      {signs.map((sign) => (
        <li key={sign.key} className={s.tile} data-sign={sign.key}>
          <Text weight="semibold">{sign.label}</Text>
          <span>
            <span className={s.value}>{formatSign(sign).value}</span> <Text>{formatSign(sign).unit}</Text>
          </span>
          <Text size={200} className={s.definition}>
            {sign.definition}
            {sign.sample !== null ? ` Based on ${sign.sample}.` : ""}
          </Text>
        </li>
      ))}
    </ul>
  );
}

/** Concerned outcomes listed under each pitfall before the rest is folded away. */
const SHOWN = 5;

export function Pitfalls({ pitfalls, outcomes }: { pitfalls: PitfallView[]; outcomes: Outcome[] }) {
  const s = useStyles();
  const title = (id: string, given: string) => given || outcomes.find((o) => o.id === id)?.title || "an outcome";
  const item = (i: PitfallView["items"][number]) => (
    <li key={`${i.outcomeId}-${i.reason}`}>
      <Text size={200}>
        <Link href={`#/outcome/${encodeURIComponent(i.outcomeId)}`}>{title(i.outcomeId, i.title)}</Link>: {i.reason}
      </Text>
    </li>
  );
  return (
    <ul className={s.grid} aria-label="Pitfalls">
      {pitfalls.map((p) => (
        <li key={p.key} className={s.tile} data-pitfall={p.key}>
          <div className={s.head}>
            <Text weight="semibold">{p.label}</Text>
            <Badge appearance="tint" color={p.detected ? "warning" : "success"}>
              {p.detected ? `${p.count} found` : "None"}
            </Badge>
          </div>
          <Text size={200} className={s.definition}>
            {p.definition}
          </Text>
          {p.items.length > 0 && (
            <ul className={s.items}>
              {p.items.slice(0, SHOWN).map(item)}
            </ul>
          )}
          {/* The rest on request, so a long list does not push the other pitfalls away. */}
          {p.items.length > SHOWN && (
            <details>
              <summary>
                <Text size={200}>{p.items.length - SHOWN} more</Text>
              </summary>
              <ul className={s.items}>{p.items.slice(SHOWN).map(item)}</ul>
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}

export function RhythmAndCauses({ rhythm, causes }: { rhythm: RhythmView | null; causes: CausesView | null }) {
  const s = useStyles();
  return (
    <ul className={s.grid} aria-label="Rhythm and review causes">
      <li className={s.tile} data-testid="rhythm">
        <Text weight="semibold">Rhythm adherence</Text>
        <span className={s.value}>{rhythm?.adherence === null || rhythm?.adherence === undefined ? "—" : `${rhythm.adherence}%`}</span>
        {rhythm?.onRhythmNow !== null && rhythm?.onRhythmNow !== undefined && <Text>{rhythm.onRhythmNow}% on rhythm now</Text>}
        <Text size={200} className={s.definition}>
          {rhythm?.definition || "Share of the check-ins the agreed rhythm expects that took place."}
          {rhythm?.cadence ? ` Rhythm: ${rhythm.cadence}.` : ""}
        </Text>
      </li>
      <li className={s.tile} data-testid="review-causes">
        <Text weight="semibold">Review causes</Text>
        <span className={s.value}>{causes?.systemShare === null || causes?.systemShare === undefined ? "—" : `${causes.systemShare}% system`}</span>
        <Text size={200} className={s.definition}>
          {causes?.definition || "Of the causes named in blameless reviews, the share that lies in the system around the work rather than with the individual."}
          {causes?.individualShare !== null && causes?.individualShare !== undefined ? ` Individual: ${causes.individualShare}%.` : ""}
        </Text>
      </li>
    </ul>
  );
}
