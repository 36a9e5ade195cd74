import { z } from "./zod";

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem", { description: "RFC 9457 problem details" });

export const Id = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, "not a valid id");
export const Guid = z.uuid();
export const IdParams = z.strictObject({ id: Id });

export const Cursor = z.string().max(512).regex(/^[A-Za-z0-9_-]+$/, "not a valid cursor");

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
