import type { Request, RequestHandler } from "express";
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from "express-rate-limit";
import { TooManyRequestsError } from "../errors";

function limiter(limit: number, key: (req: Request) => string, headers: boolean): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    // Only the caller's own budget is announced (RateLimit-Policy and RateLimit); the address and
    // tenant ceilings still answer 429 with Retry-After when reached.
    standardHeaders: headers ? "draft-8" : false,
    legacyHeaders: false,
    keyGenerator: key,
    handler: (req, _res, next) => {
      const reset = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime() ?? Date.now() + 60_000;
      next(new TooManyRequestsError(Math.max(1, Math.ceil((reset - Date.now()) / 1000))));
    },
  });
}

const ip = (req: Request) => ipKeyGenerator(req.ip ?? "unknown");

/** Before authentication: a generous per-address ceiling, so token guessing is bounded too. */
export const perAddress = (perMinute: number) => limiter(perMinute * 4, ip, false);

/** After authentication: each person, and each tenant as a whole, has a budget per minute. */
export const perUser = (perMinute: number) =>
  limiter(perMinute, (req) => (req.principal ? `u:${req.principal.tenantId}:${req.principal.userId}` : ip(req)), true);
export const perTenant = (perMinute: number) =>
  limiter(perMinute * 20, (req) => (req.principal ? `t:${req.principal.tenantId}` : ip(req)), false);
