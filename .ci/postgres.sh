#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL 15 server for the test suites, so that all of them share one server:
#   .ci/postgres.sh start   initdb into a temp dir, start on 127.0.0.1 on a free port, create database steep_test,
#                           print the connection string and write "export STEEP_TEST_POSTGRES=..." to .build/postgres.env
#   .ci/postgres.sh stop    stop that server and remove its directory
# initdb and pg_ctl refuse to run as root: as root they run as the user postgres.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="${STEEP_TEST_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
state=.build/postgres.dir
env_file=.build/postgres.env
mkdir -p .build

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    [ -x "$bin/initdb" ] || { echo "postgres.sh: no PostgreSQL binaries in $bin (apt-get install postgresql-15)" >&2; exit 1; }
    dir="$(mktemp -d /tmp/steep-ci-pg.XXXXXX)"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    (cd /tmp && as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null)
    # synchronous_commit=off: commits do not wait for their WAL flush (like the SQLite store's synchronous=NORMAL)
    (cd /tmp && as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c synchronous_commit=off -c max_connections=200" start >/dev/null)
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qAt -c "CREATE DATABASE steep_test" >/dev/null
    echo "$dir" > "$state"
    cs="Host=127.0.0.1;Port=$port;Username=postgres;Database=steep_test"
    echo "export STEEP_TEST_POSTGRES='$cs'" > "$env_file"
    echo "$cs"
    ;;
  stop)
    [ -f "$state" ] || exit 0
    dir="$(cat "$state")"
    if [ -d "$dir/data" ]; then (cd /tmp && as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1) || true; fi
    rm -rf "$dir" "$state" "$env_file"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
