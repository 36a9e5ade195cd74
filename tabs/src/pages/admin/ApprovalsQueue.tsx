import { Button, Field, Input, Text, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { ApiError } from "../../api/client";
import type { Boundary } from "../../api/types";
import { formatInstant } from "../../components/format";
import { ProblemBar } from "../../components/ProblemBar";
import { ErrorState, Loading } from "../../components/States";
import { useResource } from "../../hooks/useResource";
import { useTeams } from "../../hooks/useTeams";
import { nameOf, useSession } from "../../session";
import { kindLabel, scopeText } from "./boundary-model";

const useStyles = makeStyles({
  section: { display: "grid", gap: tokens.spacingVerticalS },
  list: { display: "grid", gap: tokens.spacingVerticalM, listStyleType: "none", margin: 0, padding: 0 },
  item: {
    display: "grid",
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
  },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "end", flexWrap: "wrap" },
});

function Pending({ boundary, teamName, onDecided, onReplaced }: { boundary: Boundary; teamName: (id: string) => string; onDecided: () => void; onReplaced: (error: ApiError) => void }) {
  const s = useStyles();
  const { api, me } = useSession();
  const [note, setNote] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const p = boundary.pending;
  if (!p) return null;
  const mine = p.proposedBy === me.id;
  const decide = async (decision: "approve" | "reject") => {
    setBusy(true);
    setError(null);
    try {
      await api.governance.decide(boundary.id, p.version, decision, note.trim() || undefined);
      onDecided();
    } catch (err) {
      // Someone decided first, or a newer change took this one's place: nothing was decided, and
      // the queue is read again so the person sees what now waits.
      if (err instanceof ApiError && (err.status === 412 || err.problem.code === "nothing_pending")) return onReplaced(err);
      setError(err);
      setBusy(false);
    }
  };
  return (
    <li className={s.item} data-pending-boundary={boundary.id}>
      <Text weight="semibold">
        {p.change === "create" ? "New" : p.change === "retire" ? "Retire" : "Change"}: {p.name} (version {p.version})
      </Text>
      <Text>
        {kindLabel(boundary.kind)} · {p.enforcement === "block" ? "blocks" : "warns"} · {scopeText(p, teamName)}
      </Text>
      <Text>Rule: {p.ruleText}</Text>
      {boundary.state === "active" && p.change !== "create" && <Text size={200}>In force until approved: {boundary.ruleText}</Text>}
      {p.reason && <Text>Reason: {p.reason}</Text>}
      <Text size={200}>
        Proposed by {nameOf(p.proposedBy, me)} on {formatInstant(p.proposedAt)}
      </Text>
      {mine ? (
        <Text>You proposed this change; a different admin or compliance officer approves it.</Text>
      ) : (
        <div className={s.actions}>
          <Field label="Note (optional)">
            <Input value={note} onChange={(_, d) => setNote(d.value)} />
          </Field>
          <Button appearance="primary" onClick={() => void decide("approve")} disabled={busy}>
            Approve
          </Button>
          <Button onClick={() => void decide("reject")} disabled={busy}>
            Reject
          </Button>
        </div>
      )}
      <ProblemBar error={error} />
    </li>
  );
}

/** Boundary changes waiting for a second person (maker-checker); nobody approves their own. */
export function ApprovalsQueue({ refreshKey = 0, onDecided }: { refreshKey?: number; onDecided?: () => void }) {
  const s = useStyles();
  const { api } = useSession();
  const { nameOf: teamName } = useTeams();
  const [replaced, setReplaced] = useState<ApiError | null>(null);
  const queue = useResource((signal) => api.governance.boundaries({ state: "pending_approval" }, signal), [refreshKey]);
  return (
    <section className={s.section} aria-labelledby="approvals-heading" data-testid="approvals-queue">
      <Title3 as="h2" id="approvals-heading">
        Waiting for approval
      </Title3>
      {replaced && (
        <div data-testid="approval-replaced">
          <Text>Nothing was decided: the change you were looking at is no longer the one waiting. Read the queue again before deciding.</Text>
          <ProblemBar error={replaced} />
        </div>
      )}
      {queue.error ? (
        <ErrorState error={queue.error} title="The approvals could not be loaded" onRetry={queue.reload} />
      ) : !queue.data ? (
        <Loading label="Loading approvals…" />
      ) : queue.data.length === 0 ? (
        <Text>No boundary change waits for approval.</Text>
      ) : (
        <ul className={s.list}>
          {queue.data.map((b) => (
            <Pending
              key={`${b.id}-${b.pendingVersion ?? ""}`}
              boundary={b}
              teamName={teamName}
              onDecided={() => {
                setReplaced(null);
                queue.reload();
                onDecided?.();
              }}
              onReplaced={(err) => {
                setReplaced(err);
                queue.reload();
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
