import type { Outcome } from "../api/types";
import { ReasonDialog, type ReasonDialogProps } from "./ReasonDialog";

/** Asks compliance (or an admin) before approving an outcome's risk class, with an optional note. */
export function RiskApprovalDialog({ outcome, ...wiring }: { outcome: Outcome } & Pick<ReasonDialogProps, "open" | "busy" | "error" | "onConfirm" | "onCancel">) {
  return (
    <ReasonDialog
      {...wiring}
      title={`Approve the risk class “${outcome.riskClass}”?`}
      label="Note"
      hint="Optional. Kept as the reason of the approval in the audit trail."
      busyLabel="Approving…"
    >
      “{outcome.title}” may then be agreed between its owner and their manager; until then the work is not counted as agreed.
    </ReasonDialog>
  );
}
