import { createContext, useContext } from "react";
import type { LeewayApi } from "../api/client";
import type { Directory } from "../api/people";
import type { Me } from "../api/types";
import type { Appointment } from "../office/appointment";

/** What every view of the pane works with, once someone is signed in. */
export interface Pane {
  api: LeewayApi;
  directory: Directory | null;
  me: Me;
  appointment: Appointment;
  /** The organizer's time zone (IANA), for slots and the recurrence. */
  timeZone: string;
  /** Origin of the Leeway server, for links into the Teams tab. */
  origin: string;
}

export const PaneContext = createContext<Pane | null>(null);

export function usePane(): Pane {
  const pane = useContext(PaneContext);
  if (!pane) throw new Error("usePane outside the signed-in pane");
  return pane;
}
