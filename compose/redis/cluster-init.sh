#!/bin/sh
# Creates the cachelab Redis Cluster once, then waits until it is really ready: every node reports
# cluster_state:ok, knows every other node, and knows every node's hostname (MOVED replies and
# CLUSTER SLOTS carry hostnames: `cluster-preferred-endpoint-type hostname`).
# Runs in the redis image (sh, getent, cut, grep, redis-cli); used by the compose `redis-cluster-init`
# job and by tests/containers. Idempotent: an already formed cluster is only waited for.
# The nodes require a password (requirepass): redis-cli (and `--cluster create`) sends REDISCLI_AUTH,
# which compose sets from REDIS_PASSWORD; REDIS_PASSWORD alone is used when REDISCLI_AUTH is unset.
#
# Behind the fault proxy the nodes still announce their own names (a replica follows its master at the
# address the master announces): the clients map each announced name to its proxy (REDIS_NAT_MAP).
#
# Usage: cluster-init.sh REPLICAS_PER_MASTER HOST:PORT...   (nodes by DNS name, all of them)
set -eu

if [ -z "${REDISCLI_AUTH:-}" ] && [ -n "${REDIS_PASSWORD:-}" ]; then
  REDISCLI_AUTH="$REDIS_PASSWORD"
  export REDISCLI_AUTH
fi

replicas="${1:?usage: cluster-init.sh REPLICAS HOST:PORT...}"
shift
[ $# -ge 3 ] || { echo "cluster-init: need at least 3 nodes, got $#" >&2; exit 2; }
count=$#

info() { redis-cli -h "${1%:*}" -p "${1##*:}" cluster info | tr -d '\r'; }

# CLUSTER MEET wants IP addresses: resolve the DNS names first. A node that does not answer PONG
# (NOAUTH, WRONGPASS: a password problem) fails the job now, not after the 60 s wait below.
addresses=""
for node in "$@"; do
  ip="$(getent hosts "${node%:*}" | cut -d ' ' -f 1)"
  [ -n "$ip" ] || { echo "cluster-init: cannot resolve ${node%:*}" >&2; exit 1; }
  reply="$(redis-cli -h "${node%:*}" -p "${node##*:}" ping 2>&1 | tr -d '\r')"
  [ "$reply" = PONG ] || { echo "cluster-init: $node answers '$reply' (is REDISCLI_AUTH set?)" >&2; exit 1; }
  addresses="$addresses $ip:${node##*:}"
done

if info "$1" | grep -q "^cluster_known_nodes:$count\$"; then
  echo "cluster-init: the cluster already has its $count nodes"
else
  # shellcheck disable=SC2086 # one word per address
  redis-cli --cluster create $addresses --cluster-replicas "$replicas" --cluster-yes
fi

ready() {
  for node in "$@"; do
    info "$node" | grep -q '^cluster_state:ok$' || return 1
    info "$node" | grep -q "^cluster_known_nodes:$count\$" || return 1
    # An unknown hostname shows as "?" until gossip has spread it.
    if redis-cli -h "${node%:*}" -p "${node##*:}" cluster slots | tr -d '\r' | grep -qx '?'; then
      return 1
    fi
  done
}

# Bounded: 240 × 0.25 s = 60 s.
tries=0
until ready "$@"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 240 ]; then
    echo "cluster-init: not ready after 60 s" >&2
    info "$1" >&2
    exit 1
  fi
  sleep 0.25
done
echo "cluster-init: cluster_state:ok on all $count nodes"
