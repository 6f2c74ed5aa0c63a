#!/usr/bin/env bash
# Builds cachelab's container images from Debian packages only, with no container registry:
# mmdebstrap rootfs + `docker import`, then the app image with `docker build` on the offline node image.
#
# Usage: scripts/build-offline-images.sh [--force] [--only UNIT[,UNIT...]] [--no-app]
#   --force   rebuild even when an image's inputs-hash label says nothing changed
#   --only    build only these units: base node redis postgres nginx observe app
#   --no-app  do not build the app image
#
# Images (tag cachelab/<name>:offline-<release>): base node redis postgres nginx prometheus
#   redis-exporter postgres-exporter nginx-exporter app. See scripts/docker/image-specs.sh for what
#   each contains, scripts/docker/build-app-image.sh for the app image.
# Cache: every image carries the label org.cachelab.inputs-hash (package list, hooks, import changes,
#   overlay files, the mmdebstrap invocation, base tarball, node binary); an image whose hash matches is skipped.
#   Package versions from the mirror are not part of the hash: --force picks up Debian updates.
# Environment:
#   CACHELAB_DEBIAN_RELEASE   Debian release (default bookworm)
#   CACHELAB_DOCKER_CACHE     apt .deb cache, base tarball, npm deps (default /var/cache/cachelab-docker)
#   CACHELAB_NODE_BINARY      Node >= 20 copied into the node image (default: `command -v node`, resolved)
#   CACHELAB_DEBIAN_MIRROR, CACHELAB_DEBIAN_SECURITY_MIRROR   apt mirrors (default deb.debian.org)
# Needs root, mmdebstrap (installed if missing) and a running engine (scripts/start-docker-engine.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/docker/lib.sh
source "$here/docker/lib.sh"
# shellcheck source=scripts/docker/image-specs.sh
source "$here/docker/image-specs.sh"

force=0
only=""
build_app=1
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=1 ;;
    --only) only=",${2:?--only needs a list},"; shift ;;
    --no-app) build_app=0 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done

release="${CACHELAB_DEBIAN_RELEASE:-bookworm}"
cache="${CACHELAB_DOCKER_CACHE:-/var/cache/cachelab-docker}"
export CACHELAB_APT_CACHE="$cache/apt-archives"
summary=()
declare -A unit_hash=() plan=()

selected() { [ -z "$only" ] || [[ "$only" == *",$1,"* ]]; }
tag_of() { echo "cachelab/$1:offline-$release"; }
base_tarball() { echo "$cache/rootfs/base-${unit_hash[base]}.tar"; }

preflight() {
  [ "$(id -u)" -eq 0 ] || die "run as root (mmdebstrap --mode=root and docker import need it)"
  command -v mmdebstrap >/dev/null || "$here/install-system-deps.sh" docker
  timeout 20 docker info >/dev/null 2>&1 || die "no Docker engine answers: run scripts/start-docker-engine.sh"
  local node="${CACHELAB_NODE_BINARY:-$(command -v node || true)}"
  [ -n "$node" ] || die "no node binary found (set CACHELAB_NODE_BINARY)"
  CACHELAB_NODE_BINARY="$(readlink -f "$node")"
  CACHELAB_NODE_VERSION="$("$CACHELAB_NODE_BINARY" -p 'process.versions.node')"
  [ "${CACHELAB_NODE_VERSION%%.*}" -ge 20 ] || die "node $CACHELAB_NODE_VERSION is older than 20"
  export CACHELAB_NODE_BINARY CACHELAB_NODE_VERSION
}

# Inputs hash of one unit: its spec and import changes, overlay files, the mmdebstrap invocation, mirrors.
compute_hash() {
  local unit="$1" image
  spec_"$unit"
  {
    echo "$release"
    declare -f "spec_$unit"
    for image in "${UNIT_IMAGES[@]}"; do changes_"${image//-/_}"; done
    declare -f run_mmdebstrap unit_mmdebstrap_args
    sha_tree "$here/docker/rootfs/$unit"
    debian_sources "$release"
    [ "$unit" = base ] || echo "${unit_hash[base]}"
    [ "$unit" != node ] || { echo "$CACHELAB_NODE_VERSION"; sha256sum <"$CACHELAB_NODE_BINARY"; }
  } | sha_stdin
}

unit_is_current() {
  local unit="$1" image
  spec_"$unit"
  for image in "${UNIT_IMAGES[@]}"; do
    [ "$(image_inputs_hash "$(tag_of "$image")")" = "${unit_hash[$unit]}" ] || return 1
  done
}

