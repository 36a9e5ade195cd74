import type { DomainError, Result } from "../domain/types";
import { type AppError, ConflictError, ForbiddenError, ValidationError } from "../errors";

/** Domain rule refusals -> HTTP problems: bad input 400 (with the field path), rights 403, state 409. */
export function toAppError(err: DomainError): AppError {
  switch (err.code) {
    case "reason_required":
    case "invalid_what":
    case "invalid_boundary":
    case "expiry_required":
      return new ValidationError([{ path: err.path ?? "", message: err.message }], err.message);
    case "approach_owner_only":
      return new ForbiddenError(err.message, { code: err.code });
    case "not_allowed":
      return new ForbiddenError(err.message, { code: err.code });
    default:
      return new ConflictError(err.message, { code: err.code, ...(err.details ? { details: err.details } : {}) });
  }
}

export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw toAppError(r.error);
  return r.value;
}
