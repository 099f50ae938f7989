#!/usr/bin/env bash
# `npm run demo`: from a fresh clone to a running stack fed by the replay exporter (no bitcoind
# needed). Installs the node modules and builds when needed; as root on Debian it also installs
# Debian's Prometheus and Alertmanager so native mode has local binaries even without internet.
# Arguments go to `fibre-stack demo` (see `node dist/cli/main.js demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund
fi
echo "==> building"
npm run --silent build

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! command -v prometheus >/dev/null; then
  echo "==> installing Debian's prometheus and prometheus-alertmanager for native mode"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q prometheus prometheus-alertmanager
  # Debian starts them as services on the ports the demo wants; the demo runs its own.
  systemctl disable --now prometheus prometheus-alertmanager 2>/dev/null || true
  pkill -x prometheus 2>/dev/null || true
  pkill -x prometheus-alertmanager 2>/dev/null || true
fi

exec node dist/cli/main.js demo "$@"
