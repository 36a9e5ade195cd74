import type { AppContext } from "../../context";
import {
  BoundaryDecision, BoundaryDetailOut, BoundaryFindingPage, BoundaryListOut, CreateBoundary, ListBoundariesQuery, ListFindingsQuery, RetireBoundary, UpdateBoundary,
} from "../../contract/boundaries";
import { IdParams } from "../../contract/common";
import { Reply, type ApiBuilder } from "../../http/api-builder";
import { BOUNDARY_GATES, BoundaryService, type BoundaryResult } from "../../services/boundary.service";

const TAGS = ["boundaries"];
const withEtag = (r: BoundaryResult, status?: number) => new Reply(r.body, status, { ETag: r.etag });

const IF_MATCH =
  "Optional `If-Match`: the `ETag` of a read (`W/\"<latest version>\"`); when sent and the boundary has moved on, the answer is 412.";
const MAKER_CHECKER =
  "When the tenant requires approval (maker-checker), the new version is stored `pending_approval` and the active version stays in force until a different person with Leeway.Admin or Leeway.Compliance approves it.";
const LOOSER = "A team or person boundary looser than a wider boundary of the same kind in force: problem type `boundary-looser`, naming the wider boundary and each looser field.";

export function boundaryRoutes(api: ApiBuilder, ctx: AppContext): void {
  const service = new BoundaryService(ctx);

  api.route(
    {
      method: "get",
      path: "/api/v1/boundaries",
      summary: "The compliance boundaries the caller may read (admins and compliance: all; others: tenant-wide, their teams' and their own)",
      tags: TAGS,
      query: ListBoundariesQuery,
      response: BoundaryListOut,
    },
    async ({ principal, query }) => ({ items: await service.list(principal, query) }),
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/boundaries/{id}",
      summary: "One boundary with every version (its history); answers with an ETag",
      tags: TAGS,
      params: IdParams,
      response: BoundaryDetailOut,
      etag: true,
    },
    async ({ principal, params }) => withEtag(await service.get(principal, params.id)),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/boundaries",
      summary: `Create a boundary (Leeway.Admin). A person-level boundary needs a reason and an expiry. ${MAKER_CHECKER}`,
      tags: TAGS,
      roles: BOUNDARY_GATES.create,
      body: CreateBoundary,
      status: 201,
      response: BoundaryDetailOut,
      etag: true,
      responseDescription: "The boundary, `active` or `pending_approval`, with an ETag",
      errors: { 422: LOOSER },
    },
    async ({ principal, requestId, body }) => withEtag(await service.create(principal, requestId, body), 201),
  );

  api.route(
    {
      method: "patch",
      path: "/api/v1/boundaries/{id}",
      summary: `Change a boundary (Leeway.Admin): a new version with the same checks as creation. ${MAKER_CHECKER} ${IF_MATCH}`,
      tags: TAGS,
      roles: BOUNDARY_GATES.update,
      params: IdParams,
      body: UpdateBoundary,
      response: BoundaryDetailOut,
      etag: true,
      ifMatch: "optional",
      errors: { 409: "A change already awaits approval, or the boundary is retired.", 412: "The boundary changed since you read it.", 422: LOOSER },
    },
    async ({ principal, requestId, params, body, ifMatch }) => withEtag(await service.update(principal, requestId, params.id, body, ifMatch)),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/boundaries/{id}/retire",
      summary: `Retire a boundary (Leeway.Admin), with a reason. ${MAKER_CHECKER} ${IF_MATCH}`,
      tags: TAGS,
      roles: BOUNDARY_GATES.retire,
      params: IdParams,
      body: RetireBoundary,
      response: BoundaryDetailOut,
      etag: true,
      ifMatch: "optional",
      errors: { 409: "A change already awaits approval, or nothing is active to retire.", 412: "The boundary changed since you read it." },
    },
    async ({ principal, requestId, params, body, ifMatch }) => withEtag(await service.retire(principal, requestId, params.id, body.reason, ifMatch)),
  );

  for (const decision of ["approve", "reject"] as const) {
    api.route(
      {
        method: "post",
        path: `/api/v1/boundaries/{id}/${decision}`,
        summary: `${decision === "approve" ? "Approve" : "Reject"} the version awaiting approval (Leeway.Admin or Leeway.Compliance, not its proposer). ${
          decision === "approve" ? "Approval checks tightening again at that moment. " : ""
        }${IF_MATCH}`,
        tags: TAGS,
      roles: BOUNDARY_GATES.decide,
        params: IdParams,
        body: BoundaryDecision,
        response: BoundaryDetailOut,
        etag: true,
        ifMatch: "optional",
        errors: {
          403: "Without the role, or the proposer deciding on their own change (problem type `boundary-self-approval`).",
          409: "Nothing awaits approval.",
          412: "The boundary changed since you read it.",
          ...(decision === "approve" ? ({ 422: LOOSER } as Record<number, string>) : {}),
        },
      },
      async ({ principal, requestId, params, body, ifMatch }) => withEtag(await service.decide(principal, requestId, params.id, decision, body.note, ifMatch)),
    );
  }

  api.route(
    {
      method: "get",
      path: "/api/v1/boundary-findings",
      summary: "Recorded boundary violations, blocked attempts and warnings, newest first (Leeway.Compliance or Leeway.Admin); paged by cursor",
      tags: TAGS,
      roles: BOUNDARY_GATES.findings,
      query: ListFindingsQuery,
      response: BoundaryFindingPage,
    },
    async ({ principal, query }) => service.findings(principal, query),
  );
}
