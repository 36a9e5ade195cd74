import { CAUSE_CATEGORIES, OUTCOME_STATUSES } from "../domain/types";
import { instantOrDay } from "./audit";
import { Id } from "./common";
import { z } from "./zod";

export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86_400_000;

export const TeamDashboardParams = z.strictObject({ teamId: Id });

export const TeamDashboardQuery = z
  .strictObject({
    from: instantOrDay("start").optional().describe("Start of the period (inclusive); default 90 days before `to`."),
    to: instantOrDay("end").optional().describe("End of the period (inclusive); default now."),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["to"], message: "`to` must not be before `from`." })
  // Without `to` the period ends now, so a `from` in the future would make it run backwards.
  .refine((q) => !q.from || q.to !== undefined || Date.parse(q.from) <= Date.now(), { path: ["from"], message: "`from` must not be after now when `to` is absent." })
  .refine((q) => !q.from || Date.parse(q.to ?? new Date().toISOString()) - Date.parse(q.from) <= MAX_PERIOD_DAYS * DAY_MS, {
    path: ["from"],
    message: `The period can be at most ${MAX_PERIOD_DAYS} days long.`,
  });
export type TeamDashboardQuery = z.output<typeof TeamDashboardQuery>;

const count = z.number().int().min(0);
const share = z.number().nullable().describe("Percent with one decimal; null when there is nothing to base it on.");
const StatusCounts = z.object(Object.fromEntries(OUTCOME_STATUSES.map((s) => [s, count])) as Record<(typeof OUTCOME_STATUSES)[number], typeof count>);
const Status = z.enum(OUTCOME_STATUSES);

export const SignOut = z
  .object({
    key: z.enum(["deadlinesMetWithoutReminders", "ideasPerPersonPerMonth", "medianTimeToSelfCorrect", "coachingVsChasing"]),
    label: z.string(),
    value: z.number().nullable(),
    unit: z.string(),
    definition: z.string(),
    sample: count,
  })
  .openapi("SignOfBalance");

export const PitfallOut = z
  .object({
    key: z.enum(["vagueExpectations", "overMonitoring", "ignoredUnderperformance", "activityWithoutResults"]),
    label: z.string(),
    detected: z.boolean(),
    count: count.describe("Outcomes of the team concerned, among those the caller may see: the figures are computed over those only."),
    items: z.array(z.object({ outcomeId: z.string(), title: z.string(), ownerId: z.string(), reason: z.string() })).describe("The concerned outcomes the caller may see."),
    hiddenItems: count.describe("Concerned outcomes left out of items because the caller may not see them; 0, as the figures count only what the caller may see."),
    definition: z.string(),
  })
  .openapi("Pitfall");

export const ReviewCausesOut = z
  .object({
    counts: z.object(Object.fromEntries(CAUSE_CATEGORIES.map((c) => [c, count])) as Record<(typeof CAUSE_CATEGORIES)[number], typeof count>),
    total: count,
    reviews: count,
    systemCauses: count,
    individualCauses: count,
    systemShare: share,
    individualShare: share,
    definition: z.string(),
  })
  .openapi("ReviewCauses");

const Progress = z.number().min(0).max(1).nullable().describe("(current - baseline) / (target - baseline), clamped to 0..1; null before any progress is reported.");

