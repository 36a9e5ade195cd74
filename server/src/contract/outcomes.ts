import { CAUSE_CATEGORIES, CHECK_IN_STATUSES, OUTCOME_STATUSES, VISIBILITIES } from "../domain/types";
import { Cursor, Id } from "./common";
import { z } from "./zod";

const text = (max: number) => z.string().trim().max(max, `At most ${max} characters.`);
const requiredText = (max: number, what: string) => text(max).min(1, `${what} cannot be empty.`);

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export const DateOnly = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date written YYYY-MM-DD.")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "Not a real calendar date.");

const finite = (what: string) => z.number({ error: `${what} must be a number.` }).finite(`${what} must be a finite number.`);

export const MeasureInput = z
  .strictObject({
    metric: requiredText(200, "The metric"),
    unit: requiredText(50, "The unit"),
    baseline: finite("The baseline"),
    target: finite("The target"),
  })
  .refine((m) => m.target !== m.baseline, { path: ["target"], message: "The target must differ from the baseline, or there is nothing to achieve." });

export const ApproachInput = z.strictObject({
  plan: text(4000).optional(),
  tools: z.array(text(200)).max(30).optional(),
  schedule: text(1000).optional(),
});

export const CreateOutcome = z
  .strictObject({
    title: requiredText(200, "The title").min(3, "The title needs at least 3 characters."),
    ownerId: Id,
    teamId: Id,
    measure: MeasureInput,
    deadline: DateOnly,
    ifMissed: requiredText(2000, "What happens if the mark is missed"),
    visibility: z.enum(VISIBILITIES),
    approach: ApproachInput.optional(),
    riskClass: text(50).min(1).optional(),
  })
  .openapi("CreateOutcome");

export const UpdateOutcome = z
  .strictObject({
    title: requiredText(200, "The title").min(3, "The title needs at least 3 characters.").optional(),
    measure: z
      .strictObject({
        metric: requiredText(200, "The metric").optional(),
        unit: requiredText(50, "The unit").optional(),
        baseline: finite("The baseline").optional(),
        target: finite("The target").optional(),
        current: finite("The current value").nullable().optional(),
      })
      .optional(),
    deadline: DateOnly.optional(),
    ifMissed: requiredText(2000, "What happens if the mark is missed").optional(),
    visibility: z.enum(VISIBILITIES).optional(),
    approach: ApproachInput.optional(),
    riskClass: text(50).min(1).nullable().optional(),
    delegateIds: z.array(Id).max(10).optional(),
    reason: text(1000).min(1).optional(),
  })
  .refine((b) => Object.keys(b).some((k) => k !== "reason"), { message: "Nothing to change." })
  .openapi("UpdateOutcome");

export const AcceptAgreement = z.strictObject({ version: z.number().int().positive() }).openapi("AcceptAgreement");
export const WithdrawChange = z
  .strictObject({ version: z.number().int().positive(), reason: text(1000).optional() })
  .openapi("WithdrawChange", { description: "The version of the proposal on the table, and why it is taken back or declined." });
export const DropOutcome = z.strictObject({ reason: requiredText(1000, "The reason") }).openapi("DropOutcome");

export const ListOutcomesQuery = z.strictObject({
  teamId: Id.optional(),
  ownerId: Id.optional(),
  status: z.enum(OUTCOME_STATUSES).optional(),
  approval: z.enum(["not_required", "pending", "approved"]).optional().describe("Outcomes whose risk class is in this approval state (`pending`: waiting for compliance)."),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const WhatOut = z.object({
  title: z.string(),
  measure: z.object({ metric: z.string(), unit: z.string(), baseline: z.number(), target: z.number() }),
  deadline: z.string(),
  ifMissed: z.string(),
});

export const OutcomeOut = z
  .object({
    id: z.string(),
    ownerId: z.string(),
    teamId: z.string(),
    title: z.string(),
    measure: z.object({ metric: z.string(), unit: z.string(), baseline: z.number(), target: z.number(), current: z.number().nullable() }),
    deadline: z.string(),
    ifMissed: z.string(),
    visibility: z.enum(VISIBILITIES),
    status: z.enum(OUTCOME_STATUSES),
    approach: z.object({ plan: z.string().optional(), tools: z.array(z.string()).optional(), schedule: z.string().optional() }),
    riskClass: z.string().nullable(),
    version: z.number().int(),
    agreement: z.object({
      agreedWhat: WhatOut.nullable(),
      pending: z
        .object({
          version: z.number().int(),
          kind: z.enum(["change", "drop"]),
          what: WhatOut,
          proposedBy: z.enum(["owner", "manager"]),
          reason: z.string().nullable(),
          acceptedBy: z.array(z.enum(["owner", "manager"])),
          waitingFor: z.array(z.enum(["owner", "manager"])),
        })
        .nullable(),
      approval: z.object({
        required: z.boolean(),
        state: z.enum(["not_required", "pending", "approved"]),
        approvedBy: z.string().nullable().describe("Who approved the risk class (compliance or an admin), once approved."),
      }),
    }),
    managerId: z.string().nullable(),
    delegateIds: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
    agreedAt: z.string().nullable(),
    doneAt: z.string().nullable(),
    lastCheckInAt: z.string().nullable(),
    warnings: z.array(z.object({ boundaryId: z.string(), boundaryName: z.string(), rule: z.string(), message: z.string(), path: z.string().optional() })).optional(),
  })
  .openapi("Outcome");
export type OutcomeOut = z.infer<typeof OutcomeOut>;

export const CreateCheckIn = z
  .strictObject({
    status: z.enum(CHECK_IN_STATUSES),
    confidence: z.number().int().min(1).max(5),
    progress: finite("Progress"),
    note: text(4000).optional(),
    blockers: text(4000).optional(),
    supportNeeded: text(4000).optional(),
    nextStep: text(1000).optional(),
    ideas: z.array(requiredText(500, "An idea")).max(20).optional(),
    mode: z.enum(["meeting", "async"]),
    occurrenceId: text(200).min(1).optional(),
  })
  .openapi("CreateCheckIn");

export const CreateComment = z.strictObject({ text: requiredText(2000, "The comment"), kind: z.enum(["coaching", "directive"]).optional() }).openapi("CreateComment");
export const CreateNudge = z.strictObject({ message: text(500).optional() }).openapi("CreateNudge");

export const CreateReview = z
  .strictObject({
    whatBlocked: requiredText(4000, "What blocked"),
    whatCouldImprove: requiredText(4000, "What could improve"),
    supportNeeded: text(4000).optional(),
    causes: z.array(z.enum(CAUSE_CATEGORIES)).min(1, "Pick at least one cause category.").max(6),
    actions: z
      .array(z.strictObject({ description: requiredText(500, "The action"), ownerId: Id, dueDate: DateOnly.optional() }))
      .max(20)
      .default([]),
  })
  .openapi("CreateReview");

export const Approve = z.strictObject({
  note: text(1000).optional(),
  version: z.number().int().min(1).optional().describe("The version the approver read: if the outcome changed since (its risk class, say), the answer is 409 and nothing is approved."),
});
