import { Button, Field, Link, MessageBar, MessageBarActions, MessageBarBody, Text, Textarea, Title2, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { ApiError } from "../../api/client";
import { ROLE_ADMIN, ROLE_COMPLIANCE, type BoundaryWarning, type Outcome, type RecordedCheckIn } from "../../api/types";
import { AgreementCard } from "../../components/AgreementCard";
import { formatDay, isOpen, waitingOnMe } from "../../components/format";
import { ProgressCell } from "../../components/OutcomeTable";
import { ProblemBar, WarningsBar } from "../../components/ProblemBar";
import { ReasonDialog } from "../../components/ReasonDialog";
import { RiskApprovalDialog } from "../../components/RiskApprovalDialog";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { shareOutcome } from "../../host/teams";
import { useAskedDecision } from "../../hooks/useAskedDecision";
import { useResource } from "../../hooks/useResource";
import { nameOf, useNames, useSession } from "../../session";
import { AgreementHistory } from "./AgreementHistory";
import { CheckInForm, CheckInRecorded, CoachingQuestions } from "./CheckInForm";
import { CheckInList } from "./CheckInList";
import { ClosedVisibility } from "./ClosedVisibility";
import { EditOutcome } from "./EditOutcome";
import { ReviewForm, ReviewSummary } from "./ReviewForm";
import { takeWarnings } from "./warnings-handoff";

const useStyles = makeStyles({
  page: { display: "grid", gap: tokens.spacingVerticalL },
  head: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  facts: { display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0, "& dd": { margin: 0 }, "& dt": { fontWeight: tokens.fontWeightSemibold } },
  section: { display: "grid", gap: tokens.spacingVerticalS },
  progress: { maxWidth: "24rem" },
});

type Mode = "view" | "edit" | "visibility" | "check-in" | "recorded" | "review" | "drop";

function DropForm({ outcome, onDone, onCancel }: { outcome: Outcome; onDone: (o: Outcome) => void; onCancel: () => void }) {
  const { api } = useSession();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [tried, setTried] = useState(false);
  const missing = !reason.trim();
  return (
    <form
      aria-label="Propose to drop"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (missing) return;
        api.outcomes.drop(outcome.id, reason.trim()).then((r) => onDone(r.data), setError);
      }}
    >
      <Field label="Why drop it" required validationMessage={tried && missing ? "Give the reason; the other side agrees to a drop like any change." : undefined} validationState={tried && missing ? "error" : "none"}>
        <Textarea value={reason} onChange={(_, d) => setReason(d.value)} resize="vertical" />
      </Field>
      <ProblemBar error={error} />
      <Button appearance="primary" type="submit">
        Propose to drop
      </Button>{" "}
      <Button onClick={onCancel}>Cancel</Button>
    </form>
  );
}

/** The proposer of a change takes it back; the agreed what stays in force. */
function WithdrawProposal({ outcome, onDone, onOutdated }: { outcome: Outcome; onDone: (o: Outcome) => void; onOutdated: () => void }) {
  const { api } = useSession();
  const decision = useAskedDecision(onOutdated);
  const version = outcome.agreement.pending?.version;
  if (version === undefined) return null;
  return (
    <div>
      {!decision.asking && <ProblemBar error={decision.error} />}
      <Button onClick={decision.ask} disabled={decision.busy}>
        Withdraw version {version}
      </Button>
      <ReasonDialog
        {...decision.dialog(async (reason) => (await api.outcomes.withdraw(outcome.id, version, reason)).data, onDone)}
        title={`Withdraw version ${version}?`}
        busyLabel="Withdrawing…"
      >
        Your proposal is taken back; the agreed what stays in force.
      </ReasonDialog>
    </div>
  );
}

/** Compliance or an admin approves the risk class; the server refuses a party to the outcome, and the dialog shows why. */
function ApproveRisk({ outcome, onDone, onOutdated }: { outcome: Outcome; onDone: (o: Outcome) => void; onOutdated: () => void }) {
  const { api } = useSession();
  const decision = useAskedDecision(onOutdated);
  return (
    <>
      <MessageBarActions>
        <Button onClick={decision.ask} disabled={decision.busy}>
          Approve risk class
        </Button>
      </MessageBarActions>
      <RiskApprovalDialog outcome={outcome} {...decision.dialog(async (note) => (await api.outcomes.approveRisk(outcome.id, outcome.version, note)).data, onDone)} />
    </>
  );
}

