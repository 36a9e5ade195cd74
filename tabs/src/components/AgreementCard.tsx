import { Button, Link, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { Outcome } from "../api/types";
import { useAskedDecision } from "../hooks/useAskedDecision";
import { nameOf, useSession } from "../session";
import { formatDay } from "./format";
import { ProblemBar } from "./ProblemBar";
import { ReasonDialog } from "./ReasonDialog";

const useStyles = makeStyles({
  card: {
    maxWidth: "40rem",
    display: "grid",
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
  },
  what: { display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXXS, margin: 0, "& dd": { margin: 0 } },
  term: { fontWeight: tokens.fontWeightSemibold },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
});

export interface AgreementCardProps {
  outcome: Outcome;
  /** The outcome as the agreement left it, with any boundary warnings. */
  onAgreed: (o: Outcome) => void;
  /** The change was declined: the agreed what stays in force. */
  onDeclined: (o: Outcome) => void;
  /** The version on the card is no longer the one to accept (409): load the outcome again. */
  onOutdated: () => void;
}

/** One version of the *what* on the table, and the button that accepts exactly that version. */
export function AgreementCard({ outcome, onAgreed, onDeclined, onOutdated }: AgreementCardProps) {
  const s = useStyles();
  const { api, me } = useSession();
  const { busy, error, run, asking: declining, ask, dialog } = useAskedDecision(onOutdated);
  const pending = outcome.agreement.pending;
  if (!pending) return null;
  const proposer = pending.proposedBy === "owner" ? nameOf(outcome.ownerId, me) : `${nameOf(outcome.managerId, me)}, manager`;
  const what = pending.what;

  // Before the first agreement the proposal is the outcome itself: it is agreed, changed or dropped.
  const declinable = outcome.agreement.agreedWhat !== null;
  const agree = () => run(async () => onAgreed((await api.outcomes.agree(outcome.id, pending.version)).data));

  return (
    <article className={s.card} data-agreement-for={outcome.id} aria-label={`Agreement: ${what.title}`}>
      <div>
        <Text as="h3" weight="semibold" block>
          {what.title}
        </Text>
        <Text size={200}>
          {pending.kind === "drop" ? "Proposed to drop" : outcome.agreement.agreedWhat ? "Proposed change" : "New outcome"} · version {pending.version} · by {proposer}
        </Text>
      </div>
      <dl className={s.what}>
        <dt className={s.term}>Measure</dt>
        <dd>
          {what.measure.metric}: {what.measure.baseline} → {what.measure.target} {what.measure.unit}
        </dd>
        <dt className={s.term}>Deadline</dt>
        <dd>{formatDay(what.deadline)}</dd>
        <dt className={s.term}>If missed</dt>
        <dd>{what.ifMissed}</dd>
        {pending.reason && (
          <>
            <dt className={s.term}>Reason</dt>
            <dd>{pending.reason}</dd>
          </>
        )}
      </dl>
      {!declining && <ProblemBar error={error} />}
      <div className={s.actions}>
        <Button appearance="primary" onClick={() => void agree()} disabled={busy}>
          {busy && !declining ? "Saving…" : `Agree to version ${pending.version}`}
        </Button>
        {declinable && (
          <Button onClick={ask} disabled={busy}>
            Decline
          </Button>
        )}
        <Link href={`#/outcome/${encodeURIComponent(outcome.id)}`}>Open</Link>
      </div>
      {declinable && (
        <ReasonDialog
          {...dialog(async (reason) => (await api.outcomes.withdraw(outcome.id, pending.version, reason)).data, onDeclined)}
          title={`Decline version ${pending.version}?`}
          busyLabel="Declining…"
        >
          Version {pending.version}, proposed by {proposer}, will not take effect; the agreed what stays in force.
        </ReasonDialog>
      )}
    </article>
  );
}
