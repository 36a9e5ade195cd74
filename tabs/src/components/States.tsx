import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { messageOf } from "../api/client";

const useStyles = makeStyles({
  center: { padding: tokens.spacingVerticalXXL, display: "flex", justifyContent: "center" },
  empty: {
    padding: tokens.spacingVerticalXL,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    display: "grid",
    gap: tokens.spacingVerticalS,
    justifyItems: "start",
  },
});

export function Loading({ label = "Loading…" }: { label?: string }) {
  const s = useStyles();
  return (
    <div className={s.center} role="status" aria-live="polite">
      <Spinner label={label} size="small" />
    </div>
  );
}

export function ErrorState({ error, title = "Something went wrong", onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  return (
    <MessageBar intent="error" layout="multiline" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {messageOf(error)}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button onClick={onRetry}>Try again</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  const s = useStyles();
  return (
    <div className={s.empty}>
      <Text weight="semibold">{title}</Text>
      {children}
    </div>
  );
}
