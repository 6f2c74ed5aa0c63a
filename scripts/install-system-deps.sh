#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the native lab needs (idempotent).
# Usage: scripts/install-system-deps.sh [core|observe|browser|docker|all]...
set -euo pipefail

core=(postgresql postgresql-contrib redis-server redis-tools nginx procps iproute2 wrk)
observe=(prometheus prometheus-redis-exporter prometheus-postgres-exporter prometheus-nginx-exporter)
browser=(chromium)
docker=(docker.io docker-compose mmdebstrap)

want=()
for group in "${@:-core}"; do
  case "$group" in
    core) want+=("${core[@]}") ;;
    observe) want+=("${observe[@]}") ;;
    browser) want+=("${browser[@]}") ;;
    docker) want+=("${docker[@]}") ;;
    all) want+=("${core[@]}" "${observe[@]}" "${browser[@]}" "${docker[@]}") ;;
    *) echo "unknown group: $group (core|observe|browser|docker|all)" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo_cmd=(sudo -n)
  else
    echo "cachelab needs these system packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
echo "installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq >&2
# Packaged services must not start on install: the lab runs its own instances on free ports.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod +x "$policy"; created_policy=1
fi
trap '[ $created_policy -eq 1 ] && "${sudo_cmd[@]}" rm -f "$policy"' EXIT
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
