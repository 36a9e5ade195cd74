import { z } from "./zod";

export const Me = z
  .object({
    id: z.string().describe("Entra object id (oid)"),
    tenantId: z.string(),
    displayName: z.string(),
    mail: z.string().nullable(),
    roles: z.array(z.string()),
    managerId: z.string().nullable(),
    timeZone: z.string(),
    teams: z.array(z.object({ id: z.string(), name: z.string() })),
    directReports: z.array(
      z.object({
        id: z.string(),
        displayName: z.string(),
        teams: z.array(z.object({ id: z.string(), name: z.string() })).describe("The report's teams, where an outcome for them may be placed."),
      }),
    ),
  })
  .openapi("Me");
export type Me = z.infer<typeof Me>;

/** Up to 100 ids, separated by commas; each as any id in the API. */
const IDS = /^[A-Za-z0-9._:-]{1,128}(,[A-Za-z0-9._:-]{1,128}){0,99}$/;

export const PeopleQuery = z.strictObject({
  ids: z.string().regex(IDS, "up to 100 ids separated by commas").describe("Ids of people (Entra object ids), separated by commas; at most 100."),
});

export const PeopleOut = z
  .object({
    items: z.array(z.object({ id: z.string(), displayName: z.string() })).describe("The people of the caller's tenant among the ids; unknown ids are left out."),
  })
  .openapi("People");
