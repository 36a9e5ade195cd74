import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { spawnLeeway } from "../support/spawn-leeway";

/** `npm start` as a process: prints its URL, and on SIGTERM stops taking requests but finishes those in flight. */
describe("server process lifecycle", () => {
  it("refuses a bad configuration naming the variable", async () => {
    await expect(spawnLeeway({ PORT: "not-a-port" })).rejects.toThrow(/exited \(2\)[\s\S]*PORT/);
  });

  it("finishes an in-flight request after SIGTERM, then exits cleanly", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "leeway-life-"));
    const { url, child } = await spawnLeeway({ LEEWAY_DATA_DIR: dir });
    try {
      const { port } = new URL(url);
      const tokenRes = await fetch(`${url}/local-m365/c0c0c0c0-0000-4000-8000-000000000001/oauth2/v2.0/token`, {
        method: "POST",
        body: new URLSearchParams({ grant_type: "password", username: "adele.vance@contoso.test", password: "x", client_id: "11111111-1eee-4a11-8000-00000000a001", scope: "api://leeway/access_as_user" }),
      });
      const token = ((await tokenRes.json()) as { access_token: string }).access_token;
      // A request whose body is still arriving when the signal comes.
      const answered = new Promise<number>((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/api/v1/outcomes", headers: { "content-type": "application/json", "content-length": "2", authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.write("{");
        setTimeout(() => {
          child.kill("SIGTERM");
          setTimeout(() => req.end("}"), 300);
        }, 200);
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      // The body "{}" is not an outcome: the answer is a 400, but it is an answer, not a dropped connection.
      expect(await answered).toBe(400);
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
