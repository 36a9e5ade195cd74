import { Field, Input, makeStyles, Radio, RadioGroup, Select, Spinner, Text, tokens } from "@fluentui/react-components";
import type { Suggestions } from "../api/types";
import { formatSlot, wallClock, zonedInstant } from "../lib/zoned-time";
import { ProblemBar } from "./ProblemBar";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "end", flexWrap: "wrap" },
  hint: { color: tokens.colorNeutralForeground2 },
});

export const DURATIONS = [15, 30, 45, 60];

interface Props {
  timeZone: string;
  suggestions: Suggestions | undefined;
  slotsLoading: boolean;
  slotsError: unknown;
  firstStart: Date;
  onFirstStart(d: Date): void;
  durationMinutes: number;
  onDuration(m: number): void;
  firstStartError?: string | undefined;
  durationError?: string | undefined;
}

/** The first check-in: one of the server's suggested slots, or a time the organizer types. */
export function TimePicker(p: Props) {
  const styles = useStyles();
  const local = wallClock(p.firstStart, p.timeZone);
  const chosen = p.firstStart.toISOString();
  const slots = p.suggestions?.suggestions ?? [];
  const matching = slots.find((s) => new Date(s.start).toISOString() === chosen);
  return (
    <>
      <Field label="Suggested times" hint={`Times in ${p.timeZone}, inside everyone's working hours.`}>
        {p.slotsLoading ? (
          <Spinner size="tiny" label="Looking for good times…" />
        ) : p.slotsError ? (
          <ProblemBar error={p.slotsError} />
        ) : slots.length === 0 ? (
          <Text className={styles.hint}>{p.suggestions?.emptySuggestionsReason ?? "No suggestions yet: pick an outcome, or choose a time below."}</Text>
        ) : (
          <RadioGroup value={matching ? chosen : ""} onChange={(_e, d) => p.onFirstStart(new Date(d.value))} aria-label="Suggested times">
            {slots.map((s) => {
              const iso = new Date(s.start).toISOString();
              return <Radio key={iso} value={iso} label={`${formatSlot(new Date(s.start), p.timeZone)} · ${Math.round(s.confidence)}% sure everyone is free`} />;
            })}
          </RadioGroup>
        )}
      </Field>
      <div className={styles.row}>
        <Field label="First check-in" validationMessage={p.firstStartError} validationState={p.firstStartError ? "error" : "none"}>
          <Input
            type="datetime-local"
            value={`${local.date}T${local.time}`}
            onChange={(_e, d) => {
              const [date, time] = d.value.split("T");
              if (date && time) p.onFirstStart(zonedInstant(date, time.slice(0, 5), p.timeZone));
            }}
          />
        </Field>
        <Field label="Length" validationMessage={p.durationError} validationState={p.durationError ? "error" : "none"}>
          <Select value={String(p.durationMinutes)} onChange={(_e, d) => p.onDuration(Number(d.value))}>
            {DURATIONS.map((m) => (
              <option key={m} value={m}>
                {m} minutes
              </option>
            ))}
          </Select>
        </Field>
      </div>
    </>
  );
}
