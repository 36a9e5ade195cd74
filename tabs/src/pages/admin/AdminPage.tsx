import {
  Badge, Button, Field, Select, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Textarea, Title2, Title3, makeStyles, tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import type { Boundary } from "../../api/types";
import { formatUtcDay } from "../../components/format";
import { ProblemBar } from "../../components/ProblemBar";
import { ErrorState, EmptyState, Loading } from "../../components/States";
import { useResource } from "../../hooks/useResource";
import { useTeams } from "../../hooks/useTeams";
import { useSession } from "../../session";
import { ApprovalsQueue } from "./ApprovalsQueue";
import { BoundaryForm } from "./BoundaryForm";
import { KINDS, kindLabel, scopeText } from "./boundary-model";

const useStyles = makeStyles({
  page: { display: "grid", gap: tokens.spacingVerticalXL },
  head: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
  push: { marginLeft: "auto" },
  section: { display: "grid", gap: tokens.spacingVerticalS },
  filters: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  wrap: { overflowX: "auto" },
});

const STATE_LABEL: Record<string, string> = { active: "Active", pending_approval: "Waiting for approval", rejected: "Rejected", superseded: "Superseded", retired: "Retired" };

type Editing = { mode: "new" } | { mode: "edit"; boundary: Boundary; etag: string | null } | { mode: "retire"; boundary: Boundary } | null;

function RetireForm({ boundary, onDone, onCancel }: { boundary: Boundary; onDone: () => void; onCancel: () => void }) {
  const { api } = useSession();
  const [reason, setReason] = useState("");
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const missing = !reason.trim();
  return (
    <form
      aria-label={`Retire ${boundary.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (!missing) api.governance.retireBoundary(boundary.id, reason.trim()).then(onDone, setError);
      }}
    >
      <Field label="Why retire it" required validationMessage={tried && missing ? "Give the reason; it is kept in the audit trail." : undefined} validationState={tried && missing ? "error" : "none"}>
        <Textarea value={reason} onChange={(_, d) => setReason(d.value)} resize="vertical" />
      </Field>
      <ProblemBar error={error} />
      <Button appearance="primary" type="submit">
        Retire
      </Button>{" "}
      <Button onClick={onCancel}>Cancel</Button>
    </form>
  );
}

/** Admins: compliance boundaries (list, create, change, retire) and the approvals queue. */
export default function AdminPage() {
  const s = useStyles();
  const { api } = useSession();
  const [filters, setFilters] = useState({ state: "", kind: "", scope: "" });
  const [editing, setEditing] = useState<Editing>(null);
  const [saved, setSaved] = useState(0);
  const list = useResource((signal) => api.governance.boundaries(filters, signal), [filters.state, filters.kind, filters.scope, saved]);
  const { teams, nameOf: teamName } = useTeams();
  const refresh = () => setSaved((n) => n + 1);

  const edit = async (b: Boundary) => {
    // Read it again for its ETag, so a concurrent change is answered with 412 rather than lost.
    const fresh = await api.governance.boundary(b.id).catch(() => null);
    setEditing({ mode: "edit", boundary: fresh?.data ?? b, etag: fresh?.etag ?? null });
  };

  return (
    <div className={s.page} data-testid="admin-page">
      <div className={s.head}>
        <Title2 as="h1">Compliance boundaries</Title2>
        {!editing && (
          <Button className={s.push} appearance="primary" onClick={() => setEditing({ mode: "new" })}>
            New boundary
          </Button>
        )}
      </div>

      {editing && (
        <section className={s.section} aria-labelledby="form-heading">
          <Title3 as="h2" id="form-heading">
            {editing.mode === "new" ? "New boundary" : editing.mode === "retire" ? `Retire “${editing.boundary.name}”` : `Change “${editing.boundary.name}”`}
          </Title3>
          {editing.mode === "retire" ? (
            <RetireForm
              boundary={editing.boundary}
              onCancel={() => setEditing(null)}
              onDone={() => {
                setEditing(null);
                refresh();
              }}
            />
          ) : (
          <BoundaryForm
            teams={teams}
            editing={editing.mode === "edit" ? { boundary: editing.boundary, etag: editing.etag } : undefined}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              refresh();
            }}
          />
          )}
        </section>
      )}

      <ApprovalsQueue refreshKey={saved} onDecided={refresh} />

      <section className={s.section} aria-labelledby="list-heading">
        <Title3 as="h2" id="list-heading">
          All boundaries
        </Title3>
        <div className={s.filters}>
          <Field label="State">
            <Select value={filters.state} onChange={(_, d) => setFilters((f) => ({ ...f, state: d.value }))}>
              <option value="">Any</option>
              {Object.entries(STATE_LABEL).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Kind">
            <Select value={filters.kind} onChange={(_, d) => setFilters((f) => ({ ...f, kind: d.value }))}>
              <option value="">Any</option>
              {KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Scope">
            <Select value={filters.scope} onChange={(_, d) => setFilters((f) => ({ ...f, scope: d.value }))}>
              <option value="">Any</option>
              <option value="tenant">Organisation</option>
              <option value="team">Team</option>
              <option value="person">Person</option>
            </Select>
          </Field>
        </div>
        {list.error ? (
          <ErrorState error={list.error} title="Boundaries could not be loaded" onRetry={list.reload} />
        ) : !list.data ? (
          <Loading label="Loading boundaries…" />
        ) : list.data.length === 0 ? (
          <EmptyState title="No boundaries match">
            <Text>Boundaries keep work inside the organisation's rules: cadence, required fields, forbidden content, nudge limits and more.</Text>
          </EmptyState>
        ) : (
          <div className={s.wrap}>
            <Table aria-label="Boundaries" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Name</TableHeaderCell>
                  <TableHeaderCell>Rule</TableHeaderCell>
                  <TableHeaderCell>Scope</TableHeaderCell>
                  <TableHeaderCell>State</TableHeaderCell>
                  <TableHeaderCell>Window</TableHeaderCell>
                  <TableHeaderCell>Actions</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.data.map((b) => (
                  <TableRow key={b.id} data-boundary-id={b.id}>
                    <TableCell>
                      <Text weight="semibold">{b.name}</Text>
                      <br />
                      <Text size={200}>
                        {kindLabel(b.kind)} · {b.enforcement === "block" ? "blocks" : "warns"} · version {b.version}
                      </Text>
                    </TableCell>
                    <TableCell>{b.ruleText}</TableCell>
                    <TableCell>{scopeText(b, teamName)}</TableCell>
                    <TableCell>
                      <Badge appearance="tint" color={b.inForce ? "success" : b.state === "pending_approval" ? "warning" : "subtle"}>
                        {b.inForce ? "In force" : (STATE_LABEL[b.state] ?? b.state)}
                      </Badge>
                      {b.pendingVersion !== null && b.state !== "pending_approval" && <Text size={200}> · change waiting</Text>}
                    </TableCell>
                    <TableCell>
                      {formatUtcDay(b.effectiveFrom)}
                      {b.expiresAt ? ` – ${formatUtcDay(b.expiresAt)}` : ""}
                    </TableCell>
                    <TableCell>
                      {b.state !== "retired" && b.pendingVersion === null && (
                        <>
                          <Button size="small" onClick={() => void edit(b)} aria-label={`Change ${b.name}`}>
                            Change
                          </Button>{" "}
                          {b.state === "active" && (
                            <Button size="small" onClick={() => setEditing({ mode: "retire", boundary: b })} aria-label={`Retire ${b.name}`}>
                              Retire
                            </Button>
                          )}
                        </>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </section>
    </div>
  );
}
