import { CAUSE_CATEGORIES, CHECK_IN_STATUSES } from "../domain/types";
import { z } from "./zod";

const Finding = z.object({ boundaryId: z.string(), boundaryName: z.string(), kind: z.string(), rule: z.string(), enforcement: z.enum(["block", "warn"]), message: z.string(), path: z.string().optional() });

export const CommentOut = z.object({ id: z.string(), checkInId: z.string(), authorId: z.string(), at: z.string(), kind: z.enum(["coaching", "directive"]), text: z.string().nullable() }).openapi("Comment");

export const CheckInOut = z
  .object({
    id: z.string(),
    outcomeId: z.string(),
    authorId: z.string(),
    at: z.string(),
    status: z.enum(CHECK_IN_STATUSES),
    confidence: z.number().int(),
    progress: z.number(),
    note: z.string().nullable(),
    blockers: z.string().nullable(),
    supportNeeded: z.string().nullable(),
    nextStep: z.string().nullable(),
    ideas: z.array(z.string()),
    mode: z.enum(["meeting", "async"]),
    occurrenceId: z.string().nullable(),
    redacted: z.boolean(),
    comments: z.array(CommentOut),
  })
  .openapi("CheckIn");

export const CoachingQuestion = z.object({ key: z.string(), text: z.string() });

export const CheckInCreated = CheckInOut.extend({
  outcomeStatus: z.string(),
  coachingQuestions: z.array(CoachingQuestion),
  escalated: z.boolean(),
  warnings: z.array(Finding),
}).openapi("CheckInCreated");

export const NudgeOut = z
  .object({
    id: z.string(),
    outcomeId: z.string(),
    senderId: z.string().nullable(),
    kind: z.enum(["reminder", "nudge", "escalation"]),
    at: z.string(),
    message: z.string().nullable(),
    redacted: z.boolean().describe("True once the retention sweep cleared the message."),
  })
  .openapi("Nudge");
export const CommentCreated = CommentOut.extend({
  suggestedKind: z.string().describe("What the text reads as (coaching or directive), whichever kind was sent."),
  warnings: z.array(Finding),
});
export const NudgeCreated = NudgeOut.extend({ nudgesThisWeek: z.number().int(), limit: z.number().int().nullable(), warnings: z.array(Finding) });

export const ReviewOut = z
  .object({
    id: z.string(),
    outcomeId: z.string(),
    authorId: z.string(),
    at: z.string(),
    whatBlocked: z.string(),
    whatCouldImprove: z.string(),
    supportNeeded: z.string().nullable(),
    causes: z.array(z.enum(CAUSE_CATEGORIES)),
    actions: z.array(z.object({ description: z.string(), ownerId: z.string(), dueDate: z.string().optional() })),
    warnings: z.array(Finding).optional(),
  })
  .openapi("Review");
