import { randomUUID } from "node:crypto";
import { localParts } from "../../server/src/domain/time";
import { DEMO, type WorkingHours } from "../../server/src/local-m365/demo-directory";
import { PeopleRepository } from "../../server/src/store/repositories/people.repository";
import { outcomeBody } from "../support/client";
import { CONTOSO, passDeadline, startTestServer, type TestServer } from "../support/harness";
import { activeBoundary, actors, CONTOSO_UPN, type Actor } from "../reliability/support/actors";
import { FAST_OUTBOX, notificationsOf, waitFor } from "../reliability/support/wait";

const C = DEMO.contoso;

/** Who may chase, comment and review, and what a boundary may not stand in the way of. */
describe("check-ins, comments, nudges and reviews: who and when", () => {
  let s: TestServer;
  let a: Record<"irvin" | "pradeep" | "lidia" | "emily" | "grady" | "miriam" | "adele" | "megan" | "christie" | "diego" | "alex", Actor>;

  beforeAll(async () => {
    s = await startTestServer({ ...FAST_OUTBOX, LEEWAY_HOUSEKEEPING: "false" });
    a = await actors(s.baseUrl, (upn) => s.token(upn), {
      irvin: CONTOSO_UPN("irvin.sayers"),
      pradeep: CONTOSO_UPN("pradeep.gupta"),
      lidia: CONTOSO_UPN("lidia.holloway"),
      emily: CONTOSO_UPN("emily.braun"),
      grady: CONTOSO_UPN("grady.archie"),
      miriam: CONTOSO_UPN("miriam.graham"),
      adele: CONTOSO_UPN("adele.vance"),
      megan: CONTOSO_UPN("megan.bowen"),
      christie: CONTOSO_UPN("christie.cline"),
      diego: CONTOSO_UPN("diego.siciliani"),
      alex: CONTOSO_UPN("alex.wilber"),
    });
  });
  afterAll(() => s.close());

  const agreed = async (owner: Actor, manager: Actor, teamId: string, over: Record<string, unknown> = {}) => {
    const o = (await owner.post("/api/v1/outcomes", { ...outcomeBody(owner.id, teamId), ...over }).expect(201)).body as { id: string; version: number };
    await manager.post(`/api/v1/outcomes/${o.id}/agreement`, { version: o.version }).expect(200);
    return o;
  };
  const checkIn = (who: Actor, id: string, status = "on_track") => who.post(`/api/v1/outcomes/${id}/check-ins`, { status, confidence: 4, progress: 20, mode: "async" });

  /**
   * Gives a person working hours on every day of the week, from `startsIn` seconds from now (on
   * their own clock, in their own zone) for `lasts` seconds, stored as a refresh from Graph would
   * store them and audited as such. Check-ins read the author's stored working hours.
   */
  const workingHoursFromNow = (personId: string, startsIn: number, lasts: number): Promise<WorkingHours> =>
    s.leeway.context.uow.run({ tenantId: CONTOSO, actor: { tenantId: CONTOSO, userId: "test-factory" }, requestId: `factory-${randomUUID()}` }, async (tx) => {
      const people = new PeopleRepository();
      const before = (await people.person(tx.manager, CONTOSO, personId))!;
      const minute = (sec: number) => Math.floor((((sec % 86_400) + 86_400) % 86_400) / 60);
      const clock = (sec: number) => `${String(Math.floor(minute(sec) / 60)).padStart(2, "0")}:${String(minute(sec) % 60).padStart(2, "0")}:00.0000000`;
      const from = localParts(Date.now(), before.timeZone).secondOfDay + startsIn;
      const workingHours: WorkingHours = {
        daysOfWeek: ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"],
        startTime: clock(from),
        endTime: clock(from + lasts),
        timeZone: { name: before.timeZone },
      };
      await people.savePerson(tx.manager, { ...before, workingHours });
      tx.audit({ action: "person.refreshed", entity: "person", entityId: personId, changes: { workingHours: { before: before.workingHours, after: workingHours } } });
      return workingHours;
    });
  const HOUR = 3600;
  const WORKING_HOURS_RULE = "Check-ins and check-in meetings only inside each person's working hours.";
  /** A month's person-level working-hours boundary, approved and in force; answers its id. */
  const ownHoursBoundary = (who: Actor, enforcement: "block" | "warn", name: string, reason: string) =>
    activeBoundary(a.miriam, a.lidia, {
      name,
      scope: { level: "person", personId: who.id },
      enforcement,
      rule: { kind: "working_hours_only" },
      reason,
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });

  it("tells the author of a comment what a warning boundary found in it", async () => {
    const boundaryId = await activeBoundary(a.miriam, a.lidia, {
      name: "Careful with project code names",
      scope: { level: "tenant" },
      enforcement: "warn",
      rule: { kind: "content_pattern", patterns: [{ name: "Code name", regex: "Project Kestrel" }] },
    });
    const second = await activeBoundary(a.miriam, a.lidia, {
      name: "Programme names stay internal",
      scope: { level: "tenant" },
      enforcement: "warn",
      rule: { kind: "content_pattern", patterns: [{ name: "Code name", regex: "Project Kestrel" }] },
    });
    const o = await agreed(a.irvin, a.pradeep, C.teams.riskAndCompliance);
    const recorded = (await checkIn(a.irvin, o.id).expect(201)).body as { id: string };
    const flagged = await a.pradeep.post(`/api/v1/check-ins/${recorded.id}/comments`, { text: "Is Project Kestrel what holds this up?" }).expect(201);
    // One warning per field is shown; the compliance record names each boundary that found it.
    expect(flagged.body.warnings).toEqual([expect.objectContaining({ enforcement: "warn", path: "text" })]);
    expect([boundaryId, second]).toContain(flagged.body.warnings[0].boundaryId);
    for (const id of [boundaryId, second]) {
      const found = (await a.lidia.get(`/api/v1/boundary-findings?boundaryId=${id}`).expect(200)).body.items;
      expect(found).toEqual([expect.objectContaining({ boundaryId: id, operation: "comment.create", outcome: "warned", path: "text", boundaryVersion: 1 })]);
    }
    const plain = await a.pradeep.post(`/api/v1/check-ins/${recorded.id}/comments`, { text: "What would help this week?" }).expect(201);
    expect(plain.body.warnings).toEqual([]);
  });

  it("keeps a compliance officer who shares the owner's team out of chasing a private outcome; a team one is the team's", async () => {
    // Lidia is in Irvin's team and sees his private outcome only through her compliance role.
    const secret = await agreed(a.irvin, a.pradeep, C.teams.riskAndCompliance, { visibility: "private" });
    const recorded = (await checkIn(a.irvin, secret.id).expect(201)).body as { id: string };
    expect((await a.lidia.get(`/api/v1/outcomes/${secret.id}`)).status).toBe(200);
    expect((await a.emily.get(`/api/v1/outcomes/${secret.id}`)).status).toBe(404);
    const nudge = await a.lidia.post(`/api/v1/outcomes/${secret.id}/nudges`, { message: "Any news?" });
    expect(nudge.status).toBe(403);
    expect((await a.lidia.post(`/api/v1/check-ins/${recorded.id}/comments`, { text: "What do you need?", kind: "coaching" })).status).toBe(403);
    expect((await a.irvin.get(`/api/v1/outcomes/${secret.id}/nudges`).expect(200)).body.items).toEqual([]);
    // His manager chases as ever.
    await a.pradeep.post(`/api/v1/outcomes/${secret.id}/nudges`, {}).expect(201);

    const shared = await agreed(a.irvin, a.pradeep, C.teams.riskAndCompliance, { visibility: "team" });
    await a.lidia.post(`/api/v1/outcomes/${shared.id}/nudges`, {}).expect(201);

    // The owner's own note on his check-in is neither coaching nor chasing in the team's weekly series.
    type Week = { week: string; coachingComments: number; directives: number };
    const thisWeek = async () => ((await a.pradeep.get(`/api/v1/dashboards/team/${C.teams.riskAndCompliance}`).expect(200)).body.series.weeks as Week[]).at(-1)!;
    const before = await thisWeek();
    await a.irvin.post(`/api/v1/check-ins/${recorded.id}/comments`, { text: "Update: the vendor replied." }).expect(201);
    await a.pradeep.post(`/api/v1/check-ins/${recorded.id}/comments`, { text: "What do you need from me?" }).expect(201);
    expect(await thisWeek()).toMatchObject({ week: before.week, coachingComments: before.coachingComments + 1, directives: before.directives });
  });

  it("tells the owner of a nudge, and the manager of an outcome at risk for several check-ins, in Teams", async () => {
    const o = await agreed(a.adele, a.megan, C.teams.retailLending, { title: "Pilot the new affordability check" });
    const link = `${s.baseUrl}/tabs/index.html#/outcome/${o.id}`;
    const sentTo = (who: Actor, type: string) =>
      waitFor(`a ${type} notification`, async () => {
        const found = (await notificationsOf(s.baseUrl, who.id)).filter((n) => n.activityType === type && (n.topic as { webUrl: string }).webUrl === link);
        return found.length ? found : null;
      });
    await a.megan.post(`/api/v1/outcomes/${o.id}/nudges`, { message: "How is the pilot going?" }).expect(201);
    const nudged = await sentTo(a.adele, "nudged");
    expect(nudged).toEqual([
      expect.objectContaining({
        recipientId: a.adele.id,
        topic: expect.objectContaining({ value: "Nudge: Pilot the new affordability check" }),
        previewText: { content: 'Megan Bowen asks how "Pilot the new affordability check" is going and left you a message.' },
      }),
    ]);
    // The message itself stays in the nudge, where retention can clear it; the notice does not carry it.
    expect(JSON.stringify(nudged)).not.toContain("How is the pilot going?");

    // The demo tenant asks the manager for support after three at-risk check-ins in a row.
    for (let i = 0; i < 3; i++) await checkIn(a.adele, o.id, "at_risk").expect(201);
    expect(await sentTo(a.megan, "supportAsked")).toEqual([
      expect.objectContaining({ recipientId: a.megan.id, previewText: { content: "Adele Vance's outcome has been at risk for 3 check-ins in a row. What support can you offer?" } }),
    ]);
  });

  it("lets a check-in that records the outcome done through a minimum gap that holds other check-ins back", async () => {
    await activeBoundary(a.miriam, a.lidia, {
      name: "Platform: no daily check-ins",
      scope: { level: "team", teamId: C.teams.technologyPlatform },
      enforcement: "block",
      rule: { kind: "checkin_cadence", minDays: 2, maxDays: 14 },
    });
    const o = await agreed(a.grady, a.miriam, C.teams.technologyPlatform);
    await checkIn(a.grady, o.id).expect(201);
    const again = await checkIn(a.grady, o.id);
    expect(again.status).toBe(422);
    expect(again.body.findings).toEqual([expect.objectContaining({ kind: "checkin_cadence", path: "at", message: expect.stringMatching(/earlier the same day/) })]);
    await checkIn(a.grady, o.id, "done").expect(201);
    expect((await a.grady.get(`/api/v1/outcomes/${o.id}`).expect(200)).body.status).toBe("done");

    // Not yet agreed, an outcome cannot be done: the check-in is refused as such, before any gap,
    // rather than taken and left to close nothing.
    const proposed = (await a.grady.post("/api/v1/outcomes", outcomeBody(a.grady.id, C.teams.technologyPlatform)).expect(201)).body as { id: string };
    await checkIn(a.grady, proposed.id).expect(201);
    const early = await checkIn(a.grady, proposed.id, "done");
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: "not_agreed", path: "status", detail: expect.stringMatching(/not agreed yet/) });
    expect((await a.grady.get(`/api/v1/outcomes/${proposed.id}/check-ins`).expect(200)).body.items).toHaveLength(1);
  });

  it("takes one review from each author, and from a manager up the chain whom the owner named a delegate", async () => {
    const o = await agreed(a.adele, a.megan, C.teams.retailLending);
    await a.adele.patch(`/api/v1/outcomes/${o.id}`, { delegateIds: [a.christie.id] }, '"v2"').expect(200);
    await passDeadline(s.db, o.id);
    // Missed as every read shows it, before the sweep: nobody chases it any more.
    const late = await a.megan.post(`/api/v1/outcomes/${o.id}/nudges`, {});
    expect(late.status).toBe(409);
    expect(late.body.code).toBe("closed");

    const review = { whatBlocked: "The credit model changed mid-quarter", whatCouldImprove: "Freeze model changes near deadlines", causes: ["process"], actions: [] };
    await a.adele.post(`/api/v1/outcomes/${o.id}/reviews`, review).expect(201);
    const twice = await a.adele.post(`/api/v1/outcomes/${o.id}/reviews`, review);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe("already_reviewed");
    // Christie is Megan's manager, and Adele named her to act for her.
    await a.christie.post(`/api/v1/outcomes/${o.id}/reviews`, { ...review, causes: ["system"] }).expect(201);
    const written = (await a.adele.get(`/api/v1/outcomes/${o.id}/reviews`).expect(200)).body.items as { authorId: string }[];
    expect(written.map((r) => r.authorId).sort()).toEqual([a.adele.id, a.christie.id].sort());
  });

  it("refuses a check-in outside the author's working hours under a blocking boundary (422), and writes nothing", async () => {
    const o = await agreed(a.diego, a.megan, C.teams.retailLending);
    // A window that opens three hours from now and lasts one: whatever the time of day, now lies
    // outside it, and a change of the clocks cannot bring it in.
    await workingHoursFromNow(a.diego.id, 3 * HOUR, HOUR);
    const name = "Diego checks in during his working hours";
    const boundaryId = await ownHoursBoundary(a.diego, "block", name, "Agreed with Diego after a run of late-night check-ins");

    const refused = await checkIn(a.diego, o.id);
    expect(refused.status).toBe(422);
    expect(refused.headers["content-type"]).toContain("application/problem+json");
    expect(refused.body).toMatchObject({
      type: "https://leeway.example/problems/boundary-blocked",
      status: 422,
      boundary: { id: boundaryId, name, kind: "working_hours_only", rule: WORKING_HOURS_RULE },
    });
    expect(refused.body.findings).toEqual([
      { boundaryId, boundaryName: name, kind: "working_hours_only", rule: WORKING_HOURS_RULE, enforcement: "block", path: "at", message: expect.stringMatching(/^This check-in on .+ is outside the working hours /) },
    ]);
    expect((await a.diego.get(`/api/v1/outcomes/${o.id}/check-ins`).expect(200)).body.items).toEqual([]);
    const outcome = (await a.diego.get(`/api/v1/outcomes/${o.id}`).expect(200)).body;
    expect(outcome).toMatchObject({ lastCheckInAt: null, measure: { current: null } });

    // Inside his hours, the same check-in goes through.
    await workingHoursFromNow(a.diego.id, -HOUR, 2 * HOUR);
    const recorded = await checkIn(a.diego, o.id).expect(201);
    expect(recorded.body.warnings).toEqual([]);
  });

  it("records a check-in outside the author's working hours under a warning boundary, and says so (201 with warnings)", async () => {
    const o = await agreed(a.alex, a.megan, C.teams.retailLending);
    await workingHoursFromNow(a.alex.id, 3 * HOUR, HOUR);
    const name = "Alex keeps check-ins to his working hours";
    const boundaryId = await ownHoursBoundary(a.alex, "warn", name, "Alex asked for a reminder when he works late");

    const recorded = await checkIn(a.alex, o.id).expect(201);
    expect(recorded.body.warnings).toEqual([
      { boundaryId, boundaryName: name, kind: "working_hours_only", rule: WORKING_HOURS_RULE, enforcement: "warn", path: "at", message: expect.stringMatching(/^This check-in on .+ is outside the working hours /) },
    ]);
    const items = (await a.alex.get(`/api/v1/outcomes/${o.id}/check-ins`).expect(200)).body.items as { id: string }[];
    expect(items.map((c) => c.id)).toEqual([recorded.body.id]);
  });
});
