import type { EntityManager } from "typeorm";
import { ForbiddenError, NotFoundError } from "../errors";
import type { Principal } from "../identity/principal";
import { reportsOf, viewerOf, type Viewer } from "../policies/viewer";
import { TeamMembershipEntity } from "../store/entities";
import type { Outcome } from "../store/repositories/outcome.repository";
import { PeopleRepository } from "../store/repositories/people.repository";
import type { Schedule } from "../store/repositories/schedule.repository";
import { accessOutcome, type OutcomeRole } from "./outcome-access";

const people = new PeopleRepository();

/** What a rhythm is for: one outcome, or a whole team. */
export interface ScheduleTarget {
  kind: "outcome" | "team";
  outcome: Outcome | null;
  /** The caller's role on the outcome (outcome rhythms only). */
  role: OutcomeRole | null;
  managerId: string | null;
  teamId: string;
  teamName: string;
  /** Attendees when none are named: owner and manager, or the team's members. */
  defaultAttendees: string[];
  /** Whose boundaries apply: the owner's (outcome) or the team's with the organizer's (team). */
  /** Whose boundaries judge the rhythm: an outcome's owner's; for a team's rhythm, the tenant's and the team's alone. */
  rulesFor: { teamIds: string[]; personId: string | null };
}

/** Loads what a rhythm is for; 404 when it does not exist in the caller's tenant or the caller may not see it. */
export async function loadTarget(m: EntityManager, p: Principal, ids: { outcomeId?: string | null; teamId?: string | null }, viewer?: Viewer): Promise<ScheduleTarget> {
  if (ids.outcomeId) {
    const a = await accessOutcome(m, p, ids.outcomeId, viewer);
    const o = a.outcome;
    const ownerTeams = await people.teamsOf(m, p.tenantId, o.ownerId);
    return {
      kind: "outcome",
      outcome: o,
      role: a.role,
      managerId: a.managerId,
      teamId: o.teamId,
      teamName: "",
      defaultAttendees: [o.ownerId, ...(a.managerId ? [a.managerId] : [])],
      rulesFor: { teamIds: [...new Set([o.teamId, ...ownerTeams.map((t) => t.id)])], personId: o.ownerId },
    };
  }
  const team = ids.teamId ? await people.team(m, p.tenantId, ids.teamId) : null;
  if (!team) throw new NotFoundError("team");
  const members = await people.teamMemberIds(m, p.tenantId, team.id);
  return {
    kind: "team",
    outcome: null,
    role: null,
    managerId: null,
    teamId: team.id,
    teamName: team.name,
    defaultAttendees: members,
    // A team's rhythm is the team's, whoever sets it up: a person-level rule of its lead or
    // manager says how that person checks in on their own outcomes, not how the team meets.
    rulesFor: { teamIds: [team.id], personId: null },
  };
}

/**
 * Who may set up and change a rhythm: for an outcome its owner or the owner's manager; for a team
 * its lead, or a manager with every other member of the team in their reporting line.
 */
export async function assertMayManage(m: EntityManager, p: Principal, t: ScheduleTarget): Promise<void> {
  if (t.kind === "outcome") {
    if (t.role === "owner" || t.role === "manager") return;
    throw new ForbiddenError("Only the outcome's owner or the owner's manager can set up or change its check-in rhythm.");
  }
  const membership = await m.findOneBy(TeamMembershipEntity, { tenantId: p.tenantId, teamId: t.teamId, personId: p.userId });
  if (membership?.role === "lead") return;
  const others = t.defaultAttendees.filter((id) => id !== p.userId);
  if (others.length > 0) {
    const reports = new Set(await reportsOf(m, p.tenantId, p.userId));
    if (others.every((id) => reports.has(id))) return;
  }
  throw new ForbiddenError(`Only the lead of ${t.teamName} or a manager of all its members can set up or change the team's check-in rhythm.`);
}

/** Whether the caller may see a schedule: as they may see its outcome, or as a member, manager, attendee or compliance for a team's. */
export async function canSeeSchedule(m: EntityManager, p: Principal, s: Schedule, viewer?: Viewer): Promise<boolean> {
  if (s.organizerId === p.userId || s.attendeeIds.includes(p.userId)) return true;
  const v = viewer ?? (await viewerOf(m, p));
  if (s.outcomeId) {
    try {
      await accessOutcome(m, p, s.outcomeId, v);
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }
  if (v.isCompliance || v.teamIds.has(s.teamId)) return true;
  if (v.reportIds.size === 0) return false;
  const members = await people.teamMemberIds(m, p.tenantId, s.teamId);
  return members.some((id) => v.reportIds.has(id));
}
