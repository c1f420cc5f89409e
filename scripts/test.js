#!/usr/bin/env node
// `npm test`: type-check, run every test (both vitest projects of
// vitest.config.ts: `unit`, pure, and `docker`, against the real engine), and
// end with one plain line "N passed, N failed, N skipped", which CI reads.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const results = ".vitest-results.json";
const run = (cmd, args) => spawnSync(cmd, args, { stdio: "inherit" }).status ?? 1;

if (run("npx", ["tsc", "--noEmit"]) !== 0) {
  console.log("type check failed");
  console.log("0 passed, 1 failed");
  process.exit(1);
}
fs.rmSync(results, { force: true });
const status = run("npx", [
  "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${results}`, ...process.argv.slice(2),
]);
let passed = 0, failed = 0, skipped = 0;
try {
  const report = JSON.parse(fs.readFileSync(results, "utf8"));
  passed = report.numPassedTests;
  failed = report.numFailedTests + (report.numFailedTestSuites > 0 && report.numFailedTests === 0 ? report.numFailedTestSuites : 0);
  skipped = report.numPendingTests + report.numTodoTests;
} catch {
  failed = Math.max(failed, 1);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status === 0 && failed === 0 ? 0 : 1);
