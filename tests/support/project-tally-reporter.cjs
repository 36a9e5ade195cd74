"use strict";
// A jest reporter used by run-tests.cjs: jest's JSON output does not say which project a test
// file ran under (the database suites run under both `sqlite` and `postgres`), so this reporter
// writes per-project counts to the file named by LEEWAY_TEST_TALLY_FILE.

const fs = require("node:fs");

function projectName(config) {
  const d = config && config.displayName;
  if (!d) return "(unnamed)";
  return typeof d === "string" ? d : d.name;
}

class ProjectTallyReporter {
  constructor() {
    this.file = process.env.LEEWAY_TEST_TALLY_FILE;
    this.tally = {};
  }

  onTestResult(test, result) {
    const name = projectName(test.context && test.context.config);
    const t = (this.tally[name] ||= { files: 0, passed: 0, failed: 0, skipped: 0, brokenFiles: 0 });
    t.files += 1;
    t.passed += result.numPassingTests;
    t.failed += result.numFailingTests;
    t.skipped += result.numPendingTests + (result.numTodoTests || 0);
    if (result.testExecError || result.failureMessage) {
      if (result.numFailingTests === 0) t.brokenFiles += 1;
    }
  }

  onRunComplete() {
    if (this.file) fs.writeFileSync(this.file, JSON.stringify(this.tally));
  }

  getLastError() {
    return undefined;
  }
}

module.exports = ProjectTallyReporter;
