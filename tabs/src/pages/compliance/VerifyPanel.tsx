import { Badge, Button, Text, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { formatInstant } from "../../components/format";
import { ErrorState, Loading } from "../../components/States";
import { useResource } from "../../hooks/useResource";
import { useSession } from "../../session";

const useStyles = makeStyles({
  section: { display: "grid", gap: tokens.spacingVerticalS },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
  hash: { fontFamily: tokens.fontFamilyMonospace, wordBreak: "break-all" },
  facts: { display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXXS, margin: 0, "& dd": { margin: 0 }, "& dt": { fontWeight: tokens.fontWeightSemibold } },
});

/** The hash chain checked by the server now, with the latest signed checkpoint. */
export function VerifyPanel() {
  const s = useStyles();
  const { api } = useSession();
  const report = useResource((signal) => api.governance.verify(signal), []);
  const r = report.data;
  return (
    <section className={s.section} aria-labelledby="verify-heading" data-testid="chain-status">
      <div className={s.row}>
        <Title3 as="h2" id="verify-heading">
          Audit chain
        </Title3>
        {r && (
          <Badge appearance="filled" color={r.ok ? "success" : "danger"} data-testid="chain-verdict">
            {r.ok ? "Chain verified" : "Chain broken"}
          </Badge>
        )}
        <Button size="small" onClick={report.reload} disabled={report.loading}>
          {report.loading ? "Verifying…" : "Verify again"}
        </Button>
      </div>
      {report.error ? (
        <ErrorState error={report.error} title="The chain could not be verified" onRetry={report.reload} />
      ) : !r ? (
        <Loading label="Verifying the audit chain…" />
      ) : (
        <dl className={s.facts}>
          <dt>Result</dt>
          <dd>{r.ok ? `All ${r.events} events link up; nothing was changed or removed in between.` : `Broken at event ${r.firstBadSeq ?? "?"}: ${r.problem ?? "the stored hash does not match"}. ${r.events} events verified before it.`}</dd>
          <dt>Head hash</dt>
          <dd className={s.hash}>{r.headHash}</dd>
          <dt>Latest signed checkpoint</dt>
          <dd>
            {r.checkpoints.latest
              ? `Event ${r.checkpoints.latest.seq}, signed ${formatInstant(r.checkpoints.latest.signedAt)}: signature ${r.checkpoints.latest.signatureValid ? "valid" : "INVALID"}, ${r.checkpoints.latest.matchesChain ? "matches the chain" : "does NOT match the chain"}`
              : "None yet"}
            {r.checkpoints.checked > 0 ? ` (${r.checkpoints.checked} checked)` : ""}
          </dd>
          <dt>Verified at</dt>
          <dd>
            <Text>{formatInstant(r.verifiedAt)}</Text>
          </dd>
        </dl>
      )}
    </section>
  );
}
