import type { RequestHandler } from "express";
import { ValidationError } from "../errors";

/**
 * JSON allows a lone surrogate ("\ud800"), but UTF-8 storage cannot hold one: SQLite and
 * PostgreSQL would keep something else than what was hashed into the audit trail, and the chain
 * would then fail to verify. Request bodies are therefore made well-formed as they are parsed,
 * each lone surrogate becoming U+FFFD, before anything validates, stores or hashes them.
 */
export function wellFormedText(_key: string, value: unknown): unknown {
  return typeof value === "string" && !value.isWellFormed() ? value.toWellFormed() : value;
}

/** The path (a.b.0.c) of the first string in a value that holds U+0000, or null. */
function nulPath(value: unknown, path: string[]): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") : null;
  if (value === null || typeof value !== "object") return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.includes("\u0000")) return [...path, k].join(".");
    const found = nulPath(v, [...path, k]);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Text may not hold the NUL character (U+0000): PostgreSQL's text cannot store it, and no
 * person types it. Refused with the field's path, in the query or the body, before anything
 * validates or stores it.
 */
export const refuseNul: RequestHandler = (req, _res, next) => {
  const path = nulPath(req.query, []) ?? nulPath(req.body, []);
  if (path !== null) throw new ValidationError([{ path, message: "Text may not contain the NUL character (U+0000)." }]);
  next();
};
