// The domain rules in one import. Pure functions over plain data: no I/O, no clock, no framework.

export * from "./types";
export * from "./time";
export * from "./agreement";
export * from "./status";
export * from "./coaching";
export * from "./boundaries";
export * from "./working-hours";
export * from "./signs";
export * from "./pitfalls";
