import type { AppContext } from "../../context";
import { IdParams, Page } from "../../contract/common";
import { AcceptAgreement, Approve, CreateOutcome, DropOutcome, ListOutcomesQuery, OutcomeOut, UpdateOutcome, WhatOut, WithdrawChange } from "../../contract/outcomes";
import { z } from "../../contract/zod";
import { Reply, type ApiBuilder } from "../../http/api-builder";
import { OutcomeService, type OutcomeResult } from "../../services/outcome.service";
import { checkInRoutes } from "./check-ins.routes";

const withEtag = (r: OutcomeResult, status = 200) => new Reply(r.outcome, status, { ETag: r.etag });

const AgreementHistory = z
  .object({
    items: z.array(
      z.object({
        version: z.number(),
        kind: z.enum(["create", "change", "drop"]),
        what: WhatOut.describe("The what this version proposed."),
        proposedBy: z.string(),
        proposedAs: z.enum(["owner", "manager"]),
        reason: z.string().nullable().describe("The proposer's reason."),
        state: z
          .enum(["pending", "agreed", "superseded", "withdrawn", "declined"])
          .describe("`withdrawn` by its proposer, `declined` by the other side, `superseded` by a later proposal."),
        ownerAcceptedAt: z.string().nullable(),
        managerAcceptedAt: z.string().nullable(),
        managerId: z.string().nullable().describe("The owner's manager on the manager's side of this version: who accepted for that side, else the manager when it was proposed."),
        createdAt: z.string(),
        decidedAt: z.string().nullable(),
        decidedBy: z.string().nullable().describe("Who ended the wait: the party whose acceptance completed the agreement, who withdrew or declined it, or who proposed the version that superseded it."),
        decisionReason: z.string().nullable().describe("The reason given when it was withdrawn or declined."),
      }),
    ),
  })
  .openapi("AgreementHistory");

export function outcomeRoutes(api: ApiBuilder, ctx: AppContext): void {
  const outcomes = new OutcomeService(ctx);
  const tags = ["outcomes"];

  api.route(
    { method: "post", path: "/api/v1/outcomes", summary: "Propose an outcome (owner or the owner's manager)", tags, body: CreateOutcome, status: 201, response: OutcomeOut, etag: true, errors: { 422: "Blocked by a compliance boundary." } },
    async ({ principal, body, requestId }) => {
      const r = await outcomes.create(principal, body, requestId);
      return new Reply(r.outcome, 201, { ETag: r.etag, Location: `/api/v1/outcomes/${r.outcome.id}` });
    },
  );

  api.route(
    { method: "get", path: "/api/v1/outcomes", summary: "Outcomes the caller may see, newest first, paged by cursor", tags, query: ListOutcomesQuery, response: Page(OutcomeOut) },
    async ({ principal, query }) => outcomes.list(principal, query),
  );

  api.route(
    { method: "get", path: "/api/v1/outcomes/{id}", summary: "One outcome, with its ETag", tags, params: IdParams, response: OutcomeOut, etag: true },
    async ({ principal, params }) => withEtag(await outcomes.get(principal, params.id)),
  );

  api.route(
    {
      method: "patch",
      path: "/api/v1/outcomes/{id}",
      summary: "Change an outcome. Needs If-Match. The what (title, measure, deadline, ifMissed) changes by agreement; the approach only by the owner.",
      tags,
      params: IdParams,
      body: UpdateOutcome,
      response: OutcomeOut,
      etag: true,
      ifMatch: "required",
      errors: { 409: "The change conflicts with the outcome's state.", 412: "The outcome changed since you read it.", 422: "Blocked by a compliance boundary.", 428: "If-Match is missing." },
    },
    async ({ principal, params, body, ifMatch, requestId }) => withEtag(await outcomes.update(principal, params.id, ifMatch, body, requestId)),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/outcomes/{id}/agreement",
      summary: "Accept the version of the what that is on the table (owner or the owner's manager)",
      tags,
      params: IdParams,
      body: AcceptAgreement,
      response: OutcomeOut,
      etag: true,
      errors: { 409: "Nothing pending, already accepted, or a newer version is on the table.", 422: "Blocked by a compliance boundary." },
    },
    async ({ principal, params, body, requestId }) => withEtag(await outcomes.accept(principal, params.id, body.version, requestId)),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/outcomes/{id}/agreement/withdraw",
      summary: "Take back the change on the table: its proposer withdraws it, or the other side (owner or the owner's manager) declines it; the agreed what stays in force",
      tags,
      params: IdParams,
      body: WithdrawChange,
      response: OutcomeOut,
      etag: true,
      errors: { 403: "Not the owner or the owner's manager, or nothing has been agreed yet (propose a change or a drop instead).", 409: "Nothing pending, the outcome is closed, or another version is on the table.", 422: "Blocked by a compliance boundary." },
    },
    async ({ principal, params, body, requestId }) => withEtag(await outcomes.withdraw(principal, params.id, body.version, body.reason || null, requestId)),
  );

  api.route(
    { method: "get", path: "/api/v1/outcomes/{id}/agreement", summary: "The whole history of proposals and acceptances of the what", tags, params: IdParams, response: AgreementHistory },
    async ({ principal, params }) => ({ items: await outcomes.history(principal, params.id) }),
  );

  api.route(
    { method: "post", path: "/api/v1/outcomes/{id}/drop", summary: "Propose dropping the outcome; the other side accepts it like any change", tags, params: IdParams, body: DropOutcome, response: OutcomeOut, etag: true, errors: { 409: "The outcome is closed or a drop is already proposed." } },
    async ({ principal, params, body, requestId }) => withEtag(await outcomes.drop(principal, params.id, body.reason, requestId)),
  );

  api.route(
    {
      method: "post", path: "/api/v1/outcomes/{id}/approval", summary: "Approve the outcome's risk class (Leeway.Compliance, or Leeway.Admin on an outcome they may see; not a party to it); the note is kept as the audit event's reason",
      tags, params: IdParams, body: Approve, response: OutcomeOut, etag: true, errors: { 409: "The outcome is not waiting for a risk-class approval, is closed, or changed since the version sent." },
    },
    async ({ principal, params, body, requestId }) => withEtag(await outcomes.approveRisk(principal, params.id, requestId, body.note ?? null, body.version)),
  );

  checkInRoutes(api, ctx);
}
