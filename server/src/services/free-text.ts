import { hash } from "node:crypto";

/**
 * Free text (notes, blockers, comments, review answers) enters the audit trail as a SHA-256 digest
 * and its length, not verbatim: a retention boundary can then clear the text itself while the
 * trail still proves what was written and when.
 */
export function textDigest(text: string | null | undefined): { sha256: string; length: number } | null {
  if (text === null || text === undefined || text === "") return null;
  return { sha256: hash("sha256", text, "hex"), length: text.length };
}

export function digestAll(fields: Record<string, string | string[] | null | undefined>): Record<string, { after: unknown }> {
  const out: Record<string, { after: unknown }> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0) || v === "") continue;
    out[k] = { after: Array.isArray(v) ? v.map(textDigest) : textDigest(v) };
  }
  return out;
}
