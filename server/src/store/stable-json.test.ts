import fc from "fast-check";
import { stableJson } from "./audit-chain";

/** The plain definition: JSON.stringify with every object's keys sorted on the way out. */
function byDefinition(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

describe("stableJson (the stored text of audit changes)", () => {
  it("is JSON with every object's keys sorted, whatever the value", () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => expect(stableJson(v)).toBe(byDefinition(v))), { numRuns: 2000 });
  });

  it("gives the same text for the same changes written in any key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (d) => {
        const reversed = Object.fromEntries(Object.entries(d).reverse());
        expect(stableJson({ x: reversed })).toBe(stableJson({ x: d }));
      }),
    );
  });

  it("keeps a key named __proto__ as an ordinary key", () => {
    const v: unknown = JSON.parse('{"b":{"__proto__":{"polluted":true},"a":1}}');
    expect(stableJson(v)).toBe('{"b":{"__proto__":{"polluted":true},"a":1}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("writes dates, undefined and nested arrays as JSON does", () => {
    const v = { b: 1, a: { when: new Date(0), list: [3, { z: 1, y: undefined }], gone: undefined } };
    expect(stableJson(v)).toBe('{"a":{"list":[3,{"z":1}],"when":"1970-01-01T00:00:00.000Z"},"b":1}');
    expect(stableJson(v)).toBe(byDefinition(v));
  });
});
