// Occurrences of recurring events: /calendarView, /events/{id}/instances, reading one occurrence
// and deleting (cancelling) one. An occurrence id is "<series id>.<start in epoch ms>"; stored
// ids never contain a dot, so the two cannot be confused.
import type { DemoPerson } from "./demo-directory";
import { CANCELLED_KEY, cancelledStarts, eventInstants, renderEvent } from "./event-model";
import { pageOf, renderOptions, withPreferenceApplied, type EventContext } from "./events";
import { GraphError, badRequest, noContent, ok, type GraphCall, type GraphResult } from "./graph-http";
import { expandOccurrences, type PatternedRecurrence } from "./recurrence";
import { toDateTimeTimeZone } from "./time-zones";

const MAX_WINDOW_MS = 5 * 366 * 24 * 3600 * 1000;

export function isOccurrenceId(id: string): boolean {
  return /^[^.]+\.\d+$/.test(id);
}

function parseOccurrenceId(id: string): { seriesId: string; start: number } | undefined {
  const m = /^([^.]+)\.(\d+)$/.exec(id);
  return m ? { seriesId: m[1] ?? "", start: Number(m[2]) } : undefined;
}

function notFound(): GraphError {
  return new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
}

function occurrencesOf(data: Record<string, unknown>, from: number, to: number): { start: number; end: number }[] {
  return expandOccurrences({ ...eventInstants(data), recurrence: (data.recurrence as PatternedRecurrence | null) ?? null, cancelled: cancelledStarts(data) }, from, to);
}

/** The series' fields with one occurrence's times, shaped as Graph shows an occurrence. */
function occurrenceData(series: Record<string, unknown>, occurrence: { start: number; end: number }): Record<string, unknown> {
  const zone = eventInstants(series).timeZone;
  return {
    ...series,
    id: `${String(series.id)}.${occurrence.start}`,
    type: "occurrence",
    seriesMasterId: series.id,
    recurrence: null,
    start: toDateTimeTimeZone(occurrence.start, zone),
    end: toDateTimeTimeZone(occurrence.end, zone),
  };
}

function window(call: GraphCall): { from: number; to: number } {
  const start = call.query.get("startDateTime") ?? call.query.get("StartDateTime");
  const end = call.query.get("endDateTime") ?? call.query.get("EndDateTime");
  if (!start || !end) {
    throw badRequest("This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.", "ErrorInvalidParameter");
  }
  const parse = (s: string): number => Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
  const from = parse(start);
  const to = parse(end);
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from || to - from > MAX_WINDOW_MS) {
    throw badRequest("StartDateTime and EndDateTime must be date-times, in order, at most five years apart.", "ErrorInvalidParameter");
  }
  return { from, to };
}

/** GET /calendarView: single events and occurrences of series in the window, by start time. */
export function calendarView(ctx: EventContext, call: GraphCall, mailbox: DemoPerson): GraphResult {
  const { from, to } = window(call);
  const items: { start: number; data: Record<string, unknown> }[] = [];
  for (const event of ctx.store.listEvents(mailbox.tenantId, mailbox.id)) {
    const isSeries = Boolean(event.data.recurrence);
    for (const o of occurrencesOf(event.data, from, to)) items.push({ start: o.start, data: isSeries ? occurrenceData(event.data, o) : event.data });
  }
  items.sort((a, b) => a.start - b.start);
  return pageOf(call, items.map((i) => renderEvent(i.data, renderOptions(call))), `users('${mailbox.id}')/calendarView`);
}

/** GET /events/{id}/instances: the occurrences of one series in the window. */
export function instances(ctx: EventContext, call: GraphCall, mailbox: DemoPerson, seriesId: string): GraphResult {
  const series = ctx.store.getEvent(mailbox.tenantId, mailbox.id, seriesId);
  if (!series) throw notFound();
  if (!series.data.recurrence) throw badRequest("The event is not a recurring series.", "ErrorInvalidRequest");
  const { from, to } = window(call);
  const values = occurrencesOf(series.data, from, to).map((o) => renderEvent(occurrenceData(series.data, o), renderOptions(call)));
  return pageOf(call, values, `users('${mailbox.id}')/events('${seriesId}')/instances`);
}

function findOccurrence(ctx: EventContext, mailbox: DemoPerson, occurrenceId: string) {
  const parsed = parseOccurrenceId(occurrenceId);
  const series = parsed ? ctx.store.getEvent(mailbox.tenantId, mailbox.id, parsed.seriesId) : undefined;
  if (!parsed || !series || !series.data.recurrence) throw notFound();
  const match = occurrencesOf(series.data, parsed.start, parsed.start + 1).find((o) => o.start === parsed.start);
  if (!match) throw notFound();
  return { series, occurrence: match };
}

export function getOccurrence(ctx: EventContext, call: GraphCall, mailbox: DemoPerson, occurrenceId: string): GraphResult {
  const { series, occurrence } = findOccurrence(ctx, mailbox, occurrenceId);
  return ok(
    { "@odata.context": `${call.graphBase}/$metadata#users('${mailbox.id}')/events/$entity`, ...renderEvent(occurrenceData(series.data, occurrence), renderOptions(call)) },
    200,
    withPreferenceApplied(call),
  );
}

/** DELETE of one occurrence cancels just that one; the series and its other occurrences stay. */
export function cancelOccurrence(ctx: EventContext, mailbox: DemoPerson, occurrenceId: string): GraphResult {
  const { series, occurrence } = findOccurrence(ctx, mailbox, occurrenceId);
  ctx.store.updateEvent(series, { ...series.data, [CANCELLED_KEY]: [...cancelledStarts(series.data), occurrence.start], lastModifiedDateTime: ctx.now().toISOString() });
  return noContent();
}

export function refuseOccurrenceUpdate(): never {
  throw badRequest("The local tenant cannot change a single occurrence; change the series or delete the occurrence.", "ErrorInvalidRequest");
}
