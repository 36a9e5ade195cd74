import { createHash, randomUUID } from "node:crypto";
import type request from "supertest";
import { DEMO } from "../../server/src/local-m365/demo-directory";
import { outcomeBody } from "../support/client";
import { CONTOSO, passDeadline, startTestServer, type TestServer } from "../support/harness";
import { activeBoundary, actors, CONTOSO_UPN, type Actor } from "../reliability/support/actors";
import { nextWeekdayAt } from "../reliability/support/wait";

const C = DEMO.contoso;
const SYSTEM = "system";
const TUESDAY = 2;

/** Free text enters the trail as its SHA-256 digest and length, never word for word. */
const digest = (text: string) => ({ sha256: createHash("sha256").update(text, "utf8").digest("hex"), length: text.length });

/** Before and after per field (a field absent from one event of a list shows as undefined to the compiler). */
type Changes = Record<string, { before?: unknown; after?: unknown } | undefined>;

/** One audit event a request should leave on an entity. */
interface Want {
  action: string;
  /** The caller's id, or `system` for what the system did by itself. */
  actor: string;
  /** Compared whole: every key the event carries, with its before and after. */
  changes: Changes | "not pinned down";
  reason?: string | null;
}

/** The request a row makes, and the events it should leave on each entity it touched (oldest first). */
interface Act {
  send: () => request.Test;
  status: number;
  trail: (res: request.Response) => Promise<Record<string, Want[]>> | Record<string, Want[]>;
}

interface Row {
  name: string;
  /** Sets the scene (its own events come before the mark and are not looked at), then names the request. */
  setUp: () => Promise<Act>;
}

interface AuditEvent {
  seq: number;
  action: string;
  entityId: string;
  actor: { id: string };
  changes: Changes | null;
  reason: string | null;
  requestId: string | null;
}

/**
 * Every write of the accountability domain is audited with its field changes: for each mutating
 * route, a compliance officer reads the trail of what the request touched and finds the action,
 * the actor, the request id and the before and after of each field the request wrote.
 */
