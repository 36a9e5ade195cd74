import type { Request, RequestHandler } from "express";
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from "express-rate-limit";
import { TooManyRequestsError } from "../errors";

function limiter(limit: number, key: (req: Request) => string, headers: boolean, onlyRefused = false): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    // The address ceiling counts refused credentials only: a whole organisation may share one
    // egress address, and its people have their own budgets once they are known.
    ...(onlyRefused ? { skipSuccessfulRequests: true, requestWasSuccessful: (_req: Request, res: { statusCode: number }) => res.statusCode !== 401 } : {}),
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

/**
 * The caller's address without a port: some proxies write `X-Forwarded-For` as `address:port`,
 * which would otherwise give every connection a budget of its own.
 */
function withoutPort(raw: string | undefined): string {
  const address = raw ?? "unknown";
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address) ?? /^\[([0-9a-f:.]+)\]:\d+$/i.exec(address);
  return withPort?.[1] ?? address;
}

/** The key of an address: without a port, and an IPv6 address by its /56 network. */
export const addressKey = (raw: string | undefined): string => ipKeyGenerator(withoutPort(raw));

const ip = (req: Request) => ipKeyGenerator(withoutPort(req.ip));

/** Before authentication: a per-address ceiling on refused credentials, so token guessing is bounded. */
export const perAddress = (perMinute: number) => limiter(perMinute * 4, ip, false, true);

/** After authentication: each person, and each tenant as a whole, has a budget per minute. */
export const perUser = (perMinute: number) =>
  limiter(perMinute, (req) => (req.principal ? `u:${req.principal.tenantId}:${req.principal.userId}` : ip(req)), true);
export const perTenant = (perMinute: number) =>
  limiter(perMinute * 20, (req) => (req.principal ? `t:${req.principal.tenantId}` : ip(req)), false);
