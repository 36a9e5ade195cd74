import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { Router, type Request, type Response } from "express";
import { z } from "../contract/zod";
import { Problem } from "../contract/common";
import { AppError, UnauthorizedError } from "../errors";
import { JsonText } from "../json-text";
import { requireGate, type Principal, type RoleGate } from "../identity/principal";
import { parseOrThrow } from "./validation";

type Method = "get" | "post" | "put" | "patch" | "delete";
type AnyObject = z.ZodType<Record<string, unknown>>;

export interface RouteContext<P, Q, B> {
  principal: Principal;
  requestId: string;
  params: P;
  query: Q;
  body: B;
  ifMatch: string | undefined;
}

export interface RouteSpec<P extends AnyObject, Q extends AnyObject, B extends z.ZodType> {
  method: Method;
  /** OpenAPI form: /api/v1/outcomes/{id} */
  path: string;
  summary: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** The success status and schema; error answers are documented for every route. */
  status?: number;
  response?: z.ZodType;
  responseDescription?: string;
  /** Extra documented answers, e.g. { 412: "The outcome changed since you read it." } */
  errors?: Record<number, string>;
  produces?: string[];
  /** A GET that records itself (the audit export): HEAD, which would record and sign for nothing, answers 405. */
  recordsItsUse?: boolean;
  /** The success answer carries the resource's version as an `ETag`. */
  etag?: boolean;
  /** The `If-Match` precondition the route takes: required (428 without it) or optional; 412 when stale. */
  ifMatch?: "required" | "optional";
  /**
   * App roles of which the caller needs one, and what a caller without them is told. Checked
   * before the request is read, so a caller without the role hears 403 whatever they sent, as
   * the contract has it, rather than what is wrong with a body they may not send at all.
   */
  roles?: RoleGate;
}

/** A reply with headers or a non-default status; returning a plain value sends it as JSON. */
export class Reply {
  constructor(
    readonly body: unknown,
    readonly status?: number,
    readonly headers: Record<string, string> = {},
  ) {}
}

const IF_MATCH = z.string().describe("The `ETag` of the version the change is based on, as a read returned it (or `*`).");

const STANDARD_ERRORS: Record<number, string> = {
  400: "Invalid input; `errors` lists each field path and what is wrong.",
  401: "Missing, malformed, forged, expired or wrong-audience token.",
  403: "The caller may not do this.",
  404: "Not found, or not visible to the caller.",
  413: "The body is larger than the configured limit.",
  429: "Rate limited; see Retry-After.",
};

/**
 * One schema, three uses: each route's zod schemas validate the request, type the handler and
 * document the route in the OpenAPI 3.1 document.
 */
export class ApiBuilder {
  readonly router = Router();
  private readonly resources = new Map<string, Router>();
  readonly registry = new OpenAPIRegistry();

  constructor() {
    this.registry.register("Problem", Problem);
    this.registry.registerComponent("securitySchemes", "entra", {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
      description: "Microsoft Entra ID v2 access token for api://leeway (scope access_as_user)",
    });
  }

