// Shapes of the Leeway API the task pane uses: the server's own contract types, where they exist.
import type { z } from "zod";
import type { BoundaryOut } from "../../../server/src/contract/boundaries";
import type { CheckInCreated, CheckInOut, CoachingQuestion } from "../../../server/src/contract/check-ins";
import type { Me as MeOut } from "../../../server/src/contract/me";
import type { CreateCheckIn, OutcomeOut } from "../../../server/src/contract/outcomes";
import type { CreateSchedule, ScheduleOut, SuggestionsBody, SuggestionsOut } from "../../../server/src/contract/schedules";

export type Me = MeOut;
export type Outcome = OutcomeOut;
export type Boundary = BoundaryOut;
export type CheckIn = z.infer<typeof CheckInOut>;
export type CheckInResult = z.infer<typeof CheckInCreated>;
export type Question = z.infer<typeof CoachingQuestion>;
export type NewCheckIn = z.input<typeof CreateCheckIn>;
export type CheckInStatus = CheckIn["status"];

export interface CheckInList {
  items: CheckIn[];
  coachingQuestions: Question[];
}

export type Schedule = z.infer<typeof ScheduleOut>;
export type NewSchedule = z.input<typeof CreateSchedule>;
export type SlotRequest = z.input<typeof SuggestionsBody>;
export type Suggestions = z.infer<typeof SuggestionsOut>;
export type Slot = Suggestions["suggestions"][number];
export type Cadence = Schedule["cadence"];
export type SyncState = Schedule["syncState"];

/** Someone to invite, as the directory knows them. */
export interface Person {
  id: string;
  displayName: string;
  mail: string | null;
}
