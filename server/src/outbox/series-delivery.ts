import type { DataSource, EntityManager } from "typeorm";
import type { Logger } from "pino";
import { In } from "typeorm";
import type { GraphApi, GraphCallOptions, GraphEvent, GraphEventInput } from "../graph/graph-api";
import { GraphRequestError } from "../graph/graph-api";
import { OutcomeEntity } from "../store/entities";
import { PeopleRepository } from "../store/repositories/people.repository";
import { ScheduleRepository, type Schedule } from "../store/repositories/schedule.repository";
import type { Tx } from "../store/unit-of-work";
import { OutboxRepository, type OutboxMessage } from "./outbox.repository";
import { seriesEvent, type SeriesContent } from "./series-content";
import { PermanentDeliveryError, type DeliveryContext, type DeliveryHandler } from "./worker";

const OPEN = ["proposed", "agreed", "at_risk"];

/** The transactionId of a schedule's series: the same on every attempt, so a retried create returns the event made before. */
export function seriesTransactionId(scheduleId: string): string {
  return `leeway:${scheduleId}:create`;
}

export interface SeriesDeliveryDeps {
  dataSource: DataSource;
  graph: GraphApi;
  publicUrl: string;
  timeoutMs: number;
  log: Logger;
}

/**
 * Makes the organizer's Outlook series match the schedule as it is now (created, changed or
 * cancelled), whatever message asked for it: several messages for one schedule are delivered one
 * at a time, and one that finds the series already in step does nothing. App-only rights; the
 * only calendar data read back is Leeway's own event.
 */
export class SeriesDelivery implements DeliveryHandler {
  private readonly schedules = new ScheduleRepository();
  private readonly people = new PeopleRepository();
  private readonly outbox = new OutboxRepository();

  constructor(private readonly deps: SeriesDeliveryDeps) {}

  async deliver(msg: OutboxMessage, ctx: DeliveryContext): Promise<((tx: Tx) => Promise<void>) | null> {
    const m = this.deps.dataSource.manager;
    const s = msg.scheduleId ? await this.schedules.get(m, msg.tenantId, msg.scheduleId) : null;
    if (!s) return null;
    const caller = { tenantId: s.tenantId };
    const options: GraphCallOptions = { retry: false, signal: ctx.signal, timeoutMs: this.deps.timeoutMs };
    const graph = this.deps.graph;

    if (s.status === "cancelled") {
      let eventId = s.graphEventId;
      // A create may have reached Outlook just before a crash: look for Leeway's own event.
      if (!eventId && s.origin === "leeway") eventId = (await graph.findEventByTransactionId(caller, s.organizerId, seriesTransactionId(s.id), options))?.id ?? null;
      // A meeting that is still the check-in of other outcomes stays: this rhythm only lets go of
      // it. Judged now, at delivery, so the last of them to end removes it, whatever the order.
      const keptFor = eventId ? await this.schedules.othersOnSameSeries(m, { ...s, graphEventId: eventId }) : [];
      const deleted = eventId && keptFor.length === 0 ? await graph.deleteEvent(caller, s.organizerId, eventId, options) : false;
      return this.record(msg, s, { syncState: "cancelled" }, "schedule.series_cancelled", { seriesDeleted: { after: deleted }, ...(keptFor.length ? { seriesKeptFor: { after: keptFor } } : {}) });
    }

    const inStep = s.syncedVersion === s.version && (s.graphEventId !== null || s.origin === "outlook");
    if (inStep) return s.syncState === "pending" ? this.record(msg, s, {}, "schedule.synced", {}) : null;

    const content = await this.content(m, s);
    const event = seriesEvent(s, content);
    let result: GraphEvent | null = null;
    if (!s.graphEventId) {
      // A series the add-in made but has not told us the id of: nothing to push yet.
      if (s.origin === "leeway") {
        result = await graph.createEvent(caller, s.organizerId, event, seriesTransactionId(s.id), options);
        // A create whose answer was lost comes back as the event it made then, from the version of
        // that moment; if the schedule changed since, the series is brought up to the current one.
        if (s.version > 1) result = await graph.updateEvent(caller, s.organizerId, result.id, event, options);
      }
    } else {
      // The organizer owns the text of a series made in Outlook; Leeway keeps only time, rhythm and people in step.
      const patch: Partial<GraphEventInput> = s.origin === "outlook" ? { start: event.start, end: event.end, recurrence: event.recurrence, attendees: event.attendees } : event;
      try {
        result = await graph.updateEvent(caller, s.organizerId, s.graphEventId, patch, options);
      } catch (err) {
        if (err instanceof GraphRequestError && err.status === 404) {
          throw new PermanentDeliveryError("The series is no longer in the organizer's calendar (deleted in Outlook?); cancel this rhythm and schedule a new one.");
        }
        throw err;
      }
    }
    return this.record(msg, s, { graphEventId: result?.id ?? s.graphEventId, iCalUId: result?.iCalUId ?? s.iCalUId }, "schedule.synced", {
      ...(result && result.id !== s.graphEventId ? { graphEventId: { before: s.graphEventId, after: result.id } } : {}),
    });
  }

