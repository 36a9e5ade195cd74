/**
 * JSON allows a lone surrogate ("\ud800"), but UTF-8 storage cannot hold one: SQLite and
 * PostgreSQL would keep something else than what was hashed into the audit trail, and the chain
 * would then fail to verify. Request bodies are therefore made well-formed as they are parsed,
 * each lone surrogate becoming U+FFFD, before anything validates, stores or hashes them.
 */
export function wellFormedText(_key: string, value: unknown): unknown {
  return typeof value === "string" && !value.isWellFormed() ? value.toWellFormed() : value;
}
