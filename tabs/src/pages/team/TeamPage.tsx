import { Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { Suspense, lazy } from "react";
import { STATUS_LABEL, formatInstant } from "../../components/format";
import { OutcomeTable } from "../../components/OutcomeTable";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { CheckInBadge } from "../../components/StatusBadge";
import { useResource } from "../../hooks/useResource";
import { nameOf, useSession } from "../../session";
import { Pitfalls, RhythmAndCauses, Signs } from "./TeamSignals";
import { chosenTeam } from "./team-choice";
import { byOwner, countByStatus, loadTeam, STATUS_ORDER, weeksFor } from "./team-data";

const TeamCharts = lazy(() => import("./TeamCharts"));

const useStyles = makeStyles({
  page: { display: "grid", gap: tokens.spacingVerticalXL },
  head: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "baseline", flexWrap: "wrap" },
  section: { display: "grid", gap: tokens.spacingVerticalS },
  counts: { display: "flex", gap: tokens.spacingHorizontalL, flexWrap: "wrap", listStyleType: "none", margin: 0, padding: 0 },
  count: { display: "grid" },
  countValue: { fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold },
  list: { display: "grid", gap: tokens.spacingVerticalS, listStyleType: "none", margin: 0, padding: 0 },
  checkIn: { display: "grid", gap: tokens.spacingVerticalXXS, borderLeft: `${tokens.strokeWidthThicker} solid ${tokens.colorNeutralStroke1}`, paddingLeft: tokens.spacingHorizontalM },
});

export default function TeamPage({ teamId: routeTeam }: { teamId: string | null }) {
  const s = useStyles();
  const { api, me } = useSession();
  const teamId = chosenTeam(routeTeam, me.teams);
  const team = useResource((signal) => (teamId ? loadTeam(api, teamId, signal) : Promise.resolve(null)), [teamId]);

  if (!teamId) {
    return (
      <EmptyState title="No team chosen">
        <Link href="#/config">Choose a team</Link>
      </EmptyState>
    );
  }
  const data = team.data;
  // The server answers 404 only for a team that is not in the caller's organisation.
  if (!team.error && !team.loading && data?.dashboard === null) {
    return (
      <EmptyState title="This team is not there">
        <Text>There is no such team in your organisation; it may have been removed, or the link belongs to another organisation.</Text>
        <Link href="#/config">Choose a team</Link>
      </EmptyState>
    );
  }
  const teamName = me.teams.find((t) => t.id === teamId)?.name ?? data?.dashboard?.teamName ?? "Team";
  const byStatus = countByStatus(data?.outcomes ?? []);
  const dash = data?.dashboard ?? null;

  return (
    <div className={s.page} data-testid="team-dashboard">
      <div className={s.head}>
        <Title2 as="h1">{teamName}: team dashboard</Title2>
        <Link href="#/config">Change team</Link>
      </div>
      {team.error ? (
        <ErrorState error={team.error} title="The team dashboard could not be loaded" onRetry={team.reload} />
      ) : !data ? (
        <Loading label="Loading the team dashboard…" />
      ) : (
        <>
          <section className={s.section} aria-labelledby="status-heading">
            <Title3 as="h2" id="status-heading">
              Outcomes by status
            </Title3>
            <ul className={s.counts}>
              {STATUS_ORDER.filter((st) => byStatus[st] > 0 || st === "agreed" || st === "at_risk").map((st) => (
                <li key={st} className={s.count}>
                  <span className={s.countValue}>{byStatus[st]}</span>
                  <Text size={200}>{STATUS_LABEL[st]}</Text>
                </li>
              ))}
            </ul>
          </section>

          {dash && (
            <>
              <section className={s.section} aria-labelledby="rhythm-heading">
                <Title3 as="h2" id="rhythm-heading">
                  Rhythm and reviews
                </Title3>
                <RhythmAndCauses rhythm={dash.rhythm} causes={dash.causes} />
              </section>
              <section className={s.section} aria-labelledby="signs-heading" data-testid="signs">
                <Title3 as="h2" id="signs-heading">
                  Signs of balance
                </Title3>
                {dash.signs.length ? <Signs signs={dash.signs} /> : <Text>No signs computed yet.</Text>}
              </section>
              <section className={s.section} aria-labelledby="pitfalls-heading" data-testid="pitfalls">
                <Title3 as="h2" id="pitfalls-heading">
                  Pitfalls
                </Title3>
                {dash.pitfalls.length ? <Pitfalls pitfalls={dash.pitfalls} outcomes={data.outcomes} /> : <Text>No pitfalls computed yet.</Text>}
              </section>
            </>
          )}

          <section className={s.section} aria-labelledby="charts-heading">
            <Title3 as="h2" id="charts-heading">
              Over time
            </Title3>
            <Suspense fallback={<Loading label="Loading charts…" />}>
              <TeamCharts byStatus={byStatus} causes={dash?.causes?.counts ?? null} weeks={weeksFor(data)} />
            </Suspense>
          </section>

          <section className={s.section} aria-labelledby="owners-heading">
            <Title3 as="h2" id="owners-heading">
              By owner
            </Title3>
            {data.outcomes.length === 0 ? (
              <EmptyState title="This team has no outcomes yet" />
            ) : (
              <>
                <Table aria-label="Outcomes by owner" size="small">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Owner</TableHeaderCell>
                      <TableHeaderCell>Open</TableHeaderCell>
                      <TableHeaderCell>At risk</TableHeaderCell>
                      <TableHeaderCell>Done</TableHeaderCell>
                      <TableHeaderCell>Missed</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {byOwner(data.outcomes).map((r) => (
                      <TableRow key={r.ownerId}>
                        <TableCell>{nameOf(r.ownerId, me)}</TableCell>
                        <TableCell>{r.open}</TableCell>
                        <TableCell>{r.atRisk}</TableCell>
                        <TableCell>{r.done}</TableCell>
                        <TableCell>{r.missed}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                <OutcomeTable outcomes={data.outcomes} caption="The team's outcomes" showOwner nextCheckIns={data.dashboard?.nextCheckIns} />
              </>
            )}
          </section>

          <section className={s.section} aria-labelledby="latest-heading">
            <Title3 as="h2" id="latest-heading">
              Latest check-ins
            </Title3>
            {data.checkIns.length === 0 ? (
              <Text>No check-ins yet.</Text>
            ) : (
              <ul className={s.list} data-testid="team-check-ins">
                {data.checkIns.slice(0, 10).map((c) => (
                  <li key={c.id} className={s.checkIn}>
                    <Text>
                      <CheckInBadge status={c.status} /> <Link href={`#/outcome/${encodeURIComponent(c.outcome.id)}`}>{c.outcome.title}</Link> · {nameOf(c.authorId, me)} · {formatInstant(c.at)}
                    </Text>
                    {c.note && <Text>{c.note}</Text>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}
