import { randomUUID } from "node:crypto";
import { purgeDelivered } from "../../server/src/outbox/purge";
import { AuditEventEntity, OutboxMessageEntity } from "../../server/src/store/entities";
import { CONTOSO, FABRIKAM, startTestServer, type TestServer } from "../support/harness";

const DAY = 86_400_000;

describe("purging delivered outbox messages", () => {
  let s: TestServer;
  beforeAll(async () => {
    // Without the server's own sweeps, so the purges below are the only ones.
    s = await startTestServer({ LEEWAY_HOUSEKEEPING: "false" });
  });
  afterAll(() => s.close());

  const message = async (tenantId: string, o: { kind: string; state: "done" | "failed"; daysAgo: number; scheduleId?: string }) => {
    const id = randomUUID();
    const at = new Date(Date.now() - o.daysAgo * DAY).toISOString();
    await s.leeway.context.dataSource.getRepository(OutboxMessageEntity).insert({
      tenantId,
      id,
      kind: o.kind,
      orderingKey: o.scheduleId ? `schedule:${o.scheduleId}` : `notification:${id}`,
      scheduleId: o.scheduleId ?? null,
      payload: "{}",
      state: o.state,
      attempts: 1,
      nextAttemptAt: at,
      claimedBy: null,
      claimedUntil: null,
      lastError: o.state === "failed" ? "Graph said no" : null,
      createdAt: at,
      finishedAt: at,
      deliveredBy: o.state === "done" ? "worker" : null,
    });
    return id;
  };

  it("deletes delivered messages past the keeping period, keeps recent and failed ones and each schedule's newest, and audits it in each tenant's trail", async () => {
    const schedule = randomUUID();
    const oldNotification = await message(FABRIKAM, { kind: "notification.send", state: "done", daysAgo: 40 });
    const supersededSeries = await message(FABRIKAM, { kind: "series.create", state: "done", daysAgo: 50, scheduleId: schedule });
    const newestOfSchedule = await message(FABRIKAM, { kind: "series.update", state: "done", daysAgo: 45, scheduleId: schedule });
    const recent = await message(FABRIKAM, { kind: "notification.send", state: "done", daysAgo: 5 });
    const failed = await message(FABRIKAM, { kind: "notification.send", state: "failed", daysAgo: 60 });
    const otherTenant = await message(CONTOSO, { kind: "notification.send", state: "done", daysAgo: 31 });
    const mine: string[] = [oldNotification, supersededSeries, newestOfSchedule, recent, failed, otherTenant];

    expect(await purgeDelivered(s.leeway.context.uow, 30)).toBe(3);

    const { dataSource, chain } = s.leeway.context;
    const left = (await dataSource.getRepository(OutboxMessageEntity).find({ select: { id: true } })).map((m) => m.id).filter((id) => mine.includes(id));
    expect(left.sort()).toEqual([newestOfSchedule, recent, failed].sort());

    const events = dataSource.getRepository(AuditEventEntity);
    const fabrikam = await events.findBy({ tenantId: FABRIKAM, action: "outbox.purged" });
    expect(fabrikam).toHaveLength(1);
    expect(JSON.parse(fabrikam[0]!.changes)).toEqual({
      ids: { before: [supersededSeries, oldNotification].sort() },
      kinds: { before: { "notification.send": 1, "series.create": 1 } },
    });
    expect(fabrikam[0]).toMatchObject({ entity: "outbox_message", entityId: "2 messages", reason: "delivered more than 30 days ago" });
    const contoso = await events.findBy({ tenantId: CONTOSO, action: "outbox.purged" });
    expect(contoso.map((e) => e.entityId)).toEqual([otherTenant]);
    for (const t of [FABRIKAM, CONTOSO]) await expect(chain.verify(dataSource.manager, t)).resolves.toMatchObject({ ok: true });

    // Nothing twice, and a longer keeping period keeps what a shorter one would delete.
    expect(await purgeDelivered(s.leeway.context.uow, 30)).toBe(0);
    expect(await purgeDelivered(s.leeway.context.uow, 60)).toBe(0);
    expect(await events.countBy({ action: "outbox.purged" })).toBe(2);
  });
});