  /** The write that records a delivery: sync state, the series' ids, the version it now matches. */
  private record(msg: OutboxMessage, s: Schedule, fields: { syncState?: "cancelled"; graphEventId?: string | null; iCalUId?: string | null }, action: string, changes: Record<string, { before?: unknown; after?: unknown }>) {
    return async (tx: Tx): Promise<void> => {
      // Held first: a change that holds the row has written its own sync fields and queued its own
      // delivery by the time it lets go, and what is recorded below starts from the row as it left it.
      const current = (await this.schedules.get(tx.manager, s.tenantId, s.id, { forUpdate: true })) ?? s;
      const more = await this.outbox.hasPending(tx.manager, s.tenantId, s.id, msg.id);
      const settled = fields.syncState ?? (s.origin === "outlook" ? "linked" : "synced");
      const syncState = more ? "pending" : settled;
      // A change made while this delivery ran may have linked other ids (an Outlook series
      // re-linked) or been in step already at a later version: neither is taken back.
      const syncedVersion = Math.max(current.syncedVersion ?? 0, s.version);
      const ids = {
        ...(fields.graphEventId !== undefined && current.graphEventId === s.graphEventId ? { graphEventId: fields.graphEventId } : {}),
        ...(fields.iCalUId !== undefined && current.iCalUId === s.iCalUId ? { iCalUId: fields.iCalUId } : {}),
      };
      const now = new Date().toISOString();
      await this.schedules.setSync(tx.manager, s.tenantId, s.id, { syncState, syncedVersion, syncedAt: now, ...ids });
      const kept = ids.graphEventId === undefined ? Object.fromEntries(Object.entries(changes).filter(([k]) => k !== "graphEventId")) : changes;
      tx.audit({
        action,
        entity: "check_in_schedule",
        entityId: s.id,
        changes: { syncState: { before: current.syncState, after: syncState }, syncedVersion: { before: current.syncedVersion, after: syncedVersion }, ...kept },
        reason: `outbox ${msg.kind}, attempt ${msg.attempts}`,
      });
    };
  }

  async failed(tx: Tx, msg: OutboxMessage, error: string): Promise<void> {
    const s = msg.scheduleId ? await this.schedules.get(tx.manager, msg.tenantId, msg.scheduleId, { forUpdate: true }) : null;
    if (!s) return tx.audit({ action: "outbox.failed", entity: "outbox_message", entityId: msg.id, changes: { state: { after: "failed" } }, reason: error });
    // A newer change still queued delivers the schedule as it is by then: it is not failed yet.
    const more = await this.outbox.hasPending(tx.manager, s.tenantId, s.id, msg.id);
    const syncState = more ? "pending" : "failed";
    await this.schedules.setSync(tx.manager, s.tenantId, s.id, { syncState });
    tx.audit({
      action: "schedule.sync_failed",
      entity: "check_in_schedule",
      entityId: s.id,
      changes: { syncState: { before: s.syncState, after: syncState } },
      reason: `${msg.kind} after ${msg.attempts} attempt(s)${more ? ", a newer change queued" : ""}: ${error}`.slice(0, 1000),
    });
  }

  /**
   * Outcomes, team and people the series is about. A team series lists only outcomes every
   * attendee may see: the team's and the public ones, or only the public ones when someone from
   * outside the team is invited.
   */
  async content(m: EntityManager, s: Schedule): Promise<SeriesContent> {
    let visible = ["team", "public"];
    if (!s.outcomeId) {
      const members = new Set(await this.people.teamMemberIds(m, s.tenantId, s.teamId));
      // The organizer may manage the team without being in it, and sees its outcomes through the chain.
      if (s.attendeeIds.some((id) => id !== s.organizerId && !members.has(id))) visible = ["public"];
    }
    const outcomes = s.outcomeId
      ? await m.find(OutcomeEntity, { where: { tenantId: s.tenantId, id: s.outcomeId } })
      : await m.find(OutcomeEntity, { where: { tenantId: s.tenantId, teamId: s.teamId, status: In(OPEN), visibility: In(visible) }, order: { deadline: "ASC" }, take: 20 });
    const team = s.outcomeId ? null : await this.people.team(m, s.tenantId, s.teamId);
    const attendees = await this.people.people(m, s.tenantId, [...new Set([...s.attendeeIds, s.organizerId])]);
    return {
      scheduleId: s.id,
      outcomes: outcomes.map((o) => ({ id: o.id, title: o.title, deadline: o.deadline })),
      team: team ? { id: team.id, name: team.name } : null,
      attendees,
      organizerId: s.organizerId,
      publicUrl: this.deps.publicUrl,
    };
  }
}
