import { Badge, Button, Field, Link, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { formatInstant } from "../../components/format";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useResource } from "../../hooks/useResource";
import { nameOf, useNames, useSession } from "../../session";

const useStyles = makeStyles({
  section: { display: "grid", gap: tokens.spacingVerticalS },
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" },
  wrap: { overflowX: "auto" },
});

/** Blocked attempts and warnings recorded by the boundaries, newest first. */
export function FindingsPanel() {
  const s = useStyles();
  const { api, me } = useSession();
  const [enforcement, setEnforcement] = useState("");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useResource((signal) => api.governance.findings({ enforcement, cursor, limit: 25 }, signal), [enforcement, cursor]);
  useNames(page.data?.items.map((f) => f.actorId) ?? []);

  return (
    <section className={s.section} aria-labelledby="findings-heading" data-testid="boundary-findings">
      <Title3 as="h2" id="findings-heading">
        Boundary violations
      </Title3>
      <div className={s.row}>
        <Field label="Show">
          <Select
            value={enforcement}
            onChange={(_, d) => {
              setEnforcement(d.value);
              setCursors([null]);
            }}
          >
            <option value="">Blocked and warned</option>
            <option value="block">Blocked only</option>
            <option value="warn">Warnings only</option>
          </Select>
        </Field>
      </div>
      {page.error ? (
        <ErrorState error={page.error} title="Violations could not be loaded" onRetry={page.reload} />
      ) : !page.data ? (
        <Loading label="Loading violations…" />
      ) : page.data.items.length === 0 ? (
        <EmptyState title="No violations recorded" />
      ) : (
        <div className={s.wrap}>
          <Table aria-label="Boundary violations" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>When</TableHeaderCell>
                <TableHeaderCell>Boundary</TableHeaderCell>
                <TableHeaderCell>Result</TableHeaderCell>
                <TableHeaderCell>Who</TableHeaderCell>
                <TableHeaderCell>What</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.data.items.map((f) => (
                <TableRow key={f.id}>
                  <TableCell>{formatInstant(f.at)}</TableCell>
                  <TableCell>
                    {f.boundaryName} (v{f.boundaryVersion})
                  </TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={f.outcome === "blocked" ? "danger" : "warning"}>
                      {f.outcome === "blocked" ? "Blocked" : "Warned"}
                    </Badge>
                  </TableCell>
                  <TableCell>{nameOf(f.actorId, me)}</TableCell>
                  <TableCell>
                    <Text>{f.message}</Text>
                    {f.entity === "outcome" && f.entityId && (
                      <>
                        {" "}
                        <Link href={`#/outcome/${encodeURIComponent(f.entityId)}`}>Open outcome</Link>
                      </>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <div className={s.row}>
        <Button onClick={() => setCursors((c) => c.slice(0, -1))} disabled={cursors.length <= 1 || page.loading}>
          Newer
        </Button>
        <Button
          onClick={() => {
            // The page on screen stays until the next one arrives: its cursor is pushed once.
            const next = page.data?.nextCursor;
            if (next) setCursors((c) => (c[c.length - 1] === next ? c : [...c, next]));
          }}
          disabled={!page.data?.nextCursor || page.loading}
        >
          Older
        </Button>
      </div>
    </section>
  );
}
