import { Button, makeStyles, MessageBar, MessageBarBody, Spinner, Text, tokens } from "@fluentui/react-components";
import { useEffect, useMemo, useState } from "react";
import { LeewayApi } from "../api/client";
import { GraphDirectory } from "../api/people";
import { localIdentity, outlookIdentity, type Identity } from "../auth/identity";
import { finishLocalSignIn } from "../auth/local-signin";
import { loadSession } from "../auth/session";
import type { AppointmentMode } from "../office/appointment";
import type { Host } from "../office/host";
import { paneZoneOf } from "../office/time-zones";
import { ComposeView } from "./ComposeView";
import { PaneContext, type Pane } from "./pane-context";
import { PreviewPanel } from "./PreviewPanel";
import { ProblemBar } from "./ProblemBar";
import { ReadView } from "./ReadView";
import { SignIn } from "./SignIn";
import { useLoad } from "./useLoad";

const useStyles = makeStyles({
  shell: { display: "flex", flexWrap: "wrap", alignItems: "flex-start", gap: tokens.spacingHorizontalXL, padding: tokens.spacingHorizontalM },
  pane: { flex: "0 1 360px", minWidth: "280px", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  preview: { flex: "1 1 380px", maxWidth: "640px" },
  header: { display: "flex", justifyContent: "space-between", alignItems: "center", gap: tokens.spacingHorizontalS, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, paddingBottom: tokens.spacingVerticalS },
});

interface SignedInProps {
  host: Host;
  identity: Identity;
  mode: AppointmentMode;
  /** Changes when the preview starts over with a new appointment, so the views start over too. */
  item: number;
  onSignOut(): void;
}

function SignedIn({ host, identity, mode, item, onSignOut }: SignedInProps) {
  const styles = useStyles();
  const api = useMemo(() => new LeewayApi(() => identity.apiToken()), [identity]);
  const directory = useMemo(() => new GraphDirectory(() => identity.graphToken(), identity.graphBase), [identity]);
  const me = useLoad(() => api.me(), [api]);
  const pane: Pane | null = useMemo(() => {
    if (!me.data) return null;
    // Outlook and the directory may both name the zone the Windows way; the pane calculates in IANA.
    const timeZone = (host.kind === "outlook" ? paneZoneOf(host.user.timeZone) : null) ?? paneZoneOf(me.data.timeZone) ?? "UTC";
    return { api, directory, me: me.data, appointment: host.appointment, timeZone, origin: window.location.origin };
  }, [api, directory, me.data, host]);

  return (
    <>
      <header className={styles.header}>
        <Text weight="semibold">{me.data?.displayName ?? identity.session.name}</Text>
        <Button size="small" appearance="subtle" onClick={onSignOut}>
          Sign out
        </Button>
      </header>
      {me.loading ? <Spinner label="Signing in…" /> : me.error ? <ProblemBar error={me.error} /> : null}
      {pane && <PaneContext.Provider value={pane}>{mode === "organizer" ? <ComposeView key={item} /> : <ReadView key={item} />}</PaneContext.Provider>}
    </>
  );
}

/** The task pane: sign-in, then the organizer's or the reader's view of the appointment. */
export function App({ host }: { host: Host }) {
  const styles = useStyles();
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [starting, setStarting] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [mode, setMode] = useState<AppointmentMode>(host.appointment.mode);
  const [item, setItem] = useState(() => (host.kind === "preview" ? host.appointment.snapshot().generation : 0));

  useEffect(
    () =>
      host.kind === "preview"
        ? host.appointment.subscribe((s) => {
            setMode(s.mode);
            setItem(s.generation);
          })
        : undefined,
    [host],
  );

  useEffect(() => {
    let live = true;
    const start = async (): Promise<Identity | null> => {
      if (host.kind === "outlook") return outlookIdentity(host, false);
      const session = (await finishLocalSignIn()) ?? loadSession();
      return session ? localIdentity(session) : null;
    };
    start()
      .then((id) => live && setIdentity(id))
      .catch((err: unknown) => live && setError(err))
      .finally(() => live && setStarting(false));
    return () => {
      live = false;
    };
  }, [host]);

  const outlookSignIn = () => {
    if (host.kind !== "outlook") return;
    setError(null);
    outlookIdentity(host, true).then(setIdentity, setError);
  };

  return (
    <div className={styles.shell}>
      <main className={styles.pane} aria-label="Leeway check-ins">
        <Text as="h1" size={600} weight="bold">
          Leeway
        </Text>
        {host.kind === "preview" && (
          <MessageBar intent="warning">
            <MessageBarBody>Preview: not running in Outlook. The pane works on the preview appointment shown alongside.</MessageBarBody>
          </MessageBar>
        )}
        {starting ? (
          <Spinner label="Starting…" />
        ) : identity ? (
          <SignedIn
            host={host}
            identity={identity}
            mode={mode}
            item={item}
            onSignOut={() => {
              identity.signOut();
              setIdentity(null);
            }}
          />
        ) : (
          <SignIn host={host} error={error} onOutlookSignIn={outlookSignIn} />
        )}
      </main>
      {host.kind === "preview" && (
        <aside className={styles.preview} aria-label="Preview appointment">
          <PreviewPanel appointment={host.appointment} reason={host.reason} />
        </aside>
      )}
    </div>
  );
}
