import { Link, ProgressBar, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { Outcome } from "../api/types";
import { nameOf, useSession } from "../session";
import { describeDue, formatDay, nextCheckInOf, progressOf, type CheckInDue } from "./format";
import { StatusBadge } from "./StatusBadge";

const useStyles = makeStyles({
  wrap: { overflowX: "auto" },
  progress: { display: "grid", gap: tokens.spacingVerticalXXS, minWidth: "9rem" },
  title: { minWidth: "12rem" },
});

export function ProgressCell({ outcome }: { outcome: Outcome }) {
  const s = useStyles();
  const p = progressOf(outcome);
  const { baseline, target, current, unit } = outcome.measure;
  // A measure that goes down (cases from 420 to 350) is not "402 of 350".
  const text =
    current === null ? `Not started · ${baseline} → ${target} ${unit}` : target >= baseline ? `${current} of ${target} ${unit} (from ${baseline})` : `${current} ${unit}, down to ${target} (from ${baseline})`;
  return (
    <div className={s.progress}>
      <ProgressBar value={p ?? 0} max={1} thickness="large" aria-label={`Progress of ${outcome.title}: ${p === null ? "not started" : `${Math.round(p * 100)}%`}`} />
      <Text size={200}>{text}</Text>
    </div>
  );
}

export interface OutcomeTableProps {
  outcomes: Outcome[];
  caption: string;
  showOwner?: boolean;
  /** The server's next check-in per outcome id, where the page has it. */
  nextCheckIns?: Record<string, CheckInDue>;
}

export function OutcomeTable({ outcomes, caption, showOwner = false, nextCheckIns = {} }: OutcomeTableProps) {
  const s = useStyles();
  const { me } = useSession();
  return (
    <div className={s.wrap}>
      <Table aria-label={caption} size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Outcome</TableHeaderCell>
            {showOwner && <TableHeaderCell>Owner</TableHeaderCell>}
            <TableHeaderCell>Status</TableHeaderCell>
            <TableHeaderCell>Progress</TableHeaderCell>
            <TableHeaderCell>Deadline</TableHeaderCell>
            <TableHeaderCell>Next check-in</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {outcomes.map((o) => (
            <TableRow key={o.id} data-outcome-id={o.id}>
              <TableCell className={s.title}>
                <Link href={`#/outcome/${encodeURIComponent(o.id)}`}>{o.title}</Link>
              </TableCell>
              {showOwner && <TableCell>{nameOf(o.ownerId, me)}</TableCell>}
              <TableCell>
                <StatusBadge status={o.status} />
              </TableCell>
              <TableCell>
                <ProgressCell outcome={o} />
              </TableCell>
              <TableCell>{formatDay(o.deadline)}</TableCell>
              <TableCell>{describeDue(nextCheckInOf(o, nextCheckIns[o.id]))}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