export const TeamOutcomeOut = z.object({
  id: z.string(),
  title: z.string(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  status: Status,
  visibility: z.enum(["private", "team", "public"]),
  deadline: z.string(),
  progress: Progress,
  lastCheckInAt: z.string().nullable(),
  atRiskSince: z.string().nullable(),
  nextCheckInDue: z.string().nullable().describe("YYYY-MM-DD in the owner's time zone, on the outcome's rhythm; null unless the outcome is agreed or at risk."),
  checkInOverdue: z.boolean().describe("The next check-in's day has passed in the owner's time zone."),
});

export const WeekOut = z.object({
  week: z.string().describe("ISO week, e.g. 2026-W09."),
  start: z.string().describe("Monday (UTC) the week starts, YYYY-MM-DD."),
  checkIns: count,
  onTrackShare: share,
  atRisk: count.describe("Outcomes with at least one at-risk or off-track check-in in the week."),
  nudges: count,
  coachingComments: count,
  directives: count,
});

export const TeamDashboard = z
  .object({
    team: z.object({
      id: z.string(),
      name: z.string(),
      rhythm: z.enum(["weekly", "biweekly"]).describe("The team's check-in rhythm: its check-in schedule's cadence, else its default."),
      members: z.array(z.object({ id: z.string(), displayName: z.string().nullable(), role: z.enum(["lead", "member"]) })),
    }),
    access: z.enum(["member", "manager", "compliance", "admin"]).describe("Why the caller may read this dashboard."),
    period: z.object({ from: z.string(), to: z.string() }),
    generatedAt: z.string(),
    outcomes: z.object({
      visible: count,
      byStatus: StatusCounts,
      byOwner: z.array(z.object({ ownerId: z.string(), displayName: z.string().nullable(), total: count, byStatus: StatusCounts })),
      items: z.array(TeamOutcomeOut),
      definition: z.string(),
    }),
    rhythm: z.object({
      cadence: z.enum(["weekly", "biweekly"]),
      windowDays: count,
      windows: count.describe("Windows looked at per outcome on the team's rhythm; an outcome with a rhythm of its own is cut into windows of its own length."),
      outcomes: count,
      windowsDue: count,
      windowsKept: count,
      adherence: share,
      onRhythmNow: share,
      definition: z.string(),
    }),
    signs: z.array(SignOut),
    pitfalls: z.array(PitfallOut),
    reviewCauses: ReviewCausesOut,
    series: z.object({ weeks: z.array(WeekOut), definition: z.string() }),
    definitions: z.object({ scope: z.string() }),
  })
  .openapi("TeamDashboard");
export type TeamDashboard = z.infer<typeof TeamDashboard>;

const Party = z.enum(["owner", "manager"]);

export const MyOutcomeOut = z.object({
  id: z.string(),
  title: z.string(),
  teamId: z.string(),
  teamName: z.string().nullable(),
  status: Status,
  deadline: z.string(),
  measure: z.object({ metric: z.string(), unit: z.string(), baseline: z.number(), target: z.number(), current: z.number().nullable() }),
  progress: Progress,
  cadence: z.enum(["weekly", "biweekly"]),
  lastCheckInAt: z.string().nullable(),
  nextCheckInDue: z.string().nullable().describe("YYYY-MM-DD in the owner's time zone; null unless the outcome is agreed or at risk."),
  checkInOverdue: z.boolean(),
  waitingFor: z.array(Party).describe("Parties that still have to accept the pending version of the what."),
});

export const NextCheckInOut = z.object({
  outcomeId: z.string(),
  title: z.string(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  role: Party.describe("owner: your outcome; manager: a direct report's."),
  dueDate: z.string(),
  overdue: z.boolean(),
});

export const PendingAgreementOut = z.object({
  outcomeId: z.string(),
  title: z.string(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  as: Party,
  kind: z.enum(["change", "drop"]),
  proposedBy: Party,
  reason: z.string().nullable(),
  pendingVersion: z.number().int(),
  version: z.number().int().describe("The outcome's current version: send it to POST /api/v1/outcomes/{id}/agreement."),
  status: Status,
});

export const ATTENTION_REASONS = ["at_risk", "awaiting_my_agreement", "past_deadline", "check_in_overdue"] as const;

export const AttentionOut = z.object({
  outcomeId: z.string(),
  title: z.string(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  status: Status,
  deadline: z.string(),
  reasons: z.array(z.enum(ATTENTION_REASONS)),
  atRiskSince: z.string().nullable(),
  lastCheckInAt: z.string().nullable(),
  nudges: z.object({
    thisWeek: count.describe("Nudges and reminders for the outcome in the 7 days up to now (escalations not counted)."),
    limit: count.nullable().describe("The nudge limit per outcome per week of the boundaries that apply to the owner; null when none applies."),
    left: count.nullable(),
  }),
});

export const MyDashboard = z
  .object({
    generatedAt: z.string(),
    outcomes: z.array(MyOutcomeOut),
    nextCheckIns: z.array(NextCheckInOut).describe("The next check-in of each agreed or at-risk outcome you own or a direct report owns, soonest first."),
    pendingAgreements: z.array(PendingAgreementOut),
    asManager: z.object({ directReports: z.array(z.object({ id: z.string(), displayName: z.string() })), attention: z.array(AttentionOut) }),
    definitions: z.object({ outcomes: z.string(), progress: z.string(), nextCheckInDue: z.string(), pendingAgreements: z.string(), attention: z.string() }),
  })
  .openapi("MyDashboard");
export type MyDashboard = z.infer<typeof MyDashboard>;

export const DashboardTeams = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        access: z.enum(["member", "manager", "compliance", "admin"]).describe("Why the caller may read the team's dashboard, as the dashboard says it."),
      }),
    ),
  })
  .openapi("DashboardTeams");
export type DashboardTeams = z.infer<typeof DashboardTeams>;
