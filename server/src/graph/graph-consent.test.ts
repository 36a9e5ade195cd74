import type { Request, Response } from "express";
import pino from "pino";
import { ForbiddenError, ServiceUnavailableError } from "../errors";
import { recordPerson } from "../http/authenticate";
import type { PeopleService } from "../identity/people.service";
import type { Principal } from "../identity/principal";
import { GraphRequestError } from "./graph-api";
import { MicrosoftGraph } from "./graph-client";
import { GraphConsentRequiredError } from "./token-provider";

const caller = { tenantId: "c0c0c0c0-0000-4000-8000-000000000001", userAssertion: "token" };

describe("when Entra ID asks for consent or a sign-in step before it exchanges a token", () => {
  it("reports it as a refusal that is not worth retrying, before any call reaches Graph", async () => {
    let fetched = 0;
    const graph = new MicrosoftGraph({
      // Nothing listens here: a call that got past the token would fail as unreachable instead.
      baseUrl: "http://127.0.0.1:9",
      tokens: {
        getToken: async () => {
          fetched++;
          throw new GraphConsentRequiredError("invalid_grant", "consent_required", "AADSTS65001: The user or administrator has not consented to use the application.");
        },
      },
    });
    const err = await graph.getUser(caller, "someone").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphRequestError);
    expect(err).toMatchObject({ status: 403, code: "consent_required", transient: false });
    expect(fetched).toBe(1);
  });

  it("answers the person 403 with code consent_required, not a 503 to retry for ever", async () => {
    const refusing = (error: Error) => ({ ensure: async () => Promise.reject(error) }) as unknown as PeopleService;
    const req = { principal: { tenantId: caller.tenantId, userId: "u1" } as Principal, log: pino({ level: "silent" }) } as unknown as Request;
    const run = (people: PeopleService) => recordPerson(people)(req, {} as Response, () => undefined) as unknown as Promise<void>;

    const consent = await run(refusing(new GraphRequestError(403, "consent_required", "consent"))).catch((e: unknown) => e);
    expect(consent).toBeInstanceOf(ForbiddenError);
    expect(consent).toMatchObject({ status: 403, extra: { code: "consent_required" } });
    // An outage is still an outage.
    expect(await run(refusing(new GraphRequestError(503, "serviceUnavailable", "down"))).catch((e: unknown) => e)).toBeInstanceOf(ServiceUnavailableError);
  });
});
