import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type ReactNode } from "react";
import { ApiError } from "../api/client";
import { ProblemBar } from "./ProblemBar";

const useStyles = makeStyles({
  content: { display: "grid", gap: tokens.spacingVerticalM },
});

/** The server's limit on a reason for withdrawing or declining (WithdrawChange) and on an approval's note (Approve). */
const MAX_REASON = 1000;
/** The names the server gives the dialog's text: a reason, or an approval's note. */
const REASON_FIELDS = ["reason", "note"] as const;

export interface ReasonDialogProps {
  open: boolean;
  title: string;
  /** What confirming does, in a sentence or two. */
  children: ReactNode;
  busy: boolean;
  busyLabel: string;
  /** The last refusal: shown in the dialog, which keeps the reason so it can be fixed. */
  error: unknown;
  /** The text field's label and hint; a reason kept in the history unless told otherwise. */
  label?: string;
  hint?: string;
  /** The trimmed reason, or undefined when none was given. */
  onConfirm: (reason: string | undefined) => void;
  onCancel: () => void;
}

/** Asks before a decision that cannot be taken back, with an optional reason for the record. */
export function ReasonDialog({ open, onCancel, busy, ...form }: ReasonDialogProps) {
  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && !busy && onCancel()}>
      <DialogSurface>
        <ReasonForm {...form} busy={busy} onCancel={onCancel} />
      </DialogSurface>
    </Dialog>
  );
}

// Its own component so the reason starts empty each time the dialog opens and stays while it is open.
function ReasonForm({ title, children, busy, busyLabel, error, onConfirm, onCancel, label = "Reason", hint = "Optional. Kept in the agreement history and the audit trail." }: Omit<ReasonDialogProps, "open">) {
  const s = useStyles();
  const [reason, setReason] = useState("");
  const [edited, setEdited] = useState(false);
  const tooLong = reason.trim().length > MAX_REASON;
  const fromServer = !edited && error instanceof ApiError ? REASON_FIELDS.map((f) => error.fieldErrors()[f]).find(Boolean) : undefined;
  const message = fromServer ?? (tooLong ? `At most ${MAX_REASON} characters.` : undefined);

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setEdited(false);
        if (tooLong || busy) return;
        onConfirm(reason.trim() || undefined);
      }}
    >
      <DialogBody>
        <DialogTitle>{title}</DialogTitle>
        <DialogContent className={s.content}>
          <Text>{children}</Text>
          <Field label={label} hint={hint} validationMessage={message} validationState={message ? "error" : "none"}>
            <Textarea
              value={reason}
              onChange={(_, d) => {
                setReason(d.value);
                setEdited(true);
              }}
              resize="vertical"
            />
          </Field>
          <ProblemBar error={error} shownOnFields={[fromServer]} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button appearance="primary" type="submit" disabled={busy}>
            {busy ? busyLabel : "Confirm"}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
