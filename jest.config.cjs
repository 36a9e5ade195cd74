// Three projects: pure unit tests beside the code, and the store/API/audit suites twice,
// once on SQLite and once on a real PostgreSQL cluster that tests/support/run-tests.cjs starts.
const transform = {
  "^.+\\.(t|j)sx?$": [
    "@swc/jest",
    {
      jsc: {
        parser: { syntax: "typescript", decorators: true, tsx: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: "automatic" } },
        target: "es2022",
      },
      module: { type: "commonjs" },
    },
  ],
};
const common = {
  transform,
  // jose 6 ships ESM only; let swc turn it into CommonJS for jest's module system.
  transformIgnorePatterns: ["/node_modules/(?!(jose|strip-bom|uuid)/)"],
  testEnvironment: "node",
  setupFiles: ["reflect-metadata"],
};
const slow = ["<rootDir>/tests/support/timeouts.cjs"];
const dbSuites = ["<rootDir>/tests/api/**/*.test.ts", "<rootDir>/tests/db/**/*.test.ts", "<rootDir>/tests/reliability/**/*.test.ts"];
module.exports = {
  projects: [
    { ...common, displayName: "unit", setupFilesAfterEnv: slow, testMatch: ["<rootDir>/server/**/*.test.ts", "<rootDir>/tests/unit/**/*.test.ts", "<rootDir>/addin/**/*.test.ts"] },
    { ...common, displayName: "sqlite", testMatch: [...dbSuites, "<rootDir>/tests/process/**/*.test.ts"], setupFilesAfterEnv: slow, setupFiles: [...common.setupFiles, "<rootDir>/tests/support/engine-sqlite.cjs"] },
    { ...common, displayName: "postgres", testMatch: [...dbSuites, "<rootDir>/tests/pg/**/*.test.ts"], setupFilesAfterEnv: slow, setupFiles: [...common.setupFiles, "<rootDir>/tests/support/engine-postgres.cjs"] },
    { ...common, displayName: "e2e", testMatch: ["<rootDir>/tests/e2e/**/*.test.ts"], setupFilesAfterEnv: slow },
  ],
};
