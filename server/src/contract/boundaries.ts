import { BOUNDARY_KINDS, MAX_PATTERN_LENGTH, MAX_PATTERNS, REQUIRED_FIELDS, type BoundaryKind } from "../domain/boundary-kinds";
import { isDateOnly } from "../domain/time";
import { Cursor, Id } from "./common";
import { z } from "./zod";

const text = (max: number) => z.string().trim().max(max, `At most ${max} characters.`);
const requiredText = (max: number, what: string) => text(max).min(1, `${what} cannot be empty.`);
const wholeNumber = (min: number, max: number, what: string) =>
  z.number({ error: `${what} must be a number.` }).int(`${what} must be a whole number.`).min(min, `${what} is at least ${min}.`).max(max, `${what} is at most ${max}.`);

const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** A real date (`YYYY-MM-DD`, meaning 00:00 UTC) or an ISO date-time with a zone. Stored as a UTC instant. */
export const Instant = z
  .string()
  .max(40)
  .refine((s) => {
    const m = INSTANT.exec(s);
    return !!m && isDateOnly(m[1] ?? "") && Number.isFinite(Date.parse(s));
  }, "Use a date (YYYY-MM-DD) or an ISO date-time with a time zone, e.g. 2026-03-01T09:00:00Z.");

export const BOUNDARY_STATES = ["active", "pending_approval", "rejected", "superseded", "retired"] as const;
export const SCOPE_LEVELS = ["tenant", "team", "person"] as const;
const KINDS = BOUNDARY_KINDS as [BoundaryKind, ...BoundaryKind[]];

export const BoundaryScope = z
  .discriminatedUnion("level", [
    z.strictObject({ level: z.literal("tenant") }),
    z.strictObject({ level: z.literal("team"), teamId: Id }),
    z.strictObject({ level: z.literal("person"), personId: Id }),
  ])
  .openapi("BoundaryScope", { description: "Who the boundary applies to: the whole tenant, one team, or one person." });

export const ContentPattern = z.strictObject({
  name: requiredText(100, "The pattern name"),
  regex: z
    .string()
    .min(1, "The pattern cannot be empty.")
    .max(MAX_PATTERN_LENGTH, `At most ${MAX_PATTERN_LENGTH} characters.`)
    .describe(
      "A JavaScript regular expression, always case-insensitive. Refused when it repeats an unbounded repetition, backtracks without bound on a probe text, or matches empty text (and so every text).",
    ),
  flags: z.string().regex(/^[imsu]{0,4}$/, "Allowed flags: i, m, s, u (matching is always case-insensitive).").optional(),
});

/** The rule of a boundary, one shape per kind (the same kinds as the domain's BoundaryRule). */
export const BoundaryRule = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("checkin_cadence"), minDays: wholeNumber(0, 366, "The minimum gap"), maxDays: wholeNumber(1, 366, "The maximum gap") }),
    z.strictObject({ kind: z.literal("required_fields"), fields: z.array(z.enum(REQUIRED_FIELDS)).min(1, "Name at least one field.").max(REQUIRED_FIELDS.length) }),
    z.strictObject({ kind: z.literal("approval_for_risk_class"), riskClasses: z.array(requiredText(50, "A risk class")).min(1, "Name at least one risk class.").max(20) }),
    z.strictObject({ kind: z.literal("working_hours_only") }),
    z.strictObject({ kind: z.literal("content_pattern"), patterns: z.array(ContentPattern).min(1, "Name at least one pattern.").max(MAX_PATTERNS) }),
    z.strictObject({ kind: z.literal("nudge_limit"), perOutcomePerWeek: wholeNumber(0, 100, "The nudge limit") }),
    z.strictObject({ kind: z.literal("escalation"), atRiskCheckIns: wholeNumber(1, 100, "The number of check-ins") }),
    z.strictObject({ kind: z.literal("retention"), freeTextDays: wholeNumber(1, 36_500, "Retention") }),
  ])
  .openapi("BoundaryRule", { description: "What the boundary requires; `kind` selects the shape." });

const Enforcement = z.enum(["block", "warn"]).describe("`block` refuses a write that breaks the rule (422); `warn` lets it through and returns a warning.");

export const CreateBoundary = z
  .strictObject({
    name: requiredText(200, "The name"),
    scope: BoundaryScope,
    enforcement: Enforcement,
    rule: BoundaryRule,
    effectiveFrom: Instant.optional().describe("When it starts to apply; default now."),
    effectiveTo: Instant.nullable().optional().describe("Exclusive end of its window, if any."),
    expiresAt: Instant.nullable().optional().describe("When it lapses by itself; required (with a reason) for a person-level boundary."),
    reason: text(2000).min(1).optional(),
  })
  .openapi("CreateBoundary");
