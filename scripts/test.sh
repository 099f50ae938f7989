#!/usr/bin/env bash
# `npm test`: prepares the machine (scripts/prepare.sh), runs every vitest suite, then the
# mutation tests (`npm run mutation`, Stryker on the core modules), and closes with one line
# `tests: N passed, N failed[, N skipped]` taken from vitest's own results, the mutation run
# counted as one test.
# Arguments go to vitest: `npm test -- test/foo.test.ts` runs one file, and no mutation tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/prepare.sh

# Kept after the run so a failure can be read in detail; one file per run, so runs never clash.
results="$(mktemp -t fibre-stack-vitest.XXXXXX.json)"
echo "==> vitest run $*"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$results" "$@" || status=$?

# Empty when the mutation tests did not run (a chosen set of files), else Stryker's exit code:
# non-zero when the score is under its break threshold or the run itself failed.
mutation=""
if [ "$#" = 0 ]; then
  echo "==> npm run mutation"
  mutation=0
  npm run --silent mutation || mutation=$?
fi

# A file that fails to load has no failed tests of its own, so it counts as one failure here.
# vitest also exits 1 for an error outside any test (an exception thrown after a test passed, a
# rejection nobody awaited) while its JSON counts no failure and says success: such a run counts
# as one failure, named here, so the closing line never says 0 failed for a run that failed.
# When vitest fails without a single test result (no files matched, bad option) it says why above.
summarize='
  const fs = require("node:fs");
  const [, file, vitestStatus, mutation] = process.argv;
  let r;
  try { r = JSON.parse(fs.readFileSync(file, "utf8")); } catch { process.exit(3); }
  const brokenFiles = r.testResults.filter(f => f.status === "failed" && !f.assertionResults.some(a => a.status === "failed")).length;
  let failed = r.numFailedTests + brokenFiles;
  let passed = r.numPassedTests;
  if (vitestStatus !== "0" && failed === 0) {
    console.error(`test.sh: vitest exited ${vitestStatus} with no failed test: an error outside the tests (see "Unhandled Errors" above); counted as one failure`);
    failed = 1;
  }
  if (mutation === "0") passed++;
  else if (mutation !== "") {
    console.error(`test.sh: the mutation tests failed (exit ${mutation}): a score under the break threshold or a broken run (see above); counted as one failure`);
    failed++;
  }
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
  process.exit(failed > 0 ? 1 : 0);
'
summary_status=0
summary=$(node -e "$summarize" "$results" "$status" "$mutation") || summary_status=$?
if [ "$summary_status" = 3 ]; then
  echo "test.sh: vitest (exit $status) wrote no results; counting the run as one failure" >&2
  summary="tests: 0 passed, 1 failed"
fi
[ "$summary_status" = 0 ] || [ "$status" != 0 ] || status=1
echo "$summary"
exit "$status"
