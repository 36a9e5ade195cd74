import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";
import { ServiceUnavailableError, UnauthorizedError } from "../errors";
import type { Principal } from "./principal";

export interface TokenValidatorOptions {
  /** e.g. https://login.microsoftonline.com, or <base>/local-m365 for the local tenant. */
  authority: string;
  audience: string;
  allowedTenants: readonly string[];
  clockToleranceSeconds?: number;
}

/** The delegated scope the app registration exposes for the tab and the add-in. */
export const API_SCOPE = "access_as_user";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates Entra ID v2 access tokens: RS256 only, signed by a key of the tenant's JWKS,
 * issuer `<authority>/<tid>/v2.0` for the token's own tenant (which must be accepted here),
 * our audience, exp/nbf within 60 s, and this API's delegated scope.
 */
export class TokenValidator {
  private readonly jwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  private readonly allowed: Set<string>;
  /**
   * Tokens already verified, until they expire (at most five minutes): a token is immutable, so
   * verifying the same one again on every request of a session only repeats the RSA work.
   */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly opts: TokenValidatorOptions) {
    this.allowed = new Set(opts.allowedTenants.map((t) => t.toLowerCase()));
  }

  async validate(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known && known.until > Date.now()) return known.principal;
    const principal = await this.verify(token);
    if (this.verified.size >= 10_000) this.verified.clear();
    this.verified.set(token, { principal, until: Math.min(principal.expiresAt, Date.now() + 5 * 60_000) });
    return principal;
  }

  private async verify(token: string): Promise<Principal> {
    let tid: string;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== "RS256") throw new UnauthorizedError(`Tokens must be signed with RS256, not ${String(header.alg)}.`);
      const unverified = decodeJwt(token);
      tid = typeof unverified.tid === "string" ? unverified.tid.toLowerCase() : "";
    } catch (err) {
      if (err instanceof UnauthorizedError) throw err;
      throw new UnauthorizedError("The bearer token is not a well-formed JWT.");
    }
    if (!GUID.test(tid)) throw new UnauthorizedError("The token has no tenant id.");
    if (!this.allowed.has(tid)) throw new UnauthorizedError("The token's tenant is not served by this deployment.");

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keysFor(tid), {
        algorithms: ["RS256"],
        issuer: `${this.opts.authority}/${tid}/v2.0`,
        audience: this.opts.audience,
        clockTolerance: this.opts.clockToleranceSeconds ?? 60,
        requiredClaims: ["exp", "iat", "tid", "oid"],
      }));
    } catch (err) {
      // The keys could not be fetched: that is our outage, not the caller's bad token.
      // The keys could not be read (timeout, an error answer, a body that is not a key set, the
      // network): the identity provider's trouble, not a bad token, so the client retries later
      // instead of signing in again. jose reports an error answer as its base error class.
      if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || !(err instanceof errors.JOSEError) || err.constructor === errors.JOSEError) {
        throw new ServiceUnavailableError("The identity provider's signing keys could not be read; try again shortly.", 5);
      }
      throw new UnauthorizedError(describe(err));
    }
    if (String(payload.tid).toLowerCase() !== tid) throw new UnauthorizedError("The token's tenant and issuer disagree.");
    const scopes = typeof payload.scp === "string" ? payload.scp.split(" ").filter(Boolean) : [];
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [];
    // Only a delegated token for this API's scope is an access token for it. An ID token from the
    // same app registration has our audience and the person's app roles but no scope, and Leeway's
    // app roles are for people only, so no application token can be valid here either.
    if (!scopes.includes(API_SCOPE)) {
      throw new UnauthorizedError(`The token does not grant the ${API_SCOPE} scope; send an access token for this API, not an ID token.`);
    }
    const oid = String(payload.oid);
    return {
      tenantId: tid,
      userId: oid,
      name: typeof payload.name === "string" ? payload.name : oid,
      username: typeof payload.preferred_username === "string" ? payload.preferred_username : null,
      roles,
      scopes,
      assertion: token,
      expiresAt: Number(payload.exp) * 1000,
    };
  }

  private keysFor(tid: string): ReturnType<typeof createRemoteJWKSet> {
    let set = this.jwks.get(tid);
    if (!set) {
      set = createRemoteJWKSet(new URL(`${this.opts.authority}/${tid}/discovery/v2.0/keys`), {
        cooldownDuration: 30_000,
        cacheMaxAge: 6 * 60 * 60_000,
      });
      this.jwks.set(tid, set);
    }
    return set;
  }
}

function describe(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "The token has expired.";
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "nbf") return "The token is not valid yet.";
    if (err.claim === "aud") return "The token was issued for another audience.";
    if (err.claim === "iss") return "The token was issued by another authority.";
    return `The token's ${err.claim} claim is not acceptable.`;
  }
  if (err instanceof errors.JWKSNoMatchingKey) return "The token was signed with an unknown key.";
  if (err instanceof errors.JWSSignatureVerificationFailed) return "The token's signature is not valid.";
  if (err instanceof errors.JOSEAlgNotAllowed) return "The token's algorithm is not allowed.";
  return "The token could not be validated.";
}
