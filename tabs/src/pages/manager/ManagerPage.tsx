import { Button, Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { AgreementCard } from "../../components/AgreementCard";
import { formatInstant, isOpen, waitingOnMe } from "../../components/format";
import { OutcomeTable } from "../../components/OutcomeTable";
import { ProblemBar, WarningsBar } from "../../components/ProblemBar";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { CheckInBadge, StatusBadge } from "../../components/StatusBadge";
import { useResource } from "../../hooks/useResource";
import { nameOf, useSession } from "../../session";
import { CommentForm } from "../outcome/CheckInList";
import type { AddedComment, Outcome, SentNudge } from "../../api/types";
import { loadManager, type NudgeAllowance } from "./manager-data";

const useStyles = makeStyles({
  page: { display: "grid", gap: tokens.spacingVerticalXL },
  section: { display: "grid", gap: tokens.spacingVerticalS },
  list: { display: "grid", gap: tokens.spacingVerticalM, listStyleType: "none", margin: 0, padding: 0 },
  item: { display: "grid", gap: tokens.spacingVerticalXXS, borderLeft: `${tokens.strokeWidthThicker} solid ${tokens.colorNeutralStroke1}`, paddingLeft: tokens.spacingHorizontalM },
});

const REASONS: Record<string, string> = {
  at_risk: "at risk",
  awaiting_my_agreement: "waits for your agreement",
  past_deadline: "past its deadline",
  check_in_overdue: "check-in overdue",
};

function NudgeCell({ outcome, allowance, onSent }: { outcome: Outcome; allowance: NudgeAllowance | undefined; onSent: () => void }) {
  const { api } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<SentNudge | null>(null);
  const [busy, setBusy] = useState(false);
  const left = allowance?.left ?? null;
  const send = () => {
    setError(null);
    setBusy(true);
    api.outcomes
      .nudge(outcome.id)
      .then((r) => {
        setSent(r);
        onSent();
      }, setError)
      .finally(() => setBusy(false));
  };
  // Past the limit the server decides: a warning limit sends with a warning, a blocking one refuses and says why.
  return (
    <div>
      <Text>{left === null ? `${allowance?.thisWeek ?? 0} sent, no limit` : left === 0 ? `none of ${allowance?.limit} left this week` : `${left} of ${allowance?.limit} left`}</Text>{" "}
      <Button size="small" onClick={send} disabledFocusable={busy} aria-label={`Nudge ${nameOf(outcome.ownerId)} about ${outcome.title}`}>
        {busy ? "Sending…" : "Nudge"}
      </Button>
      {sent && <WarningsBar warnings={sent.warnings} />}
      <ProblemBar error={error} />
    </div>
  );
}

/** For managers: their people's outcomes, the agreements to give, check-ins to coach, and nudges left. */
export default function ManagerPage() {
  const s = useStyles();
  const { api, me } = useSession();
  const data = useResource((signal) => loadManager(api, me, signal), [me.id]);
  const [agreed, setAgreed] = useState<Outcome | null>(null);
  // A check-in leaves the list once commented on, so what a boundary warned about stays here.
  const [commented, setCommented] = useState<AddedComment | null>(null);

  if (me.directReports.length === 0) {
    return <EmptyState title="Nobody reports to you in Leeway" />;
  }
  if (data.error) return <ErrorState error={data.error} title="Your team could not be loaded" onRetry={data.reload} />;
  if (!data.data) return <Loading label="Loading your people's outcomes…" />;
  const { outcomes, toCoach, nudges, attention, nextCheckIns } = data.data;
  const waiting = outcomes.filter((o) => waitingOnMe(o, me.id));
  const open = outcomes.filter(isOpen);

  return (
    <div className={s.page} data-testid="manager-page">
      <Title2 as="h1">My people</Title2>

      {attention.length > 0 && (
        <section className={s.section} aria-labelledby="attention-heading">
          <Title3 as="h2" id="attention-heading">
            Needs attention
          </Title3>
          <ul className={s.list}>
            {attention.map((a) => (
              <li key={a.outcomeId} className={s.item}>
                <Text>
                  <Link href={`#/outcome/${encodeURIComponent(a.outcomeId)}`}>{a.title}</Link> · {nameOf(a.ownerId, me)} · {a.reasons.map((r) => REASONS[r] ?? r).join(", ")}
                </Text>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className={s.section} aria-labelledby="agree-heading">
        <Title3 as="h2" id="agree-heading">
          Agreements to give
        </Title3>
        {agreed && <WarningsBar warnings={agreed.warnings} />}
        {waiting.length === 0 ? (
          <Text>Nothing waits for your agreement.</Text>
        ) : (
          waiting.map((o) => (
            <AgreementCard
              key={o.id}
              outcome={o}
              onAgreed={(next) => {
                setAgreed(next);
                data.reload();
              }}
              onDeclined={data.reload}
              onOutdated={data.reload}
            />
          ))
        )}
      </section>

      <section className={s.section} aria-labelledby="coach-heading">
        <Title3 as="h2" id="coach-heading">
          Check-ins to coach
        </Title3>
        {commented && <WarningsBar warnings={commented.warnings} />}
        {toCoach.length === 0 ? (
          <Text>No recent check-in waits for a comment from you.</Text>
        ) : (
          <ul className={s.list}>
            {toCoach.map((c) => (
              <li key={c.id} className={s.item}>
                <Text>
                  <CheckInBadge status={c.status} /> <Link href={`#/outcome/${encodeURIComponent(c.outcome.id)}`}>{c.outcome.title}</Link> · {nameOf(c.authorId, me)} · {formatInstant(c.at)} · confidence {c.confidence}/5
                </Text>
                {c.note && <Text>{c.note}</Text>}
                {c.supportNeeded && <Text>Support needed: {c.supportNeeded}</Text>}
                <CommentForm
                  checkIn={c}
                  showWarnings={false}
                  onSending={() => setCommented(null)}
                  onAdded={(added) => {
                    setCommented(added);
                    data.reload();
                  }}
                />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className={s.section} aria-labelledby="nudges-heading">
        <Title3 as="h2" id="nudges-heading">
          Nudges left this week
        </Title3>
        <Text size={200}>Reminders count against the nudge limit per outcome; coaching at the check-in usually works better.</Text>
        {open.length === 0 ? (
          <Text>Your people have no open outcomes.</Text>
        ) : (
          <Table aria-label="Nudges left this week" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Outcome</TableHeaderCell>
                <TableHeaderCell>Owner</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Nudges</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {open.map((o) => (
                <TableRow key={o.id}>
                  <TableCell>
                    <Link href={`#/outcome/${encodeURIComponent(o.id)}`}>{o.title}</Link>
                  </TableCell>
                  <TableCell>{nameOf(o.ownerId, me)}</TableCell>
                  <TableCell>
                    <StatusBadge status={o.status} />
                  </TableCell>
                  <TableCell>
                    <NudgeCell outcome={o} allowance={nudges[o.id]} onSent={data.reload} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>

      <section className={s.section} aria-labelledby="people-heading">
        <Title3 as="h2" id="people-heading">
          Their outcomes
        </Title3>
        {outcomes.length === 0 ? <EmptyState title="Your people have no outcomes yet" /> : <OutcomeTable outcomes={outcomes} caption="My people's outcomes" showOwner nextCheckIns={nextCheckIns} />}
      </section>
    </div>
  );
}
