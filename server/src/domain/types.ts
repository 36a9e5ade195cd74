// Shared types of the domain rules. Plain data only: records as the store hands them over,
// the typed error every rule returns instead of throwing, and the working-hours shape Graph uses.

export const OUTCOME_STATUSES = ["draft", "proposed", "agreed", "at_risk", "done", "missed", "dropped"] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** Statuses an outcome never leaves. */
export const TERMINAL_STATUSES: readonly OutcomeStatus[] = ["done", "missed", "dropped"];

export const VISIBILITIES = ["private", "team", "public"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export interface Measure {
  metric: string;
  unit: string;
  baseline: number;
  target: number;
  current: number | null;
}

/** The *what* both sides agree on. The current value of the measure is progress, not agreement. */
export interface What {
  title: string;
  measure: Omit<Measure, "current">;
  /** `YYYY-MM-DD`, the last day of the outcome in the owner's time zone. */
  deadline: string;
  ifMissed: string;
}

/** The owner's *how*. Only the owner (or someone acting for the owner) changes it. */
export interface Approach {
  plan?: string;
  tools?: string[];
  schedule?: string;
}

export const CHECK_IN_STATUSES = ["on_track", "at_risk", "off_track", "done"] as const;
export type CheckInStatus = (typeof CHECK_IN_STATUSES)[number];
export type CheckInMode = "meeting" | "async";

export interface CheckInRecord {
  id: string;
  outcomeId: string;
  authorId: string;
  /** Full ISO instant. */
  at: string;
  status: CheckInStatus;
  /** 1 (low) to 5 (high). */
  confidence: number;
  /** The value of the measure reported at this check-in. */
  progress: number;
  mode: CheckInMode;
  /** Ideas surfaced (see check-in-facts): counted, not read, so cleared text keeps its figures. */
  ideasCount: number;
  /** Whether support was asked for. */
  supportAsked: boolean;
  note?: string | null;
  blockers?: string | null;
  nextStep?: string | null;
}

export const COMMENT_KINDS = ["coaching", "directive"] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];

export interface CommentRecord {
  id: string;
  checkInId: string;
  outcomeId: string;
  authorId: string;
  at: string;
  kind: CommentKind;
  text?: string;
}

export interface NudgeRecord {
  id: string;
  outcomeId: string;
  ownerId: string;
  /** `null` when the system sent it. */
  senderId: string | null;
  at: string;
  kind: "reminder" | "nudge";
}

export const CAUSE_CATEGORIES = ["system", "process", "resources", "skills", "external", "individual"] as const;
export type CauseCategory = (typeof CAUSE_CATEGORIES)[number];
/** Causes that lie in the surroundings of the work rather than in the person. */
export const SYSTEM_CAUSES: readonly CauseCategory[] = ["system", "process", "resources", "external"];
export const INDIVIDUAL_CAUSES: readonly CauseCategory[] = ["skills", "individual"];

export interface ReviewRecord {
  id: string;
  outcomeId: string;
  at: string;
  causes: CauseCategory[];
  whatBlocked?: string | null;
  whatCouldImprove?: string | null;
  supportNeeded?: string | null;
  followUps?: string[];
}

export interface StatusChange {
  status: OutcomeStatus;
  at: string;
}

export interface OutcomeRecord {
  id: string;
  ownerId: string;
  teamId: string;
  title: string;
  measure: Measure;
  deadline: string;
  ifMissed: string;
  status: OutcomeStatus;
  createdAt: string;
  agreedAt: string | null;
  doneAt: string | null;
  statusHistory?: StatusChange[];
  visibility?: Visibility;
  riskClass?: string | null;
}

/** Working hours as Microsoft Graph returns them in mailboxSettings. */
export interface WorkingHours {
  /** Lower-case English day names: "monday" ... "sunday". */
  daysOfWeek: string[];
  /** `HH:mm:ss.fffffff`, local to `timeZone`. */
  startTime: string;
  endTime: string;
  /** An IANA name; a few common Windows names are understood too. */
  timeZone: { name: string };
}

export interface PersonRecord {
  id: string;
  displayName?: string;
  /** IANA time zone of the person, used for local calendar days. */
  timeZone?: string | null;
  workingHours?: WorkingHours | null;
}

export type DomainErrorCode =
  | "reason_required"
  | "nothing_to_change"
  | "not_allowed"
  | "closed"
  | "invalid_what"
  | "nothing_pending"
  | "stale_version"
  | "already_accepted"
  | "approach_owner_only"
  | "invalid_boundary"
  | "expiry_required";

export interface DomainError {
  code: DomainErrorCode;
  message: string;
  /** Field path the error concerns, e.g. `measure.target`. */
  path?: string;
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: DomainErrorCode, message: string, extra?: Pick<DomainError, "path" | "details">): Result<T> {
  return { ok: false, error: { code, message, ...extra } };
}
