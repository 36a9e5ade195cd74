import fc from "fast-check";
import {
  acceptWhat, canEditApproach, createAgreement, effectiveWhat, initialAgreementState, proposeWhat, validateWhat,
  stampManagerAcceptance, underManager, waitingFor, whatChanged, withdrawPending, type AgreementState, type Party, type PendingWhat,
} from "./agreement";
import type { Result, What } from "./types";

const base: What = {
  title: "Cut onboarding time",
  measure: { metric: "days to first commit", unit: "days", baseline: 10, target: 4 },
  deadline: "2025-06-30",
  ifMissed: "We review the onboarding plan together",
};

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

function error<T>(r: Result<T>) {
  if (r.ok) throw new Error("expected an error");
  return r.error;
}

/** Outcome created by the owner at version 1 and accepted by the manager. */
function agreedState(): AgreementState {
  const proposed = value(createAgreement({ what: base, by: "owner", version: 1 }));
  return value(acceptWhat(proposed, { by: "manager", version: 1, currentVersion: 1 }));
}

describe("whatChanged", () => {
  it("is empty for identical whats and ignores surrounding spaces", () => {
    expect(whatChanged(base, { ...base, title: `  ${base.title} ` })).toEqual([]);
  });

  it("names every changed leaf in a fixed order", () => {
    const changed: What = {
      title: "Other",
      measure: { metric: "m", unit: "u", baseline: 1, target: 2 },
      deadline: "2025-07-01",
      ifMissed: "x",
    };
    expect(whatChanged(base, changed)).toEqual(["title", "measure.metric", "measure.unit", "measure.baseline", "measure.target", "deadline", "ifMissed"]);
  });

  it("reports a moved target as measure.target only", () => {
    expect(whatChanged(base, { ...base, measure: { ...base.measure, target: 5 } })).toEqual(["measure.target"]);
  });

  it("is symmetric and empty exactly on itself (property)", () => {
    const what = fc.record({
      title: fc.string({ minLength: 1 }),
      measure: fc.record({ metric: fc.string(), unit: fc.string(), baseline: fc.integer(), target: fc.integer() }),
      deadline: fc.constantFrom("2025-01-01", "2025-02-02"),
      ifMissed: fc.string(),
    });
    fc.assert(fc.property(what, what, (a, b) => {
      expect(whatChanged(a, b)).toEqual(whatChanged(b, a));
      expect(whatChanged(a, a)).toEqual([]);
    }));
  });
});

describe("validateWhat", () => {
  it("accepts a complete what", () => {
    expect(validateWhat(base)).toEqual([]);
  });

  it("names each bad field", () => {
    const errors = validateWhat({ ...base, title: " ", deadline: "2025-02-30", measure: { ...base.measure, target: Number.NaN } });
    expect(errors.map((e) => e.path)).toEqual(["title", "measure.target", "deadline"]);
    expect(errors.every((e) => e.code === "invalid_what")).toBe(true);
  });
});