export type CreateBoundary = z.infer<typeof CreateBoundary>;

export const UpdateBoundary = z
  .strictObject({
    name: requiredText(200, "The name").optional(),
    enforcement: Enforcement.optional(),
    rule: BoundaryRule.optional(),
    effectiveFrom: Instant.optional(),
    effectiveTo: Instant.nullable().optional(),
    expiresAt: Instant.nullable().optional(),
    reason: text(2000).min(1).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "Nothing to change.", when: (payload) => (payload.issues ?? []).length === 0 })
  .openapi("UpdateBoundary", { description: "The fields to change; the scope and the rule's kind stay as they are." });
export type UpdateBoundary = z.infer<typeof UpdateBoundary>;

export const RetireBoundary = z.strictObject({ reason: requiredText(2000, "The reason") }).openapi("RetireBoundary");
export const BoundaryDecision = z.strictObject({ note: text(1000).min(1).optional() }).openapi("BoundaryDecision");

export const ListBoundariesQuery = z.strictObject({
  state: z.enum(BOUNDARY_STATES).optional().describe("`pending_approval` lists every boundary with a version awaiting approval; other states match the governing version."),
  kind: z.enum(KINDS).optional(),
  scope: z.enum(SCOPE_LEVELS).optional(),
});

export const ListFindingsQuery = z.strictObject({
  from: Instant.optional().describe("Inclusive lower bound of `at`."),
  to: Instant.optional().describe("Exclusive upper bound of `at`."),
  boundaryId: Id.optional(),
  enforcement: z.enum(["block", "warn"]).optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListFindingsQuery = z.infer<typeof ListFindingsQuery>;

export const BoundaryVersionOut = z
  .object({
    version: z.number().int(),
    state: z.enum(BOUNDARY_STATES),
    change: z.enum(["create", "change", "retire"]).describe("What this version proposed."),
    name: z.string(),
    scope: BoundaryScope,
    enforcement: z.enum(["block", "warn"]),
    rule: BoundaryRule,
    ruleText: z.string().describe("The rule in words."),
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable(),
    expiresAt: z.string().nullable(),
    reason: z.string().nullable(),
    proposedBy: z.string(),
    proposedAt: z.string(),
    decidedBy: z.string().nullable().describe("Who approved or rejected it; null when no approval was needed."),
    decidedAt: z.string().nullable(),
  })
  .openapi("BoundaryVersion");
export type BoundaryVersionOut = z.infer<typeof BoundaryVersionOut>;

export const BoundaryOut = z
  .object({
    id: z.string(),
    kind: z.enum(KINDS),
    ...BoundaryVersionOut.shape,
    inForce: z.boolean().describe("Whether the governing version applies right now."),
    pendingVersion: z.number().int().nullable().describe("The version awaiting approval, if any."),
    pending: BoundaryVersionOut.nullable(),
  })
  .openapi("Boundary", {
    description: "A boundary as it stands: the governing version (the active one, else the latest decided, else the first proposal) and any change awaiting approval.",
  });
export type BoundaryOut = z.infer<typeof BoundaryOut>;

const NoteWarning = z.object({ boundaryId: z.string(), boundaryName: z.string(), kind: z.string(), rule: z.string(), enforcement: z.enum(["block", "warn"]), message: z.string(), path: z.string().optional() });
export const BoundaryDetailOut = BoundaryOut.extend({
  versions: z.array(BoundaryVersionOut).describe("Every version, oldest first."),
  warnings: z
    .array(NoteWarning)
    .optional()
    .describe("On a change or decision: what warn-level content boundaries found in its reason or note, which are kept word for word in the audit trail."),
}).openapi("BoundaryDetail");
export type BoundaryDetailOut = z.infer<typeof BoundaryDetailOut>;

export const BoundaryListOut = z.object({ items: z.array(BoundaryOut) }).openapi("BoundaryList");

export const BoundaryFindingOut = z
  .object({
    id: z.string(),
    boundaryId: z.string(),
    boundaryVersion: z.number().int(),
    boundaryName: z.string(),
    kind: z.string(),
    enforcement: z.enum(["block", "warn"]),
    outcome: z.enum(["blocked", "warned"]),
    operation: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    actorId: z.string(),
    path: z.string().nullable(),
    message: z.string(),
    at: z.string(),
  })
  .openapi("BoundaryFinding");
export type BoundaryFindingOut = z.infer<typeof BoundaryFindingOut>;

export const BoundaryFindingPage = z.object({ items: z.array(BoundaryFindingOut), nextCursor: z.string().nullable() }).openapi("BoundaryFindingPage");
