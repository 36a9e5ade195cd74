import type { AppContext } from "../../context";
import { IdParams } from "../../contract/common";
import { CreateSchedule, ListSchedulesQuery, ScheduleOut, SuggestionsBody, SuggestionsOut, UpdateSchedule } from "../../contract/schedules";
import { z } from "../../contract/zod";
import { Reply, type ApiBuilder } from "../../http/api-builder";
import { ScheduleSuggestions } from "../../services/schedule-suggestions";
import { ScheduleService, type ScheduleResult } from "../../services/schedule.service";

const reply = (r: ScheduleResult, status?: number) => new Reply(r.schedule, status, { ETag: r.etag });

export function scheduleRoutes(api: ApiBuilder, ctx: AppContext): void {
  const schedules = new ScheduleService(ctx);
  const suggestions = new ScheduleSuggestions(ctx);
  const tags = ["check-in schedules"];
  const writeErrors = { 409: "The outcome is closed, it already has a rhythm, or the rhythm is cancelled.", 422: "Blocked by a compliance boundary (cadence, working hours)." };

  api.route(
    {
      method: "post",
      path: "/api/v1/check-in-schedules",
      summary: "Set up an outcome's or a team's check-in rhythm; the Outlook series is created in the background (syncState pending, then synced), or registered as made by the add-in (externalSeries: linked)",
      tags,
      body: CreateSchedule,
      status: 202,
      response: ScheduleOut,
      etag: true,
      responseDescription: "Accepted: the schedule is saved and its series is on its way to Outlook. ETag carries the version.",
      errors: writeErrors,
    },
    async ({ principal, body, requestId }) => reply(await schedules.create(principal, body, requestId), 202),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/check-in-schedules/suggestions",
      summary: "Good slots for a rhythm: Graph's meeting-time suggestions inside every attendee's working hours and free time",
      tags,
      body: SuggestionsBody,
      response: SuggestionsOut,
      errors: { 503: "Microsoft 365 did not answer; try again shortly." },
    },
    async ({ principal, body }) => suggestions.suggest(principal, body),
  );

  api.route(
    {
      method: "get",
      path: "/api/v1/check-in-schedules",
      summary: "Check-in schedules of an outcome or a team; without a filter, the ones the caller organizes or attends",
      tags,
      query: ListSchedulesQuery,
      response: z.object({ items: z.array(ScheduleOut) }),
    },
    async ({ principal, query }) => schedules.list(principal, query),
  );

  api.route(
    { method: "get", path: "/api/v1/check-in-schedules/{id}", summary: "One schedule with its sync state, Graph event id and last delivery error", tags, params: IdParams, response: ScheduleOut, etag: true },
    async ({ principal, params }) => reply(await schedules.get(principal, params.id)),
  );

  api.route(
    {
      method: "patch",
      path: "/api/v1/check-in-schedules/{id}",
      summary: "Change cadence, time, duration, zone or attendees (If-Match required); the series in Outlook follows",
      tags,
      params: IdParams,
      body: UpdateSchedule,
      response: ScheduleOut,
      etag: true,
      ifMatch: "required",
      errors: { ...writeErrors, 412: "The schedule changed since you read it.", 428: "If-Match is required." },
    },
    async ({ principal, params, body, ifMatch, requestId }) => reply(await schedules.update(principal, params.id, ifMatch, body, requestId)),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/check-in-schedules/{id}/cancel",
      summary: "Cancel the rhythm; its Outlook series is removed (If-Match optional)",
      tags,
      params: IdParams,
      response: ScheduleOut,
      etag: true,
      ifMatch: "optional",
      errors: { 409: "Already cancelled.", 412: "The schedule changed since you read it." },
    },
    async ({ principal, params, ifMatch, requestId }) => reply(await schedules.cancel(principal, params.id, ifMatch, requestId)),
  );

  api.route(
    {
      method: "post",
      path: "/api/v1/check-in-schedules/{id}/retry",
      summary: "Try delivering a failed schedule to Outlook again",
      tags,
      params: IdParams,
      status: 202,
      response: ScheduleOut,
      etag: true,
      errors: { 409: "Only a failed delivery can be retried." },
    },
    async ({ principal, params, requestId }) => reply(await schedules.retry(principal, params.id, requestId), 202),
  );
}
