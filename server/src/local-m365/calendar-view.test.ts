import request from "supertest";
import { createLocalM365App, type LocalM365App } from "./testing";

const NOW = new Date("2030-03-01T00:00:00Z");
const GRAPH = "/local-m365/graph/v1.0";
let t: LocalM365App;
let diego: string;
let seriesId: string;

beforeAll(async () => {
  t = await createLocalM365App({ now: () => NOW });
  diego = await t.m365.mintAccessToken({ upn: "diego.siciliani@contoso.test", audience: "https://graph.microsoft.com" });
  // Through the /calendar/events spelling, which Graph serves as well as /events.
  const created = await request(t.app)
    .post(`${GRAPH}/me/calendar/events`)
    .set("Authorization", `Bearer ${diego}`)
    .send({
      subject: "Biweekly 1:1",
      start: { dateTime: "2030-03-04T10:00:00", timeZone: "Europe/London" },
      end: { dateTime: "2030-03-04T10:30:00", timeZone: "Europe/London" },
      recurrence: { pattern: { type: "weekly", interval: 2, daysOfWeek: ["monday"] }, range: { type: "numbered", startDate: "2030-03-04", numberOfOccurrences: 4 } },
    })
    .expect(201);
  seriesId = created.body.id;
  await request(t.app)
    .post(`${GRAPH}/me/events`)
    .set("Authorization", `Bearer ${diego}`)
    .send({ subject: "One-off", start: { dateTime: "2030-03-05T12:00:00", timeZone: "UTC" }, end: { dateTime: "2030-03-05T12:30:00", timeZone: "UTC" } })
    .expect(201);
});
afterAll(() => t.m365.close());

const get = (path: string) => request(t.app).get(`${GRAPH}${path}`).set("Authorization", `Bearer ${diego}`);
const startsOf = (body: { value: { start: { dateTime: string } }[] }) => body.value.map((e) => e.start.dateTime);

describe("occurrences", () => {
  it("lists single events and occurrences in a calendarView, in order", async () => {
    const res = await get("/me/calendarView?startDateTime=2030-03-01T00:00:00Z&endDateTime=2030-05-01T00:00:00Z").expect(200);
    expect(startsOf(res.body)).toEqual([
      "2030-03-04T10:00:00.0000000",
      "2030-03-05T12:00:00.0000000",
      "2030-03-18T10:00:00.0000000",
      "2030-04-01T09:00:00.0000000", // 10:00 in London, summer time
      "2030-04-15T09:00:00.0000000",
    ]);
    expect(res.body.value[0]).toMatchObject({ type: "occurrence", seriesMasterId: seriesId, subject: "Biweekly 1:1", recurrence: null });
    expect(res.body.value[1]).toMatchObject({ type: "singleInstance", subject: "One-off" });
  });

  it("needs a window", async () => {
    expect((await get("/me/calendarView").expect(400)).body.error.code).toBe("ErrorInvalidParameter");
  });

  it("lists a series' instances, reads one, and cancels one without touching the others", async () => {
    const list = await get(`/me/events/${seriesId}/instances?startDateTime=2030-03-01T00:00:00Z&endDateTime=2030-12-31T00:00:00Z`).expect(200);
    expect(list.body.value).toHaveLength(4);
    const second = list.body.value[1] as { id: string; start: { dateTime: string } };
    const one = await get(`/me/events/${second.id}`).expect(200);
    expect(one.body).toMatchObject({ id: second.id, type: "occurrence", start: { dateTime: "2030-03-18T10:00:00.0000000" } });

    await request(t.app).delete(`${GRAPH}/me/events/${second.id}`).set("Authorization", `Bearer ${diego}`).expect(204);
    await get(`/me/events/${second.id}`).expect(404);
    const after = await get(`/me/events/${seriesId}/instances?startDateTime=2030-03-01T00:00:00Z&endDateTime=2030-12-31T00:00:00Z`).expect(200);
    expect(after.body.value).toHaveLength(3);
    expect((await get(`/me/events/${seriesId}`).expect(200)).body._cancelledOccurrences).toBeUndefined();

    // The cancelled Monday is free again.
    const schedule = await request(t.app)
      .post(`${GRAPH}/me/calendar/getSchedule`)
      .set("Authorization", `Bearer ${diego}`)
      .send({ schedules: ["diego.siciliani@contoso.test"], startTime: { dateTime: "2030-03-18T10:00:00", timeZone: "UTC" }, endTime: { dateTime: "2030-03-18T10:30:00", timeZone: "UTC" } })
      .expect(200);
    expect(schedule.body.value[0].availabilityView).toBe("0");

    const patch = await request(t.app).patch(`${GRAPH}/me/events/${list.body.value[0].id}`).set("Authorization", `Bearer ${diego}`).send({ subject: "x" }).expect(400);
    expect(patch.body.error.code).toBe("ErrorInvalidRequest");
  });

  it("points web links at a local page rather than at Outlook", async () => {
    const series = await get(`/me/events/${seriesId}`).expect(200);
    const link = new URL(series.body.webLink);
    const page = await request(t.app).get(link.pathname).expect(200);
    expect(page.text).toContain("local tenant");
  });
});
