import { Text, Title3, makeStyles, tokens } from "@fluentui/react-components";
import type { Me, Outcome } from "../../api/types";
import type { AgreementStep } from "../../api/outcomes";
import { formatDay, formatInstant } from "../../components/format";
import { ErrorState, Loading } from "../../components/States";
import { useResource } from "../../hooks/useResource";
import { nameOf, useNames, useSession } from "../../session";

const useStyles = makeStyles({
  section: { display: "grid", gap: tokens.spacingVerticalS },
  list: { listStyle: "none", margin: 0, padding: 0, display: "grid", gap: tokens.spacingVerticalM },
  step: {
    display: "grid",
    gap: tokens.spacingVerticalXS,
    paddingLeft: tokens.spacingHorizontalM,
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke1}`,
  },
  facts: { display: "grid", gridTemplateColumns: "minmax(8rem, max-content) 1fr", columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXXS, margin: 0, "& dd": { margin: 0 }, "& dt": { fontWeight: tokens.fontWeightSemibold } },
});

const KIND_LABEL: Record<AgreementStep["kind"], string> = { create: "New outcome", change: "Change", drop: "Drop" };

/** What became of a version, in words: who decided it when that is known. */
function stateOf(step: AgreementStep, me: Me): string {
  const by = step.decidedBy ? ` by ${nameOf(step.decidedBy, me)}` : "";
  switch (step.state) {
    case "pending":
      return "Waiting for agreement";
    case "agreed":
      return "Agreed";
    case "superseded":
      return `Superseded by a later proposal${step.decidedBy ? ` from ${nameOf(step.decidedBy, me)}` : ""}`;
    case "withdrawn":
      return `Withdrawn${by}`;
    case "declined":
      return `Declined${by}`;
  }
}

/** Who has accepted a version that still waits, so the reader sees whose agreement is missing. */
function acceptedSoFar(step: AgreementStep): string | null {
  const accepted = [step.ownerAcceptedAt && `the owner on ${formatInstant(step.ownerAcceptedAt)}`, step.managerAcceptedAt && `the manager on ${formatInstant(step.managerAcceptedAt)}`].filter(Boolean);
  return accepted.length ? `Accepted by ${accepted.join(" and ")}` : null;
}

function Step({ step, me }: { step: AgreementStep; me: Me }) {
  const s = useStyles();
  const headingId = `agreement-version-${step.version}`;
  const { what } = step;
  const accepted = step.state === "pending" ? acceptedSoFar(step) : null;
  return (
    <li className={s.step} aria-labelledby={headingId}>
      <Text as="h3" weight="semibold" id={headingId}>
        Version {step.version} · {KIND_LABEL[step.kind]}
      </Text>
      <dl className={s.facts}>
        <dt>Proposed by</dt>
        <dd>
          {nameOf(step.proposedBy, me)} as {step.proposedAs}, {formatInstant(step.createdAt)}
        </dd>
        {step.reason && (
          <>
            <dt>Reason</dt>
            <dd>{step.reason}</dd>
          </>
        )}
        <dt>What</dt>
        <dd>
          {what.title} · target {what.measure.target} {what.measure.unit} · deadline {formatDay(what.deadline)}
        </dd>
        <dt>State</dt>
        <dd>
          {stateOf(step, me)}
          {step.decidedAt && step.state !== "pending" && `, ${formatInstant(step.decidedAt)}`}
          {accepted && ` (${accepted})`}
        </dd>
        {step.decisionReason && (
          <>
            <dt>{step.state === "declined" ? "Why declined" : step.state === "withdrawn" ? "Why withdrawn" : "Why"}</dt>
            <dd>{step.decisionReason}</dd>
          </>
        )}
      </dl>
    </li>
  );
}

/** Every version of the what, newest first: who proposed it and why, and what became of it. */
export function AgreementHistory({ outcome }: { outcome: Outcome }) {
  const s = useStyles();
  const { api, me } = useSession();
  // Keyed on the outcome's version: every agreement, decline, withdrawal or edit moves it on.
  const history = useResource((signal) => api.outcomes.history(outcome.id, signal), [outcome.id, outcome.version]);
  const steps = history.data ? [...history.data].sort((a, b) => b.version - a.version) : [];
  useNames(steps.flatMap((step) => [step.proposedBy, step.decidedBy]));

  return (
    <section className={s.section} aria-labelledby="agreement-history-heading" data-testid="agreement-history">
      <Title3 as="h2" id="agreement-history-heading">
        Agreement history
      </Title3>
      {history.error ? (
        <ErrorState error={history.error} title="The agreement history could not be loaded" onRetry={history.reload} />
      ) : !history.data ? (
        <Loading label="Loading the agreement history…" />
      ) : steps.length === 0 ? (
        <Text>No version of the what has been proposed yet.</Text>
      ) : (
        // role="list": some screen readers drop list semantics from a list drawn without markers.
        <ol className={s.list} role="list">
          {steps.map((step) => (
            <Step key={step.version} step={step} me={me} />
          ))}
        </ol>
      )}
    </section>
  );
}
