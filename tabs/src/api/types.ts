// The API's shapes, taken from the server's zod contract as types only (no server code is bundled).
import type { z } from "zod";
import type { AuditEventOut, VerifyReportOut } from "../../../server/src/contract/audit";
import type { BoundaryDetailOut, BoundaryFindingOut, BoundaryOut, CreateBoundary, UpdateBoundary } from "../../../server/src/contract/boundaries";
import type { CheckInCreated, CheckInOut, CommentCreated, CommentOut, NudgeCreated, NudgeOut, ReviewOut } from "../../../server/src/contract/check-ins";
import type { Me } from "../../../server/src/contract/me";
import type { CreateCheckIn, CreateOutcome, CreateReview, OutcomeOut, UpdateOutcome } from "../../../server/src/contract/outcomes";

export type { Me };
export type Outcome = OutcomeOut;
export type OutcomeStatus = Outcome["status"];
export type Visibility = Outcome["visibility"];
export type NewOutcome = z.input<typeof CreateOutcome>;
export type OutcomeChange = z.input<typeof UpdateOutcome>;
/** What a warn-level boundary said about a write it let through. */
export type BoundaryWarning = NonNullable<Outcome["warnings"]>[number];
export type CheckIn = z.infer<typeof CheckInOut>;
export type CheckInStatus = CheckIn["status"];
export type NewCheckIn = z.input<typeof CreateCheckIn>;
export type RecordedCheckIn = z.infer<typeof CheckInCreated>;
export type Comment = z.infer<typeof CommentOut>;
export type AddedComment = z.infer<typeof CommentCreated>;
export type Nudge = z.infer<typeof NudgeOut>;
export type SentNudge = z.infer<typeof NudgeCreated>;
export type Review = z.infer<typeof ReviewOut>;
export type NewReview = z.input<typeof CreateReview>;
export type CauseCategory = NewReview["causes"][number];
export type Boundary = BoundaryOut;
export type BoundaryDetail = BoundaryDetailOut;
export type BoundaryRule = Boundary["rule"];
export type BoundaryScope = Boundary["scope"];
export type NewBoundary = z.input<typeof CreateBoundary>;
export type BoundaryChange = z.input<typeof UpdateBoundary>;
export type BoundaryFinding = BoundaryFindingOut;
export type AuditEvent = AuditEventOut;
export type VerifyReport = VerifyReportOut;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const ROLE_ADMIN = "Leeway.Admin";
export const ROLE_COMPLIANCE = "Leeway.Compliance";
