import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

// Adds .openapi() to zod schemas once, so the same schema validates, types and documents.
extendZodWithOpenApi(z);

export { z };
