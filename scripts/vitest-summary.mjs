#!/usr/bin/env node
// Prints the closing line of `npm test`, "vitest: N passed, N failed", summed over the JSON reports
// of every vitest run (Node 24, then the Node floor). A run that wrote no report counts as one
// failure, so a crash can never read as green.
import { readFileSync } from "node:fs";

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const report = JSON.parse(readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
  } catch {
    failed += 1;
  }
}
console.log(`vitest: ${passed} passed, ${failed} failed`);
