import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens,
} from "@fluentui/react-components";
import type { AuditEvent } from "../../api/types";
import { formatInstant } from "../../components/format";

const useStyles = makeStyles({
  surface: { maxWidth: "56rem", width: "calc(100vw - 2rem)" },
  facts: { display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXXS, margin: 0, "& dd": { margin: 0 }, "& dt": { fontWeight: tokens.fontWeightSemibold } },
  mono: { fontFamily: tokens.fontFamilyMonospace, wordBreak: "break-all", whiteSpace: "pre-wrap" },
  changes: { marginTop: tokens.spacingVerticalM },
});

function show(value: unknown): string {
  if (value === undefined) return "—";
  if (value === null) return "(empty)";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 1);
}

/** One audit event: who did what to which entity, and each field before and after. */
export function EventDetail({ event, onClose }: { event: AuditEvent | null; onClose: () => void }) {
  const s = useStyles();
  return (
    <Dialog open={!!event} onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={s.surface} aria-label="Audit event">
        {event && (
          <DialogBody>
            <DialogTitle>
              Event {event.seq}: {event.action}
            </DialogTitle>
            <DialogContent>
              <dl className={s.facts}>
                <dt>When</dt>
                <dd>{formatInstant(event.occurredAt)}</dd>
                <dt>Who</dt>
                <dd>{event.actor.displayName ?? event.actor.id}</dd>
                <dt>What</dt>
                <dd>
                  {event.entity} <span className={s.mono}>{event.entityId}</span>
                </dd>
                {event.reason && (
                  <>
                    <dt>Reason</dt>
                    <dd>{event.reason}</dd>
                  </>
                )}
                <dt>Request</dt>
                <dd className={s.mono}>{event.requestId ?? "—"}</dd>
                <dt>Hash</dt>
                <dd className={s.mono}>{event.hash}</dd>
                <dt>Previous hash</dt>
                <dd className={s.mono}>{event.prevHash}</dd>
              </dl>
              <div className={s.changes}>
                {event.changes && Object.keys(event.changes).length > 0 ? (
                  <Table aria-label="Changes, before and after" size="small">
                    <TableHeader>
                      <TableRow>
                        <TableHeaderCell>Field</TableHeaderCell>
                        <TableHeaderCell>Before</TableHeaderCell>
                        <TableHeaderCell>After</TableHeaderCell>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {Object.entries(event.changes).map(([field, c]) => (
                        <TableRow key={field}>
                          <TableCell>{field}</TableCell>
                          <TableCell className={s.mono}>{show(c.before)}</TableCell>
                          <TableCell className={s.mono}>{show(c.after)}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                ) : event.changesText ? (
                  <Text className={s.mono}>{event.changesText}</Text>
                ) : (
                  <Text>No field changes recorded.</Text>
                )}
              </div>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={onClose}>
                Close
              </Button>
            </DialogActions>
          </DialogBody>
        )}
      </DialogSurface>
    </Dialog>
  );
}