  route<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
    spec: RouteSpec<P, Q, B>,
    handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>, res: Response) => Promise<unknown>,
  ): void {
    this.document(spec);
    const { router, path } = this.resourceRouter(spec.path.replace(/\{(\w+)\}/g, ":$1"));
    if (spec.method === "get" && spec.recordsItsUse) {
      router.head(path, () => {
        throw new AppError(405, "method-not-allowed", "Method not allowed", "This request is recorded each time it is made; send GET.", {}, { Allow: "GET" });
      });
    }
    router[spec.method](path, async (req: Request, res: Response) => {
      if (!req.principal) throw new UnauthorizedError();
      if (spec.roles) requireGate(req.principal, spec.roles);
      const ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>> = {
        principal: req.principal,
        requestId: String(req.id),
        params: spec.params ? parseOrThrow(spec.params, req.params) : ({} as z.output<P>),
        query: spec.query ? parseOrThrow(spec.query, withoutEmpty(req.query)) : ({} as z.output<Q>),
        body: spec.body ? parseOrThrow(spec.body, req.body ?? {}) : (undefined as z.output<B>),
        // Only a route that documents the precondition reads it.
        ifMatch: spec.ifMatch ? (req.get("if-match") ?? undefined) : undefined,
      };
      const result = await handler(ctx, res);
      if (res.headersSent || res.writableEnded) return;
      if (result instanceof Reply) {
        for (const [k, v] of Object.entries(result.headers)) res.setHeader(k, v);
        res.status(result.status ?? spec.status ?? 200);
        if (result.body === undefined) res.end();
        else res.json(result.body);
        return;
      }
      if (result instanceof JsonText) {
        res.status(spec.status ?? 200).type("application/json").send(result.text);
        return;
      }
      res.status(spec.status ?? 200).json(result);
    });
  }

  /**
   * Routes are grouped by resource (/api/v1/outcomes, /api/v1/audit, …), one router each, so a
   * request is matched against its resource's few routes rather than against all of them.
   */
  private resourceRouter(expressPath: string): { router: Router; path: string } {
    const m = /^(\/api\/v\d+\/[^/:]+)(\/.*)?$/.exec(expressPath);
    if (!m) return { router: this.router, path: expressPath };
    const prefix = m[1]!;
    let router = this.resources.get(prefix);
    if (!router) {
      router = Router({ mergeParams: true });
      this.resources.set(prefix, router);
      this.router.use(prefix, router);
    }
    return { router, path: m[2] ?? "/" };
  }

  private document(spec: RouteSpec<AnyObject, AnyObject, z.ZodType>): void {
    const problem = { "application/problem+json": { schema: Problem } };
    const preconditions: Record<number, string> = spec.ifMatch ? { 412: "The resource changed since the `ETag` sent in `If-Match` was read." } : {};
    if (spec.ifMatch === "required") preconditions[428] = "`If-Match` is missing.";
    const errors = { ...STANDARD_ERRORS, ...preconditions, ...(spec.errors ?? {}) };
    const responses: RouteConfig["responses"] = {
      [spec.status ?? 200]: {
        description: spec.responseDescription ?? "Success",
        ...(spec.etag ? { headers: { ETag: { description: "The resource's version; send it back in `If-Match` to change it.", schema: { type: "string" } } } } : {}),
        ...(spec.response
          ? { content: Object.fromEntries((spec.produces ?? ["application/json"]).map((type) => [type, { schema: spec.response as z.ZodType }])) }
          : {}),
      },
    };
    for (const [status, description] of Object.entries(errors)) responses[status] = { description, content: problem };
    this.registry.registerPath({
      method: spec.method,
      path: spec.path,
      summary: spec.summary,
      tags: spec.tags,
      security: [{ entra: [] }],
      request: {
        ...(spec.params ? { params: spec.params as never } : {}),
        ...(spec.query ? { query: spec.query as never } : {}),
        ...(spec.ifMatch ? { headers: z.object({ "If-Match": spec.ifMatch === "required" ? IF_MATCH : IF_MATCH.optional() }) } : {}),
        ...(spec.body ? { body: { required: true, content: { "application/json": { schema: spec.body } } } } : {}),
      },
      responses,
    });
  }

  openApiDocument(serverUrl: string): object {
    return new OpenApiGeneratorV31(this.registry.definitions).generateDocument({
      openapi: "3.1.0",
      info: {
        title: "Leeway API",
        version: "1.0.0",
        description: "Outcomes, agreements, check-ins, compliance boundaries and the audit trail. Errors are RFC 9457 problem+json.",
      },
      servers: [{ url: serverUrl }],
    });
  }
}

/**
 * A query parameter given with no value (`?teamId=&cursor=`, as forms and the contract's own
 * examples write an unused filter) means the filter is not used, not an empty id.
 */
function withoutEmpty(query: Request["query"]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== ""));
}
