import pino from "pino";
import { createApp, type LeewayApp } from "../../server/src/app";
import { loadConfig } from "../../server/src/config";
import { AuditEventEntity, OutcomeEntity } from "../../server/src/store/entities";
import { outcomeBody, people, type As, type Who } from "../support/client";
import { CONTOSO, passDeadline, startTestServer, type TestServer } from "../support/harness";

/** Asks `probe` again every 50 ms until it answers something, or gives up after `ms`. */
async function eventually<T>(probe: () => Promise<T | null>, ms: number): Promise<T | null> {
  const until = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== null || Date.now() > until) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("housekeeping", () => {
  let s: TestServer;
  let p: Record<Who, As>;
  let sweeper: LeewayApp | null = null;

  beforeAll(async () => {
    // This instance takes the requests and sweeps nothing by itself.
    s = await startTestServer({ LEEWAY_HOUSEKEEPING: "false" });
    p = await people(s, ["adele", "megan"]);
  });
  afterAll(async () => {
    await sweeper?.close();
    await s.close();
  });

  it("records an outcome as missed once its deadline has passed, with no request about it, as the system", async () => {
    const team = p.adele.teams[0]!.id;
    const o = (await p.adele.post("/api/v1/outcomes", outcomeBody(p.adele.id, team, { title: "Nobody looks at this one" })).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    await passDeadline(s.db, o.id);

    const m = s.leeway.context.dataSource.manager;
    const stored = async () => (await m.findOneByOrFail(OutcomeEntity, { tenantId: CONTOSO, id: o.id })).status;
    const missedEvents = () => m.find(AuditEventEntity, { where: { tenantId: CONTOSO, entityId: o.id, action: "outcome.missed" }, order: { seq: "ASC" } });
    // Past its deadline, but nothing has recorded that yet.
    expect(await stored()).toBe("agreed");
    expect(await missedEvents()).toEqual([]);

    // A second instance on the same database, started as any server is, with housekeeping on. Its
    // deadline sweep runs at start-up and then every minute; nobody asks it about the outcome.
    const config = loadConfig({ NODE_ENV: "test", PORT: String(s.config.port), LEEWAY_DATA_DIR: s.dir, LOG_LEVEL: "silent", ...s.db.env, LEEWAY_HOUSEKEEPING: "true" });
    expect({ ...config, housekeeping: false }).toEqual(s.config);
    sweeper = await createApp(config, { logger: pino({ level: "silent" }) });

    const recorded = await eventually(async () => {
      const events = await missedEvents();
      return events.length > 0 && (await stored()) === "missed" ? events : null;
    }, 20_000);
    expect(recorded?.map((e) => ({ actorTenantId: e.actorTenantId, actorId: e.actorId, requestId: e.requestId, reason: e.reason }))).toEqual([
      { actorTenantId: CONTOSO, actorId: "system", requestId: null, reason: "deadline 2020-01-01 passed without the outcome being done" },
    ]);
    expect(Object.keys(JSON.parse(recorded![0]!.changes) as object).sort()).toEqual(["closedAt", "status"]);
    expect((await m.findOneByOrFail(OutcomeEntity, { tenantId: CONTOSO, id: o.id })).closedAt).not.toBeNull();
    expect((await s.leeway.context.chain.verify(m, CONTOSO)).ok).toBe(true);
  });
});
