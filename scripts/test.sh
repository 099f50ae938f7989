#!/usr/bin/env bash
# `npm test`: prepares the machine (scripts/prepare.sh), runs every vitest suite, and closes with
# one line `tests: N passed, N failed[, N skipped]` taken from vitest's own results.
# Arguments go to vitest: `npm test -- test/foo.test.ts` runs one file.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prepare.sh

# Kept after the run so a failure can be read in detail; one file per run, so runs never clash.
results="$(mktemp -t fibre-stack-vitest.XXXXXX.json)"
echo "==> vitest run $*"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?

# A file that fails to load has no failed tests of its own, so it counts as one failure here.
# When vitest fails without a single test result (no files matched, bad option) it says why above.
summarize='
  const fs = require("node:fs");
  let r;
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { process.exit(3); }
  const brokenFiles = r.testResults.filter(f => f.status === "failed" && !f.assertionResults.some(a => a.status === "failed")).length;
  const failed = r.numFailedTests + brokenFiles;
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  process.exit(failed > 0 ? 1 : 0);
'
summary_status=0
summary=$(node -e "$summarize" "$results") || summary_status=$?
if [ "$summary_status" = 3 ]; then
  echo "test.sh: vitest (exit $status) wrote no results; counting the run as one failure" >&2
  summary="tests: 0 passed, 1 failed"
fi
[ "$summary_status" = 0 ] || [ "$status" != 0 ] || status=1
echo "$summary"
exit "$status"
