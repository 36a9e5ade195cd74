import { Button, Text, Title2, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import type { Outcome } from "../api/types";
import { takePrefetch } from "../api/prefetch";
import { AgreementCard } from "../components/AgreementCard";
import { isOpen, waitingOnMe } from "../components/format";
import { OutcomeTable } from "../components/OutcomeTable";
import { WarningsBar } from "../components/ProblemBar";
import { EmptyState, ErrorState, Loading } from "../components/States";
import { useResource } from "../hooks/useResource";
import { navigate } from "../hooks/useRoute";
import { rememberName, useSession } from "../session";

const useStyles = makeStyles({
  page: { display: "grid", gap: tokens.spacingVerticalL },
  head: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  push: { marginLeft: "auto" },
  section: { display: "grid", gap: tokens.spacingVerticalS },
  cards: { display: "grid", gap: tokens.spacingVerticalS },
});

/** The personal tab: my outcomes, and the agreements that wait for me (as owner or manager). */
export function MyOutcomesPage() {
  const s = useStyles();
  const { me, api } = useSession();
  const mine = useResource((signal) => takePrefetch<Outcome[]>("my-outcomes") ?? api.outcomes.listAll({ ownerId: me.id }, signal, 200), [me.id]);
  // A manager agrees to their people's outcomes too; those are not in "mine".
  const reports = useResource(
    (signal) => api.outcomes.ownedBy(me.directReports.map((r) => r.id), signal),
    [me.id],
  );
  // Next check-ins from the server when it computes them; the page works without.
  const dashboard = useResource(
    (signal) =>
      api.dashboards.me(signal).then((d) => {
        for (const [id, name] of Object.entries(d?.names ?? {})) rememberName(id, name);
        return d;
      }),
    [me.id],
  );
  // The last agreement given here, for what the boundaries warned about it.
  const [agreed, setAgreed] = useState<Outcome | null>(null);

  useEffect(() => {
    // The benchmark measures navigation → this moment (the personal tab's data is on screen).
    if (mine.data && !performance.getEntriesByName("leeway:my-data").length) {
      requestAnimationFrame(() => performance.mark("leeway:my-data"));
    }
  }, [mine.data]);

  const reload = () => {
    mine.reload();
    reports.reload();
    dashboard.reload();
  };
  const open = (mine.data ?? []).filter(isOpen);
  const closed = (mine.data ?? []).filter((o) => !isOpen(o));
  const waiting = [...(mine.data ?? []), ...(reports.data ?? []).filter((o) => o.ownerId !== me.id)].filter((o) => waitingOnMe(o, me.id));

  return (
    <div className={s.page} data-testid="my-outcomes">
      <div className={s.head}>
        <Title2 as="h1">My outcomes</Title2>
        <Button className={s.push} appearance="primary" onClick={() => navigate("/outcome/new")}>
          New outcome
        </Button>
      </div>

      <section className={s.section} aria-labelledby="waiting-heading">
        <Title3 as="h2" id="waiting-heading">
          Agreements waiting for you
        </Title3>
        {reports.error ? <ErrorState error={reports.error} title="Agreements could not be loaded" onRetry={reports.reload} /> : null}
        {agreed && <WarningsBar warnings={agreed.warnings} />}
        {(mine.loading && !mine.data) || (reports.loading && !reports.data) ? (
          <Loading label="Loading agreements…" />
        ) : waiting.length === 0 ? (
          // Said only when both lists were read: a list that failed to load says so instead.
          mine.error || reports.error ? null : <Text>Nothing waits for your agreement.</Text>
        ) : (
          <div className={s.cards}>
            {waiting.map((o) => (
              <AgreementCard
                key={o.id}
                outcome={o}
                onAgreed={(next) => {
                  setAgreed(next);
                  reload();
                }}
                onDeclined={reload}
                onOutdated={reload}
              />
            ))}
          </div>
        )}
      </section>

      <section className={s.section} aria-labelledby="mine-heading">
        <Title3 as="h2" id="mine-heading">
          Outcomes I own
        </Title3>
        {mine.error ? (
          <ErrorState error={mine.error} title="Your outcomes could not be loaded" onRetry={mine.reload} />
        ) : !mine.data ? (
          <Loading label="Loading your outcomes…" />
        ) : open.length === 0 ? (
          <EmptyState title="You own no open outcomes">
            <Text>Propose one: what you will achieve, how it is measured, by when, and what happens if you miss the mark.</Text>
          </EmptyState>
        ) : (
          <OutcomeTable outcomes={open} caption="Outcomes I own" nextCheckIns={dashboard.data?.nextCheckIns} />
        )}
      </section>

      {closed.length > 0 && (
        <section className={s.section} aria-labelledby="closed-heading">
          <Title3 as="h2" id="closed-heading">
            Closed
          </Title3>
          <OutcomeTable outcomes={closed} caption="Closed outcomes" />
        </section>
      )}
    </div>
  );
}
