import { useState } from "react";
import type { ReasonDialogProps } from "../components/ReasonDialog";
import { useAgreementAction } from "./useAgreementAction";

/**
 * A decision that asks first: a button opens a reason dialog, and confirming runs the decision
 * with its busy state and problem. A 409 closes the dialog and reloads (never decide on a version
 * unseen); success closes it, then hands the result on.
 */
export function useAskedDecision(onOutdated: () => void) {
  const [asking, setAsking] = useState(false);
  const action = useAgreementAction(() => {
    setAsking(false);
    onOutdated();
  });
  return {
    ...action,
    asking,
    ask: () => {
      action.clear();
      setAsking(true);
    },
    /** The dialog's wiring: `decide` runs with the reason given, `done` receives its result. */
    dialog: <T>(decide: (reason: string | undefined) => Promise<T>, done: (result: T) => void): Pick<ReasonDialogProps, "open" | "busy" | "error" | "onConfirm" | "onCancel"> => ({
      open: asking,
      busy: action.busy,
      error: action.error,
      onConfirm: (reason) =>
        void action.run(async () => {
          const result = await decide(reason);
          setAsking(false);
          done(result);
        }),
      onCancel: () => {
        action.clear();
        setAsking(false);
      },
    }),
  };
}
