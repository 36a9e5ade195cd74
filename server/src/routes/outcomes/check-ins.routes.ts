import type { AppContext } from "../../context";
import { CheckInCreated, CheckInOut, CoachingQuestion, CommentCreated, NudgeCreated, NudgeOut, ReviewOut } from "../../contract/check-ins";
import { IdParams } from "../../contract/common";
import { CreateCheckIn, CreateComment, CreateNudge, CreateReview } from "../../contract/outcomes";
import { z } from "../../contract/zod";
import type { ApiBuilder } from "../../http/api-builder";
import { CheckInService } from "../../services/check-in.service";

export function checkInRoutes(api: ApiBuilder, ctx: AppContext): void {
  const checkIns = new CheckInService(ctx);
  const blocked = { 409: "The outcome is closed.", 422: "Blocked by a compliance boundary." };

  api.route(
    {
      method: "post",
      path: "/api/v1/outcomes/{id}/check-ins",
      summary: "Record a check-in (owner or delegate); answers with the coaching questions to ask next",
      tags: ["check-ins"],
      params: IdParams,
      body: CreateCheckIn,
      status: 201,
      response: CheckInCreated,
      errors: { ...blocked, 409: "The outcome is closed (code `closed`), or not agreed yet and the check-in says it is done (code `not_agreed`)." },
    },
    async ({ principal, params, body, requestId }) => checkIns.record(principal, params.id, body, requestId),
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/outcomes/{id}/check-ins",
      summary: "The outcome's check-ins, newest first, with their comments",
      tags: ["check-ins"],
      params: IdParams,
      response: z.object({ items: z.array(CheckInOut), coachingQuestions: z.array(CoachingQuestion) }),
    },
    async ({ principal, params }) => checkIns.list(principal, params.id),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/check-ins/{id}/comments",
      summary: "Comment on a check-in; each comment is coaching (a question or offer of support) or a directive, and counted",
      tags: ["check-ins"],
      params: IdParams,
      body: CreateComment,
      status: 201,
      response: CommentCreated,
      errors: blocked,
    },
    async ({ principal, params, body, requestId }) => checkIns.comment(principal, params.id, body, requestId),
  );

  api.route(
    { method: "post", path: "/api/v1/outcomes/{id}/nudges", summary: "Remind the owner; counts against the nudge limit", tags: ["nudges"], params: IdParams, body: CreateNudge, status: 201, response: NudgeCreated, errors: blocked },
    async ({ principal, params, body, requestId }) => checkIns.nudge(principal, params.id, body, requestId),
  );

  api.route(
    { method: "get", path: "/api/v1/outcomes/{id}/nudges", summary: "Nudges, reminders and escalations of an outcome", tags: ["nudges"], params: IdParams, response: z.object({ items: z.array(NudgeOut) }) },
    async ({ principal, params }) => checkIns.nudges(principal, params.id),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/outcomes/{id}/reviews",
      summary: "Blameless review of a missed or dropped outcome: what blocked, what could improve, support needed, causes, follow-ups",
      tags: ["reviews"],
      params: IdParams,
      body: CreateReview,
      status: 201,
      response: ReviewOut,
      errors: { 409: "Only missed or dropped outcomes are reviewed (`not_reviewable`), and each person writes one review of an outcome (`already_reviewed`).", 422: "Blocked by a compliance boundary." },
    },
    async ({ principal, params, body, requestId }) => checkIns.review(principal, params.id, body, requestId),
  );

  api.route(
    { method: "get", path: "/api/v1/outcomes/{id}/reviews", summary: "Reviews of an outcome", tags: ["reviews"], params: IdParams, response: z.object({ items: z.array(ReviewOut) }) },
    async ({ principal, params }) => checkIns.reviews(principal, params.id),
  );
}
