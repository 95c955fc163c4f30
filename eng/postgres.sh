#!/usr/bin/env bash
# A throw-away PostgreSQL for the tests: `eng/postgres.sh start` makes a cluster in a temporary folder (as the
# `postgres` user when run as root), starts it on 127.0.0.1, and prints the connection string;
# `eng/postgres.sh stop DIR` stops it and removes the folder. Needs Debian's postgresql package (initdb, pg_ctl).
set -euo pipefail

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "eng/postgres.sh: PostgreSQL's initdb is not installed (apt-get install postgresql)" >&2
  exit 1
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    port="${2:-55432}"
    dir="$(mktemp -d "${TMPDIR:-/tmp}/chatport-pg.XXXXXX")"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
fsync = on
shared_buffers = 128MB
CONF
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null
    as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE chatport" >/dev/null
    echo "dir=$dir"
    echo "connection=Host=127.0.0.1;Port=$port;Username=postgres;Database=chatport"
    ;;
  stop)
    dir="${2:?usage: eng/postgres.sh stop DIR}"
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: eng/postgres.sh start [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
