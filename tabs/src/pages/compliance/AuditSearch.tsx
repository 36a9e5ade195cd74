import { Button, Field, Input, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type FormEvent } from "react";
import { ApiError } from "../../api/client";
import type { AuditEvent } from "../../api/types";
import { formatInstant, localDayEnd, localDayStart } from "../../components/format";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useResource } from "../../hooks/useResource";
import { rememberName, useSession } from "../../session";
import { EventDetail } from "./EventDetail";

const useStyles = makeStyles({
  section: { display: "grid", gap: tokens.spacingVerticalS },
  filters: { display: "grid", gap: tokens.spacingHorizontalM, gridTemplateColumns: "repeat(auto-fit, minmax(11rem, 1fr))", alignItems: "start" },
  buttons: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center", gridColumn: "1 / -1" },
  pager: { display: "flex", gap: tokens.spacingHorizontalS, alignItems: "center" },
  wrap: { overflowX: "auto" },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
});

interface Filters {
  action: string;
  entity: string;
  entityId: string;
  actorId: string;
  from: string;
  to: string;
  limit: string;
}

const EMPTY: Filters = { action: "", entity: "", entityId: "", actorId: "", from: "", to: "", limit: "25" };

/** Search the audit trail by entity, actor, action and period, newest first, a page at a time. */
export function AuditSearch() {
  const s = useStyles();
  const { api } = useSession();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  // Cursors of the pages before the current one, so "Newer" can step back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<AuditEvent | null>(null);
  const cursor = cursors[cursors.length - 1] ?? null;
  const dateError = draft.from && draft.to && draft.to < draft.from ? "The end must not be before the start." : undefined;

  const page = useResource(
    (signal) =>
      // A date-only from/to is a whole UTC day on the server; the page shows times in the reader's
      // zone, so the days picked are sent as the instants that open and close them here.
      api.governance.auditEvents({ ...applied, from: localDayStart(applied.from), to: localDayEnd(applied.to), cursor }, signal).then((p) => {
        for (const e of p.items) rememberName(e.actor.id, e.actor.displayName);
        return p;
      }),
    [applied, cursor],
  );

  const search = (e: FormEvent) => {
    e.preventDefault();
    if (dateError) return;
    setApplied({ ...draft });
    setCursors([null]);
  };
  const set = (k: keyof Filters) => (_: unknown, d: { value: string }) => setDraft((f) => ({ ...f, [k]: d.value }));
  // A filter the server refused (a UPN in "Actor id", say) is named beside its field, while the
  // search it belongs to is the one shown.
  const refused = page.error instanceof ApiError ? page.error.fieldErrors() : {};
  const refusal = (k: keyof Filters) => (refused[k] && draft[k] === applied[k] ? { validationMessage: refused[k], validationState: "error" as const } : {});

  return (
    <section className={s.section} aria-labelledby="search-heading" data-testid="audit-search">
      <Title3 as="h2" id="search-heading">
        Search the audit trail
      </Title3>
      <form className={s.filters} onSubmit={search} aria-label="Audit search filters">
        <Field label="Action" hint="e.g. outcome.created" {...refusal("action")}>
          <Input name="action" value={draft.action} onChange={set("action")} />
        </Field>
        <Field label="Entity" hint="e.g. outcome, boundary" {...refusal("entity")}>
          <Input name="entity" value={draft.entity} onChange={set("entity")} />
        </Field>
        <Field label="Entity id" {...refusal("entityId")}>
          <Input name="entityId" value={draft.entityId} onChange={set("entityId")} />
        </Field>
        <Field label="Actor id" {...refusal("actorId")}>
          <Input name="actorId" value={draft.actorId} onChange={set("actorId")} />
        </Field>
        <Field label="From" hint="Start of the day, your time zone" {...refusal("from")}>
          <Input name="from" type="date" value={draft.from} onChange={set("from")} />
        </Field>
        <Field label="To" hint="End of the day, your time zone" validationMessage={dateError} validationState={dateError ? "error" : "none"}>
          <Input name="to" type="date" value={draft.to} onChange={set("to")} />
        </Field>
        <Field label="Per page">
          <Select name="limit" value={draft.limit} onChange={set("limit")}>
            <option value="25">25</option>
            <option value="50">50</option>
            <option value="100">100</option>
          </Select>
        </Field>
        <div className={s.buttons}>
          <Button appearance="primary" type="submit">
            Search
          </Button>
          <Button
            onClick={() => {
              setDraft(EMPTY);
              setApplied(EMPTY);
              setCursors([null]);
            }}
          >
            Clear
          </Button>
        </div>
      </form>

      {page.error ? (
        <ErrorState error={page.error} title="The search failed" onRetry={page.reload} />
      ) : !page.data ? (
        <Loading label="Searching…" />
      ) : page.data.items.length === 0 ? (
        <EmptyState title="No events match these filters" />
      ) : (
        <div className={s.wrap}>
          <Table aria-label="Audit events" size="small" data-testid="audit-results">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>#</TableHeaderCell>
                <TableHeaderCell>When</TableHeaderCell>
                <TableHeaderCell>Who</TableHeaderCell>
                <TableHeaderCell>Action</TableHeaderCell>
                <TableHeaderCell>Entity</TableHeaderCell>
                <TableHeaderCell>Details</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.data.items.map((e) => (
                <TableRow key={e.seq} data-seq={e.seq}>
                  <TableCell>{e.seq}</TableCell>
                  <TableCell>{formatInstant(e.occurredAt)}</TableCell>
                  <TableCell>{e.actor.displayName ?? e.actor.id}</TableCell>
                  <TableCell>{e.action}</TableCell>
                  <TableCell>
                    {e.entity} <span className={s.mono}>{e.entityId.slice(0, 8)}</span>
                  </TableCell>
                  <TableCell>
                    <Button size="small" onClick={() => setSelected(e)} aria-label={`Details of event ${e.seq}`}>
                      Details
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <div className={s.pager}>
        <Button onClick={() => setCursors((c) => c.slice(0, -1))} disabled={cursors.length <= 1 || page.loading}>
          Newer
        </Button>
        <Text>Page {cursors.length}</Text>
        <Button onClick={() => page.data?.nextCursor && setCursors((c) => [...c, page.data?.nextCursor ?? null])} disabled={!page.data?.nextCursor || page.loading}>
          Older
        </Button>
      </div>
      <EventDetail event={selected} onClose={() => setSelected(null)} />
    </section>
  );
}
