import type { Request, RequestHandler } from "express";
import { ForbiddenError, ServiceUnavailableError, UnauthorizedError } from "../errors";
import { GraphRequestError } from "../graph/graph-api";
import type { PeopleService } from "../identity/people.service";
import type { TokenValidator } from "../identity/token-validator";

/**
 * The caller's tenant and object id, for a log line about the request. Added to each line rather
 * than bound to a child logger per request: a child serialises and redacts its bindings when it
 * is made, and most requests write no line at all.
 */
export function callerFields(req: Request): { tid?: string; oid?: string } {
  return req.principal ? { tid: req.principal.tenantId, oid: req.principal.userId } : {};
}

/** Every /api request carries an Entra bearer token; the principal rides on the request from here. */
export function authenticate(validator: TokenValidator): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get("authorization") ?? "";
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
    if (!match?.[1]) throw new UnauthorizedError(header ? "The Authorization header must be 'Bearer <token>'." : "A bearer token is required.");
    const principal = await validator.validate(match[1]);
    req.principal = principal;
    next();
  };
}

/** Records a person on first sight (and refreshes them) from Microsoft Graph. */
export function recordPerson(people: PeopleService): RequestHandler {
  return async (req, _res, next) => {
    const p = req.principal;
    if (p) {
      try {
        await people.ensure(p);
      } catch (err) {
        if (err instanceof GraphRequestError && err.code === "consent_required") {
          req.log.warn({ err, ...callerFields(req) }, "Entra ID asks for consent or a sign-in step before Leeway may read the caller's profile");
          throw new ForbiddenError(
            "Leeway may not read your profile from Microsoft 365 yet: your organisation's admin has to consent to Leeway's permissions, or your sign-in needs another step. Sign in again, or ask your Microsoft 365 admin.",
            { code: "consent_required" },
          );
        }
        req.log.error({ err, ...callerFields(req) }, "could not read the caller's profile from Microsoft Graph");
        throw new ServiceUnavailableError("Your profile could not be read from Microsoft 365; try again shortly.", 10);
      }
    }
    next();
  };
}
