#!/usr/bin/env bash
# Makes bpftrace 0.23 (Debian 13 "trixie") runnable on this Debian 12 host without touching the
# host's libc: a debootstrapped trixie root (minbase + bpftrace) in a cache folder, and a wrapper
# that runs that bpftrace chrooted in a private mount namespace with the host's /proc and /sys
# (bpftrace -p reads the target's /proc/PID/{maps,root}; uprobes and BTF live under /sys).
# The exporter runs it through FIBRE_BPFTRACE=<cache>/bpftrace; the exporter tests and the
# event-rate bench run once per bpftrace build (test/support/bpftrace-builds.ts).
#
# Usage: scripts/lib/bpftrace-trixie.sh [--print-wrapper] [--force] [--help]
#   Builds the root once (a few minutes cold; nothing to do warm) and prints the wrapper's path.
#   FIBRE_STACK_CACHE  cache folder (default /var/cache/fibre-stack); the root is bpftrace-trixie/.
#   Needs root, debootstrap and unshare (util-linux).
set -euo pipefail

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --print-wrapper) ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bpftrace-trixie.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

cache="${FIBRE_STACK_CACHE:-/var/cache/fibre-stack}/bpftrace-trixie"
root="$cache/root"
wrapper="$cache/bpftrace"
# The recipe: this script. A changed script rebuilds the root.
recipe="$(sha256sum "$0" | cut -c1-16)"

[ "$(id -u)" = 0 ] || { echo "bpftrace-trixie.sh: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "bpftrace-trixie.sh: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 2; }
command -v unshare >/dev/null || { echo "bpftrace-trixie.sh: unshare is not installed (apt-get install util-linux)" >&2; exit 2; }

mkdir -p "$cache"
# Test files and the bench may ask at the same time; one build, the others find it done.
exec 9>"$cache.lock"
flock 9

if [ "$force" = 0 ] && [ -x "$wrapper" ] && [ "$(cat "$cache/recipe" 2>/dev/null)" = "$recipe" ]; then
  echo "$wrapper"
  exit 0
fi

# The Debian mirror apt on this machine uses, so the root comes from wherever this machine may reach.
mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' | grep -E '/debian/?$' | head -n1 || true)
mirror="${mirror:-http://deb.debian.org/debian}"

echo "==> debootstrap trixie (minbase) + bpftrace from $mirror -> $root (a few minutes, once)" >&2
t=$(date +%s)
rm -rf "$root" "$cache/recipe" "$wrapper"
log="$cache/build.log"
debootstrap --variant=minbase --include=bpftrace trixie "$root" "$mirror" >"$log" 2>&1 \
  || { tail -n 20 "$log" >&2; echo "bpftrace-trixie.sh: debootstrap failed (full log: $log)" >&2; exit 1; }
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/usr/share/doc/* "$root"/usr/share/man/*
chroot "$root" bpftrace --version >&2

# The wrapper: the same command line as bpftrace's. exec all the way down, so the process the
# exporter started (and signals, and `pgrep bpftrace`) is bpftrace itself. The mounts are made in
# a mount namespace of its own, so nothing stays mounted once it exits.
cat >"$wrapper" <<WRAPPER
#!/bin/sh
# bpftrace $(chroot "$root" bpftrace --version | cut -d' ' -f2) from Debian trixie, made by scripts/lib/bpftrace-trixie.sh.
exec unshare --mount --propagation private sh -c '
  r=\$1; shift
  mount --rbind /proc "\$r/proc" && mount --rbind /sys "\$r/sys" && mount --rbind /dev "\$r/dev" || exit 2
  exec chroot "\$r" /usr/bin/bpftrace "\$@"' sh "$root" "\$@"
WRAPPER
chmod 0755 "$wrapper"
echo "$recipe" >"$cache/recipe"
echo "    ready in $(( $(date +%s) - t ))s" >&2
echo "$wrapper"
