import type { z } from "zod";
import type { ScheduleOut } from "../contract/schedules";
import type { OutboxMessage } from "../outbox/outbox.repository";
import { nextOccurrence } from "../outbox/series-content";
import type { Schedule } from "../store/repositories/schedule.repository";
import type { FindingOut } from "./boundary-enforcement";

export type ScheduleView = z.infer<typeof ScheduleOut>;

export const scheduleEtag = (s: Pick<Schedule, "version">) => `"v${s.version}"`;

/** A schedule as the API shows it; attempts and the last error come from its newest outbox message. */
export function presentSchedule(s: Schedule, latest: OutboxMessage | null | undefined, warnings: FindingOut[] = [], now = Date.now()): ScheduleView {
  const failedOrPending = latest && (latest.state !== "done" || s.syncState === "failed");
  return {
    id: s.id,
    kind: s.outcomeId ? "outcome" : "team",
    outcomeId: s.outcomeId,
    teamId: s.outcomeId ? null : s.teamId,
    cadence: s.cadence,
    firstStart: s.firstStart,
    timeZone: s.timeZone,
    durationMinutes: s.durationMinutes,
    attendeeIds: s.attendeeIds,
    organizerId: s.organizerId,
    origin: s.origin,
    status: s.status,
    syncState: s.syncState,
    graphEventId: s.graphEventId,
    iCalUId: s.iCalUId,
    externalItemId: s.externalItemId,
    lastError: failedOrPending ? latest.lastError : null,
    attempts: latest?.attempts ?? 0,
    version: s.version,
    nextOccurrence: s.status === "active" ? new Date(nextOccurrence(s, now)).toISOString() : null,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    syncedAt: s.syncedAt,
    warnings,
  };
}
