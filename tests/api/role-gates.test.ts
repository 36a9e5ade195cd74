import request from "supertest";
import { startTestServer, type TestServer } from "../support/harness";

/**
 * Routes open to an app role answer a caller without it with 403 whatever they send: the
 * contract's "403 for a valid caller without the right" comes before what is wrong with a body,
 * a query or an id they may not send at all. A caller with the role still hears 400 for the same
 * request, with the field path.
 */
const OWNER = "adele.vance@contoso.test";
const COMPLIANCE = "lidia.holloway@contoso.test";
const ADMIN = "miriam.graham@contoso.test";

interface Gate {
  name: string;
  method: "get" | "post" | "patch";
  path: string;
  body?: unknown;
  /** Signed in without the route's role. */
  without: string;
  /** Signed in with it. */
  with: string;
  /** The field the role holder is told about. */
  field: string;
  refusal: RegExp;
}

const GATES: Gate[] = [
  { name: "create a boundary with an empty body", method: "post", path: "/api/v1/boundaries", body: {}, without: COMPLIANCE, with: ADMIN, field: "name", refusal: /Creating a boundary needs the Leeway.Admin role/ },
  { name: "change a boundary to an enforcement that does not exist", method: "patch", path: "/api/v1/boundaries/not-an-id", body: { enforcement: "sometimes" }, without: OWNER, with: ADMIN, field: "enforcement", refusal: /Changing a boundary needs the Leeway.Admin role/ },
  { name: "retire a boundary without a reason", method: "post", path: "/api/v1/boundaries/not-an-id/retire", body: {}, without: COMPLIANCE, with: ADMIN, field: "reason", refusal: /Retiring a boundary/ },
  { name: "approve a boundary with an unknown field", method: "post", path: "/api/v1/boundaries/not-an-id/approve", body: { tenantId: "x" }, without: OWNER, with: COMPLIANCE, field: "tenantId", refusal: /Deciding on a boundary change/ },
  { name: "reject a boundary with a note that is no text", method: "post", path: "/api/v1/boundaries/not-an-id/reject", body: { note: 5 }, without: OWNER, with: ADMIN, field: "note", refusal: /Deciding on a boundary change/ },
  { name: "read findings with a limit that is no number", method: "get", path: "/api/v1/boundary-findings?limit=many", without: OWNER, with: COMPLIANCE, field: "limit", refusal: /Boundary findings are for/ },
  { name: "search the audit trail with a limit that is no number", method: "get", path: "/api/v1/audit/events?limit=many", without: ADMIN, with: COMPLIANCE, field: "limit", refusal: /open to compliance officers only/ },
  { name: "read an audit event by a sequence that is no number", method: "get", path: "/api/v1/audit/events/first", without: ADMIN, with: COMPLIANCE, field: "seq", refusal: /open to compliance officers only/ },
  { name: "export the audit trail in an unknown format", method: "get", path: "/api/v1/audit/export?format=xml", without: ADMIN, with: COMPLIANCE, field: "format", refusal: /open to compliance officers only/ },
  { name: "list checkpoints with a limit that is no number", method: "get", path: "/api/v1/audit/checkpoints?limit=many", without: OWNER, with: COMPLIANCE, field: "limit", refusal: /open to compliance officers only/ },
];

describe("routes open to a role", () => {
  let s: TestServer;
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    s = await startTestServer();
    for (const who of [OWNER, COMPLIANCE, ADMIN]) tokens.set(who, await s.token(who));
  });
  afterAll(() => s.close());

  const send = (g: Gate, who: string) => {
    const req = request(s.baseUrl)[g.method](g.path).set("Authorization", `Bearer ${tokens.get(who)!}`);
    return g.body === undefined ? req : req.send(g.body as object);
  };

  it.each(GATES)("$name: 403 without the role, 400 naming the field with it", async (g) => {
    const refused = await send(g, g.without);
    expect(refused.status).toBe(403);
    expect(refused.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(refused.body.detail).toMatch(g.refusal);

    const invalid = await send(g, g.with);
    expect(invalid.status).toBe(400);
    expect((invalid.body.errors as { path: string }[]).map((e) => e.path)).toContain(g.field);
  });
});
