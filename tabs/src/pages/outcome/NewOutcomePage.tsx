import { Field, Link, Select, Text, Title2, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { ApiError } from "../../api/client";
import { ProblemBar } from "../../components/ProblemBar";
import { EmptyState } from "../../components/States";
import { navigate } from "../../hooks/useRoute";
import { nameOf, useSession } from "../../session";
import { OutcomeForm } from "./OutcomeForm";
import { createBody, emptyValues, placementErrors, serverFieldErrors, type FieldName, type PlacementField } from "./outcome-form-model";
import { handOverWarnings } from "./warnings-handoff";

const useStyles = makeStyles({
  page: { display: "grid", gap: tokens.spacingVerticalM },
  row: { display: "grid", gap: tokens.spacingHorizontalM, gridTemplateColumns: "repeat(auto-fit, minmax(12rem, 1fr))", alignItems: "start" },
});

/** Propose an outcome: for myself, or (as a manager) for one of my people. */
export default function NewOutcomePage() {
  const s = useStyles();
  const { me, api } = useSession();
  const [values, setValues] = useState(emptyValues);
  // A manager in no team of their own may still propose for their people, in their people's teams.
  const [ownerId, setOwnerId] = useState(me.teams.length === 0 && me.directReports.length > 0 ? me.directReports[0]!.id : me.id);
  /** An outcome belongs to one of its owner's teams. */
  const teamsOf = (id: string) => (id === me.id ? me.teams : (me.directReports.find((r) => r.id === id)?.teams ?? []));
  const [teamId, setTeamId] = useState(() => teamsOf(ownerId)[0]?.id ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [placement, setPlacement] = useState<Partial<Record<PlacementField, string>>>({});

  if (me.teams.length === 0 && me.directReports.length === 0) {
    return (
      <EmptyState title="You are not in a team yet">
        <Text>An outcome belongs to a team. Ask your administrator to add you to one.</Text>
      </EmptyState>
    );
  }

  // The how is the owner's alone: a manager proposing for one of their people leaves it to them.
  const forMe = ownerId === me.id;
  const ownerName = me.directReports.find((r) => r.id === ownerId)?.displayName ?? nameOf(ownerId, me);
  const ownerTeams = teamsOf(ownerId);

  const submit = async () => {
    setBusy(true);
    setError(null);
    setPlacement({});
    try {
      const { data } = await api.outcomes.create(createBody(values, ownerId, teamId, { approach: forMe }));
      handOverWarnings(data.id, data.warnings);
      navigate(`/outcome/${encodeURIComponent(data.id)}`);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError) {
        const byPath = err.fieldErrors();
        setServerErrors(serverFieldErrors(byPath));
        setPlacement(placementErrors(byPath));
      }
      setBusy(false);
    }
  };
  const placementField = (f: PlacementField) => ({
    validationMessage: placement[f],
    validationState: placement[f] ? ("error" as const) : ("none" as const),
  });

  return (
    <div className={s.page}>
      <Title2 as="h1">New outcome</Title2>
      <Text>
        {forMe ? (
          <>
            Agree the <em>what</em> with your manager: a measure, a target, a deadline and what happens if it is missed. The <em>how</em> stays yours.
          </>
        ) : (
          <>
            Agree the <em>what</em> with {ownerName}: a measure, a target, a deadline and what happens if it is missed. The <em>how</em> is theirs to choose.
          </>
        )}{" "}
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
        approachMode={forMe ? "edit" : "none"}
        approachHint={forMe ? undefined : `The approach belongs to ${ownerName}: they write it down once the outcome is proposed.`}
        problem={<ProblemBar error={error} />}
        before={
          <div className={s.row}>
            <Field label="Owner" {...placementField("ownerId")}>
              <Select
                name="ownerId"
                value={ownerId}
                onChange={(_, d) => {
                  setOwnerId(d.value);
                  const theirs = teamsOf(d.value);
                  if (!theirs.some((t) => t.id === teamId)) setTeamId(theirs[0]?.id ?? "");
                  setPlacement({});
                }}
              >
                {me.teams.length > 0 && <option value={me.id}>{me.displayName} (me)</option>}
                {me.directReports.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.displayName}
                  </option>
                ))}
              </Select>
            </Field>
            <Field
              label="Team"
              {...placementField("teamId")}
              {...(ownerTeams.length === 0 && !placement.teamId ? { validationMessage: `${forMe ? "You are" : `${ownerName} is`} not in a team yet; an administrator adds people to teams.`, validationState: "warning" as const } : {})}
            >
              <Select
                name="teamId"
                value={teamId}
                onChange={(_, d) => {
                  setTeamId(d.value);
                  setPlacement((p) => ({ ...p, teamId: undefined }));
                }}
              >
                {ownerTeams.map((t) => (
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
