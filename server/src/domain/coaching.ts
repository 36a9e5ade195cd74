// Coaching, not chasing: the questions a manager asks in a check-in, and a first guess at whether
// a free-text comment reads as coaching or as a directive.

import type { CheckInStatus, CommentKind, OutcomeStatus } from "./types";

export type CoachingQuestionKey = "plan" | "support" | "next_step" | "follow_up";

export interface CoachingQuestion {
  key: CoachingQuestionKey;
  text: string;
}

export interface CoachingContext {
  /** Status of the latest check-in, or of the outcome when there is no check-in yet. */
  status?: CheckInStatus | OutcomeStatus | null;
  /** Support the owner asked for last time, if any. */
  supportNeeded?: string | null;
}

const BASE: CoachingQuestion[] = [
  { key: "plan", text: "What's your plan?" },
  { key: "support", text: "What do you need to succeed?" },
  { key: "next_step", text: "What's your next step?" },
];

/**
 * The three coaching questions, always in the same order, and when the work is at risk or off
 * track one supportive follow-up. Every item is a question; none tells the owner what to do.
 */
export function coachingQuestions(context: CoachingContext = {}): CoachingQuestion[] {
  const questions = BASE.map((q) => ({ ...q }));
  const asked = context.supportNeeded?.trim();
  if (context.status === "at_risk" || context.status === "off_track") {
    const text = asked
      ? "You asked for support last time; is that still what would help most, or has something changed?"
      : context.status === "off_track"
        ? "What would help you get back on track, and is there anything I could take off your plate?"
        : "What's getting in the way, and how can I help?";
    questions.push({ key: "follow_up", text });
  }
  return questions;
}

export interface CommentClassification {
  kind: CommentKind;
  /** "high" when the signals point one way only. */
  confidence: "high" | "low";
  coachingSignals: number;
  directiveSignals: number;
  reason: string;
}

// Phrases that offer help or invite the owner's own thinking.
const OFFERS = [
  /\bhow can i help\b/, /\bcan i help\b/, /\bhappy to (help|support|pair|review|join)\b/, /\blet me know if\b/,
  /\bi can (help|support|take|join|introduce|connect|review|pair|unblock)\b/, /\bwould it help\b/,
  /\bif you (want|need|like)\b/, /\bhave you (considered|thought about|tried)\b/, /\bwhat if\b/,
  /\bi('m| am) (here|around|available)\b/, /\bshall we\b/, /\bwhat do you (think|need)\b/,
  /\bdon't hesitate\b/, /\bfeel free\b/, /\bdo you need\b/,
];

// Phrases that order, whatever the sentence looks like.
const ORDERS = [
  /\byou (must|need to|have to|should|will need to)\b/, /\bi (want|need|expect) you to\b/, /\bmake sure\b/,
  /\basap\b/, /\bimmediately\b/, /\bno later than\b/, /\bby (eod|end of (the )?day|tomorrow|tonight|today|monday|tuesday|wednesday|thursday|friday)\b/,
  /\bthis is not acceptable\b/, /\bi insist\b/,
  // A prohibition opens its sentence ("Don't ship it."); "I don't think so" orders nothing.
  /^(please[,\s]+)?(do not|don't)\b/,
];

// Verbs that open an imperative sentence.
const IMPERATIVE_VERBS = new Set([
  "add", "book", "call", "change", "check", "complete", "deliver", "do", "email", "ensure", "escalate", "finish",
  "fix", "follow", "get", "move", "prepare", "provide", "remove", "reply", "report", "resend", "schedule", "send",
  "ship", "start", "stop", "submit", "update", "use", "write", "focus", "prioritise", "prioritize", "drop", "cancel",
]);

// Requests dressed as questions ("could you send it by Friday?").
const POLITE_REQUEST = /^(could|can|would|will) you\b/;
const DEADLINE_WORDS = /\b(by|before|asap|today|tomorrow|tonight|eod)\b/;

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * A deterministic first guess at a comment's kind, used to pre-fill the choice; the author keeps
 * the last word. Coaching signals: a genuine question, an offer of support. Directive signals: a
 * sentence that opens with an order verb (with or without "please"), wording such as "you must" or
 * "asap", and a polite request tied to a deadline. Ties with at least one directive signal count
 * as directive (so chasing is not undercounted); no signals at all count as coaching, low confidence.
 */
export function classifyComment(text: string): CommentClassification {
  let coaching = 0;
  let directive = 0;
  for (const raw of sentences(text)) {
    const s = raw.toLowerCase().replace(/[\u2019]/g, "'");
    const offer = OFFERS.some((re) => re.test(s));
    const order = ORDERS.some((re) => re.test(s));
    const firstWord = s.replace(/^please[,\s]+/, "").match(/^[a-z']+/)?.[0] ?? "";
    const question = s.endsWith("?");
    const imperative = IMPERATIVE_VERBS.has(firstWord) && !offer && !question;
    const request = question && POLITE_REQUEST.test(s) && DEADLINE_WORDS.test(s);
    if (offer) coaching += 1;
    else if (question && !request && !order) coaching += 1;
    if ((order && !offer) || imperative || request) directive += 1;
  }
  if (coaching === 0 && directive === 0) {
    return { kind: "coaching", confidence: "low", coachingSignals: 0, directiveSignals: 0, reason: "No question, offer or order found." };
  }
  const kind: CommentKind = directive >= coaching ? "directive" : "coaching";
  const confidence = coaching === 0 || directive === 0 ? "high" : "low";
  const reason = kind === "directive"
    ? `Reads as an instruction (${directive} directive and ${coaching} coaching signal${coaching === 1 ? "" : "s"}).`
    : `Reads as a question or an offer of support (${coaching} coaching and ${directive} directive signal${directive === 1 ? "" : "s"}).`;
  return { kind, confidence, coachingSignals: coaching, directiveSignals: directive, reason };
}
