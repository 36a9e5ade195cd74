import { createHash } from "node:crypto";
import { people, outcomeBody, type As, type Who } from "../support/client";
import { passDeadline, startTestServer, type TestServer } from "../support/harness";

describe("blameless reviews and comments, as written", () => {
  let s: TestServer;
  let p: Record<Who, As>;
  let team: string;

  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_HOUSEKEEPING: "false" });
    p = await people(s, ["megan", "adele", "alex", "lidia", "patti"]);
    team = p.adele.teams[0]!.id;
  });
  afterAll(() => s.close());

  /** Adele's outcome, agreed by Megan. */
  const agreed = async (title: string) => {
    const o = (await p.adele.post("/api/v1/outcomes", outcomeBody(p.adele.id, team, { title })).expect(201)).body;
    await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: 1 }).expect(200);
    return o as { id: string };
  };
  const missed = async (title: string) => {
    const o = await agreed(title);
    await passDeadline(s.db, o.id);
    return o;
  };

  const review = {
    whatBlocked: "The credit bureau's feed was down for two weeks.",
    whatCouldImprove: "Agree a fallback source before the next quarter.",
    supportNeeded: "A second data supplier under contract.",
    causes: ["external", "process"],
  };

  it("keeps every field of a review and answers it back as written", async () => {
    const o = await missed("Decisions within five days");
    const body = { ...review, actions: [{ description: "Shortlist two more bureaus", ownerId: p.megan.id, dueDate: "2031-03-31" }, { description: "Write the fallback runbook", ownerId: p.alex.id }] };
    const written = (await p.adele.post(`/api/v1/outcomes/${o.id}/reviews`, body).expect(201)).body;
    const expected = { outcomeId: o.id, authorId: p.adele.id, ...body };
    expect(written).toMatchObject(expected);
    const [read] = (await p.megan.get(`/api/v1/outcomes/${o.id}/reviews`).expect(200)).body.items;
    expect(read).toMatchObject({ id: written.id, ...expected });
    expect(read.actions).toEqual(body.actions);
    // The trail holds digests of the texts, not the texts.
    const [event] = (await p.lidia.get(`/api/v1/audit/events?entityId=${written.id}`).expect(200)).body.items;
    expect(event.changes.whatBlocked.after).toEqual({ sha256: createHash("sha256").update(review.whatBlocked).digest("hex"), length: review.whatBlocked.length });
    expect(JSON.stringify(event)).not.toContain("credit bureau");
  });

  it("refuses an action owned by someone outside the tenant, and writes nothing", async () => {
    const o = await missed("Mortgage offers in a week");
    for (const ownerId of [p.patti.id, "00000000-0000-4000-8000-00000000beef"]) {
      const res = await p.adele.post(`/api/v1/outcomes/${o.id}/reviews`, { ...review, actions: [{ description: "Chase the valuer", ownerId: p.megan.id }, { description: "Someone else's job", ownerId }] }).expect(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["actions.1.ownerId"]);
    }
    expect((await p.adele.get(`/api/v1/outcomes/${o.id}/reviews`).expect(200)).body.items).toEqual([]);
  });

  it("takes a review of an outcome dropped by agreement, and none of one still open", async () => {
    const o = await agreed("Paperless loan files");
    await p.adele.post(`/api/v1/outcomes/${o.id}/reviews`, review).expect(409);
    const proposed = (await p.adele.post(`/api/v1/outcomes/${o.id}/drop`, { reason: "The regulator paused e-signatures" }).expect(200)).body;
    expect((await p.megan.post(`/api/v1/outcomes/${o.id}/agreement`, { version: proposed.version }).expect(200)).body.status).toBe("dropped");
    const written = (await p.megan.post(`/api/v1/outcomes/${o.id}/reviews`, { ...review, causes: ["external"] }).expect(201)).body;
    expect(written).toMatchObject({ authorId: p.megan.id, causes: ["external"] });
  });

  it("keeps the kind of comment its author chose, and the team's figures count it as that kind", async () => {
    const o = await agreed("Fewer declined applications");
    const checkIn = (await p.adele.post(`/api/v1/outcomes/${o.id}/check-ins`, { status: "at_risk", confidence: 2, progress: 6, mode: "meeting" }).expect(201)).body;
    const weeklyDirectives = async () => {
      const board = (await p.megan.get(`/api/v1/dashboards/team/${team}`).expect(200)).body as { series: { weeks: { directives: number; coachingComments: number }[] } };
      return board.series.weeks.reduce((n, w) => ({ directives: n.directives + w.directives, coaching: n.coaching + w.coachingComments }), { directives: 0, coaching: 0 });
    };
    const before = await weeklyDirectives();
    // Worded as an offer of support, but Megan means it as an instruction, and says so.
    const text = "What support do you need from me to get the declined files reviewed?";
    const comment = (await p.megan.post(`/api/v1/check-ins/${checkIn.id}/comments`, { text, kind: "directive" }).expect(201)).body;
    expect(comment).toMatchObject({ kind: "directive", suggestedKind: "coaching", text, authorId: p.megan.id });
    const [stored] = (await p.adele.get(`/api/v1/outcomes/${o.id}/check-ins`).expect(200)).body.items;
    expect(stored.comments).toEqual([expect.objectContaining({ id: comment.id, kind: "directive" })]);
    expect(await weeklyDirectives()).toEqual({ directives: before.directives + 1, coaching: before.coaching });
  });
});