describe("the audit trail of each write", () => {
  let s: TestServer;
  let a: Record<"adele" | "megan" | "lidia" | "miriam" | "isaiah", Actor>;
  const retail = C.teams.retailLending;
  const payments = C.teams.paymentsOperations;
  const RISK_CLASS = "Consumer credit model";

  beforeAll(async () => {
    // Nothing runs in the background (outbox, sweeps, reminders): every event after a request's
    // mark is that request's.
    s = await startTestServer({ LEEWAY_OUTBOX_WORKER: "false", LEEWAY_HOUSEKEEPING: "false", LEEWAY_REMINDER_INTERVAL_SECONDS: "0" });
    a = await actors(s.baseUrl, (upn) => s.token(upn), {
      adele: CONTOSO_UPN("adele.vance"),
      megan: CONTOSO_UPN("megan.bowen"),
      lidia: CONTOSO_UPN("lidia.holloway"),
      miriam: CONTOSO_UPN("miriam.graham"),
      isaiah: CONTOSO_UPN("isaiah.langer"),
    });
    await activeBoundary(a.miriam, a.lidia, {
      name: "Credit model outcomes need compliance approval",
      scope: { level: "tenant" },
      enforcement: "block",
      rule: { kind: "approval_for_risk_class", riskClasses: [RISK_CLASS] },
      reason: "Model risk policy",
    });
  });
  afterAll(() => s.close());

  /** Events after `mark`, oldest first, read as a compliance officer reads them. */
  const eventsAfter = async (mark: number, entityId?: string): Promise<AuditEvent[]> => {
    const res = await a.lidia.get(`/api/v1/audit/events?limit=200${entityId ? `&entityId=${encodeURIComponent(entityId)}` : ""}`).expect(200);
    return (res.body.items as AuditEvent[]).filter((e) => e.seq > mark).reverse();
  };
  const head = async () => ((await a.lidia.get("/api/v1/audit/events?limit=1").expect(200)).body.items[0] as AuditEvent).seq;

  // ---- scenes ----

  type Created = { id: string; version: number; status: string; agreement: { agreedWhat: unknown; pending: unknown } };
  const ok = (res: request.Response, status: number, what: string) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const propose = async (owner: Actor, teamId: string, over: Record<string, unknown> = {}): Promise<Created> =>
    ok(await owner.post("/api/v1/outcomes", outcomeBody(owner.id, teamId, over)), 201, "create an outcome");
  const agreed = async (over: Record<string, unknown> = {}): Promise<Created> => {
    const o = await propose(a.adele, retail, over);
    return ok(await a.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: o.version }), 200, "agree");
  };
  const whatOf = (o: { title: string; measure: { metric: string; unit: string; baseline: number; target: number }; deadline: string; ifMissed: string }) => ({
    title: o.title,
    measure: { metric: o.measure.metric, unit: o.measure.unit, baseline: o.measure.baseline, target: o.measure.target },
    deadline: o.deadline,
    ifMissed: o.ifMissed,
  });
  const proposedChange = async () => {
    const o = await agreed();
    const reason = "The branch pilot showed ten days is not reachable this quarter.";
    const changed = ok(await a.adele.patch(`/api/v1/outcomes/${o.id}`, { title: "Cut loan decision time to eight days", reason }, `"v${o.version}"`), 200, "propose a change");
    return { o: changed as Created, reason, pending: changed.agreement.pending as { version: number; what: unknown } };
  };
  const checkIn = (owner: Actor, id: string, body: Record<string, unknown> = {}) =>
    owner.post(`/api/v1/outcomes/${id}/check-ins`, { status: "on_track", confidence: 4, progress: 20, mode: "async", ...body });
  const boundaryBody = {
    name: "Payments keeps free text for ten years",
    scope: { level: "team", teamId: payments },
    enforcement: "warn",
    rule: { kind: "retention", freeTextDays: 3650 },
    reason: "Record-keeping rules for payment disputes",
  };
  const proposedBoundary = async () => ok(await a.miriam.post("/api/v1/boundaries", boundaryBody), 201, "propose a boundary") as { id: string; versions: { effectiveFrom: string }[] };
  const activeRetention = async () => {
    const b = await proposedBoundary();
    ok(await a.lidia.post(`/api/v1/boundaries/${b.id}/approve`, {}), 200, "approve a boundary");
    return b;
  };
  const changedRetention = async () => {
    const b = await activeRetention();
    ok(await a.miriam.patch(`/api/v1/boundaries/${b.id}`, { name: "Payments keeps free text for three years", rule: { kind: "retention", freeTextDays: 1095 } }, 'W/"1"'), 200, "change a boundary");
    return b;
  };
  const retiringRetention = async (reason: string) => {
    const b = await activeRetention();
    ok(await a.miriam.post(`/api/v1/boundaries/${b.id}/retire`, { reason }, 'W/"1"'), 200, "retire a boundary");
    return b;
  };
  const schedule = async () => {
    const o = await agreed();
    return ok(await a.adele.post("/api/v1/check-in-schedules", { outcomeId: o.id, cadence: "weekly", firstStart: nextWeekdayAt(TUESDAY, 10), durationMinutes: 30 }), 202, "schedule") as Record<string, unknown> & { id: string };
  };

  const rows: Row[] = [
    {
      name: "outcome create (POST /outcomes)",
      setUp: async () => {
        const approach = { plan: "Route simple applications straight to the automated check.", tools: ["Decision engine"] };
        const body = outcomeBody(a.adele.id, retail, { approach, visibility: "team" });
        return {
          send: () => a.adele.post("/api/v1/outcomes", body),
          status: 201,
          trail: (res) => ({
            [res.body.id]: [
              {
                action: "outcome.created",
                actor: a.adele.id,
                changes: {
                  title: { after: body.title },
                  metric: { after: body.measure.metric },
                  unit: { after: body.measure.unit },
                  baseline: { after: body.measure.baseline },
                  target: { after: body.measure.target },
                  currentValue: { after: null },
                  deadline: { after: body.deadline },
                  ifMissed: { after: body.ifMissed },
                  visibility: { after: "team" },
                  status: { after: "proposed" },
                  approach: { after: approach },
                  riskClass: { after: null },
                  approvalState: { after: "not_required" },
                  agreedWhat: { after: null },
                  pending: { after: { what: whatOf(body), proposedBy: "owner", proposedAtVersion: 1, reason: null, kind: "change", acceptedBy: ["owner"] } },
                  delegateIds: { after: [] },
                },
                reason: null,
              },
            ],
          }),
        };
      },
    },
    {
      name: "change of the what (PATCH /outcomes/{id}: title, deadline)",
      setUp: async () => {
        const o = await agreed();
        const reason = "The regulator moved the reporting date.";
        const deadline = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
        const body = { title: "Cut loan decision time before the new reporting date", deadline, reason };
        const agreedWhat = o.agreement.agreedWhat as ReturnType<typeof whatOf>;
        return {
          send: () => a.adele.patch(`/api/v1/outcomes/${o.id}`, body, `"v${o.version}"`),
          status: 200,
          trail: () => ({
            [o.id]: [
              {
                action: "outcome.updated",
                actor: a.adele.id,
                // The agreed what stays in force; the change waits on the table for the manager.
                changes: {
                  pending: { before: null, after: { what: { ...agreedWhat, title: body.title, deadline }, proposedBy: "owner", proposedAtVersion: o.version + 1, reason, kind: "change", acceptedBy: ["owner"] } },
                },
                reason,
              },
            ],
          }),
        };
      },
    },
    {
      name: "change of the approach (PATCH /outcomes/{id}: approach)",
      setUp: async () => {
        const before = { plan: "Pilot in two branches first." };
        const o = await agreed({ approach: before });
        return {
          send: () => a.adele.patch(`/api/v1/outcomes/${o.id}`, { approach: { plan: "Pilot online first, then in branches.", tools: ["Decision engine"] } }, `"v${o.version}"`),
          status: 200,
          trail: () => ({
            [o.id]: [
              {
                action: "outcome.updated",
                actor: a.adele.id,
                changes: { approach: { before, after: { plan: "Pilot online first, then in branches.", tools: ["Decision engine"] } } },
                reason: null,
              },
            ],
          }),
        };
      },
    },
    {
      name: "agreement accepted (POST /outcomes/{id}/agreement)",
      setUp: async () => {
        const o = await propose(a.adele, retail);
        const pending = { what: (o.agreement.pending as { what: unknown }).what, proposedBy: "owner", proposedAtVersion: 1, reason: null, kind: "change", acceptedBy: ["owner"] };
        return {
          send: () => a.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }),
          status: 200,
          trail: () => ({
            [o.id]: [{ action: "outcome.agreed", actor: a.megan.id, changes: { status: { before: "proposed", after: "agreed" }, agreedWhat: { before: null, after: pending.what }, pending: { before: pending, after: null } }, reason: null }],
          }),
        };
      },
    },
    {
      name: "change withdrawn by its proposer (POST /outcomes/{id}/agreement/withdraw)",
      setUp: async () => {
        const { o, reason, pending } = await proposedChange();
        const why = "We found another way to reach ten days.";
        return {
          send: () => a.adele.post(`/api/v1/outcomes/${o.id}/agreement/withdraw`, { version: pending.version, reason: why }),
          status: 200,
          trail: () => ({
            [o.id]: [
              {
                action: "outcome.change_withdrawn",
                actor: a.adele.id,
                changes: { pending: { before: { what: pending.what, proposedBy: "owner", proposedAtVersion: pending.version, reason, kind: "change", acceptedBy: ["owner"] }, after: null } },
                reason: why,
              },
            ],
          }),
        };
      },
    },
    {
      name: "change declined by the other side (POST /outcomes/{id}/agreement/withdraw)",
      setUp: async () => {
        const { o, reason, pending } = await proposedChange();
        const why = "Ten days is what we promised the board; let us talk about support instead.";
        return {
          send: () => a.megan.post(`/api/v1/outcomes/${o.id}/agreement/withdraw`, { version: pending.version, reason: why }),
          status: 200,
          trail: () => ({
            [o.id]: [
              {
                action: "outcome.change_declined",
                actor: a.megan.id,
                changes: { pending: { before: { what: pending.what, proposedBy: "owner", proposedAtVersion: pending.version, reason, kind: "change", acceptedBy: ["owner"] }, after: null } },
                reason: why,
              },
            ],
          }),
        };
      },
    },
    {
      name: "drop proposed (POST /outcomes/{id}/drop)",
      setUp: async () => {
        const o = await agreed();
        const reason = "The product is being withdrawn from sale.";
        return {
          send: () => a.adele.post(`/api/v1/outcomes/${o.id}/drop`, { reason }),
          status: 200,
          trail: () => ({
            [o.id]: [
              {
                action: "outcome.drop_proposed",
                actor: a.adele.id,
                changes: { pending: { before: null, after: { what: o.agreement.agreedWhat, proposedBy: "owner", proposedAtVersion: o.version + 1, reason, kind: "drop", acceptedBy: ["owner"] } } },
                reason,
              },
            ],
          }),
        };
      },
    },
    {
      name: "drop agreed (POST /outcomes/{id}/agreement on a drop)",
      setUp: async () => {
        const o = await agreed();
        const reason = "The product is being withdrawn from sale.";
        const dropping = ok(await a.adele.post(`/api/v1/outcomes/${o.id}/drop`, { reason }), 200, "propose a drop") as Created;
        return {
          send: () => a.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: dropping.version }),
          status: 200,
          trail: () => ({
            [o.id]: [
              {
                action: "outcome.dropped",
                actor: a.megan.id,
                changes: {
                  status: { before: "agreed", after: "dropped" },
                  pending: { before: { what: o.agreement.agreedWhat, proposedBy: "owner", proposedAtVersion: dropping.version, reason, kind: "drop", acceptedBy: ["owner"] }, after: null },
                },
                reason,
              },
            ],
          }),
        };
      },
    },
    {
      name: "risk class approved (POST /outcomes/{id}/approval)",
      setUp: async () => {
        const o = await propose(a.adele, retail, { riskClass: RISK_CLASS });
        const note = "Model validated by the second line in March.";
        return {
          send: () => a.lidia.post(`/api/v1/outcomes/${o.id}/approval`, { note, version: o.version }),
          status: 200,
          trail: () => ({ [o.id]: [{ action: "outcome.risk_approved", actor: a.lidia.id, changes: { approvalState: { before: "pending", after: "approved" } }, reason: note }] }),
        };
      },
    },
    {
      name: "risk class approved for an owner without a manager, which agrees their proposal (POST /outcomes/{id}/approval)",
      setUp: async () => {
        const o = await propose(a.isaiah, C.teams.executiveLeadership, { riskClass: RISK_CLASS, title: "Launch the new credit scoring model" });
        const pending = o.agreement.pending as { what: unknown };
        return {
          send: () => a.lidia.post(`/api/v1/outcomes/${o.id}/approval`, {}),
          status: 200,
          trail: () => ({
            [o.id]: [
              {
                action: "outcome.risk_approved",
                actor: a.lidia.id,
                // The agreement this approval completes is written here, with the approval.
                changes: {
                  approvalState: { before: "pending", after: "approved" },
                  status: { before: "proposed", after: "agreed" },
                  agreedWhat: { before: null, after: pending.what },
                  pending: { before: { what: pending.what, proposedBy: "owner", proposedAtVersion: 1, reason: null, kind: "change", acceptedBy: ["owner"] }, after: null },
                },
                reason: null,
              },
              { action: "outcome.agreed", actor: a.lidia.id, changes: "not pinned down", reason: "the owner has no manager: their proposal is agreed once its risk class is approved" },
            ],
          }),
        };
      },
    },
    {
      name: "check-in (POST /outcomes/{id}/check-ins)",
      setUp: async () => {
        const o = await agreed();
        const text = {
          note: "Automated checks now cover half of the applications.",
          blockers: "Waiting for the fraud team to sign off the new rules.",
          supportNeeded: "A word with the head of fraud would help.",
          nextStep: "Extend the automated check to top-up loans.",
          ideas: ["Pre-fill income from open banking", "Publish the median weekly"],
        };
        return {
          send: () => checkIn(a.adele, o.id, { status: "on_track", confidence: 4, progress: 7, mode: "meeting", ...text }),
          status: 201,
          trail: (res) => ({
            [res.body.id]: [
              {
                action: "checkin.recorded",
                actor: a.adele.id,
                changes: {
                  outcomeId: { after: o.id },
                  status: { after: "on_track" },
                  confidence: { after: 4 },
                  progress: { after: 7 },
                  mode: { after: "meeting" },
                  note: { after: digest(text.note) },
                  blockers: { after: digest(text.blockers) },
                  supportNeeded: { after: digest(text.supportNeeded) },
                  nextStep: { after: digest(text.nextStep) },
                  ideas: { after: text.ideas.map(digest) },
                },
                reason: null,
              },
            ],
            [o.id]: [{ action: "outcome.progressed", actor: a.adele.id, changes: { currentValue: { before: null, after: 7 }, lastCheckInAt: { before: null, after: res.body.at } }, reason: null }],
          }),
        };
      },
    },
    {
      name: "check-in that escalates: the system asks the manager for support (POST /outcomes/{id}/check-ins)",
      setUp: async () => {
        // The demo organisation escalates after three at-risk check-ins in a row, and warns about
        // more than one check-in a day.
        const o = await agreed();
        ok(await checkIn(a.adele, o.id, { status: "at_risk", progress: 30 }), 201, "first at-risk check-in");
        const second = ok(await checkIn(a.adele, o.id, { status: "at_risk", progress: 31 }), 201, "second at-risk check-in");
        const cadence = ((await a.lidia.get("/api/v1/boundaries?kind=checkin_cadence&scope=tenant").expect(200)).body.items as { id: string }[])[0]!;
        return {
          send: () => checkIn(a.adele, o.id, { status: "at_risk", progress: 32 }),
          status: 201,
          trail: async (res) => {
            expect(res.body.escalated).toBe(true);
            const nudges = (await a.lidia.get(`/api/v1/outcomes/${o.id}/nudges`).expect(200)).body.items as { id: string; kind: string; message: string }[];
            const escalation = nudges.find((n) => n.kind === "escalation")!;
            return {
              [o.id]: [
                { action: "boundary.warned", actor: a.adele.id, changes: { findings: { after: [{ boundaryId: cadence.id, code: "too_soon", path: "at" }] } }, reason: null },
                {
                  action: "outcome.progressed",
                  actor: a.adele.id,
                  changes: { currentValue: { before: 31, after: 32 }, lastCheckInAt: { before: second.at, after: res.body.at }, escalatedAt: { before: null, after: res.body.at } },
                  reason: null,
                },
              ],
              [res.body.id]: [
                {
                  action: "checkin.recorded",
                  actor: a.adele.id,
                  changes: { outcomeId: { after: o.id }, status: { after: "at_risk" }, confidence: { after: 4 }, progress: { after: 32 }, mode: { after: "async" } },
                  reason: null,
                },
              ],
              [escalation.id]: [
                {
                  action: "nudge.escalation",
                  actor: SYSTEM,
                  changes: { outcomeId: { after: o.id }, kind: { after: "escalation" }, senderId: { after: null }, message: { after: digest(escalation.message) } },
                  reason: null,
                },
              ],
            };
          },
        };
      },
    },
    {
      name: "comment on a check-in (POST /check-ins/{id}/comments)",
      setUp: async () => {
        const o = await agreed();
        const recorded = ok(await checkIn(a.adele, o.id), 201, "check in");
        const text = "What would help you most this week?";
        return {
          send: () => a.megan.post(`/api/v1/check-ins/${recorded.id}/comments`, { text, kind: "coaching" }),
          status: 201,
          trail: (res) => ({
            [res.body.id]: [{ action: "comment.added", actor: a.megan.id, changes: { checkInId: { after: recorded.id }, kind: { after: "coaching" }, text: { after: digest(text) } }, reason: null }],
          }),
        };
      },
    },
    {
      name: "nudge (POST /outcomes/{id}/nudges)",
      setUp: async () => {
        const o = await agreed();
        const message = "How did the fraud sign-off go?";
        return {
          send: () => a.megan.post(`/api/v1/outcomes/${o.id}/nudges`, { message }),
          status: 201,
          trail: (res) => ({
            [res.body.id]: [
              { action: "nudge.sent", actor: a.megan.id, changes: { outcomeId: { after: o.id }, kind: { after: "nudge" }, senderId: { after: a.megan.id }, message: { after: digest(message) } }, reason: null },
            ],
          }),
        };
      },
    },
    {
      name: "review of an outcome whose deadline passed: the system records it missed first (POST /outcomes/{id}/reviews)",
      setUp: async () => {
        const o = await agreed();
        await passDeadline(s.db, o.id);
        const body = {
          whatBlocked: "The fraud rules took two months longer than planned.",
          whatCouldImprove: "Agree sign-off dates with the fraud team before committing.",
          supportNeeded: "A standing slot with the fraud team.",
          causes: ["process", "external"],
          actions: [{ description: "Book a monthly slot with the fraud team", ownerId: a.megan.id, dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) }],
        };
        return {
          send: () => a.adele.post(`/api/v1/outcomes/${o.id}/reviews`, body),
          status: 201,
          trail: (res) => ({
            [o.id]: [{ action: "outcome.missed", actor: SYSTEM, changes: { status: { before: "agreed", after: "missed" }, closedAt: { before: null, after: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) } }, reason: "deadline 2020-01-01 passed without the outcome being done" }],
            [res.body.id]: [
              {
                action: "review.written",
                actor: a.adele.id,
                changes: {
                  outcomeId: { after: o.id },
                  causes: { after: ["process", "external"] },
                  // Whose each follow-up is and when it is due; what it is, as a digest.
                  actions: { after: body.actions.map((x) => ({ description: digest(x.description), ownerId: x.ownerId, dueDate: x.dueDate })) },
                  whatBlocked: { after: digest(body.whatBlocked) },
                  whatCouldImprove: { after: digest(body.whatCouldImprove) },
                  supportNeeded: { after: digest(body.supportNeeded) },
                },
                reason: null,
              },
            ],
          }),
        };
      },
    },
    {
      name: "boundary proposed (POST /boundaries)",
      setUp: async () => ({
        send: () => a.miriam.post("/api/v1/boundaries", boundaryBody),
        status: 201,
        trail: (res) => ({
          [res.body.id]: [
            {
              action: "boundary.proposed",
              actor: a.miriam.id,
              // Names and reasons of boundaries are kept word for word (they are policy, not personal notes).
              changes: {
                version: { after: 1 },
                state: { after: "pending_approval" },
                change: { after: "create" },
                name: { after: boundaryBody.name },
                scope: { after: boundaryBody.scope },
                enforcement: { after: "warn" },
                rule: { after: boundaryBody.rule },
                effectiveFrom: { after: res.body.versions[0].effectiveFrom },
                effectiveTo: { after: null },
                expiresAt: { after: null },
                reason: { after: boundaryBody.reason },
              },
              reason: boundaryBody.reason,
            },
          ],
        }),
      }),
    },
    {
      name: "boundary approved (POST /boundaries/{id}/approve)",
      setUp: async () => {
        const b = await proposedBoundary();
        const note = "Matches the retention schedule.";
        return {
          send: () => a.lidia.post(`/api/v1/boundaries/${b.id}/approve`, { note }),
          status: 200,
          trail: () => ({
            [b.id]: [{ action: "boundary.approved", actor: a.lidia.id, changes: { version: { after: 1 }, state: { before: "pending_approval", after: "active" }, decidedBy: { after: a.lidia.id } }, reason: note }],
          }),
        };
      },
    },
    {
      name: "boundary change proposed (PATCH /boundaries/{id})",
      setUp: async () => {
        const b = await activeRetention();
        const body = { name: "Payments keeps free text for three years", rule: { kind: "retention", freeTextDays: 1095 } };
        return {
          send: () => a.miriam.patch(`/api/v1/boundaries/${b.id}`, body, 'W/"1"'),
          status: 200,
          trail: () => ({
            [b.id]: [
              {
                action: "boundary.proposed",
                actor: a.miriam.id,
                changes: {
                  version: { before: 1, after: 2 },
                  state: { after: "pending_approval" },
                  change: { after: "change" },
                  name: { before: boundaryBody.name, after: body.name },
                  rule: { before: boundaryBody.rule, after: body.rule },
                },
                reason: boundaryBody.reason,
              },
            ],
          }),
        };
      },
    },
    {
      name: "boundary change approved, superseding the version in force (POST /boundaries/{id}/approve)",
      setUp: async () => {
        const b = await changedRetention();
        return {
          send: () => a.lidia.post(`/api/v1/boundaries/${b.id}/approve`, {}),
          status: 200,
          trail: () => ({
            [b.id]: [
              { action: "boundary.approved", actor: a.lidia.id, changes: { version: { after: 2 }, state: { before: "pending_approval", after: "active" }, decidedBy: { after: a.lidia.id } }, reason: null },
              { action: "boundary.superseded", actor: a.lidia.id, changes: { version: { after: 1 }, state: { before: "active", after: "superseded" }, supersededBy: { after: 2 } }, reason: null },
            ],
          }),
        };
      },
    },
    {
      name: "boundary change rejected (POST /boundaries/{id}/reject)",
      setUp: async () => {
        const b = await changedRetention();
        const note = "Three years is below the legal minimum for disputes.";
        return {
          send: () => a.lidia.post(`/api/v1/boundaries/${b.id}/reject`, { note }),
          status: 200,
          trail: () => ({
            [b.id]: [{ action: "boundary.rejected", actor: a.lidia.id, changes: { version: { after: 2 }, state: { before: "pending_approval", after: "rejected" }, decidedBy: { after: a.lidia.id } }, reason: note }],
          }),
        };
      },
    },
    {
      name: "boundary retirement proposed (POST /boundaries/{id}/retire)",
      setUp: async () => {
        const b = await activeRetention();
        const reason = "Replaced by the group-wide retention policy.";
        return {
          send: () => a.miriam.post(`/api/v1/boundaries/${b.id}/retire`, { reason }, 'W/"1"'),
          status: 200,
          trail: () => ({
            [b.id]: [{ action: "boundary.proposed", actor: a.miriam.id, changes: { version: { before: 1, after: 2 }, state: { after: "pending_approval" }, change: { after: "retire" } }, reason }],
          }),
        };
      },
    },
    {
      name: "boundary retirement approved (POST /boundaries/{id}/approve)",
      setUp: async () => {
        const reason = "Replaced by the group-wide retention policy.";
        const b = await retiringRetention(reason);
        return {
          send: () => a.lidia.post(`/api/v1/boundaries/${b.id}/approve`, {}),
          status: 200,
          trail: () => ({
            [b.id]: [
              { action: "boundary.approved", actor: a.lidia.id, changes: { version: { after: 2 }, state: { before: "pending_approval", after: "retired" }, decidedBy: { after: a.lidia.id } }, reason: null },
              { action: "boundary.superseded", actor: a.lidia.id, changes: { version: { after: 1 }, state: { before: "active", after: "superseded" }, supersededBy: { after: 2 } }, reason: null },
              { action: "boundary.retired", actor: a.lidia.id, changes: { version: { before: 1, after: 2 }, state: { before: "active", after: "retired" } }, reason },
            ],
          }),
        };
      },
    },
    {
      name: "check-in schedule created (POST /check-in-schedules)",
      setUp: async () => {
        const o = await agreed();
        const firstStart = nextWeekdayAt(TUESDAY, 10);
        return {
          send: () => a.adele.post("/api/v1/check-in-schedules", { outcomeId: o.id, cadence: "weekly", firstStart, durationMinutes: 30 }),
          status: 202,
          trail: (res) => ({
            [res.body.id]: [
              {
                action: "schedule.created",
                actor: a.adele.id,
                changes: {
                  outcomeId: { after: o.id },
                  teamId: { after: retail },
                  cadence: { after: "weekly" },
                  firstStart: { after: new Date(firstStart).toISOString() },
                  timeZone: { after: "Europe/London" },
                  durationMinutes: { after: 30 },
                  attendeeIds: { after: [a.adele.id, a.megan.id] },
                  organizerId: { after: a.adele.id },
                  origin: { after: "leeway" },
                  status: { after: "active" },
                  syncState: { after: "pending" },
                  graphEventId: { after: null },
                  iCalUId: { after: null },
                  externalItemId: { after: null },
                },
                reason: null,
              },
            ],
          }),
        };
      },
    },
    {
      name: "check-in schedule changed (PATCH /check-in-schedules/{id})",
      setUp: async () => {
        const sc = await schedule();
        return {
          send: () => a.adele.patch(`/api/v1/check-in-schedules/${sc.id}`, { cadence: "biweekly", durationMinutes: 45 }, '"v1"'),
          status: 200,
          trail: () => ({
            [sc.id]: [{ action: "schedule.updated", actor: a.adele.id, changes: { cadence: { before: "weekly", after: "biweekly" }, durationMinutes: { before: 30, after: 45 } }, reason: null }],
          }),
        };
      },
    },
    {
      name: "check-in schedule cancelled (POST /check-in-schedules/{id}/cancel)",
      setUp: async () => {
        const sc = await schedule();
        return {
          send: () => a.adele.post(`/api/v1/check-in-schedules/${sc.id}/cancel`, {}),
          status: 200,
          trail: () => ({ [sc.id]: [{ action: "schedule.cancelled", actor: a.adele.id, changes: { status: { before: "active", after: "cancelled" } }, reason: null }] }),
        };
      },
    },
    {
      name: "audit checkpoint (POST /audit/checkpoints)",
      setUp: async () => ({
        send: () => a.lidia.post("/api/v1/audit/checkpoints", {}),
        status: 201,
        // The event does not name the checkpoint it asked for (its sequence or head hash), so its
        // changes are not pinned down here.
        trail: () => ({ [CONTOSO]: [{ action: "audit.checkpoint_requested", actor: a.lidia.id, changes: "not pinned down", reason: null }] }),
      }),
    },
  ];

  it.each(rows)("$name: action, actor, request id and field changes", async ({ setUp }) => {
    const act = await setUp();
    const mark = await head();
    const requestId = `audited-${randomUUID()}`;
    const res = await act.send().set("X-Request-Id", requestId);
    expect({ status: res.status, body: res.body }).toEqual({ status: act.status, body: expect.anything() });
    expect(res.headers["x-request-id"]).toBe(requestId);
    const trail = await act.trail(res);

    // Everything this request wrote to the trail, and nothing else happened meanwhile.
    const all = await eventsAfter(mark);
    const listed = Object.entries(trail).flatMap(([entityId, wants]) => wants.map((w) => `${entityId} ${w.action}`));
    expect(all.map((e) => `${e.entityId} ${e.action}`).sort()).toEqual(listed.sort());
    expect(new Set(all.map((e) => e.requestId))).toEqual(new Set([requestId]));

    for (const [entityId, wants] of Object.entries(trail)) {
      const got = await eventsAfter(mark, entityId);
      expect(got.map((e) => e.action)).toEqual(wants.map((w) => w.action));
      got.forEach((e, i) => {
        const want = wants[i]!;
        expect({ action: e.action, actor: e.actor.id, requestId: e.requestId, reason: e.reason }).toEqual({ action: want.action, actor: want.actor, requestId, reason: want.reason ?? null });
        if (want.changes !== "not pinned down") expect({ action: e.action, changes: e.changes }).toEqual({ action: want.action, changes: want.changes });
      });
    }
  });
});
