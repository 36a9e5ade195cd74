import type { z } from "zod";
import { ValidationError, type FieldError } from "../errors";

/** zod issues -> `{path, message}` pairs, one per unknown key, paths in dotted form (`measure.target`). */
export function fieldErrors(error: z.ZodError, prefix = ""): FieldError[] {
  const out: FieldError[] = [];
  const join = (parts: PropertyKey[]) => [prefix, ...parts.map(String)].filter(Boolean).join(".");
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: join([...issue.path, key]), message: `Unknown field "${key}" is not allowed.` });
    } else {
      out.push({ path: join(issue.path), message: issue.message });
    }
  }
  return out;
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ""): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(fieldErrors(result.error, prefix));
  return result.data;
}
