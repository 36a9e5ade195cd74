import { Button, Field, makeStyles, Select, Text, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { LOCAL_TENANTS } from "../auth/config";
import { startLocalSignIn } from "../auth/local-signin";
import type { Host } from "../office/host";
import { ProblemBar } from "./ProblemBar";

const useStyles = makeStyles({
  box: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

interface Props {
  host: Host;
  error: unknown;
  /** Inside Outlook: sign in with a prompt (nested app authentication or Office SSO). */
  onOutlookSignIn(): void;
}

export function SignIn({ host, error, onOutlookSignIn }: Props) {
  const styles = useStyles();
  const [tenant, setTenant] = useState<string>(LOCAL_TENANTS[0].id);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <section className={styles.box} aria-labelledby="signin-title">
      <Text as="h2" id="signin-title" size={500} weight="semibold">
        Sign in to Leeway
      </Text>
      <Text>Leeway turns this meeting into a regular check-in on outcomes, with coaching questions in the agenda.</Text>
      <ProblemBar error={failure ?? error} />
      {host.kind === "outlook" ? (
        <Button appearance="primary" onClick={onOutlookSignIn}>
          Sign in
        </Button>
      ) : (
        <form
          className={styles.box}
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            startLocalSignIn(tenant).catch((err: unknown) => {
              setFailure(err);
              setBusy(false);
            });
          }}
        >
          <Field label="Organisation (local tenant)">
            <Select value={tenant} onChange={(_e, d) => setTenant(d.value)}>
              {LOCAL_TENANTS.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </Select>
          </Field>
          <Button appearance="primary" type="submit" disabled={busy}>
            {busy ? "Opening sign-in…" : "Sign in"}
          </Button>
        </form>
      )}
    </section>
  );
}
