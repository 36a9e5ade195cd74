import { Button, Field, Radio, RadioGroup, Text } from "@fluentui/react-components";
import { useState } from "react";
import { ApiError } from "../../api/client";
import type { Outcome, Visibility } from "../../api/types";
import { ProblemBar } from "../../components/ProblemBar";
import { useSession } from "../../session";

export interface ClosedVisibilityProps {
  outcome: Outcome;
  etag: string;
  onSaved: (o: Outcome, etag: string | null) => void;
  onCancel: () => void;
  /** Someone saved first: the page reads the outcome again. */
  onOutdated: () => void;
}

/**
 * A closed outcome keeps its record, but its owner still decides who may see it: to share a
 * result with everyone, or to keep a missed one between themself and their manager.
 */
export function ClosedVisibility({ outcome, etag, onSaved, onCancel, onOutdated }: ClosedVisibilityProps) {
  const { api } = useSession();
  const [visibility, setVisibility] = useState<Visibility>(outcome.visibility);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.outcomes.update(outcome.id, etag, { visibility });
      onSaved(r.data, r.etag);
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) onOutdated();
      else setError(err);
      setBusy(false);
    }
  };

  return (
    <form
      aria-label="Who can see it"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy && visibility !== outcome.visibility) void save();
      }}
    >
      <Text as="p">The outcome is closed, so what was agreed and how it went stay as they are. Who can see it is still yours to decide.</Text>
      <Field label="Who can see it">
        <RadioGroup name="visibility" layout="horizontal" value={visibility} onChange={(_, d) => setVisibility(d.value as Visibility)}>
          <Radio value="private" label="Me and my manager" />
          <Radio value="team" label="My team" />
          <Radio value="public" label="Everyone" />
        </RadioGroup>
      </Field>
      <ProblemBar error={error} />
      <Button appearance="primary" type="submit" disabled={busy || visibility === outcome.visibility}>
        {busy ? "Saving…" : "Save"}
      </Button>{" "}
      <Button onClick={onCancel} disabled={busy}>
        Cancel
      </Button>
    </form>
  );
}