/** One outcome: its what and how, the agreement, check-ins with coaching, and reviews. Deep-linkable (#/outcome/<id>). */
export default function OutcomePage({ id }: { id: string }) {
  const s = useStyles();
  const { api, me, host } = useSession();
  const [mode, setMode] = useState<Mode>("view");
  const [recorded, setRecorded] = useState<RecordedCheckIn | null>(null);
  const [copied, setCopied] = useState(false);
  // What warn-level boundaries said about the last save here (or about the outcome just created).
  const [warnings, setWarnings] = useState<{ id: string; items: BoundaryWarning[] | undefined }>(() => ({ id, items: takeWarnings(id) }));
  const outcome = useResource((signal) => api.outcomes.get(id, signal), [id]);
  const checkIns = useResource((signal) => api.outcomes.checkIns(id, signal), [id]);
  const status = outcome.data?.data.status;
  const reviews = useResource((signal) => (status === "missed" || status === "dropped" ? api.outcomes.reviews(id, signal) : Promise.resolve([])), [id, status]);
  const shown = outcome.data?.data;
  useNames([
    shown?.ownerId,
    shown?.managerId,
    shown?.agreement.approval.approvedBy,
    ...(shown?.delegateIds ?? []),
    ...(checkIns.data?.items.flatMap((c) => [c.authorId, ...c.comments.map((k) => k.authorId)]) ?? []),
  ]);

  if (outcome.error) {
    if (outcome.error instanceof ApiError && outcome.error.status === 404) {
      return (
        <EmptyState title="This outcome is not there">
          <Text>It does not exist, or it is private to its owner and their manager.</Text>
          <Link href="#/my">Back to my outcomes</Link>
        </EmptyState>
      );
    }
    return <ErrorState error={outcome.error} title="The outcome could not be loaded" onRetry={outcome.reload} />;
  }
  if (!outcome.data) return <Loading label="Loading the outcome…" />;
  const o = outcome.data.data;
  const etag = outcome.data.etag ?? `"v${o.version}"`;
  const isOwner = o.ownerId === me.id;
  const isManager = o.managerId === me.id;
  // Progress can be recorded while the outcome waits for agreement; only Done needs it agreed.
  const canCheckIn = isOpen(o) && (isOwner || o.delegateIds.includes(me.id));
  const refresh = () => {
    outcome.reload();
    checkIns.reload();
  };
  const replace = (next: Outcome, nextEtag: string | null) => {
    outcome.setData({ data: next, etag: nextEtag ?? `"v${next.version}"` });
    setWarnings({ id, items: next.warnings });
    setMode("view");
  };
  const show = (next: Mode) => {
    setWarnings({ id, items: undefined });
    setMode(next);
  };
  const copyLink = async () => {
    if (shareOutcome(host, o.id, o.title)) return;
    await navigator.clipboard?.writeText(`${location.origin}${location.pathname}${location.search}#/outcome/${encodeURIComponent(o.id)}`);
    setCopied(true);
  };

  return (
    <div className={s.page} data-testid="outcome-page" data-outcome-id={o.id}>
      <div className={s.head}>
        <Title2 as="h1">{o.title}</Title2>
        <StatusBadge status={o.status} />
      </div>
      <Text>
        Owner: {nameOf(o.ownerId, me)} · Manager: {nameOf(o.managerId, me)} · Version {o.version}
      </Text>
      {warnings.id === id && <WarningsBar warnings={warnings.items} />}
      {mode === "view" && (
        <div className={s.actions}>
          {canCheckIn && (
            <Button appearance="primary" onClick={() => show("check-in")}>
              Record a check-in
            </Button>
          )}
          {isOpen(o) && (isOwner || isManager) && <Button onClick={() => show("edit")}>Edit</Button>}
          {!isOpen(o) && isOwner && <Button onClick={() => show("visibility")}>Change who can see it</Button>}
          {(o.status === "missed" || o.status === "dropped") && (isOwner || isManager) && !reviews.data?.some((r) => r.authorId === me.id) && (
            <Button onClick={() => show("review")}>Write a review</Button>
          )}
          {isOpen(o) && (isOwner || isManager) && !o.agreement.pending && <Button onClick={() => show("drop")}>Propose to drop</Button>}
          <Button appearance="subtle" onClick={() => void copyLink()}>
            {host ? "Share link" : copied ? "Link copied" : "Copy link"}
          </Button>
        </div>
      )}

      {mode === "edit" && <EditOutcome outcome={o} etag={etag} onSaved={replace} onCancel={() => setMode("view")} />}
      {mode === "visibility" && (
        <ClosedVisibility
          outcome={o}
          etag={etag}
          onSaved={replace}
          onCancel={() => setMode("view")}
          onOutdated={() => {
            setMode("view");
            outcome.reload();
          }}
        />
      )}
      {mode === "check-in" && (
        <CheckInForm
          outcome={o}
          onCancel={() => setMode("view")}
          onRecorded={(r) => {
            setRecorded(r);
            setMode("recorded");
            refresh();
          }}
        />
      )}
      {mode === "recorded" && recorded && <CheckInRecorded result={recorded} onDone={() => setMode("view")} />}
      {mode === "review" && (
        <ReviewForm
          outcome={o}
          onCancel={() => setMode("view")}
          onSaved={(review) => {
            setWarnings({ id, items: review.warnings });
            setMode("view");
            reviews.reload();
          }}
        />
      )}
      {mode === "drop" && <DropForm outcome={o} onDone={(next) => replace(next, null)} onCancel={() => setMode("view")} />}

      {o.agreement.pending &&
        (waitingOnMe(o, me.id) ? (
          <AgreementCard outcome={o} onAgreed={(next) => replace(next, null)} onDeclined={(next) => replace(next, null)} onOutdated={outcome.reload} />
        ) : o.agreement.pending.waitingFor.length === 0 ? null : (
          <>
            <MessageBar intent="info">
              <MessageBarBody>
                Version {o.agreement.pending.version} waits for {o.agreement.pending.waitingFor.map((w) => (w === "owner" ? nameOf(o.ownerId, me) : nameOf(o.managerId, me))).join(" and ")} to agree.
              </MessageBarBody>
            </MessageBar>
            {isOpen(o) && o.agreement.agreedWhat && (o.agreement.pending.proposedBy === "owner" ? isOwner : isManager) && (
              <WithdrawProposal outcome={o} onDone={(next) => replace(next, null)} onOutdated={outcome.reload} />
            )}
          </>
        ))}
      {/* A closed outcome's class waits for nobody any more. */}
      {o.agreement.approval.state === "pending" && isOpen(o) && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            Its risk class “{o.riskClass}” needs a compliance approval before {o.agreement.pending && o.agreement.agreedWhat ? "the proposed change" : o.agreement.pending ? "the outcome" : "its next change"} can be agreed.
          </MessageBarBody>
          {(me.roles.includes(ROLE_COMPLIANCE) || me.roles.includes(ROLE_ADMIN)) && !isOwner && !isManager && !o.delegateIds.includes(me.id) && (
            <ApproveRisk outcome={o} onDone={(next) => replace(next, null)} onOutdated={outcome.reload} />
          )}
        </MessageBar>
      )}

      <section className={s.section} aria-labelledby="what-heading">
        <Title3 as="h2" id="what-heading">
          What{o.agreement.agreedWhat ? " (agreed)" : " (proposed)"}
        </Title3>
        <dl className={s.facts}>
          <dt>Measure</dt>
          <dd>
            {o.measure.metric}: from {o.measure.baseline} to {o.measure.target} {o.measure.unit}
          </dd>
          <dt>Progress</dt>
          <dd className={s.progress}>
            <ProgressCell outcome={o} />
          </dd>
          <dt>Deadline</dt>
          <dd>{formatDay(o.deadline)}</dd>
          <dt>If missed</dt>
          <dd>{o.ifMissed}</dd>
          <dt>Visible to</dt>
          <dd>{o.visibility === "private" ? "owner and manager" : o.visibility === "team" ? "the team" : "everyone"}</dd>
          {o.riskClass && (
            <>
              <dt>Risk class</dt>
              <dd>
                {o.riskClass}
                {o.agreement.approval.state === "approved" ? ` · approved by ${nameOf(o.agreement.approval.approvedBy, me)}` : o.agreement.approval.state === "pending" && isOpen(o) ? " · waiting for approval" : ""}
              </dd>
            </>
          )}
        </dl>
      </section>

      <section className={s.section} aria-labelledby="how-heading">
        <Title3 as="h2" id="how-heading">
          How (the owner’s approach)
        </Title3>
        {o.approach.plan || o.approach.tools?.length || o.approach.schedule ? (
          <dl className={s.facts}>
            {o.approach.plan && (
              <>
                <dt>Plan</dt>
                <dd>{o.approach.plan}</dd>
              </>
            )}
            {!!o.approach.tools?.length && (
              <>
                <dt>Tools</dt>
                <dd>{o.approach.tools.join(", ")}</dd>
              </>
            )}
            {o.approach.schedule && (
              <>
                <dt>Schedule</dt>
                <dd>{o.approach.schedule}</dd>
              </>
            )}
          </dl>
        ) : (
          <Text>{isOwner ? "You have not written down your approach yet; it is yours to choose." : "The owner has not written down an approach."}</Text>
        )}
      </section>

      <section className={s.section} aria-labelledby="check-ins-heading">
        <Title3 as="h2" id="check-ins-heading">
          Check-ins
        </Title3>
        {checkIns.error ? (
          <ErrorState error={checkIns.error} title="Check-ins could not be loaded" onRetry={checkIns.reload} />
        ) : !checkIns.data ? (
          <Loading label="Loading check-ins…" />
        ) : (
          <>
            {mode !== "recorded" && isOpen(o) && <CoachingQuestions questions={checkIns.data.coachingQuestions} title={isManager ? "Questions to ask at the next check-in" : "Questions to think about"} />}
            <CheckInList outcome={o} checkIns={checkIns.data.items} onChanged={checkIns.reload} />
          </>
        )}
      </section>

      {(o.status === "missed" || o.status === "dropped") && (
        <section className={s.section} aria-labelledby="reviews-heading">
          <Title3 as="h2" id="reviews-heading">
            Reviews
          </Title3>
          {reviews.error ? (
            <ErrorState error={reviews.error} onRetry={reviews.reload} />
          ) : !reviews.data ? (
            <Loading />
          ) : reviews.data.length === 0 ? (
            <Text>No review yet. A blameless review helps the team see what to change around the work.</Text>
          ) : (
            reviews.data.map((r) => <ReviewSummary key={r.id} review={r} />)
          )}
        </section>
      )}

      <AgreementHistory outcome={o} />
    </div>
  );
}
