import { Button, Card, Field, FluentProvider, MessageBar, MessageBarBody, Select, Text, Title2, makeStyles, tokens, type Theme } from "@fluentui/react-components";
import { useState } from "react";
import { startLocalSignIn } from "../auth/local-signin";
import type { TabConfig } from "../config";

const useStyles = makeStyles({
  page: { minHeight: "100vh", display: "grid", placeItems: "center", padding: tokens.spacingHorizontalL, boxSizing: "border-box" },
  card: { maxWidth: "28rem", width: "100%", display: "grid", gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalXL },
});

/** Browser mode without a session: choose the organisation and go to its sign-in page. */
export default function SignInScreen({ theme, config, error, canRetry = true }: { theme: Theme; config: TabConfig; error?: string; canRetry?: boolean }) {
  const s = useStyles();
  const [tenantId, setTenantId] = useState(config.tenants[0]?.id ?? "");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState(error);

  const signIn = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      if (config.signIn === "entra") {
        const { browserMsalTokenSource } = await import("../auth/msal");
        await (await browserMsalTokenSource(config)).getToken();
      } else {
        await startLocalSignIn(config, { tenantId });
      }
    } catch (err) {
      setFailure(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <FluentProvider theme={theme}>
      <main className={s.page}>
        <Card className={s.card}>
          <Title2 as="h1">Sign in to Leeway</Title2>
          <Text>Outcomes you own, agreements with your manager, check-ins on a rhythm.</Text>
          {failure && (
            <MessageBar intent="error" layout="multiline" role="alert">
              <MessageBarBody>{failure}</MessageBarBody>
            </MessageBar>
          )}
          {config.signIn === "local" && config.tenants.length > 1 && (
            <Field label="Organisation">
              <Select value={tenantId} onChange={(_, d) => setTenantId(d.value)}>
                {config.tenants.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </Select>
            </Field>
          )}
          {canRetry && (
            <Button appearance="primary" onClick={() => void signIn()} disabled={busy}>
              {busy ? "Opening sign-in…" : "Sign in"}
            </Button>
          )}
        </Card>
      </main>
    </FluentProvider>
  );
}
