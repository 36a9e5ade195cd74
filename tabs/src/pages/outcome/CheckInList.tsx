import { Button, Field, Input, Radio, RadioGroup, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type FormEvent } from "react";
import type { AddedComment, BoundaryWarning, CheckIn, Outcome } from "../../api/types";
import { formatInstant } from "../../components/format";
import { ProblemBar, WarningsBar } from "../../components/ProblemBar";
import { EmptyState } from "../../components/States";
import { CheckInBadge } from "../../components/StatusBadge";
import { nameOf, useSession } from "../../session";

const useStyles = makeStyles({
  list: { display: "grid", gap: tokens.spacingVerticalM, listStyleType: "none", margin: 0, padding: 0 },
  item: { borderLeft: `${tokens.strokeWidthThicker} solid ${tokens.colorNeutralStroke1}`, paddingLeft: tokens.spacingHorizontalM, display: "grid", gap: tokens.spacingVerticalXXS },
  head: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", flexWrap: "wrap" },
  comments: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  comment: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "end", flexWrap: "wrap" },
});

/**
 * A comment on a check-in; what a warning boundary found is shown under the form, unless the page
 * shows it (`showWarnings` false, with `onSending` to clear what it showed for an earlier comment).
 */
export function CommentForm({ checkIn, onAdded, onSending, showWarnings = true }: { checkIn: CheckIn; onAdded: (added: AddedComment) => void; onSending?: () => void; showWarnings?: boolean }) {
  const s = useStyles();
  const { api } = useSession();
  const [text, setText] = useState("");
  const [kind, setKind] = useState<"coaching" | "directive">("coaching");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [warnings, setWarnings] = useState<BoundaryWarning[]>([]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    setWarnings([]);
    onSending?.();
    try {
      const added = await api.outcomes.comment(checkIn.id, text.trim(), kind);
      setWarnings(added.warnings);
      setText("");
      onAdded(added);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Comment on this check-in">
      <div className={s.comment}>
        <Field label="Comment" hint="Ask a question or offer support; both are counted">
          <Input value={text} onChange={(_, d) => setText(d.value)} />
        </Field>
        <RadioGroup layout="horizontal" value={kind} onChange={(_, d) => setKind(d.value as "coaching" | "directive")} aria-label="Kind of comment">
          <Radio value="coaching" label="Coaching" />
          <Radio value="directive" label="Directive" />
        </RadioGroup>
        <Button type="submit" disabled={busy || !text.trim()}>
          Add comment
        </Button>
      </div>
      <ProblemBar error={error} />
      {showWarnings && <WarningsBar warnings={warnings} />}
    </form>
  );
}

export function CheckInList({ outcome, checkIns, onChanged }: { outcome: Outcome; checkIns: CheckIn[]; onChanged: () => void }) {
  const s = useStyles();
  const { me } = useSession();
  if (checkIns.length === 0) {
    return (
      <EmptyState title="No check-ins yet">
        <Text>The owner records how it is going on the team's rhythm (weekly or every two weeks).</Text>
      </EmptyState>
    );
  }
  // Comments are how the people close to the work coach: the server takes them from the owner's
  // manager chain, people the owner named to act for them, and the outcome's team. The session
  // knows the direct manager (not managers further up). The owner speaks through the check-in itself.
  // Teammates only where the outcome is the team's to see, as the server has it.
  const canComment =
    outcome.ownerId !== me.id &&
    (outcome.managerId === me.id || me.directReports.some((r) => r.id === outcome.ownerId) || outcome.delegateIds.includes(me.id) || (outcome.visibility !== "private" && me.teams.some((t) => t.id === outcome.teamId)));
  return (
    <ol className={s.list} aria-label="Check-ins, newest first">
      {checkIns.map((c) => (
        <li key={c.id} className={s.item} data-check-in-id={c.id}>
          <div className={s.head}>
            <CheckInBadge status={c.status} />
            <Text weight="semibold">{formatInstant(c.at)}</Text>
            <Text size={200}>
              by {nameOf(c.authorId, me)} · confidence {c.confidence}/5 · progress {c.progress} {outcome.measure.unit} · {c.mode === "meeting" ? "meeting" : "written"}
            </Text>
          </div>
          {c.redacted && <Text italic>The text of this check-in was removed under the retention rule.</Text>}
          {c.note && <Text>{c.note}</Text>}
          {c.blockers && <Text>Blockers: {c.blockers}</Text>}
          {c.supportNeeded && <Text>Support needed: {c.supportNeeded}</Text>}
          {c.nextStep && <Text>Next step: {c.nextStep}</Text>}
          {c.ideas.length > 0 && <Text>Ideas: {c.ideas.join("; ")}</Text>}
          {c.comments.length > 0 && (
            <ul className={s.comments} aria-label="Comments">
              {c.comments.map((m) => (
                <li key={m.id}>
                  <Text>
                    {nameOf(m.authorId, me)} ({m.kind}): {m.text ?? "(removed)"}
                  </Text>
                </li>
              ))}
            </ul>
          )}
          {canComment && <CommentForm checkIn={c} onAdded={onChanged} />}
        </li>
      ))}
    </ol>
  );
}
