#!/bin/sh
# Entrypoint of cachelab/redis:offline-* (Debian's redis-server), compatible with the official redis image:
# `docker run IMAGE [redis-server] [config-file] [--option value]...`; any other command runs as given.
# Usage: docker-entrypoint.sh redis-server [config-file] [--option value]... | docker-entrypoint.sh CMD...
set -eu

# First argument is an option or a config file: the command is redis-server.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi

# Started as root (the default): own /data, then run as the redis user, like the official image.
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
  find . \! -user redis -exec chown redis:redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

# The official image compiles protected-mode off; Debian's binary defaults it on, which refuses every
# client from another container. Without a config file, switch it off the same way; a config file
# given as first argument decides itself (services/redis/redis.conf sets it).
if [ "$1" = redis-server ]; then
  shift
  if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
    conf="$1"
    shift
    set -- redis-server "$conf" "$@"
  else
    set -- redis-server --protected-mode no "$@"
  fi
fi

um="$(umask)"
if [ "$um" = 0022 ]; then umask 0077; fi
exec "$@"