describe("first proposal and agreement", () => {
  it("creating the outcome is the first proposal, accepted by its proposer", () => {
    const s = value(createAgreement({ what: base, by: "owner", version: 1 }));
    expect(s.status).toBe("proposed");
    expect(s.agreedWhat).toBeNull();
    expect(s.pending).toEqual({ what: base, proposedBy: "owner", proposedAtVersion: 1, reason: null, kind: "change", acceptedBy: ["owner"] });
    expect(effectiveWhat(s)).toEqual(base);
    expect(waitingFor(s.pending)).toEqual(["manager"]);
    // Without a manager, a proposal held back by its risk-class approval waits for nobody; any
    // other waits for the owner, who takes the manager's side too.
    expect(waitingFor(s.pending, false, true)).toEqual([]);
    expect(waitingFor(s.pending, false)).toEqual(["owner"]);
  });

  it("the other side's acceptance makes it agreed and clears the pending proposal", () => {
    const s = agreedState();
    expect(s).toEqual({ status: "agreed", agreedWhat: base, pending: null });
    expect(waitingFor(s.pending)).toEqual([]);
  });

  it("a manager can create the proposal; the owner's acceptance agrees it", () => {
    const proposed = value(createAgreement({ what: base, by: "manager", version: 1 }));
    const s = value(acceptWhat(proposed, { by: "owner", version: 1, currentVersion: 1 }));
    expect(s.status).toBe("agreed");
  });

  it("before agreement a change replaces the proposal without a reason and resets acceptance", () => {
    const proposed = value(createAgreement({ what: base, by: "owner", version: 1 }));
    const changed = { ...base, deadline: "2025-07-15" };
    const s = value(proposeWhat(proposed, { what: changed, by: "manager", version: 2 }));
    expect(s.status).toBe("proposed");
    expect(s.pending).toMatchObject({ what: changed, proposedBy: "manager", proposedAtVersion: 2, acceptedBy: ["manager"], reason: null });
    expect(effectiveWhat(s)).toEqual(changed);
    // The owner's earlier acceptance of version 1 does not carry over.
    expect(error(acceptWhat(s, { by: "owner", version: 1, currentVersion: 2 })).code).toBe("stale_version");
    expect(value(acceptWhat(s, { by: "owner", version: 2, currentVersion: 2 })).agreedWhat).toEqual(changed);
  });

  it("proposing the same what again is refused, and the other side is told to accept", () => {
    const proposed = value(createAgreement({ what: base, by: "owner", version: 1 }));
    expect(error(proposeWhat(proposed, { what: base, by: "owner", version: 2 })).message).toBe("This what is already on the table.");
    const fromManager = error(proposeWhat(proposed, { what: base, by: "manager", version: 2 }));
    expect(fromManager.code).toBe("nothing_to_change");
    expect(fromManager.message).toMatch(/accept it instead/);
  });

  it("refuses an invalid what with the path of the first problem", () => {
    const e = error(createAgreement({ what: { ...base, deadline: "soon" }, by: "owner", version: 1 }));
    expect(e).toMatchObject({ code: "invalid_what", path: "deadline" });
  });

  it("refuses a version that is not a positive whole number", () => {
    expect(error(createAgreement({ what: base, by: "owner", version: 0 }))).toMatchObject({ code: "not_allowed", path: "version" });
  });

  it("a change proposal without a what is refused", () => {
    expect(error(proposeWhat(initialAgreementState(), { by: "owner", version: 1 })).code).toBe("invalid_what");
  });

  it("nothing can be dropped before anything was proposed", () => {
    expect(error(proposeWhat(initialAgreementState(), { by: "owner", version: 1, kind: "drop" })).code).toBe("not_allowed");
  });
});

describe("accepting", () => {
  const proposed = () => value(createAgreement({ what: base, by: "owner", version: 3 }));

  it("accepts any version from the proposal up to the current one", () => {
    expect(value(acceptWhat(proposed(), { by: "manager", version: 3, currentVersion: 5 })).status).toBe("agreed");
    expect(value(acceptWhat(proposed(), { by: "manager", version: 5, currentVersion: 5 })).status).toBe("agreed");
  });

  it("a version before the proposal is stale and names the pending version", () => {
    const e = error(acceptWhat(proposed(), { by: "manager", version: 2, currentVersion: 5 }));
    expect(e.code).toBe("stale_version");
    expect(e.message).toContain("version 3 is pending");
    expect(e.details).toMatchObject({ pendingVersion: 3, currentVersion: 5, acceptedVersion: 2 });
  });

  it("a version after the current one is refused as stale", () => {
    expect(error(acceptWhat(proposed(), { by: "manager", version: 6, currentVersion: 5 })).code).toBe("stale_version");
  });

  it("accepting one's own proposal again is refused and says who is awaited", () => {
    const e = error(acceptWhat(proposed(), { by: "owner", version: 3, currentVersion: 3 }));
    expect(e.code).toBe("already_accepted");
    expect(e.details).toMatchObject({ waitingFor: "manager" });
  });

  it("nothing to accept when nothing is pending", () => {
    expect(error(acceptWhat(agreedState(), { by: "owner", version: 1, currentVersion: 1 })).code).toBe("nothing_pending");
  });

  it("the accepted version range is exactly [proposedAtVersion, currentVersion] (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (at, version, current) => {
      const s = value(createAgreement({ what: base, by: "owner", version: at }));
      const r = acceptWhat(s, { by: "manager", version, currentVersion: current });
      expect(r.ok).toBe(at <= version && version <= current);
    }));
  });
});

