import { ValidationError } from "../errors";

/**
 * Opaque cursors for lists paged by a time and an id (the last row of the page before): the
 * client hands back what it was given, and anything else is refused as a bad query parameter.
 */
export function encodeKeysetCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString("base64url");
}

export function decodeKeysetCursor(cursor: string): { at: string; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string") return { at: v[0], id: v[1] };
  } catch {
    // falls through to the validation error
  }
  throw new ValidationError([{ path: "cursor", message: "Not a cursor this server gave out; start again without it." }]);
}
