import type { ErrorRequestHandler, Response } from "express";
import { AppError, PayloadTooLargeError, ValidationError } from "../errors";
import { callerFields } from "./authenticate";

export const PROBLEM_JSON = "application/problem+json";

export function sendProblem(res: Response, err: AppError, requestId?: string): void {
  for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
  res
    .status(err.status)
    .type(PROBLEM_JSON)
    .send(
      JSON.stringify({
        type: err.type,
        title: err.title,
        status: err.status,
        ...(err.detail ? { detail: err.detail } : {}),
        ...err.extra,
        ...(requestId ? { requestId } : {}),
      }),
    );
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

function unreadable(err: unknown): string {
  const message = err instanceof Error ? err.message : "";
  if (message.startsWith("Failed to decode param")) return "The URL holds a % that does not start a valid percent-encoded character.";
  return "The request could not be read.";
}

/** The one place errors become responses. Unknown errors are logged and shown only as a request id. */
export function problemHandler(bodyLimit: string): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const requestId = String(req.id ?? "");
    if (res.headersSent) {
      req.log?.error({ err, ...callerFields(req) }, "error after the response started");
      res.destroy();
      return;
    }
    const parserError = err as BodyParserError;
    if (err instanceof AppError) return sendProblem(res, err, requestId);
    if (parserError?.type === "entity.too.large") return sendProblem(res, new PayloadTooLargeError(bodyLimit), requestId);
    if (parserError?.type === "entity.parse.failed") {
      return sendProblem(res, new ValidationError([{ path: "", message: "The body is not valid JSON." }], "The body is not valid JSON."), requestId);
    }
    if (parserError?.type === "encoding.unsupported" || parserError?.type === "charset.unsupported") {
      return sendProblem(res, new AppError(415, "unsupported-media-type", "Unsupported media type", "Send JSON in UTF-8."), requestId);
    }
    if (typeof parserError?.status === "number" && parserError.status >= 400 && parserError.status < 500) {
      // A 400 lists what is wrong like every other (an id in the URL that is not valid
      // percent-encoding, a body cut off): the contract promises `errors` on each one.
      if (parserError.status === 400) return sendProblem(res, new ValidationError([{ path: "", message: unreadable(err) }], "The request could not be read."), requestId);
      return sendProblem(res, new AppError(parserError.status, "bad-request", "Bad request"), requestId);
    }
    req.log?.error({ err, ...callerFields(req) }, "unhandled error");
    sendProblem(res, new AppError(500, "internal", "Internal server error", `Something went wrong on our side. Quote request id ${requestId} when reporting it.`), requestId);
  };
}