describe("changes after agreement", () => {
  const moved = { ...base, deadline: "2025-07-31" };

  it("needs a reason", () => {
    const e = error(proposeWhat(agreedState(), { what: moved, by: "owner", version: 2 }));
    expect(e).toMatchObject({ code: "reason_required", path: "reason" });
    expect(error(proposeWhat(agreedState(), { what: moved, by: "owner", version: 2, reason: "   " })).code).toBe("reason_required");
  });

  it("stays pending while the agreed what stays in force", () => {
    const s = value(proposeWhat(agreedState(), { what: moved, by: "owner", version: 2, reason: "Vendor delay" }));
    expect(s.status).toBe("agreed");
    expect(s.agreedWhat).toEqual(base);
    expect(effectiveWhat(s)).toEqual(base);
    expect(s.pending).toMatchObject({ what: moved, reason: "Vendor delay", proposedBy: "owner", acceptedBy: ["owner"] });
  });

  it("becomes the agreed what when the other side accepts, keeping an at-risk status", () => {
    const atRisk: AgreementState = { ...agreedState(), status: "at_risk" };
    const s = value(proposeWhat(atRisk, { what: moved, by: "manager", version: 4, reason: "Scope grew" }));
    const done = value(acceptWhat(s, { by: "owner", version: 4, currentVersion: 4 }));
    expect(done).toEqual({ status: "at_risk", agreedWhat: moved, pending: null });
  });

  it("refuses proposing the agreed what itself", () => {
    expect(error(proposeWhat(agreedState(), { what: base, by: "manager", version: 2, reason: "x" })).message).toBe("This is already the agreed what.");
  });

  it("a new proposal by the other side replaces the pending one", () => {
    const first = value(proposeWhat(agreedState(), { what: moved, by: "owner", version: 2, reason: "a" }));
    const other = { ...base, ifMissed: "Escalate to the board" };
    const second = value(proposeWhat(first, { what: other, by: "manager", version: 3, reason: "b" }));
    expect(second.pending).toMatchObject({ what: other, proposedBy: "manager", acceptedBy: ["manager"], proposedAtVersion: 3 });
  });

  it("proposing a pending change again is refused", () => {
    const first = value(proposeWhat(agreedState(), { what: moved, by: "owner", version: 2, reason: "a" }));
    expect(error(proposeWhat(first, { what: moved, by: "manager", version: 3, reason: "a" })).message).toMatch(/accept it instead/);
  });

  it("can be withdrawn or declined, leaving the agreed what", () => {
    const pending = value(proposeWhat(agreedState(), { what: moved, by: "owner", version: 2, reason: "a" }));
    expect(value(withdrawPending(pending, { by: "owner" }))).toEqual({ status: "agreed", agreedWhat: base, pending: null });
    expect(value(withdrawPending(pending, { by: "manager" })).pending).toBeNull();
  });

  it("cannot withdraw when nothing is pending or before any agreement", () => {
    expect(error(withdrawPending(agreedState(), { by: "owner" })).code).toBe("nothing_pending");
    const proposed = value(createAgreement({ what: base, by: "owner", version: 1 }));
    expect(error(withdrawPending(proposed, { by: "owner" })).code).toBe("not_allowed");
  });
});

describe("dropping", () => {
  it("after agreement needs a reason and both sides", () => {
    expect(error(proposeWhat(agreedState(), { by: "manager", version: 2, kind: "drop" })).code).toBe("reason_required");
    const s = value(proposeWhat(agreedState(), { by: "manager", version: 2, kind: "drop", reason: "Strategy changed" }));
    expect(s.status).toBe("agreed");
    expect(s.pending).toMatchObject({ kind: "drop", what: base, acceptedBy: ["manager"] });
    expect(value(acceptWhat(s, { by: "owner", version: 2, currentVersion: 2 }))).toEqual({ status: "dropped", agreedWhat: base, pending: null });
  });

  it("before agreement needs no reason but still both sides", () => {
    const proposed = value(createAgreement({ what: base, by: "owner", version: 1 }));
    const s = value(proposeWhat(proposed, { by: "owner", version: 2, kind: "drop" }));
    expect(s.status).toBe("proposed");
    expect(value(acceptWhat(s, { by: "manager", version: 2, currentVersion: 2 })).status).toBe("dropped");
  });

  it("a drop already on the table cannot be proposed again", () => {
    const s = value(proposeWhat(agreedState(), { by: "manager", version: 2, kind: "drop", reason: "r" }));
    expect(error(proposeWhat(s, { by: "owner", version: 3, kind: "drop", reason: "r" })).message).toMatch(/accept it instead/);
    expect(error(proposeWhat(s, { by: "manager", version: 3, kind: "drop", reason: "r" })).code).toBe("nothing_to_change");
  });

  it("a change may replace a pending drop before agreement", () => {
    const proposed = value(createAgreement({ what: base, by: "owner", version: 1 }));
    const dropping = value(proposeWhat(proposed, { by: "manager", version: 2, kind: "drop" }));
    const kept = value(proposeWhat(dropping, { what: base, by: "owner", version: 3 }));
    expect(kept.pending).toMatchObject({ kind: "change", acceptedBy: ["owner"] });
  });
});

