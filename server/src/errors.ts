/**
 * Typed errors of the whole server. Services throw these; one Express handler
 * (http/problem.ts) turns them into RFC 9457 problem+json. Anything else becomes a 500
 * that shows only the request id.
 */
export interface FieldError {
  path: string;
  message: string;
}

const TYPE_BASE = "https://leeway.example/problems/";

export class AppError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    slug: string,
    title: string,
    detail?: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.status = status;
    this.type = TYPE_BASE + slug;
    this.title = title;
    this.extra = extra;
    this.headers = headers;
  }

  get detail(): string | undefined {
    return this.message === this.title ? undefined : this.message;
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], detail = "The request has invalid fields.") {
    super(400, "validation", "Invalid request", detail, { errors });
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = "A valid bearer token is required.") {
    super(401, "unauthorized", "Unauthorized", detail, {}, { "WWW-Authenticate": 'Bearer error="invalid_token"' });
  }
}

export class ForbiddenError extends AppError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(403, "forbidden", "Forbidden", detail, extra);
  }
}

export class NotFoundError extends AppError {
  constructor(what = "resource") {
    super(404, "not-found", "Not found", `No ${what} with that id, or you may not see it.`);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(409, "conflict", "Conflict", detail, extra);
  }
}

export class PreconditionFailedError extends AppError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(412, "precondition-failed", "Precondition failed", detail, extra);
  }
}

export class PreconditionRequiredError extends AppError {
  constructor(detail = "This change needs an If-Match header with the ETag you last read.") {
    super(428, "precondition-required", "Precondition required", detail);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limit: string) {
    super(413, "payload-too-large", "Payload too large", `The request body is larger than ${limit}.`);
  }
}

export class UnprocessableError extends AppError {
  constructor(slug: string, title: string, detail: string, extra: Record<string, unknown> = {}) {
    super(422, slug, title, detail, extra);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(
      429,
      "rate-limited",
      "Too many requests",
      `Slow down: try again in ${retryAfterSeconds} s.`,
      {},
      { "Retry-After": String(retryAfterSeconds) },
    );
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(detail: string, retryAfterSeconds?: number) {
    super(503, "unavailable", "Service unavailable", detail, {}, retryAfterSeconds ? { "Retry-After": String(retryAfterSeconds) } : {});
  }
}

export class UpstreamError extends AppError {
  constructor(detail: string) {
    super(502, "upstream", "Microsoft 365 did not answer as expected", detail);
  }
}
