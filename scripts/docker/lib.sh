# shellcheck shell=bash disable=SC2016 # hooks are single-quoted on purpose: mmdebstrap expands "$1"
# Helpers shared by scripts/build-offline-images.sh and scripts/docker/build-app-image.sh (sourced, not run).
# Usage: source scripts/docker/lib.sh   (expects `set -euo pipefail` in the caller)

# Label holding the hash of everything an image was built from; equal hash = nothing to rebuild.
CACHELAB_INPUTS_LABEL=org.cachelab.inputs-hash

log() { printf '[offline-images] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# sha256 of stdin, hex only.
sha_stdin() { sha256sum | cut -d' ' -f1; }

# sha256 of a directory tree (names, modes and contents; not mtimes or owners).
sha_tree() {
  local dir="$1"
  [ -d "$dir" ] || { echo none; return 0; }
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$dir" -cf - . | sha_stdin
}

# Prints the inputs hash stored on an image, or nothing when the image does not exist.
image_inputs_hash() {
  docker image inspect --format "{{ index .Config.Labels \"$CACHELAB_INPUTS_LABEL\" }}" "$1" 2>/dev/null || true
}

# Removes untagged images this tooling built (they carry the inputs label) once nothing uses them; the
# second pass catches a replaced node image that only its replaced app image kept alive.
prune_replaced_images() {
  for _ in 1 2; do
    docker image prune --force --filter "label=$CACHELAB_INPUTS_LABEL" >/dev/null
  done
}

# Prints an image's size in MB (as `docker images` counts it, shared layers included).
image_size_mb() {
  local bytes
  bytes="$(docker image inspect --format '{{.Size}}' "$1" 2>/dev/null || echo 0)"
  echo $((bytes / 1000000))
}

# Picks a scratch directory: tmpfs (/dev/shm) when it has room, because mmdebstrap is IO-bound and
# unpacking onto a journaled disk was 3x slower here; disk otherwise.
pick_scratch_parent() {
  local need_kb=$((3 * 1024 * 1024)) avail_kb
  avail_kb="$(df --output=avail -k /dev/shm 2>/dev/null | tail -n 1 | tr -d ' ' || echo 0)"
  if [ "${avail_kb:-0}" -gt "$need_kb" ]; then echo /dev/shm; else echo /var/tmp; fi
}

# Unmounts everything below a directory (deepest first), then removes it without crossing mounts.
remove_scratch() {
  local dir="$1" mnt
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  while read -r mnt; do
    umount -l "$mnt" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
  rm -rf --one-file-system "$dir"
}

# The apt sources every rootfs is built from (same mirrors as the host's Debian configuration).
debian_sources() {
  local release="$1"
  local mirror="${CACHELAB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
  local security="${CACHELAB_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
  printf 'deb %s %s main\n' "$mirror" "$release" "$mirror" "$release-updates"
  printf 'deb %s %s-security main\n' "$security" "$release"
}

# Runs mmdebstrap with the shared apt cache bind-mounted and the image trimmed; tarball to $out ("-" = stdout).
# Its progress goes to stderr (callers redirect it to a log). Args: release variant out [mmdebstrap args...]
run_mmdebstrap() {
  local release="$1" variant="$2" out="$3"
  shift 3
  local cache="$CACHELAB_APT_CACHE"
  mkdir -p "$cache/partial"
  local mount_cache="mkdir -p \"\$1\"/var/cache/apt/archives && mount --bind '$cache' \"\$1\"/var/cache/apt/archives"
  # Docs, man pages and translations are dead weight in a container; copyright files stay.
  local trim='cd "$1" && rm -rf usr/share/man/* usr/share/info/* usr/share/locale/* usr/share/lintian
    [ -d usr/share/doc ] && find usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
    [ -d usr/share/doc ] && find usr/share/doc -mindepth 1 -type d -empty -delete
    : > etc/resolv.conf; : > etc/hostname'
  local sources
  sources="$(debian_sources "$release")"
  # --skip=essential/unlink keeps downloaded .debs in the shared cache; the cache is unmounted
  # before mmdebstrap's own cleanup empties /var/cache/apt/archives.
  mmdebstrap --mode=root --variant="$variant" --skip=essential/unlink \
    --setup-hook="$mount_cache" "$@" \
    --customize-hook="$trim" \
    --customize-hook='umount "$1"/var/cache/apt/archives' \
    "$release" "$out" - <<<"$sources"
}
