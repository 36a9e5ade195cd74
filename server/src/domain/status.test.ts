import fc from "fast-check";
import { deadlinePassesAt, isOverdue, missedStatus, statusAfterCheckIn } from "./status";
import { CHECK_IN_STATUSES, OUTCOME_STATUSES, type CheckInStatus, type OutcomeStatus } from "./types";

describe("statusAfterCheckIn", () => {
  const table: [OutcomeStatus, CheckInStatus, OutcomeStatus][] = [
    ["agreed", "on_track", "agreed"],
    ["agreed", "at_risk", "at_risk"],
    ["agreed", "off_track", "at_risk"],
    ["agreed", "done", "done"],
    ["at_risk", "on_track", "agreed"],
    ["at_risk", "at_risk", "at_risk"],
    ["at_risk", "off_track", "at_risk"],
    ["at_risk", "done", "done"],
    ["draft", "at_risk", "draft"],
    ["draft", "done", "draft"],
    ["proposed", "on_track", "proposed"],
    ["proposed", "off_track", "proposed"],
    ["proposed", "done", "proposed"],
    ["done", "at_risk", "done"],
    ["missed", "done", "missed"],
    ["missed", "on_track", "missed"],
    ["dropped", "done", "dropped"],
  ];
  it.each(table)("%s + %s check-in -> %s", (current, checkIn, expected) => {
    expect(statusAfterCheckIn(current, checkIn)).toBe(expected);
  });

  it("never leaves a closed status and never produces draft, proposed, missed or dropped from an open one (property)", () => {
    fc.assert(fc.property(fc.constantFrom(...OUTCOME_STATUSES), fc.constantFrom(...CHECK_IN_STATUSES), (current, checkIn) => {
      const next = statusAfterCheckIn(current, checkIn);
      if (["done", "missed", "dropped", "draft", "proposed"].includes(current)) expect(next).toBe(current);
      else expect(["agreed", "at_risk", "done"]).toContain(next);
    }));
  });
});

describe("deadlines", () => {
  const outcome = (status: OutcomeStatus) => ({ deadline: "2025-03-31", status });

  it("pass at the end of the deadline day in UTC by default", () => {
    expect(new Date(deadlinePassesAt("2025-03-31")).toISOString()).toBe("2025-04-01T00:00:00.000Z");
    expect(isOverdue(outcome("agreed"), "2025-03-31T23:59:59.999Z")).toBe(false);
    expect(isOverdue(outcome("agreed"), "2025-04-01T00:00:00.000Z")).toBe(true);
  });

  it("follow the owner's time zone: Sydney's day ends before UTC's, New York's after", () => {
    // 2025-03-31 ends in Sydney (UTC+11 in March) at 13:00 UTC.
    expect(isOverdue(outcome("agreed"), "2025-03-31T12:59:59Z", "Australia/Sydney")).toBe(false);
    expect(isOverdue(outcome("agreed"), "2025-03-31T13:00:00Z", "Australia/Sydney")).toBe(true);
    // and in New York (UTC-4 in summer time) at 04:00 UTC the next day.
    expect(isOverdue(outcome("agreed"), "2025-04-01T03:59:59Z", "America/New_York")).toBe(false);
    expect(isOverdue(outcome("agreed"), "2025-04-01T04:00:00Z", "America/New_York")).toBe(true);
  });

  it("end of day in London follows summer time", () => {
    expect(new Date(deadlinePassesAt("2025-07-15", "Europe/London")).toISOString()).toBe("2025-07-15T23:00:00.000Z");
    expect(new Date(deadlinePassesAt("2025-01-15", "Europe/London")).toISOString()).toBe("2025-01-16T00:00:00.000Z");
  });

  it("done and dropped outcomes are never overdue", () => {
    expect(isOverdue(outcome("done"), "2026-01-01T00:00:00Z")).toBe(false);
    expect(isOverdue(outcome("dropped"), "2026-01-01T00:00:00Z")).toBe(false);
  });

  it("an unreadable deadline is never overdue", () => {
    expect(isOverdue({ deadline: "someday", status: "agreed" }, "2030-01-01T00:00:00Z")).toBe(false);
  });

  it.each(["proposed", "agreed", "at_risk"] as const)("%s becomes missed once the deadline day has ended", (status) => {
    expect(missedStatus(outcome(status), "2025-03-31T22:00:00Z")).toBe(status);
    expect(missedStatus(outcome(status), "2025-04-01T00:00:00Z")).toBe("missed");
  });

  it.each(["draft", "done", "missed", "dropped"] as const)("%s does not become missed", (status) => {
    expect(missedStatus(outcome(status), "2026-01-01T00:00:00Z")).toBe(status);
  });

  it("uses the zone passed for missed too", () => {
    expect(missedStatus(outcome("agreed"), "2025-03-31T13:30:00Z", "Australia/Sydney")).toBe("missed");
    expect(missedStatus(outcome("agreed"), "2025-03-31T13:30:00Z")).toBe("agreed");
  });
});
