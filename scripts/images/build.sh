#!/usr/bin/env bash
# Builds the local container images the tests use. No image registry is reachable from the
# machines we test on, so every image starts from a Debian base made with debootstrap and takes
# its software from the Debian mirror this machine already uses (and Node.js from this machine).
#
# Two Debian releases: bookworm (Debian 12, Prometheus 2.42, Alertmanager 0.25, what a Debian 12
# host runs) and trixie (Debian 13, Prometheus 2.53, Alertmanager 0.28, docker-compose 2.26,
# node_exporter 1.9 and vmctl 1.112), so the suites that run Prometheus, Alertmanager and Compose
# for real check both builds. The host's libc is never touched: trixie only ever lives inside its images.
#
# Usage: scripts/images/build.sh [--force] [--help]
#   Builds only the images that are missing; --force rebuilds all of them.
#   FIBRE_STACK_BUILD_NETWORK=host  run `docker build` on the host network (needed where the
#                                   default bridge has no DNS; not needed on Debian 12 here).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
BASE=fibre-stack-test/debian:bookworm
PROMETHEUS=fibre-stack-test/prometheus:2.42
ALERTMANAGER=fibre-stack-test/alertmanager:0.25
TRIXIE_BASE=fibre-stack-test/debian:trixie
TRIXIE_PROMETHEUS=fibre-stack-test/prometheus:2.53
TRIXIE_ALERTMANAGER=fibre-stack-test/alertmanager:0.28
TRIXIE_COMPOSE=fibre-stack-test/compose:2.26
TRIXIE_NODE_EXPORTER=fibre-stack-test/node-exporter:1.9
TRIXIE_VMCTL=fibre-stack-test/vmctl:1.112
NODE=fibre-stack-test/node:20

force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

if ! docker info >/dev/null 2>&1; then
  echo "build.sh: the docker engine is not answering; start it (dockerd) and retry" >&2
  exit 2
fi

# Test runs (and people) may call this at the same time; one build at a time, the others then
# find the images present.
exec 9>"${TMPDIR:-/tmp}/fibre-stack-images.lock"
flock 9

# An image is current when it exists and was built from the same recipe (a hash of its
# Dockerfile and inputs, kept in a label), so editing a Dockerfile rebuilds on the next run.
have() { # image [recipe]
  [ "$force" = 0 ] || return 1
  local label
  label=$(docker image inspect -f '{{ index .Config.Labels "fibre-stack.recipe" }}' "$1" 2>/dev/null) || return 1
  [ -z "${2:-}" ] || [ "$label" = "$2" ]
}
recipe() { cat "$@" | sha256sum | cut -c1-16; }
step() { echo "==> $*"; }
done_in() { echo "    $1 ready in $(( $(date +%s) - $2 ))s"; }

# The Debian mirror apt on this machine uses (deb822 .sources or one-line .list), so the images
# fetch from wherever this machine is allowed to reach.
debian_mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' | grep -E '/debian/?$' | head -n1 || true)
  if [ -z "$uri" ]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' \
          | grep -E '/debian/?$' | head -n1 || true)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

build_args=()
[ -n "${FIBRE_STACK_BUILD_NETWORK:-}" ] && build_args+=(--network "$FIBRE_STACK_BUILD_NETWORK")

base_image() { # suite image
  local suite="$1" image="$2"
  if have "$image"; then echo "    $image present"; return; fi
  command -v debootstrap >/dev/null || { echo "build.sh: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 2; }
  local mirror t root
  mirror="$(debian_mirror)"
  step "debootstrap $suite (minbase) from $mirror -> $image (a few minutes)"
  t=$(date +%s)
  root="$(mktemp -d /var/tmp/fibre-stack-debootstrap.XXXXXX)"
  trap 'rm -rf "$root" "$root.log"' EXIT
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.log" 2>&1 \
    || { tail -n 20 "$root.log" >&2; echo "build.sh: debootstrap $suite failed (full log: $root.log)" >&2; trap - EXIT; exit 1; }
  # Keep the image small: apt in containers never needs cached packages, docs or man pages.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
  cat >"$root/etc/dpkg/dpkg.cfg.d/01-nodoc" <<'CFG'
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/locale/*
CFG
  tar -C "$root" -c . | docker import -c 'CMD ["/bin/bash"]' - "$image" >/dev/null
  rm -rf "$root" "$root.log"
  trap - EXIT
  done_in "$image" "$t"
}

base_image bookworm "$BASE"
base_image trixie "$TRIXIE_BASE"

build() { # image dir recipe [base]
  local image="$1" dir="$2" recipe="$3" base="${4:-$BASE}"
  if have "$image" "$recipe"; then echo "    $image present"; return; fi
  step "docker build $image"
  local t; t=$(date +%s)
  # The legacy builder prints a deprecation notice on every run; show its output only on failure.
  local log; log="$(mktemp)"
  docker build ${build_args[@]+"${build_args[@]}"} --build-arg "BASE_IMAGE=$base" \
      --label "fibre-stack.recipe=$recipe" -t "$image" "$dir" >"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; rm -f "$log"; echo "build.sh: docker build of $image failed" >&2; exit 1; }
  rm -f "$log"
  done_in "$image" "$t"
}

build "$PROMETHEUS" "$here/prometheus" "$(recipe "$here/prometheus/Dockerfile")"
build "$ALERTMANAGER" "$here/alertmanager" "$(recipe "$here/alertmanager/Dockerfile")"
# The same recipes on trixie: the Dockerfiles install whatever the base's release carries.
build "$TRIXIE_PROMETHEUS" "$here/prometheus" "$(echo trixie | recipe "$here/prometheus/Dockerfile" -)" "$TRIXIE_BASE"
build "$TRIXIE_ALERTMANAGER" "$here/alertmanager" "$(echo trixie | recipe "$here/alertmanager/Dockerfile" -)" "$TRIXIE_BASE"
build "$TRIXIE_COMPOSE" "$here/compose" "$(recipe "$here/compose/Dockerfile")" "$TRIXIE_BASE"
build "$TRIXIE_NODE_EXPORTER" "$here/node-exporter" "$(recipe "$here/node-exporter/Dockerfile")" "$TRIXIE_BASE"
build "$TRIXIE_VMCTL" "$here/vmctl" "$(recipe "$here/vmctl/Dockerfile")" "$TRIXIE_BASE"

# Node.js: copy this machine's own node binary and npm, the only Node.js we can reach.
node_bin="$(readlink -f "$(command -v node)")"
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"   # .../node_modules/npm
node_recipe="$(recipe "$here/node/Dockerfile" "$node_bin" "$npm_dir/package.json")"
if have "$NODE" "$node_recipe"; then
  echo "    $NODE present"
else
  ctx="$(mktemp -d)"
  cp "$here/node/Dockerfile" "$ctx/"
  cp "$node_bin" "$ctx/node"
  cp -a "$npm_dir" "$ctx/npm"
  build "$NODE" "$ctx" "$node_recipe"
  rm -rf "$ctx"
fi
