import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { ServiceUnavailableError, UnauthorizedError } from "../errors";
import { TokenValidator } from "./token-validator";

const TID = "c0c0c0c0-0000-4000-8000-000000000001";

/** An identity provider whose key set answers with `status` and `body`. */
async function provider(status: number, body: string): Promise<{ authority: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { authority: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function tokenFor(authority: string): Promise<string> {
  const { privateKey } = await generateKeyPair("RS256");
  return new SignJWT({ tid: TID, oid: "a1", scp: "access_as_user" })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(`${authority}/${TID}/v2.0`)
    .setAudience("api://leeway")
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(privateKey);
}

describe("token validation when the identity provider's keys cannot be read", () => {
  it.each([
    ["an error answer", 503, '{"error":"unavailable"}'],
    ["a body that is not a key set", 200, "<html>maintenance</html>"],
  ])("answers 503 for %s, not 401", async (_what, status, body) => {
    const idp = await provider(status, body);
    try {
      const validator = new TokenValidator({ authority: idp.authority, audience: "api://leeway", allowedTenants: [TID] });
      const err = await validator.validate(await tokenFor(idp.authority)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServiceUnavailableError);
    } finally {
      await idp.close();
    }
  });

  it("still answers 401 for a token signed by a key the provider does not publish", async () => {
    const idp = await provider(200, JSON.stringify({ keys: [] }));
    try {
      const validator = new TokenValidator({ authority: idp.authority, audience: "api://leeway", allowedTenants: [TID] });
      await expect(validator.validate(await tokenFor(idp.authority))).rejects.toBeInstanceOf(UnauthorizedError);
    } finally {
      await idp.close();
    }
  });
});

describe("which tokens are access tokens for this API", () => {
  let idp: { authority: string; close: () => Promise<void> };
  let sign: (claims: Record<string, unknown>) => Promise<string>;
  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    idp = await provider(200, JSON.stringify({ keys: [jwk] }));
    sign = (claims) =>
      new SignJWT({ tid: TID, oid: "a1", ...claims })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(`${idp.authority}/${TID}/v2.0`)
        .setAudience("api://leeway")
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(privateKey);
  });
  afterAll(() => idp.close());
  const validator = () => new TokenValidator({ authority: idp.authority, audience: "api://leeway", allowedTenants: [TID] });

  it("accepts a delegated token for the API's scope, with the person's app roles", async () => {
    const p = await validator().validate(await sign({ scp: "access_as_user", roles: ["Leeway.Compliance"] }));
    expect(p).toMatchObject({ tenantId: TID, userId: "a1", scopes: ["access_as_user"], roles: ["Leeway.Compliance"] });
  });

  it.each([
    // An ID token of the same app registration: our audience and the person's roles, no scope.
    ["an ID token carrying app roles", { roles: ["Leeway.Compliance"], nonce: "n" }],
    ["an application token", { roles: ["Leeway.Compliance"], idtyp: "app" }],
    ["a token for another scope", { scp: "User.Read" }],
  ])("refuses %s with 401", async (_what, claims) => {
    const err = await validator().validate(await sign(claims)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect((err as Error).message).toMatch(/access_as_user/);
  });
});
