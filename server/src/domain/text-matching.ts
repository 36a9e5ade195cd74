// How the rules match admins' forbidden-content patterns against people's text. The rules need
// only to know which texts each pattern matches, or that matching gave up; how matching is bounded
// in time is the server's business (services/timed-match.ts), given to the rules as it starts.

/** How long a write may spend matching one boundary's patterns against its texts. */
export const SCAN_BUDGET_MS = 200;

/**
 * Which texts each pattern matches (`result[pattern][text]`), or null when matching gave up
 * because it would take longer than `budgetMs`.
 */
export type TextMatcher = (res: readonly RegExp[], texts: readonly string[], budgetMs: number) => boolean[][] | null;

/** Matching without a limit: what the patterns mean, for a caller that can wait as long as they take. */
export const matchPlainly: TextMatcher = (res, texts) => res.map((re) => texts.map((text) => re.test(text)));

let current: TextMatcher = matchPlainly;

/**
 * Sets how the rules match text, answering the matcher it replaces. The server sets one with a
 * time limit before it serves anything, so that no pattern can hold it for everyone.
 */
export function useTextMatcher(matcher: TextMatcher): TextMatcher {
  const before = current;
  current = matcher;
  return before;
}

/** Which texts each pattern matches, or null when the matcher in use gave up. */
export function matchTexts(res: readonly RegExp[], texts: readonly string[], budgetMs = SCAN_BUDGET_MS): boolean[][] | null {
  return current(res, texts, budgetMs);
}
