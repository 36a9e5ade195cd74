import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

const SAFE = /^[A-Za-z0-9._:-]{8,128}$/;

/** Takes a caller's request id when it is well formed, otherwise makes one; echoed in X-Request-Id. */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers["x-request-id"];
  const id = typeof given === "string" && SAFE.test(given) ? given : randomUUID();
  res.setHeader("X-Request-Id", id);
  return id;
}
