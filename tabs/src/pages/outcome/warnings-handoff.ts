// Boundary warnings about a write whose result another page shows: a new outcome opens on its own
// page, which says what the boundaries warned about. Each is taken once, so a later visit to the
// page does not repeat them.
import type { BoundaryWarning } from "../../api/types";

const waiting = new Map<string, BoundaryWarning[]>();

export function handOverWarnings(outcomeId: string, warnings: BoundaryWarning[] | undefined): void {
  if (warnings?.length) waiting.set(outcomeId, warnings);
}

export function takeWarnings(outcomeId: string): BoundaryWarning[] | undefined {
  const warnings = waiting.get(outcomeId);
  waiting.delete(outcomeId);
  return warnings;
}
