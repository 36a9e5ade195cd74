import { compilePattern, effectiveRules, evaluateOutcomeWrite, isPatternProblem, type Boundary } from "../domain/boundaries";
import { useTextMatcher, type TextMatcher } from "../domain/text-matching";
import { matchWithin } from "./timed-match";

describe("matchWithin", () => {
  it("answers which texts each pattern matches", () => {
    expect(matchWithin([/gb\d{2}/i, /x/], ["pay GB29 today", "nothing"], 200)).toEqual([
      [true, false],
      [false, false],
    ]);
  });

  it("stops matching that overruns its budget and says so, instead of holding the server", () => {
    // Built directly: compilePattern would refuse it. Exponential in the run of a's.
    const evil = new RegExp("(a|a)+$", "i");
    expect(matchWithin([evil], ["a".repeat(40) + "!"], 50)).toBeNull();
    // The server goes on matching afterwards.
    expect(matchWithin([/b/], ["abc"], 200)).toEqual([[true]]);
  });

  it("tries again when the machine, not the pattern, used up the time", () => {
    // A stand-in for a pattern whose first run is held up by a loaded machine: it waits up to a second
    // without using the processor, then answers at once.
    let waits = 1;
    const stalled = {
      test(text: string) {
        if (waits-- > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
        return text.includes("x");
      },
    } as unknown as RegExp;
    expect(matchWithin([stalled], ["x", "y"], 200)).toEqual([[true, false]]);
  });
});

describe("the rules with the server's time limit", () => {
  let before: TextMatcher;
  beforeAll(() => {
    before = useTextMatcher(matchWithin);
  });
  afterAll(() => {
    useTextMatcher(before);
  });

  // Shapes the quick check of a pattern's form does not see, which take seconds or more on a probe text.
  it.each(["(a|a)+$", "(.*a){12}x", "(?:a?|b?)".repeat(20) + "x"])("refuses %p when a boundary is written, as it takes too long on some texts", (regex) => {
    expect(compilePattern({ name: "evil", regex }, "pattern", { probe: true })).toMatchObject({ path: "pattern.regex", message: expect.stringContaining("takes too long") });
    // Already stored, it is matched against the real text under the scan's limit instead.
    expect(isPatternProblem(compilePattern({ name: "evil", regex }))).toBe(false);
  });

  it("refuses a write whose text a stored pattern cannot get through in time, and lets the others through", () => {
    const stored: Boundary = { id: "b1", name: "Runs", version: 1, scope: { level: "tenant" }, enforcement: "block", rule: { kind: "content_pattern", patterns: [{ name: "Runs", regex: "(a|a)+$" }] }, effectiveFrom: "2025-01-01", state: "active" };
    const draft = { title: "Faster loan decisions", measure: { metric: "Days", unit: "days", baseline: 10, target: 5 }, deadline: "2031-01-01", ifMissed: "We re-plan." };
    const rules = effectiveRules([stored]);
    expect(evaluateOutcomeWrite(rules, draft)).toEqual([]);
    expect(evaluateOutcomeWrite(rules, { ...draft, ifMissed: "a".repeat(40) + "!" })).toEqual([expect.objectContaining({ code: "too_slow_to_check", enforcement: "block" })]);
  });
});
