import { DEMO } from "../../server/src/local-m365/demo-directory";
import { AuditEventEntity } from "../../server/src/store/entities";
import { outcomeBody } from "../support/client";
import { CONTOSO, startTestServer, type TestServer } from "../support/harness";
import { actors, CONTOSO_UPN, type Actor } from "../reliability/support/actors";

const C = DEMO.contoso;
const IBAN_TEXT = "GB29NWBK60161331926819";

describe("forbidden content in every text that is kept", () => {
  let s: TestServer;
  let a: Record<"lee" | "johanna", Actor>;

  beforeAll(async () => {
    s = await startTestServer();
    a = await actors(s.baseUrl, (upn) => s.token(upn), {
      lee: CONTOSO_UPN("lee.gu"),
      johanna: CONTOSO_UPN("johanna.lorenz"),
    });
  });
  // The demo organisation's tenant boundary, which blocks.
  const boundaryName = "No account numbers in free text";
  afterAll(() => s.close());

  const auditCount = () => s.leeway.context.dataSource.getRepository(AuditEventEntity).countBy({ tenantId: CONTOSO, action: "outcome.updated" });

  it("refuses an account number in the measure, a change's reason or a drop's reason, writing nothing", async () => {
    const body = outcomeBody(a.lee.id, C.teams.paymentsOperations, { title: "Settle returned payments within a day" });
    const inMetric = await a.lee.post("/api/v1/outcomes", { ...body, measure: { ...body.measure, metric: `returns to ${IBAN_TEXT}` } });
    expect(inMetric.status).toBe(422);
    expect(inMetric.body.findings).toEqual([expect.objectContaining({ boundaryName, path: "measure.metric" })]);

    const o = (await a.lee.post("/api/v1/outcomes", body).expect(201)).body;
    await a.johanna.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    const updates = await auditCount();

    // The reason is kept word for word in the agreement history and the audit trail, which cannot be redacted.
    const change = await a.lee.patch(`/api/v1/outcomes/${o.id}`, { title: "Settle returned payments within four hours", reason: `Customer ${IBAN_TEXT} complained` }, '"v2"');
    expect(change.status).toBe(422);
    expect(change.body.findings).toEqual([expect.objectContaining({ boundaryName, path: "reason" })]);
    const drop = await a.lee.post(`/api/v1/outcomes/${o.id}/drop`, { reason: `Moved to ${IBAN_TEXT}'s team` });
    expect(drop.status).toBe(422);
    expect(drop.body.findings).toEqual([expect.objectContaining({ boundaryName, path: "reason" })]);

    const now = (await a.lee.get(`/api/v1/outcomes/${o.id}`).expect(200)).body;
    expect(now).toMatchObject({ version: 2, status: "agreed", agreement: { pending: null } });
    expect((await a.lee.get(`/api/v1/outcomes/${o.id}/agreement`).expect(200)).body.items).toHaveLength(1);
    expect(await auditCount()).toBe(updates);
  });
});
