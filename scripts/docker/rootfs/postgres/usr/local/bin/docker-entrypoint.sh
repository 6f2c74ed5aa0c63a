#!/usr/bin/env bash
# Entrypoint of cachelab/postgres:offline-* (Debian's postgresql-15), compatible with the official postgres
# image for what cachelab and testcontainers use: on first start it runs initdb in $PGDATA, creates
# POSTGRES_USER (default postgres) with POSTGRES_PASSWORD and the database POSTGRES_DB (default: the
# user), runs /docker-entrypoint-initdb.d/*.sh|*.sql|*.sql.gz, then execs the server as `postgres`.
# Honoured: POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER,
# POSTGRES_DB, POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256), PGDATA.
# Usage: docker-entrypoint.sh postgres [-c name=value]... | docker-entrypoint.sh CMD...
set -Eeuo pipefail

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi

# Started as root (the default): own the data and socket directories, then run as postgres.
if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  find "$PGDATA" /var/run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

psql_as_admin() {
  psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER" "$@"
}

# Executable scripts run, others are sourced (they may use this script's functions), as officially.
run_shell_file() {
  if [ -x "$1" ]; then
    "$1"
  else
    # shellcheck disable=SC1090
    . "$1"
  fi
}

run_init_files() {
  local f
  shopt -s nullglob
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "running $f"; run_shell_file "$f" ;;
      *.sql) echo "running $f"; psql_as_admin --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) echo "running $f"; gunzip -c "$f" | psql_as_admin --dbname "$POSTGRES_DB" ;;
      *) echo "ignoring $f" ;;
    esac
  done
  shopt -u nullglob
}

# Listen on every interface and accept password logins from any address, as the official image does.
allow_network_clients() {
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  printf 'host all all all %s\n' "$1" >>"$PGDATA/pg_hba.conf"
}

init_database() {
  local auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
    echo 'error: database is uninitialized and POSTGRES_PASSWORD is not set' >&2
    echo '       (set POSTGRES_PASSWORD, or POSTGRES_HOST_AUTH_METHOD=trust for a throw-away lab database)' >&2
    exit 1
  fi
  local args=(--username="$POSTGRES_USER" --auth-local=trust --auth-host="$auth")
  args+=(--encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA")
  # shellcheck disable=SC2206 # POSTGRES_INITDB_ARGS is a list of words, as in the official image
  args+=(${POSTGRES_INITDB_ARGS:-})
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then
    initdb "${args[@]}" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD")
  else
    initdb "${args[@]}"
  fi
  allow_network_clients "$auth"
  # Initialise through the unix socket only, so nothing connects over TCP before the real start.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  if [ "$POSTGRES_DB" != postgres ]; then
    psql_as_admin --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  run_init_files
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo 'PostgreSQL init process complete; ready for start up.'
}

if [ "$1" = postgres ]; then
  export POSTGRES_USER="${POSTGRES_USER:-postgres}"
  export POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    init_database
  fi
fi
exec "$@"
