import express from "express";
import request from "supertest";
import { ConflictError } from "../errors";
import { problemHandler } from "./problem";

function appThrowing(err: unknown) {
  const app = express();
  app.use((req, _res, next) => {
    (req as unknown as { id: string }).id = "req-12345678";
    next();
  });
  app.get("/boom", () => {
    throw err;
  });
  app.use(problemHandler("100kb"));
  return app;
}

describe("problem+json errors", () => {
  it("turns an unknown error into a 500 that shows only the request id", async () => {
    const res = await request(appThrowing(new Error("database password is hunter2"))).get("/boom");
    expect(res.status).toBe(500);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.text).not.toContain("hunter2");
    expect(res.body).toMatchObject({ status: 500, requestId: "req-12345678" });
    expect(res.body.detail).toContain("req-12345678");
  });

  it("keeps typed errors' status, type and extra members", async () => {
    const res = await request(appThrowing(new ConflictError("already accepted", { code: "already_accepted" }))).get("/boom");
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: expect.stringContaining("conflict"), title: "Conflict", detail: "already accepted", code: "already_accepted" });
  });
});
