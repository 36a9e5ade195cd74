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
    directReports: z.array(z.object({ id: z.string(), displayName: z.string() })),
  })
  .openapi("Me");
export type Me = z.infer<typeof Me>;
