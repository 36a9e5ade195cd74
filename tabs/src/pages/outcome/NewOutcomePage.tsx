import { Field, Link, Select, Text, Title2, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { ApiError } from "../../api/client";
import { ProblemBar } from "../../components/ProblemBar";
import { EmptyState } from "../../components/States";
import { navigate } from "../../hooks/useRoute";
import { useSession } from "../../session";
import { OutcomeForm } from "./OutcomeForm";
import { createBody, emptyValues, serverFieldErrors, type FieldName } from "./outcome-form-model";

const useStyles = makeStyles({
  page: { display: "grid", gap: tokens.spacingVerticalM },
  row: { display: "grid", gap: tokens.spacingHorizontalM, gridTemplateColumns: "repeat(auto-fit, minmax(12rem, 1fr))", alignItems: "start" },
});

/** Propose an outcome: for myself, or (as a manager) for one of my people. */
export default function NewOutcomePage() {
  const s = useStyles();
  const { me, api } = useSession();
  const [values, setValues] = useState(emptyValues);
  const [ownerId, setOwnerId] = useState(me.id);
  const [teamId, setTeamId] = useState(me.teams[0]?.id ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({});

  if (me.teams.length === 0) {
    return (
      <EmptyState title="You are not in a team yet">
        <Text>An outcome belongs to a team. Ask your administrator to add you to one.</Text>
      </EmptyState>
    );
  }

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await api.outcomes.create(createBody(values, ownerId, teamId));
      navigate(`/outcome/${encodeURIComponent(data.id)}`);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) setServerErrors(serverFieldErrors(err.fieldErrors()));
      setBusy(false);
    }
  };

  return (
    <div className={s.page}>
      <Title2 as="h1">New outcome</Title2>
      <Text>
        Agree the <em>what</em> with your manager: a measure, a target, a deadline and what happens if it is missed. The <em>how</em> stays yours.{" "}
        <Link href="#/my">Back to my outcomes</Link>
      </Text>
      <OutcomeForm
        values={values}
        onChange={setValues}
        creating
        serverErrors={serverErrors}
        onServerErrorSeen={(f) => setServerErrors((e) => ({ ...e, [f]: undefined }))}
        onSubmit={() => void submit()}
        onCancel={() => navigate("/my")}
        busy={busy}
        submitLabel="Propose outcome"
        problem={<ProblemBar error={error} />}
        before={
          <div className={s.row}>
            <Field label="Owner">
              <Select name="ownerId" value={ownerId} onChange={(_, d) => setOwnerId(d.value)}>
                <option value={me.id}>{me.displayName} (me)</option>
                {me.directReports.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.displayName}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Team">
              <Select name="teamId" value={teamId} onChange={(_, d) => setTeamId(d.value)}>
                {me.teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        }
      />
    </div>
  );
}
