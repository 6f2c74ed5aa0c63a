#!/usr/bin/env bash
# Builds the cachelab app image with services/app/Dockerfile, without network inside docker build.
#
# Usage: scripts/docker/build-app-image.sh [--base-image IMAGE] [--tag TAG] [--force]
#   --base-image  NODE_IMAGE build arg (default cachelab/node:offline-bookworm; node:20-bookworm-slim works)
#   --tag         image tag (default cachelab/app:offline-bookworm)
#   --force       rebuild even if the image's inputs hash label matches
#
# How: `npm ci` runs on the host into $CACHELAB_DOCKER_CACHE/app-deps/<hash of package*.json> (reused
# while package.json and package-lock.json do not change); a build context is assembled from that
# node_modules (hard links; devDependencies other than typescript/@types pruned to keep it small),
# package*.json, tsconfig*.json, services/app/src and services/fault-proxy/src (no tests) and
# services/postgres. The Dockerfile's
# first stage compiles with tsc and prunes the build tools; the runtime stage runs dist/ as `node`.
# Prints one line on stdout: built|cached <tag>.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=scripts/docker/lib.sh
source "$here/lib.sh"

release="${CACHELAB_DEBIAN_RELEASE:-bookworm}"
base_image="cachelab/node:offline-$release"
tag="cachelab/app:offline-$release"
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --base-image) base_image="${2:?--base-image needs an image}"; shift ;;
    --tag) tag="${2:?--tag needs a tag}"; shift ;;
    --force) force=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
  shift
done

cache="${CACHELAB_DOCKER_CACHE:-/var/cache/cachelab-docker}"
[ -f "$repo/services/app/src/main.ts" ] || die "services/app/src/main.ts does not exist yet"
docker image inspect "$base_image" >/dev/null 2>&1 ||
  die "base image $base_image is missing (scripts/build-offline-images.sh --only node, or docker pull it)"

# Everything the image is made from; the base image enters by id.
app_inputs_hash() {
  {
    docker image inspect --format '{{.Id}}' "$base_image"
    cat "$repo/services/app/Dockerfile" "$repo/package.json" "$repo/package-lock.json"
    cat "$repo/tsconfig.json" "$repo/tsconfig.build.json" "$here/prune-dev-deps.mjs" "$0"
    (cd "$repo" && find services/app/src services/fault-proxy/src services/invalidator/src services/postgres -type f ! -name '*.test.ts' | LC_ALL=C sort |
      xargs sha256sum)
  } | sha_stdin
}

# npm ci on the host, once per package*.json content; prints the directory holding node_modules.
host_dependencies() {
  local key dir
  key="$(cat "$repo/package.json" "$repo/package-lock.json" | sha_stdin | cut -c1-16)"
  dir="$cache/app-deps/$key"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$cache/app-deps"
    mkdir -p "$dir"
    cp "$repo/package.json" "$repo/package-lock.json" "$dir/"
    log "npm ci for the app image (host, cached by package-lock hash) ..."
    local start=$SECONDS
    (cd "$dir" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >&2)
    touch "$dir/.complete"
    log "npm ci took $((SECONDS - start))s"
  fi
  echo "$dir"
}

# Assembles the build context in a fresh directory next to the dependency cache (same filesystem: hard links).
assemble_context() {
  local deps="$1" ctx="$2"
  rm -rf "$ctx"
  mkdir -p "$ctx/services/app" "$ctx/scripts/docker"
  cp -al "$deps/node_modules" "$ctx/node_modules"
  cp "$repo/package.json" "$repo/package-lock.json" "$repo/tsconfig.json" "$repo/tsconfig.build.json" "$ctx/"
  cp "$repo/.dockerignore" "$ctx/"
  cp "$here/prune-dev-deps.mjs" "$ctx/scripts/docker/"
  (cd "$repo/services/app" && tar --exclude='*.test.ts' -cf - src) | tar -C "$ctx/services/app" -xf -
  for service in fault-proxy invalidator; do
    mkdir -p "$ctx/services/$service"
    (cd "$repo/services/$service" && tar --exclude='*.test.ts' -cf - src) |
      tar -C "$ctx/services/$service" -xf -
  done
  cp -r "$repo/services/postgres" "$ctx/services/postgres"
  node "$here/prune-dev-deps.mjs" "$ctx" --keep-build-tools >&2
}

hash="$(app_inputs_hash)"
if [ "$force" -eq 0 ] && [ "$(image_inputs_hash "$tag")" = "$hash" ]; then
  echo "cached $tag"
  exit 0
fi
deps="$(host_dependencies)"
ctx="$cache/app-context"
assemble_context "$deps" "$ctx"
log "docker build $tag (NODE_IMAGE=$base_image) ..."
start=$SECONDS
docker build --quiet -f "$repo/services/app/Dockerfile" --build-arg "NODE_IMAGE=$base_image" \
  --label "$CACHELAB_INPUTS_LABEL=$hash" -t "$tag" "$ctx" >&2
log "docker build took $((SECONDS - start))s"
rm -rf "$ctx"
# The classic builder leaves the build stage behind as untagged images; only those carry this label.
docker image prune --force --filter label=org.cachelab.stage=app-build >/dev/null
prune_replaced_images
echo "built $tag"
