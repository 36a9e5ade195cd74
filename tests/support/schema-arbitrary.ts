import fc from "fast-check";

/**
 * fast-check arbitraries from the JSON Schemas of the OpenAPI document (which the server
 * generates from the same zod schemas that validate requests). `valid` follows the schema where
 * it can; `hostile` bends it: wrong types, missing and unknown keys, prototype keys, huge and odd
 * strings.
 */
export type Schema = Record<string, unknown>;

export class SchemaArbitraries {
  constructor(private readonly components: Record<string, Schema>) {}

  private resolve(s: Schema): Schema {
    const ref = s.$ref;
    if (typeof ref === "string") return this.resolve(this.components[ref.split("/").pop()!] ?? {});
    return s;
  }

  valid(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
    if ("const" in s) return fc.constant(s.const);
    const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (union?.length) return fc.oneof(...union.map((u) => this.valid(u, depth + 1)));
    const type = Array.isArray(s.type) ? (s.type as string[]).find((t) => t !== "null") : (s.type as string | undefined);
    switch (type) {
      case "object": {
        const props = (s.properties ?? {}) as Record<string, Schema>;
        const required = new Set((s.required ?? []) as string[]);
        if (depth > 4) return fc.constant({});
        const rec: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [k, v] of Object.entries(props)) rec[k] = this.valid(v, depth + 1);
        return fc.record(rec, { requiredKeys: [...required].filter((k) => k in rec) });
      }
      case "array": {
        const items = (s.items ?? {}) as Schema;
        return fc.array(this.valid(items, depth + 1), { minLength: Number(s.minItems ?? 0), maxLength: Math.min(Number(s.maxItems ?? 4), 4) });
      }
      case "integer":
        return fc.integer({ min: Number(s.minimum ?? -1000), max: Number(s.maximum ?? 1000) });
      case "number":
        return fc.double({ min: Number(s.minimum ?? -1e6), max: Number(s.maximum ?? 1e6), noNaN: true, noDefaultInfinity: true });
      case "boolean":
        return fc.boolean();
      case "string":
        return this.string(s);
      default:
        return fc.anything({ maxDepth: 1 });
    }
  }

  private string(s: Schema): fc.Arbitrary<string> {
    if (s.format === "date-time") return fc.date({ min: new Date("2020-01-01"), max: new Date("2035-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
    if (s.format === "uuid") return fc.uuid();
    if (typeof s.pattern === "string") {
      try {
        return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= Number(s.maxLength ?? 500));
      } catch {
        // fall back to plain strings for patterns JavaScript cannot compile
      }
    }
    return fc.string({ minLength: Number(s.minLength ?? 0), maxLength: Math.min(Number(s.maxLength ?? 40), 60) });
  }

  /** Values that a careless or hostile client might send in place of a valid one. */
  hostile(schema: Schema): fc.Arbitrary<unknown> {
    const odd = fc.oneof(
      fc.constant(null),
      fc.constant(""),
      fc.constant(-1),
      fc.constant(1e308),
      fc.constant(true),
      fc.constant([]),
      fc.constant({}),
      fc.constant("x".repeat(5000)),
      fc.constant("\u0000\ud800"),
      fc.constant("2026-02-30"),
      fc.constant("../../etc/passwd"),
      fc.constant("' OR 1=1 --"),
      fc.string({ maxLength: 20 }),
    );
    return fc.oneof(
      { weight: 3, arbitrary: this.valid(schema) },
      { weight: 2, arbitrary: this.mutated(schema, odd) },
      { weight: 1, arbitrary: odd },
    );
  }

  private mutated(schema: Schema, odd: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    if (s.type !== "object") return odd;
    const keys = Object.keys((s.properties ?? {}) as object);
    return fc
      .tuple(this.valid(s), fc.constantFrom(...(keys.length ? keys : ["x"])), odd, fc.constantFrom("replace", "delete", "extra", "proto", "tenant"))
      .map(([base, key, value, how]) => {
        const obj = { ...(base as Record<string, unknown>) };
        if (how === "replace") obj[key] = value;
        else if (how === "delete") delete obj[key];
        else if (how === "extra") obj.unexpected = value;
        else if (how === "tenant") Object.assign(obj, { tenantId: "fabf0000-0000-4000-8000-000000000002", version: 99, status: "agreed" });
        else return JSON.parse(JSON.stringify(obj).replace(/^\{/, '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},').replace(/,\}$/, "}")) as unknown;
        return obj;
      });
  }
}
