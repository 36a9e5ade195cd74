import fc from "fast-check";
import { classifyComment, coachingQuestions } from "./coaching";
import { CHECK_IN_STATUSES, OUTCOME_STATUSES } from "./types";

describe("coachingQuestions", () => {
  it("asks the three questions in order when things are on track", () => {
    expect(coachingQuestions({ status: "on_track" }).map((q) => q.text)).toEqual([
      "What's your plan?",
      "What do you need to succeed?",
      "What's your next step?",
    ]);
    expect(coachingQuestions().map((q) => q.key)).toEqual(["plan", "support", "next_step"]);
  });

  it("adds a supportive follow-up when at risk", () => {
    const qs = coachingQuestions({ status: "at_risk" });
    expect(qs).toHaveLength(4);
    expect(qs[3]).toEqual({ key: "follow_up", text: "What's getting in the way, and how can I help?" });
  });

  it("offers to take work off the plate when off track", () => {
    expect(coachingQuestions({ status: "off_track" })[3]?.text).toMatch(/back on track.*take off your plate/);
  });

  it("follows up on support asked for earlier", () => {
    expect(coachingQuestions({ status: "at_risk", supportNeeded: "Access to the test lab" })[3]?.text).toMatch(/You asked for support last time/);
    expect(coachingQuestions({ status: "at_risk", supportNeeded: "  " })[3]?.text).toBe("What's getting in the way, and how can I help?");
  });

  it("only ever asks, whatever the status (property)", () => {
    fc.assert(fc.property(fc.constantFrom(...CHECK_IN_STATUSES, ...OUTCOME_STATUSES, null), fc.option(fc.string()), (status, supportNeeded) => {
      const qs = coachingQuestions({ status, supportNeeded });
      expect(qs.length).toBeGreaterThanOrEqual(3);
      for (const q of qs) {
        expect(q.text.endsWith("?")).toBe(true);
        expect(classifyComment(q.text).kind).toBe("coaching");
      }
    }));
  });

  it("does not share state between calls", () => {
    const first = coachingQuestions();
    (first[0] as { text: string }).text = "changed";
    expect(coachingQuestions()[0]?.text).toBe("What's your plan?");
  });
});

describe("classifyComment", () => {
  it.each([
    "What's blocking you right now?",
    "How can I help with the vendor?",
    "Let me know if you need anything from legal.",
    "Have you considered pairing with Diego on this",
    "Happy to review the draft when it's ready.",
    "Don't hesitate to call me.",
    "Do you need more time for testing?",
    "What if we asked the platform team?",
  ])("reads %p as coaching", (text) => {
    expect(classifyComment(text).kind).toBe("coaching");
  });

  it.each([
    "Send me the report by Friday.",
    "Please update the forecast.",
    "You must finish this before the audit.",
    "Fix the failing tests asap",
    "I need you to prioritise the migration.",
    "Could you send the numbers by tomorrow?",
    "Make sure the client gets the file.",
    "Don't change the scope.",
  ])("reads %p as a directive", (text) => {
    expect(classifyComment(text).kind).toBe("directive");
  });

  it("is confident when signals point one way only", () => {
    expect(classifyComment("Send me the report.")).toMatchObject({ kind: "directive", confidence: "high", directiveSignals: 1, coachingSignals: 0 });
    expect(classifyComment("How is it going?")).toMatchObject({ kind: "coaching", confidence: "high", coachingSignals: 1 });
  });

  it("counts a tie as a directive, with low confidence", () => {
    expect(classifyComment("Send me the report. How is the team doing?")).toMatchObject({ kind: "directive", confidence: "low", coachingSignals: 1, directiveSignals: 1 });
  });

  it("lets more coaching outweigh one instruction", () => {
    expect(classifyComment("What's your plan? What do you need? Update the board.").kind).toBe("coaching");
  });

  it("treats text without signals (or no text) as coaching with low confidence", () => {
    expect(classifyComment("")).toMatchObject({ kind: "coaching", confidence: "low", reason: "No question, offer or order found." });
    expect(classifyComment("Nice progress this week.")).toMatchObject({ kind: "coaching", confidence: "low" });
  });

  it.each(["I don't think the vendor is the blocker.", "We do not have the numbers yet, what would help?", "Please don't hesitate to ask."])("reads %p as no order", (text) => {
    expect(classifyComment(text).kind).toBe("coaching");
  });

  it("reads curly apostrophes like straight ones", () => {
    expect(classifyComment("Don\u2019t ship it yet.").kind).toBe("directive");
  });

  it("is deterministic (property)", () => {
    fc.assert(fc.property(fc.string(), (text) => {
      expect(classifyComment(text)).toEqual(classifyComment(text));
    }));
  });
});
