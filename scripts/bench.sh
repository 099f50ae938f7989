#!/usr/bin/env bash
# `npm run bench`: prepares the machine (scripts/prepare.sh, which also builds the TypeScript),
# then runs every benchmark in scripts/bench/*.ts from its compiled form and prints its output.
# Arguments name benchmarks to run (e.g. `npm run bench -- render`); none runs them all.
set -euo pipefail
cd "$(dirname "$0")/.."

shopt -s nullglob
benches=(scripts/bench/*.ts)
if [ "$#" -gt 0 ]; then
  benches=()
  for name in "$@"; do
    [ -f "scripts/bench/${name%.ts}.ts" ] || { echo "bench.sh: no benchmark scripts/bench/${name%.ts}.ts" >&2; exit 2; }
    benches+=("scripts/bench/${name%.ts}.ts")
  done
fi
[ "${#benches[@]}" -gt 0 ] || { echo "bench.sh: no benchmarks in scripts/bench/"; exit 0; }

bash scripts/prepare.sh

failed=0
for src in "${benches[@]}"; do
  name="$(basename "$src" .ts)"
  echo "==> bench $name"
  node "dist/scripts/bench/$name.js" || { echo "bench.sh: $name failed (exit $?)" >&2; failed=$((failed + 1)); }
done
[ "$failed" = 0 ] || { echo "bench.sh: $failed benchmark(s) failed" >&2; exit 1; }
