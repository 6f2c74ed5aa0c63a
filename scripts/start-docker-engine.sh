#!/usr/bin/env bash
# Makes a Docker engine answer on this machine, without systemd and without any registry (idempotent).
#
# Usage: scripts/start-docker-engine.sh [--stop] [--timeout SECONDS] [--profile auto|default|no-iptables|no-bridge]
#
#   (no flag)   if `docker info` answers, print the engine and exit 0; otherwise install docker.io
#               (scripts/install-system-deps.sh docker), start dockerd in the background and wait until
#               `docker info` answers (default 60 s).
#   --stop      stop the dockerd this script started (pid file below); never touches another engine.
#   --profile   dockerd networking profile; `auto` (default) tries them in order until one answers:
#                 default      bridge docker0 + iptables NAT (what a normal host uses)
#                 no-iptables  --iptables=false --ip-masq=false: for sandboxes where iptables/nf_tables is
#                              unavailable; user-defined networks, service DNS and published ports (via
#                              docker-proxy) still work, containers just get no outbound NAT (not needed);
#                              if iptables works with a FORWARD policy of DROP, bridge traffic is allowed
#                 no-bridge    --bridge=none --iptables=false: last resort when docker0 cannot be created;
#                              user-defined networks (compose, service DNS) still work, but containers on
#                              the default network get no network: `docker run -p` and testcontainers fail
#
# Environment: CACHELAB_DOCKERD_LOG (default /var/log/cachelab-dockerd.log),
#              CACHELAB_DOCKERD_PIDFILE (default /run/cachelab-dockerd.pid), CACHELAB_DOCKERD_PROFILE.
# With systemd as PID 1 and a docker.service unit, the unit is started instead of a bare dockerd.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log_file="${CACHELAB_DOCKERD_LOG:-/var/log/cachelab-dockerd.log}"
pid_file="${CACHELAB_DOCKERD_PIDFILE:-/run/cachelab-dockerd.pid}"
profile="${CACHELAB_DOCKERD_PROFILE:-auto}"
timeout_s=60
action=start

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --stop) action=stop ;;
    --timeout) timeout_s="${2:?--timeout needs seconds}"; shift ;;
    --profile) profile="${2:?--profile needs a name}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

describe_engine() {
  local fmt='{{.ServerVersion}} storage={{.Driver}} cgroup=v{{.CgroupVersion}} root={{.DockerRootDir}}'
  echo "docker engine: $(docker info --format "$fmt" 2>/dev/null) (client $(docker version --format '{{.Client.Version}}' 2>/dev/null))"
}

profile_flags() {
  case "$1" in
    default) echo "" ;;
    no-iptables) echo "--iptables=false --ip-masq=false" ;;
    no-bridge) echo "--bridge=none --iptables=false --ip-masq=false" ;;
    *) echo "unknown profile: $1 (auto|default|no-iptables|no-bridge)" >&2; return 2 ;;
  esac
}

our_pid() {
  [ -s "$pid_file" ] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = dockerd ] && echo "$pid"
}

stop_ours() {
  local pid
  if ! pid="$(our_pid)"; then
    echo "no dockerd started by this script is running" >&2
    rm -f "$pid_file"
    return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    [ -d "/proc/$pid" ] || break
    sleep 0.5
  done
  if [ -d "/proc/$pid" ]; then
    echo "dockerd $pid did not stop in 30 s" >&2
    return 1
  fi
  rm -f "$pid_file"
  echo "stopped dockerd $pid" >&2
}

# Without docker's own iptables rules, a FORWARD policy of DROP (left by an earlier dockerd, or a host
# firewall) still sees bridged container-to-container packets (br_netfilter): service DNS resolves but
# connections time out. Let traffic between containers on docker bridges through (best effort: if
# iptables itself is what fails, nothing filters and nothing is needed).
allow_bridge_forwarding() {
  command -v iptables >/dev/null || return 0
  [ "$(iptables -S FORWARD 2>/dev/null | head -n 1)" = "-P FORWARD DROP" ] || return 0
  local spec
  for spec in "-i docker0 -o docker0" "-i br-+ -o br-+"; do
    # shellcheck disable=SC2086 # spec is a list of iptables words
    iptables -C FORWARD $spec -j ACCEPT 2>/dev/null || iptables -I FORWARD $spec -j ACCEPT || true
  done
  echo "FORWARD policy is DROP: allowed traffic between containers on docker bridges" >&2
}

# Starts dockerd with one profile; returns 0 once `docker info` answers, 1 if dockerd died or timed out.
try_profile() {
  local name="$1" flags pid deadline
  flags="$(profile_flags "$name")"
  [ "$name" = default ] || allow_bridge_forwarding
  echo "starting dockerd (profile $name${flags:+: $flags}), log $log_file" >&2
  printf '\n=== %s cachelab: dockerd profile %s\n' "$(date -Is)" "$name" >>"$log_file"
  # setsid: dockerd must outlive this script and the CI step's process group.
  # shellcheck disable=SC2086 # flags are intentionally split into words
  setsid dockerd $flags </dev/null >>"$log_file" 2>&1 &
  pid=$!
  echo "$pid" >"$pid_file"
  deadline=$((SECONDS + timeout_s))
  while [ "$SECONDS" -lt "$deadline" ]; do
    engine_answers && { echo "dockerd pid $pid, profile $name" >&2; return 0; }
    [ -d "/proc/$pid" ] || break
    sleep 0.5
  done
  echo "dockerd (profile $name) did not answer; last log lines:" >&2
  tail -n 8 "$log_file" >&2
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 20); do [ -d "/proc/$pid" ] || break; sleep 0.5; done
  rm -f "$pid_file"
  return 1
}

# On a regular host (systemd as PID 1 with a docker unit) the unit is the right way to start the engine.
start_with_systemd() {
  systemctl start docker.service
  for _ in $(seq 1 "$timeout_s"); do engine_answers && break; sleep 1; done
  engine_answers && { describe_engine; return 0; }
  echo "docker.service started but the engine does not answer" >&2
  return 1
}

start_with_profiles() {
  mkdir -p "$(dirname "$log_file")" "$(dirname "$pid_file")"
  local candidates=("$profile") name
  [ "$profile" = auto ] && candidates=(default no-iptables no-bridge)
  for name in "${candidates[@]}"; do
    profile_flags "$name" >/dev/null || return 2
    if try_profile "$name"; then
      describe_engine
      return 0
    fi
  done
  echo "no dockerd profile answered within ${timeout_s}s; see $log_file" >&2
  return 1
}

start_engine() {
  if engine_answers; then
    describe_engine
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "no Docker engine answers and starting dockerd needs root: run this script as root" >&2
    echo "(on a desktop: sudo systemctl start docker, and add yourself to the docker group)" >&2
    return 1
  fi
  command -v dockerd >/dev/null || "$here/install-system-deps.sh" docker
  if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && systemctl cat docker.service >/dev/null 2>&1; then
    start_with_systemd
  else
    start_with_profiles
  fi
}

case "$action" in
  start) start_engine ;;
  stop) stop_ours ;;
esac
