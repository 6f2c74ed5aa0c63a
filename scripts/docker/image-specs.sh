# shellcheck shell=bash disable=SC2016 # hooks are single-quoted on purpose: mmdebstrap expands "$1"
# What each offline image contains (sourced by scripts/build-offline-images.sh, not run).
# Usage: source scripts/docker/image-specs.sh; spec_<unit>; changes_<image>
#
# A unit is one mmdebstrap rootfs; it yields one or more images (one `docker import` each, same tarball,
# so the layer is stored once). spec_<unit> sets:
#   UNIT_PACKAGES  Debian packages (unit base: on top of --variant=minbase; other units:
#                  --variant=custom on top of the base tarball, so only these packages are unpacked)
#   UNIT_HOOKS     extra mmdebstrap arguments (hooks run with "$1" = the rootfs)
#   UNIT_IMAGES    image names (tag cachelab/<name>:offline-<release>)
# changes_<image> (dashes as underscores) prints the `docker import --change` lines. STOPSIGNAL cannot be set by docker import:
# compose sets stop_signal instead (postgres SIGINT, nginx SIGQUIT), as the official images do.
# scripts/docker/rootfs/<unit>/ (if present) is copied over the rootfs before the image is packed.
# Editing a spec_/changes_ function changes the inputs hash and rebuilds just that unit.

# shellcheck disable=SC2034 # UNIT_* are read by the caller
spec_base() {
  UNIT_PACKAGES=(ca-certificates)
  UNIT_HOOKS=(--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr)
  UNIT_IMAGES=(base)
}
changes_base() { echo 'CMD ["bash"]'; }

# Node: Debian 12 ships nodejs 18, the app needs >= 20, so the host's own Node binary
# ($CACHELAB_NODE_BINARY) is copied in; it links only glibc, libstdc++ and libgcc_s, all in bookworm.
# shellcheck disable=SC2034
spec_node() {
  UNIT_PACKAGES=(libstdc++6 libgcc-s1)
  UNIT_HOOKS=(
    --customize-hook="copy-in $CACHELAB_NODE_BINARY /usr/local/bin"
    --customize-hook='chroot "$1" /usr/local/bin/node -e "process.exitCode = Number(process.versions.node.split(\".\")[0]) >= 20 ? 0 : 1"'
    --customize-hook='chroot "$1" groupadd --gid 1000 node'
    --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  )
  UNIT_IMAGES=(node)
}
changes_node() {
  echo "ENV NODE_VERSION=$CACHELAB_NODE_VERSION"
  echo 'CMD ["node"]'
}

# shellcheck disable=SC2034
spec_redis() {
  UNIT_PACKAGES=(redis-server redis-tools)
  UNIT_HOOKS=(--customize-hook='mkdir -p "$1"/data && chroot "$1" chown redis:redis /data')
  UNIT_IMAGES=(redis)
}
changes_redis() {
  echo 'ENTRYPOINT ["docker-entrypoint.sh"]'
  echo 'CMD ["redis-server"]'
  echo 'WORKDIR /data'
  echo 'EXPOSE 6379'
}

# Two passes, as the official image does: postgresql-common first, switch off its "create a main
# cluster on install", then postgresql-15 (contrib modules are part of it in Debian 12).
# shellcheck disable=SC2034
spec_postgres() {
  UNIT_PACKAGES=(postgresql-common)
  UNIT_HOOKS=(
    --customize-hook='sed -ri "s/^#?(create_main_cluster) .*$/\1 = false/" "$1"/etc/postgresql-common/createcluster.conf'
    --customize-hook='chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql-15 postgresql-contrib >&2'
    --customize-hook='mkdir -p "$1"/var/lib/postgresql/data "$1"/var/run/postgresql "$1"/docker-entrypoint-initdb.d'
    --customize-hook='chroot "$1" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql'
    --customize-hook='chmod 700 "$1"/var/lib/postgresql/data && chmod 3777 "$1"/var/run/postgresql'
  )
  UNIT_IMAGES=(postgres)
}
changes_postgres() {
  echo 'ENV PG_MAJOR=15'
  echo 'ENV PGDATA=/var/lib/postgresql/data'
  echo 'ENV LANG=C.UTF-8'
  echo 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  echo 'ENTRYPOINT ["docker-entrypoint.sh"]'
  echo 'CMD ["postgres"]'
  echo 'EXPOSE 5432'
}

# shellcheck disable=SC2034
spec_nginx() {
  UNIT_PACKAGES=(nginx)
  UNIT_HOOKS=(
    --customize-hook='ln -sf /dev/stdout "$1"/var/log/nginx/access.log && ln -sf /dev/stderr "$1"/var/log/nginx/error.log'
  )
  UNIT_IMAGES=(nginx)
}
changes_nginx() {
  echo 'CMD ["nginx", "-g", "daemon off;"]'
  echo 'EXPOSE 80'
}

# Prometheus and the three exporters share one rootfs (one stored layer, four images).
# moment-timezone's unpacked history (~250 MB of JSON) is only used by the classic web UI's
# timezone picker; the packed data it loads stays.
# shellcheck disable=SC2034
spec_observe() {
  UNIT_PACKAGES=(prometheus prometheus-redis-exporter prometheus-postgres-exporter prometheus-nginx-exporter)
  UNIT_HOOKS=(
    --customize-hook='rm -rf "$1"/usr/share/javascript/moment-timezone/data/unpacked'
    --customize-hook='mkdir -p "$1"/prometheus && chroot "$1" chown nobody:nogroup /prometheus'
  )
  UNIT_IMAGES=(prometheus redis-exporter postgres-exporter nginx-exporter)
}
changes_prometheus() {
  echo 'ENTRYPOINT ["/usr/bin/prometheus"]'
  echo 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]'
  echo 'USER nobody'
  echo 'WORKDIR /prometheus'
  echo 'EXPOSE 9090'
}
changes_redis_exporter() {
  echo 'ENTRYPOINT ["/usr/bin/prometheus-redis-exporter"]'
  echo 'USER nobody'
  echo 'EXPOSE 9121'
}
changes_postgres_exporter() {
  echo 'ENTRYPOINT ["/usr/bin/prometheus-postgres-exporter"]'
  echo 'USER nobody'
  echo 'EXPOSE 9187'
}
changes_nginx_exporter() {
  echo 'ENTRYPOINT ["/usr/bin/prometheus-nginx-exporter"]'
  echo 'USER nobody'
  echo 'EXPOSE 9113'
}

# Units in build order (base first: every other unit starts from its tarball).
OFFLINE_UNITS=(base node redis postgres nginx observe)
