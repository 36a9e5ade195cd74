import { Button, Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import type { Outcome } from "../../api/types";
import { formatDay, formatInstant, isOpen } from "../../components/format";
import { RiskApprovalDialog } from "../../components/RiskApprovalDialog";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useAskedDecision } from "../../hooks/useAskedDecision";
import { useResource } from "../../hooks/useResource";
import { nameOf, useNames, useSession } from "../../session";

const useStyles = makeStyles({
  section: { display: "grid", gap: tokens.spacingVerticalS },
  wrap: { overflowX: "auto" },
});

/**
 * Outcomes whose risk class waits for a compliance approval, oldest first, each with the button
 * that approves it. The server refuses a party to the outcome; the refusal shows in the dialog.
 */
export function RiskApprovals() {
  const s = useStyles();
  const { api, me } = useSession();
  const waiting = useResource((signal) => api.outcomes.listAll({ approval: "pending" }, signal), []);
  // The row whose Approve was pressed; the dialog asks about it.
  const [approving, setApproving] = useState<Outcome | null>(null);
  const [approved, setApproved] = useState<Outcome | null>(null);
  const decision = useAskedDecision(waiting.reload);
  // A closed outcome's class waits for nobody any more.
  const items = waiting.data ? waiting.data.filter(isOpen).sort((a, b) => a.createdAt.localeCompare(b.createdAt)) : [];
  useNames(items.map((o) => o.ownerId));

  return (
    <section className={s.section} aria-labelledby="risk-approvals-heading" data-testid="risk-approvals">
      <Title3 as="h2" id="risk-approvals-heading">
        Risk classes waiting for approval
      </Title3>
      {/* Mounted before it has anything to say, so screen readers announce the approval. */}
      <Text role="status">{approved ? `The risk class of “${approved.title}” is approved${approved.status === "agreed" ? "; the outcome is agreed." : "."}` : ""}</Text>
      {waiting.error ? (
        <ErrorState error={waiting.error} title="Outcomes waiting for approval could not be loaded" onRetry={waiting.reload} />
      ) : !waiting.data ? (
        <Loading label="Loading outcomes waiting for approval…" />
      ) : items.length === 0 ? (
        <EmptyState title="Nothing waits for a risk-class approval" />
      ) : (
        <div className={s.wrap}>
          <Table aria-label="Risk classes waiting for approval" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Outcome</TableHeaderCell>
                <TableHeaderCell>Risk class</TableHeaderCell>
                <TableHeaderCell>Owner</TableHeaderCell>
                <TableHeaderCell>Proposed</TableHeaderCell>
                <TableHeaderCell>Deadline</TableHeaderCell>
                <TableHeaderCell>Decision</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((o) => (
                <TableRow key={o.id}>
                  <TableCell>
                    <Link href={`#/outcome/${encodeURIComponent(o.id)}`}>{o.title}</Link>
                  </TableCell>
                  <TableCell>{o.riskClass}</TableCell>
                  <TableCell>{nameOf(o.ownerId, me)}</TableCell>
                  <TableCell>{formatInstant(o.createdAt)}</TableCell>
                  <TableCell>{formatDay(o.deadline)}</TableCell>
                  <TableCell>
                    <Button
                      size="small"
                      aria-label={`Approve the risk class of ${o.title}`}
                      onClick={() => {
                        setApproved(null);
                        setApproving(o);
                        decision.ask();
                      }}
                    >
                      Approve
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {approving && (
        <RiskApprovalDialog
          outcome={approving}
          {...decision.dialog(
            async (note) => (await api.outcomes.approveRisk(approving.id, approving.version, note)).data,
            (next) => {
              setApproved(next);
              waiting.reload();
            },
          )}
        />
      )}
    </section>
  );
}
