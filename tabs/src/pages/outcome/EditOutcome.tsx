import { Button, Field, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Textarea } from "@fluentui/react-components";
import { useState } from "react";
import { ApiError } from "../../api/client";
import type { Outcome } from "../../api/types";
import { STATUS_LABEL, isOpen } from "../../components/format";
import { ProblemBar } from "../../components/ProblemBar";
import { useSession } from "../../session";
import { OutcomeForm } from "./OutcomeForm";
import { changeBody, changesWhat, editValuesOf, serverFieldErrors, type FieldName } from "./outcome-form-model";

export interface EditOutcomeProps {
  outcome: Outcome;
  etag: string;
  onSaved: (o: Outcome, etag: string | null) => void;
  onCancel: () => void;
}

interface Conflict {
  latest: Outcome;
  etag: string;
  /** Closed meanwhile (done, dropped or missed): nothing can be applied on top of it. */
  closed: boolean;
}

/**
 * Edits an outcome with If-Match. When someone else saved first (412) the person chooses:
 * apply their own changes on top of the latest version, or drop them and see the latest. When the
 * outcome closed meanwhile (done, dropped or missed) only the latest is offered: a closed outcome
 * keeps its record.
 */
export function EditOutcome({ outcome, etag, onSaved, onCancel }: EditOutcomeProps) {
  const { api, me } = useSession();
  const [base, setBase] = useState(() => ({ values: editValuesOf(outcome), etag }));
  const [values, setValues] = useState(() => editValuesOf(outcome));
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [conflict, setConflict] = useState<Conflict | null>(null);
  // The how is the owner's, and of whoever they named to act for them; a manager edits the what only.
  const ownsHow = outcome.ownerId === me.id || outcome.delegateIds.includes(me.id);
  // Who may see it and its risk class are the owner's own settings.
  const ownsSettings = outcome.ownerId === me.id;
  // A change proposed after agreement (a first proposal is stored the same way, but the form shows it anyway).
  const pending = outcome.agreement.agreedWhat !== null && outcome.agreement.pending?.kind === "change" ? outcome.agreement.pending : null;
  // Once agreed, a change of the what says why, for the other side to read when they decide.
  const reasonNeeded = outcome.agreement.agreedWhat !== null && changesWhat(base.values, values);

  const save = async (against: { values: typeof values; etag: string }, mine = values) => {
    const change = changeBody(against.values, mine, reason);
    if (Object.keys(change).filter((k) => k !== "reason").length === 0) {
      setError(new Error("Nothing has changed yet."));
      return;
    }
    if (reasonNeeded && !reason.trim()) {
      setReasonError("Say why, for the other side to read when they decide.");
      return;
    }
    setBusy(true);
    setError(null);
    setConflict(null);
    try {
      const r = await api.outcomes.update(outcome.id, against.etag, change);
      onSaved(r.data, r.etag);
    } catch (err) {
      const refusedAsClosed = err instanceof ApiError && err.status === 409 && err.problem.code === "closed";
      if (err instanceof ApiError && (err.status === 412 || refusedAsClosed)) {
        const latest = await api.outcomes.get(outcome.id).catch(() => null);
        // A version that moved on by closing (a done check-in, say) takes no edits on top of it.
        if (latest) setConflict({ latest: latest.data, etag: latest.etag ?? `"v${latest.data.version}"`, closed: refusedAsClosed || !isOpen(latest.data) });
        else setError(err);
      } else {
        setError(err);
        if (err instanceof ApiError) {
          setServerErrors(serverFieldErrors(err.fieldErrors()));
          setReasonError(err.fieldErrors().reason);
        }
      }
    } finally {
      setBusy(false);
    }
  };

  const applyMineToLatest = (c: Conflict) => {
    // My edits are what differs from the version I started from; replay exactly those on the latest.
    const latestValues = editValuesOf(c.latest);
    const merged = { ...latestValues };
    for (const key of Object.keys(values) as FieldName[]) {
      if (values[key] !== base.values[key]) (merged as Record<FieldName, string>)[key] = values[key];
    }
    const rebased = { values: latestValues, etag: c.etag };
    setBase(rebased);
    setValues(merged);
    void save(rebased, merged);
  };

  return (
    <OutcomeForm
      values={values}
      onChange={setValues}
      creating={false}
      serverErrors={serverErrors}
      onServerErrorSeen={(f) => setServerErrors((e) => ({ ...e, [f]: undefined }))}
      onSubmit={() => void save(base)}
      onCancel={onCancel}
      busy={busy}
      submitLabel="Save changes"
      approachMode={ownsHow ? "edit" : "read-only"}
      approachHint={ownsHow ? undefined : "The approach belongs to the owner, so it cannot be changed here. Managers comment on a check-in to suggest ideas instead."}
      ownerSettings={ownsSettings ? "edit" : "read-only"}
      before={
        pending && (
          <MessageBar intent="info" layout="multiline" data-testid="editing-proposal">
            <MessageBarBody>
              <MessageBarTitle>A change waits for agreement</MessageBarTitle>
              The form shows the proposal on the table (version {pending.version}), not the agreed version: saving changes that proposal.
            </MessageBarBody>
          </MessageBar>
        )
      }
      after={
        <Field
          label={reasonNeeded ? "Why this change" : "Why this change (optional)"}
          required={reasonNeeded}
          hint="Shown to the other side when they agree"
          validationMessage={reasonError}
          validationState={reasonError ? "error" : "none"}
        >
          <Textarea
            name="reason"
            value={reason}
            onChange={(_, d) => {
              setReason(d.value);
              setReasonError(undefined);
            }}
            resize="vertical"
          />
        </Field>
      }
      problem={
        conflict?.closed ? (
          <MessageBar intent="warning" layout="multiline" role="alert" data-testid="edit-closed">
            <MessageBarBody>
              <MessageBarTitle>This outcome is closed</MessageBarTitle>
              Its status is now {STATUS_LABEL[conflict.latest.status]}, so it keeps its record as it is; only who may see it can still change.
            </MessageBarBody>
            <MessageBarActions>
              <Button appearance="primary" onClick={() => onSaved(conflict.latest, conflict.etag)}>
                Show the outcome as it is
              </Button>
            </MessageBarActions>
          </MessageBar>
        ) : conflict ? (
          <MessageBar intent="warning" layout="multiline" role="alert" data-testid="edit-conflict">
            <MessageBarBody>
              <MessageBarTitle>Someone else changed this outcome while you were editing</MessageBarTitle>
              It is now at version {conflict.latest.version} (you started from version {outcome.version}). Choose what to do with your changes.
            </MessageBarBody>
            <MessageBarActions>
              <Button appearance="primary" onClick={() => applyMineToLatest(conflict)}>
                Apply my changes to the latest
              </Button>
              <Button onClick={() => onSaved(conflict.latest, conflict.etag)}>Discard mine, show the latest</Button>
            </MessageBarActions>
          </MessageBar>
        ) : (
          <ProblemBar error={error} />
        )
      }
    />
  );
}
