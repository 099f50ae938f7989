#!/usr/bin/env bash
# Gets a machine ready to test or benchmark fibre-stack, from a fresh Debian 12 with only Node.js:
# system packages the tests use (installed when run as root), a running docker engine, node
# modules, the type check and the bundle in dist/ (scripts/build.mjs), and the local test images.
# Each step is skipped quickly when done. Bash, not zx: it runs on a fresh machine before
# node_modules (and so zx) exist.
#
# In CI (CI set to anything but "false" or "0", see scripts/lib/ci.sh) a prerequisite that cannot
# be provided fails the run (exit 1) with the reason; otherwise it is a warning and the test
# suites that need it skip themselves.
# Used by scripts/test.sh and scripts/bench.sh; run it alone to warm a machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ci.sh

# What the suites call: promtool/amtool, docker + compose, bpftrace and a C toolchain with USDT
# headers (test binaries with probes), debootstrap (test images), systemd-analyze (unit checks),
# openssl, pgrep, the usual fetch tools, chromium (the status page, headless), the blackbox
# exporter (synthetic checks), node_exporter (host metrics) and VictoriaMetrics (fleet hub tests).
PACKAGES=(prometheus prometheus-alertmanager docker.io docker-compose bpftrace gcc libc6-dev
          systemtap-sdt-dev debootstrap python3-prometheus-client wget curl ca-certificates
          systemd openssl procps chromium prometheus-blackbox-exporter prometheus-node-exporter
          victoria-metrics)
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/fibre-stack-dockerd.log}"
DOCKERD_WAIT_SECONDS=60

step() { echo "==> $*"; }
# A prerequisite we could not provide: fatal in CI, a warning elsewhere.
unavailable() {
  if in_ci; then echo "prepare: $* (CI=$CI: failing)" >&2; exit 1; fi
  echo "prepare: warning: $*; suites that need it will be skipped" >&2
}
is_root() { [ "$(id -u)" = 0 ]; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if ! is_root; then
    unavailable "missing packages ${missing[*]} and not root (run as root, or apt-get install them)"
  else
    step "apt-get install ${missing[*]}"
    t=$(date +%s)
    if apt-get update -q >/dev/null \
       && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; then
      echo "    installed in $(( $(date +%s) - t ))s"
    else
      unavailable "apt-get could not install ${missing[*]}"
    fi
  fi
fi

if command -v docker >/dev/null && ! docker info >/dev/null 2>&1; then
  if ! is_root; then
    unavailable "the docker engine is not answering and we are not root to start it"
  else
    step "starting dockerd (log: $DOCKERD_LOG)"
    setsid dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
    for _ in $(seq 1 "$DOCKERD_WAIT_SECONDS"); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 \
      || unavailable "dockerd did not answer within ${DOCKERD_WAIT_SECONDS}s (see $DOCKERD_LOG)"
  fi
fi

# npm records what it installed in node_modules/.package-lock.json; when that is newer than the
# lock file the tree is current, and skipping `npm ci` keeps a warm run fast.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
fi

step "tsc -p . (type check)"
npx tsc -p . || { echo "prepare: the TypeScript type check failed (errors above); fix them and rerun" >&2; exit 1; }
step "node scripts/build.mjs (bundle into dist/)"
node scripts/build.mjs || { echo "prepare: bundling failed (errors above); fix them and rerun" >&2; exit 1; }

if docker info >/dev/null 2>&1; then
  step "local test images (scripts/images/build.sh)"
  bash scripts/images/build.sh
else
  unavailable "no docker engine, so the local test images were not built"
fi
