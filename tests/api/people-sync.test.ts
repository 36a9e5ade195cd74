import request from "supertest";
import { AuditEventEntity, PersonEntity } from "../../server/src/store/entities";
import { CONTOSO, FABRIKAM, startTestServer, type TestServer } from "../support/harness";

describe("people read from Microsoft Graph", () => {
  let s: TestServer;
  beforeAll(async () => {
    // No demo seed: everyone is a stranger until they first call the API.
    s = await startTestServer({ LEEWAY_SEED_DEMO: "false" });
  });
  afterAll(() => s.close());

  it("records a person on first sight with manager, time zone and working hours from Graph, audited", async () => {
    const token = await s.token("adele.vance@contoso.test");
    const me = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${token}`).expect(200);
    const people = s.leeway.context.dataSource.getRepository(PersonEntity);
    const adele = await people.findOneByOrFail({ tenantId: CONTOSO, id: me.body.id });
    expect(adele).toMatchObject({ displayName: "Adele Vance", mail: "adele.vance@contoso.test", timeZone: "Europe/London" });
    expect(adele.managerId).toEqual(expect.any(String));
    expect(adele.workingHours?.daysOfWeek).toContain("monday");
    const audit = await s.leeway.context.dataSource.getRepository(AuditEventEntity).findBy({ tenantId: CONTOSO, entityId: me.body.id });
    expect(audit.map((e) => e.action)).toContain("person.recorded");
    expect(audit.find((e) => e.action === "person.recorded")?.actorId).toBe(me.body.id);
  });

  it("records a newcomer once when their first requests arrive together, answering every one", async () => {
    const token = await s.token("lynne.robbins@contoso.test");
    const answers = await Promise.all(Array.from({ length: 6 }, () => request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${token}`)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const audit = await s.leeway.context.dataSource.getRepository(AuditEventEntity).findBy({ tenantId: CONTOSO, entityId: answers[0]!.body.id });
    expect(audit.map((e) => e.action)).toEqual(["person.recorded"]);
  });

  it("registers a new tenant once when two of its people first sign in at the same moment, answering both", async () => {
    const tokens = await Promise.all(["nestor.wilke@fabrikam.test", "patti.fernandez@fabrikam.test"].map((who) => s.token(who)));
    const answers = await Promise.all(tokens.map((token) => request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${token}`)));
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const audit = await s.leeway.context.dataSource.getRepository(AuditEventEntity).findBy({ tenantId: FABRIKAM });
    expect(audit.map((e) => e.action).sort()).toEqual(["person.recorded", "person.recorded", "tenant.registered"]);
  });

  it("refreshes a person whose record is older than the refresh time, and not before", async () => {
    const token = await s.token("alex.wilber@contoso.test");
    const me = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${token}`).expect(200);
    await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${token}`).expect(200);
    const repo = s.leeway.context.dataSource.getRepository(AuditEventEntity);
    const actions = async () => (await repo.findBy({ tenantId: CONTOSO, entityId: me.body.id })).map((e) => e.action);
    expect(await actions()).toEqual(["person.recorded"]);
    // Pretend the record is two days old (the default refresh is one day), behind the API's back.
    await s.leeway.context.dataSource
      .createQueryBuilder()
      .update(PersonEntity)
      .set({ syncedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(), displayName: "Stale Name" })
      .where("tenant_id = :t AND id = :id", { t: CONTOSO, id: me.body.id })
      .execute();
    // The server also remembers confirmed people for a minute in memory; skip that wait.
    (s.leeway.context.people as unknown as { fresh: Map<string, unknown> }).fresh.clear();
    const again = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${token}`).expect(200);
    expect(again.body.displayName).toBe("Alex Wilber");
    expect(await actions()).toEqual(["person.recorded", "person.refreshed"]);
  });
});