describe("closed outcomes", () => {
  it.each(["done", "missed", "dropped"] as const)("%s refuses proposals, acceptances and withdrawals", (status) => {
    const pending = value(proposeWhat(agreedState(), { what: { ...base, title: "x" }, by: "owner", version: 2, reason: "r" }));
    const closed: AgreementState = { ...pending, status };
    expect(error(proposeWhat(closed, { what: { ...base, title: "y" }, by: "owner", version: 3, reason: "r" })).code).toBe("closed");
    expect(error(acceptWhat(closed, { by: "manager", version: 2, currentVersion: 2 })).code).toBe("closed");
    expect(error(withdrawPending(closed, { by: "owner" })).code).toBe("closed");
  });
});

describe("agreement needs both sides (property)", () => {
  it("any sequence of acceptances agrees only once owner and manager both accepted", () => {
    const party = fc.constantFrom<Party>("owner", "manager");
    fc.assert(fc.property(party, fc.array(party, { maxLength: 5 }), (proposer, accepters) => {
      let s = value(createAgreement({ what: base, by: proposer, version: 1 }));
      const accepted = new Set<Party>([proposer]);
      for (const by of accepters) {
        const r = acceptWhat(s, { by, version: 1, currentVersion: 1 });
        if (r.ok) {
          s = r.value;
          accepted.add(by);
        }
      }
      expect(s.status === "agreed").toBe(accepted.size === 2);
      expect(s.agreedWhat === null).toBe(accepted.size < 2);
    }));
  });
});

describe("canEditApproach", () => {
  it("lets the owner and a delegate change the how", () => {
    expect(canEditApproach("owner")).toEqual({ ok: true, value: true });
    expect(canEditApproach("delegate").ok).toBe(true);
  });

  it("refuses the manager, explaining the how is the owner's and suggesting a comment", () => {
    const e = error(canEditApproach("manager"));
    expect(e.code).toBe("approach_owner_only");
    expect(e.path).toBe("approach");
    expect(e.message).toMatch(/belongs to the owner/);
    expect(e.message).toMatch(/comment/);
  });

  it.each(["admin", "compliance", "member"] as const)("refuses %s", (role) => {
    expect(error(canEditApproach(role)).code).toBe("not_allowed");
  });
});

describe("an acceptance on the manager's side belongs to the manager who gave it", () => {
  const pending: PendingWhat = { what: base, proposedBy: "manager", proposedAtVersion: 1, reason: null, kind: "change", acceptedBy: ["manager"] };

  it("is stamped with the owner's manager once, when the manager's side has accepted", () => {
    const stamped = stampManagerAcceptance(pending, "megan");
    expect(stamped?.managerAcceptedBy).toBe("megan");
    expect(stampManagerAcceptance(stamped, "miriam")?.managerAcceptedBy).toBe("megan");
    expect(stampManagerAcceptance({ ...pending, acceptedBy: ["owner"] }, "megan")?.managerAcceptedBy).toBeUndefined();
    expect(stampManagerAcceptance(null, "megan")).toBeNull();
  });

  it("stops counting under a new manager, and under none; a proposal stored without the stamp keeps its acceptance", () => {
    const stamped = stampManagerAcceptance({ ...pending, acceptedBy: ["owner", "manager"] }, "megan")!;
    expect(underManager(stamped, "megan")).toBe(stamped);
    expect(underManager(stamped, "miriam")).toEqual({ ...pending, acceptedBy: ["owner"] });
    expect(waitingFor(underManager(stamped, "miriam"))).toEqual(["manager"]);
    expect(underManager(stamped, null)?.acceptedBy).toEqual(["owner"]);
    expect(underManager(pending, "miriam")).toBe(pending);
  });
});
