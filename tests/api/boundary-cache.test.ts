import request from "supertest";
import { BoundaryRepository } from "../../server/src/store/repositories/boundary.repository";
import { CONTOSO, startTestServer, type TestServer } from "../support/harness";

/**
 * Each instance keeps a tenant's boundaries in force for a few seconds and clears them when a
 * boundary change of its own commits. A read that was under way while a change committed may
 * miss it: the request that made the read judges by it, but it must not be kept for the next.
 */
describe("the boundaries in force, as the server keeps them", () => {
  let s: TestServer;
  let miriam: string;
  let lidia: string;
  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_DEMO_HISTORY: "false" });
    miriam = await s.token("miriam.graham@contoso.test");
    lidia = await s.token("lidia.holloway@contoso.test");
  });
  afterAll(() => s.close());

  it("does not keep a read that a boundary approved meanwhile overtook", async () => {
    const enforcement = s.leeway.context.boundaries;
    const manager = s.leeway.context.dataSource.manager;
    enforcement.invalidate(CONTOSO);

    const read = BoundaryRepository.prototype.active;
    let answered!: () => void;
    const hasAnswer = new Promise<void>((resolve) => (answered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(BoundaryRepository.prototype, "active").mockImplementationOnce(async function (this: BoundaryRepository, ...args) {
      const boundaries = await read.apply(this, args);
      answered();
      await released;
      return boundaries;
    });
    try {
      const slow = enforcement.active(manager, CONTOSO);
      await hasAnswer;

      const created = await request(s.baseUrl)
        .post("/api/v1/boundaries")
        .set("Authorization", `Bearer ${miriam}`)
        .send({ name: "Nudges, gently", scope: { level: "tenant" }, enforcement: "warn", rule: { kind: "nudge_limit", perOutcomePerWeek: 4 } });
      expect(created.status).toBe(201);
      const approved = await request(s.baseUrl).post(`/api/v1/boundaries/${created.body.id}/approve`).set("Authorization", `Bearer ${lidia}`).send({});
      expect(approved.body).toMatchObject({ state: "active", inForce: true });

      release();
      expect((await slow).map((b) => b.id)).not.toContain(created.body.id);
      expect((await enforcement.active(manager, CONTOSO)).map((b) => b.id)).toContain(created.body.id);
    } finally {
      release();
      spy.mockRestore();
    }
  });
});
