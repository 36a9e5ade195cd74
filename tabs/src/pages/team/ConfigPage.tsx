import { Button, Field, Select, Text, Title2, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useMemo, useState } from "react";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useResource } from "../../hooks/useResource";
import { navigate } from "../../hooks/useRoute";
import { useSession } from "../../session";
import { TEAM_KEY, chosenTeam } from "./team-choice";

const useStyles = makeStyles({
  page: { display: "grid", gap: tokens.spacingVerticalM, maxWidth: "32rem" },
});

/**
 * The channel tab's configuration page: pick the team whose dashboard the tab shows. Inside
 * Teams the choice becomes the tab's content URL; in a browser it opens the dashboard.
 */
export default function ConfigPage() {
  const s = useStyles();
  const { me, host, api } = useSession();
  // Every team whose dashboard the person may read: their own, their people's, and for compliance
  // officers and admins every team of the organisation.
  const readable = useResource((signal) => api.dashboards.teams(signal), [me.id]);
  const teams = useMemo(() => readable.data ?? [], [readable.data]);
  const [picked, setTeamId] = useState(() => chosenTeam(null, me.teams) ?? "");
  const teamId = teams.some((t) => t.id === picked) ? picked : (teams[0]?.id ?? "");
  const inTeamsConfig = !!host && host.frameContext === "settings";

  useEffect(() => {
    if (!host || host.frameContext !== "settings") return;
    const { pages } = host.teams;
    const team = teams.find((t) => t.id === teamId);
    pages.config.setValidityState(!!team);
    pages.config.registerOnSaveHandler((evt) => {
      const base = `${location.origin}${location.pathname}`;
      pages.config
        .setConfig({
          entityId: `leeway-team-${teamId}`,
          contentUrl: `${base}#/team/${encodeURIComponent(teamId)}`,
          websiteUrl: `${base}#/team/${encodeURIComponent(teamId)}`,
          suggestedDisplayName: team ? `Leeway: ${team.name}` : "Leeway",
        })
        .then(() => evt.notifySuccess(), (err: unknown) => evt.notifyFailure(err instanceof Error ? err.message : String(err)));
    });
  }, [host, teamId, teams]);

  if (readable.error) return <ErrorState error={readable.error} title="The teams could not be loaded" onRetry={readable.reload} />;
  if (!readable.data) return <Loading label="Loading teams…" />;
  if (teams.length === 0) {
    return (
      <EmptyState title="No team dashboard to show you">
        <Text>A team dashboard is open to the team's members, their managers, compliance officers and admins.</Text>
      </EmptyState>
    );
  }

  return (
    <div className={s.page} data-testid="config-page">
      <Title2 as="h1">Team dashboard settings</Title2>
      <Text>Choose the team whose outcomes, rhythm, signs of balance and pitfalls this tab shows.</Text>
      <Field label="Team">
        <Select value={teamId} onChange={(_, d) => setTeamId(d.value)}>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </Select>
      </Field>
      {!inTeamsConfig && (
        <div>
          <Button
            appearance="primary"
            onClick={() => {
              sessionStorage.setItem(TEAM_KEY, teamId);
              navigate(`/team/${encodeURIComponent(teamId)}`);
            }}
          >
            Show dashboard
          </Button>
        </div>
      )}
    </div>
  );
}
