import request from "supertest";
import { IsNull } from "typeorm";
import { sweepRetention } from "../../server/src/services/retention-sweeper";
import { insertRow } from "../../server/src/store/entity-sql";
import { AuditEventEntity, CheckInEntity, NudgeEntity } from "../../server/src/store/entities";
import { buildBoundary, buildCheckIn, buildOutcome, buildReview, buildTeam, daysBefore } from "../support/factories";
import { CONTOSO, FABRIKAM, startTestServer, type TestServer } from "../support/harness";

describe("retention of free text", () => {
  let s: TestServer;
  beforeAll(async () => {
    // The sweeps run when the tests call them, not on the server's own timer as well.
    s = await startTestServer({ LEEWAY_HOUSEKEEPING: "false" });
  });
  afterAll(() => s.close());

  it("clears notes past the retention boundary, keeps newer ones and the figures, and audits the clearing", async () => {
    const ds = s.leeway.context.dataSource;
    const patti = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${await s.token("patti.fernandez@fabrikam.test")}`).expect(200);
    const o = await buildOutcome(s, { tenantId: FABRIKAM, ownerId: patti.body.id, teamId: patti.body.teams[0].id });
    const now = Date.now();
    const old = await buildCheckIn(s, o, { at: daysBefore(now, 45), status: "at_risk", progress: 3, supportNeeded: "Customer list from sales", ideas: ["Call the top ten first"] });
    const recent = await buildCheckIn(s, o, { at: daysBefore(now, 5), status: "on_track", progress: 6, supportNeeded: "Nothing this week" });

    expect(await sweepRetention(s.leeway.context.uow)).toBe(0); // no retention boundary yet
    await buildBoundary(s, { tenantId: FABRIKAM, name: "Keep free text for 30 days", rule: { kind: "retention", freeTextDays: 30 }, enforcement: "block" });
    expect(await sweepRetention(s.leeway.context.uow)).toBeGreaterThanOrEqual(1);

    const rows = await ds.getRepository(CheckInEntity).findBy([{ tenantId: FABRIKAM, id: old }, { tenantId: FABRIKAM, id: recent }]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(old)).toMatchObject({ supportNeeded: null, ideas: "[]", status: "at_risk", progress: 3 });
    expect(byId.get(old)!.redactedAt).not.toBeNull();
    expect(byId.get(recent)).toMatchObject({ supportNeeded: "Nothing this week", redactedAt: null });

    const list = await request(s.baseUrl).get(`/api/v1/outcomes/${o.id}/check-ins`).set("Authorization", `Bearer ${await s.token("patti.fernandez@fabrikam.test")}`).expect(200);
    expect(list.body.items.find((c: { id: string }) => c.id === old)).toMatchObject({ redacted: true, supportNeeded: null });
    const audit = await ds.getRepository(AuditEventEntity).findBy({ tenantId: FABRIKAM, action: "retention.cleared" });
    expect(audit.length).toBeGreaterThanOrEqual(1);
    // One event per record: searching the trail for the check-in finds what happened to its text.
    expect(audit.filter((e) => e.entityId === old)).toEqual([expect.objectContaining({ entity: "check_in" })]);
    expect(await sweepRetention(s.leeway.context.uow)).toBe(0); // nothing twice
  });

  it("keeps a team's signs and pitfalls when old text is cleared: ideas and asks for support are counted, not read", async () => {
    const token = await s.token("adele.vance@contoso.test");
    const adele = (await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${token}`).expect(200)).body;
    const team = await buildTeam(s, { tenantId: CONTOSO, name: "Keeps notes a fortnight", memberIds: [adele.id] });
    const o = await buildOutcome(s, { tenantId: CONTOSO, ownerId: adele.id, teamId: team });
    const now = Date.now();
    // Three check-ins at risk, past a fortnight: ideas on the first, support asked for on the second.
    const first = await buildCheckIn(s, o, { at: daysBefore(now, 40), status: "at_risk", progress: 1, ideas: ["Pair on the reconciliations", "Borrow a tester", " "] });
    await buildCheckIn(s, o, { at: daysBefore(now, 33), status: "at_risk", progress: 2, supportNeeded: "A second reviewer" });
    await buildCheckIn(s, o, { at: daysBefore(now, 26), status: "at_risk", progress: 3 });
    // The first was written by a server that did not count yet (the previous build, during an upgrade).
    await s.leeway.context.dataSource.getRepository(CheckInEntity).update({ tenantId: CONTOSO, id: first }, { ideasCount: null, supportAsked: null });
    await buildBoundary(s, { tenantId: CONTOSO, name: "A fortnight of free text", rule: { kind: "retention", freeTextDays: 14 }, scope: { level: "team", teamId: team } });

    const board = async () => (await request(s.baseUrl).get(`/api/v1/dashboards/team/${team}`).set("Authorization", `Bearer ${token}`).expect(200)).body;
    const before = await board();
    const ideas = before.signs.find((x: { key: string }) => x.key === "ideasPerPersonPerMonth");
    expect(ideas).toMatchObject({ value: 0.67, sample: 3 }); // two ideas, one person, three months
    // Support was asked for once and nobody answered with coaching: the ask is counted in the reason.
    expect(before.pitfalls.find((x: { key: string }) => x.key === "ignoredUnderperformance").items).toEqual([
      expect.objectContaining({ outcomeId: o.id, reason: "at risk or off track for 3 check-ins in a row, support asked for on 1 of them, with no coaching recorded" }),
    ]);

    expect(await sweepRetention(s.leeway.context.uow)).toBeGreaterThanOrEqual(3);
    expect(await s.leeway.context.dataSource.getRepository(CheckInEntity).countBy({ tenantId: CONTOSO, outcomeId: o.id, ideas: "[]", supportNeeded: IsNull() })).toBe(3);
    // Counted before its text went.
    expect(await s.leeway.context.dataSource.getRepository(CheckInEntity).findOneBy({ tenantId: CONTOSO, id: first })).toMatchObject({ ideas: "[]", ideasCount: 2, supportAsked: false });
    const after = await board();
    expect(after.signs).toEqual(before.signs);
    expect(after.pitfalls).toEqual(before.pitfalls);
  });

  it("clears the messages of old nudges too, keeping the nudges for the figures", async () => {
    const ds = s.leeway.context.dataSource;
    const token = await s.token("patti.fernandez@fabrikam.test");
    const patti = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${token}`).expect(200);
    const o = await buildOutcome(s, { tenantId: FABRIKAM, ownerId: patti.body.id, teamId: patti.body.teams[0].id });
    const nudge = (id: string, days: number): NudgeEntity => ({
      tenantId: FABRIKAM, id, outcomeId: o.id, teamId: o.teamId, ownerId: o.ownerId, senderId: null, kind: "nudge", at: daysBefore(Date.now(), days), message: `Call the supplier about order ${id}`, redactedAt: null,
    });
    await insertRow(ds.manager, NudgeEntity, nudge("old-nudge-1", 50));
    await insertRow(ds.manager, NudgeEntity, nudge("new-nudge-1", 2));
    expect(await sweepRetention(s.leeway.context.uow)).toBeGreaterThanOrEqual(1);
    const listed = (await request(s.baseUrl).get(`/api/v1/outcomes/${o.id}/nudges`).set("Authorization", `Bearer ${token}`).expect(200)).body.items;
    expect(listed).toEqual([
      expect.objectContaining({ id: "new-nudge-1", message: "Call the supplier about order new-nudge-1", redacted: false }),
      expect.objectContaining({ id: "old-nudge-1", message: null, redacted: true }),
    ]);
  });

  it("clears the text of a review's follow-up actions and keeps who owns them and when they are due", async () => {
    const token = await s.token("patti.fernandez@fabrikam.test");
    const patti = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${token}`).expect(200);
    const o = await buildOutcome(s, { tenantId: FABRIKAM, ownerId: patti.body.id, teamId: patti.body.teams[0].id, status: "missed" });
    const id = await buildReview(s, o, { at: daysBefore(Date.now(), 60), causes: ["process"], actions: [{ description: "Ring the depot manager on 0161 496 0000", ownerId: patti.body.id, dueDate: "2026-01-31" }] });
    expect(await sweepRetention(s.leeway.context.uow)).toBeGreaterThanOrEqual(1);
    const reviews = (await request(s.baseUrl).get(`/api/v1/outcomes/${o.id}/reviews`).set("Authorization", `Bearer ${token}`).expect(200)).body.items;
    expect(reviews.find((r: { id: string }) => r.id === id)).toMatchObject({
      whatBlocked: "",
      actions: [{ description: "", ownerId: patti.body.id, dueDate: "2026-01-31" }],
    });
  });

  it("clears each record once when two sweeps run at the same moment, as on two instances", async () => {
    const ds = s.leeway.context.dataSource;
    const patti = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${await s.token("patti.fernandez@fabrikam.test")}`).expect(200);
    const o = await buildOutcome(s, { tenantId: FABRIKAM, ownerId: patti.body.id, teamId: patti.body.teams[0].id });
    const now = Date.now();
    const old = [
      await buildCheckIn(s, o, { at: daysBefore(now, 40), status: "on_track", progress: 1, supportNeeded: "A second pair of eyes" }),
      await buildCheckIn(s, o, { at: daysBefore(now, 35), status: "on_track", progress: 2, supportNeeded: "Nothing" }),
    ];
    const [a, b] = await Promise.all([sweepRetention(s.leeway.context.uow), sweepRetention(s.leeway.context.uow)]);
    expect(a + b).toBe(2);
    const audit = await ds.getRepository(AuditEventEntity).findBy({ tenantId: FABRIKAM, action: "retention.cleared" });
    for (const id of old) expect(audit.filter((e) => e.entityId === id)).toHaveLength(1);
  });

  it("reaches a team's due notes behind any number of older notes that no retention covers", async () => {
    const ds = s.leeway.context.dataSource;
    const adele = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${await s.token("adele.vance@contoso.test")}`).expect(200);
    const alex = await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${await s.token("alex.wilber@contoso.test")}`).expect(200);
    const tight = await buildTeam(s, { tenantId: CONTOSO, name: "Keeps notes a week", memberIds: [adele.body.id] });
    const loose = await buildTeam(s, { tenantId: CONTOSO, name: "Keeps notes for good", memberIds: [alex.body.id] });
    await buildBoundary(s, { tenantId: CONTOSO, name: "A week of free text", rule: { kind: "retention", freeTextDays: 7 }, scope: { level: "team", teamId: tight } });
    const now = Date.now();
    // More old notes in a team without retention than a sweep reads at once, ahead of the due one
    // in every order a query could take: older, written earlier, and on an outcome with a lower id.
    const kept = await buildOutcome(s, { tenantId: CONTOSO, ownerId: alex.body.id, teamId: loose, id: "00000000-0000-4000-8000-00000000a1a1" });
    for (let i = 0; i < 600; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => buildCheckIn(s, kept, { at: daysBefore(now - (i + j) * 1000, 60), status: "on_track", progress: 1, supportNeeded: "Keep this" })));
    }
    const due = await buildCheckIn(s, await buildOutcome(s, { tenantId: CONTOSO, ownerId: adele.body.id, teamId: tight }), { at: daysBefore(now, 20), status: "on_track", progress: 1, supportNeeded: "Past a week" });

    // Adele's older notes on her other outcomes are due too (her team keeps them a week).
    expect(await sweepRetention(s.leeway.context.uow)).toBeGreaterThanOrEqual(1);
    expect(await ds.getRepository(CheckInEntity).findOneBy({ tenantId: CONTOSO, id: due })).toMatchObject({ supportNeeded: null });
    expect(await ds.getRepository(CheckInEntity).countBy({ tenantId: CONTOSO, outcomeId: kept.id, supportNeeded: "Keep this" })).toBe(600);
  });

  it("applies the retention of the owner's other team, as every other rule does", async () => {
    const ds = s.leeway.context.dataSource;
    const me = async (upn: string) => (await request(s.baseUrl).get("/api/v1/me").set("Authorization", `Bearer ${await s.token(upn)}`).expect(200)).body;
    const diego = await me("diego.siciliani@contoso.test");
    const alex = await me("alex.wilber@contoso.test");
    const second = await buildTeam(s, { tenantId: CONTOSO, name: "Diego's working group", memberIds: [diego.id] });
    await buildBoundary(s, { tenantId: CONTOSO, name: "Working group: a week of free text", rule: { kind: "retention", freeTextDays: 7 }, scope: { level: "team", teamId: second } });
    const retail = diego.teams[0].id as string;
    const now = Date.now();
    const his = await buildCheckIn(s, await buildOutcome(s, { tenantId: CONTOSO, ownerId: diego.id, teamId: retail }), { at: daysBefore(now, 20), status: "on_track", progress: 1, supportNeeded: "Diego's note" });
    const theirs = await buildCheckIn(s, await buildOutcome(s, { tenantId: CONTOSO, ownerId: alex.id, teamId: retail }), { at: daysBefore(now, 20), status: "on_track", progress: 1, supportNeeded: "Alex's note" });

    expect(await sweepRetention(s.leeway.context.uow)).toBeGreaterThanOrEqual(1);
    expect(await ds.getRepository(CheckInEntity).findOneBy({ tenantId: CONTOSO, id: his })).toMatchObject({ supportNeeded: null });
    expect(await ds.getRepository(CheckInEntity).findOneBy({ tenantId: CONTOSO, id: theirs })).toMatchObject({ supportNeeded: "Alex's note", redactedAt: null });
  });
});
