import { useState } from "react";
import { ApiError } from "../api/client";

/**
 * Runs one decision on the what on the table (agree, decline, withdraw) with its busy state and
 * problem. A 409 means someone changed or decided the proposal meanwhile: the caller reloads, so
 * what waits now is what the person sees.
 */
export function useAgreementAction(onOutdated: () => void): { busy: boolean; error: unknown; run: (action: () => Promise<void>) => Promise<void>; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.status === 409) onOutdated();
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clear: () => setError(null) };
}