# Imports one rootfs tarball as one image (the previous one, now untagged, is pruned at the end).
import_image() {
  local image="$1" tarball="$2" unit="$3" tag line
  local args=(--message "cachelab offline $image ($release, Debian packages)")
  tag="$(tag_of "$image")"
  while IFS= read -r line; do args+=(--change "$line"); done < <(changes_"${image//-/_}")
  args+=(--change "LABEL $CACHELAB_INPUTS_LABEL=${unit_hash[$unit]}")
  args+=(--change "LABEL org.cachelab.debian-release=$release")
  args+=(--change "LABEL org.cachelab.packages=\"${UNIT_PACKAGES[*]}\"")
  docker import "${args[@]}" "$tarball" "$tag" >/dev/null
}

# mmdebstrap arguments of one unit (after spec_<unit>): packages, overlay files, hooks, base tarball.
unit_mmdebstrap_args() {
  local unit="$1"
  UNIT_ARGS=(--include="$(IFS=,; echo "${UNIT_PACKAGES[*]}")")
  [ -d "$here/docker/rootfs/$unit" ] && UNIT_ARGS+=(--customize-hook="sync-in $here/docker/rootfs/$unit /")
  UNIT_ARGS+=("${UNIT_HOOKS[@]}")
  if [ "$unit" != base ]; then
    # The base tarball's resolv.conf is blanked (docker mounts its own); hooks running apt need DNS.
    UNIT_ARGS=(--setup-hook="tar-in $(base_tarball) /" --setup-hook='copy-in /etc/resolv.conf /etc' "${UNIT_ARGS[@]}")
  fi
}

# Builds one unit's rootfs with mmdebstrap and imports each of its images.
build_unit() {
  local unit="$1" scratch="$2" tarball log_file image variant=custom
  spec_"$unit"
  unit_mmdebstrap_args "$unit"
  [ "$unit" != base ] || variant=minbase
  tarball="$scratch/$unit.tar"
  log_file="$scratch/$unit.log"
  log "mmdebstrap $unit ($variant: ${UNIT_PACKAGES[*]}) ..."
  if ! run_mmdebstrap "$release" "$variant" "$tarball" "${UNIT_ARGS[@]}" 2>"$log_file"; then
    tail -n 30 "$log_file" >&2
    die "mmdebstrap failed for $unit"
  fi
  if [ "$unit" = base ]; then
    mkdir -p "$cache/rootfs"
    rm -f "$cache"/rootfs/base-*.tar
    cp "$tarball" "$(base_tarball)"
  fi
  for image in "${UNIT_IMAGES[@]}"; do import_image "$image" "$tarball" "$unit"; done
  rm -f "$tarball"
}

record() { summary+=("$(printf '%-44s %-7s %5ss %6s MB' "$1" "$2" "$3" "$4")"); }

# Args: unit scratch build|cached
run_unit() {
  local unit="$1" scratch="$2" status="$3" start=$SECONDS image
  [ "$status" = cached ] || build_unit "$unit" "$scratch"
  spec_"$unit"
  for image in "${UNIT_IMAGES[@]}"; do
    record "$(tag_of "$image")" "$status" $((SECONDS - start)) "$(image_size_mb "$(tag_of "$image")")"
  done
}

# Decides build|cached per selected unit; base is rebuilt when another unit needs its missing tarball.
plan_units() {
  local unit needs_base=0
  for unit in "${OFFLINE_UNITS[@]}"; do
    selected "$unit" || continue
    if [ "$force" -eq 1 ] || ! unit_is_current "$unit"; then
      plan[$unit]=built
      [ "$unit" = base ] || needs_base=1
    else
      plan[$unit]=cached
    fi
  done
  if [ "$needs_base" -eq 1 ] && [ ! -f "$(base_tarball)" ]; then plan[base]=built; fi
}

run_app() {
  local start=$SECONDS result args=(--base-image "$(tag_of node)" --tag "$(tag_of app)")
  [ "$force" -eq 0 ] || args+=(--force)
  result="$("$here/docker/build-app-image.sh" "${args[@]}")"
  record "$(tag_of app)" "${result%% *}" $((SECONDS - start)) "$(image_size_mb "$(tag_of app)")"
}

main() {
  local total_start=$SECONDS scratch unit
  preflight
  scratch="$(mktemp -d "$(pick_scratch_parent)/cachelab-images.XXXXXX")"
  # shellcheck disable=SC2064 # expand $scratch now
  trap "remove_scratch '$scratch'" EXIT
  export TMPDIR="$scratch"
  for unit in "${OFFLINE_UNITS[@]}"; do unit_hash[$unit]="$(compute_hash "$unit")"; done
  plan_units
  for unit in "${OFFLINE_UNITS[@]}"; do
    [ -z "${plan[$unit]:-}" ] || run_unit "$unit" "$scratch" "${plan[$unit]}"
  done
  if [ "$build_app" -eq 1 ] && selected app; then run_app; fi
  prune_replaced_images
  printf '\n%-44s %-7s %6s %9s\n' IMAGE STATUS TIME SIZE
  printf '%s\n' "${summary[@]}"
  printf 'total %ss (scratch %s, cache %s)\n' $((SECONDS - total_start)) "$(dirname "$scratch")" "$cache"
}

main
