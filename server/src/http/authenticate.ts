import type { RequestHandler } from "express";
import { ServiceUnavailableError, UnauthorizedError } from "../errors";
import type { PeopleService } from "../identity/people.service";
import type { TokenValidator } from "../identity/token-validator";

/** Every /api request carries an Entra bearer token; the principal rides on the request from here. */
export function authenticate(validator: TokenValidator): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get("authorization") ?? "";
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
    if (!match?.[1]) throw new UnauthorizedError(header ? "The Authorization header must be 'Bearer <token>'." : "A bearer token is required.");
    const principal = await validator.validate(match[1]);
    req.principal = principal;
    req.log = req.log.child({ tid: principal.tenantId, oid: principal.userId });
    next();
  };
}

/** Records a person on first sight (and refreshes them) from Microsoft Graph. */
export function recordPerson(people: PeopleService): RequestHandler {
  return async (req, _res, next) => {
    const p = req.principal;
    if (p?.kind === "user") {
      try {
        await people.ensure(p);
      } catch (err) {
        req.log.error({ err }, "could not read the caller's profile from Microsoft Graph");
        throw new ServiceUnavailableError("Your profile could not be read from Microsoft 365; try again shortly.", 10);
      }
    }
    next();
  };
}
