import type { EntityManager } from "typeorm";
import type { Party } from "../domain/agreement";
import { ForbiddenError, NotFoundError } from "../errors";
import type { Principal } from "../identity/principal";
import { canSee, viewerOf, type Viewer } from "../policies/viewer";
import { todayIn as dayIn } from "./dashboard-figures";
import { OutcomeRepository, type Outcome } from "../store/repositories/outcome.repository";
import { PeopleRepository, type Person } from "../store/repositories/people.repository";

export type OutcomeRole = "owner" | "delegate" | "manager" | "chain" | "other";

export interface OutcomeAccess {
  outcome: Outcome;
  viewer: Viewer;
  owner: Person | null;
  /** The owner's direct manager: the other party of the agreement. */
  managerId: string | null;
  role: OutcomeRole;
}

const outcomes = new OutcomeRepository();
const people = new PeopleRepository();

export function roleOf(userId: string, o: Outcome, managerId: string | null, viewer: Viewer): OutcomeRole {
  if (userId === o.ownerId) return "owner";
  if (managerId === userId) return "manager";
  if (o.delegateIds.includes(userId)) return "delegate";
  if (viewer.reportIds.has(o.ownerId)) return "chain";
  return "other";
}

/** The agreement party a role speaks for, if any. */
export function partyOf(role: OutcomeRole): Party | null {
  return role === "owner" ? "owner" : role === "manager" ? "manager" : null;
}

/** Loads an outcome the caller may see; 404 when it does not exist or they may not see it. */
export async function accessOutcome(m: EntityManager, principal: Principal, id: string, viewer?: Viewer, options: { forUpdate?: boolean } = {}): Promise<OutcomeAccess> {
  const outcome = await outcomes.get(m, principal.tenantId, id, options);
  if (!outcome) throw new NotFoundError("outcome");
  const v = viewer ?? (await viewerOf(m, principal));
  if (!canSee(v, outcome)) throw new NotFoundError("outcome");
  const owner = await people.person(m, principal.tenantId, outcome.ownerId);
  const managerId = owner?.managerId ?? null;
  return { outcome, viewer: v, owner, managerId, role: roleOf(principal.userId, outcome, managerId, v) };
}

/**
 * For writes only the owner or a delegate may make (check-ins): ownership and delegation are on
 * the outcome itself, so the caller's teams and reports are read only to answer a refusal
 * properly (403 when they may see the outcome, 404 when they may not).
 */
export async function accessAsOwnerOrDelegate(m: EntityManager, principal: Principal, id: string, refusal: string, options: { forUpdate?: boolean } = {}): Promise<{ outcome: Outcome; owner: Person | null; role: "owner" | "delegate" }> {
  const outcome = await outcomes.get(m, principal.tenantId, id, options);
  if (!outcome) throw new NotFoundError("outcome");
  const role = principal.userId === outcome.ownerId ? "owner" : outcome.delegateIds.includes(principal.userId) ? "delegate" : null;
  if (!role) {
    if (!canSee(await viewerOf(m, principal), outcome)) throw new NotFoundError("outcome");
    throw new ForbiddenError(refusal);
  }
  return { outcome, owner: await people.person(m, principal.tenantId, outcome.ownerId), role };
}

/** Today's date (YYYY-MM-DD) in a time zone, for "not in the past" checks in the owner's own day. */
export function todayIn(timeZone: string | null | undefined, now = new Date()): string {
  // Windows names (what Graph's mailbox settings give) resolve too; an unknown name counts as UTC.
  return dayIn(now.getTime(), timeZone ?? null);
}
