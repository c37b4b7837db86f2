#!/usr/bin/env bash
# A Steep cluster on this machine for trying it out: a throwaway PostgreSQL 15 and N `steep serve` silos.
#   deploy/local-cluster.sh start N [steep serve options...]   start PostgreSQL and N silos, print their URLs
#   deploy/local-cluster.sh status                             the silos' URLs and whether they run
#   deploy/local-cluster.sh stop                               stop the silos (SIGTERM) and PostgreSQL, remove everything
# Silo i is named silo<i>, listens on HTTP port PORT_BASE+i-1 (PORT_BASE=8081 by default; 0 = any free port) and keeps
# its data (logs, lock) in a directory of its own; all silos share tmp/ and out/ (Steep assumes a shared file system).
# Options after N go to every `steep serve` (default: --services conf/services/sleep.yaml --agents 2).
# Environment: STEEP_LOCAL_CLUSTER (state file, default .build/local-cluster), PORT_BASE, STEEP_POSTGRES_BIN
# (default /usr/lib/postgresql/15/bin), STEEP_BINARY (a built steep to run instead of the launcher), STEEP_POSTGRES_OPTIONS (more server options, e.g. "-c synchronous_commit=off";
# by default the server keeps PostgreSQL's durable defaults: every commit waits for its WAL flush). initdb and pg_ctl refuse to run as root: as root they run as the user postgres.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${STEEP_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
state="${STEEP_LOCAL_CLUSTER:-$root/.build/local-cluster}"
steep="${STEEP_BINARY:-$root/steep}"
port_base="${PORT_BASE:-8081}"

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
alive() { kill -0 "$1" 2>/dev/null; }

stop_all() {
  [ -f "$state" ] || { echo "no local cluster is running ($state does not exist)"; return 0; }
  dir="$(sed -n 1p "$state")"
  # SIGTERM first (a graceful stop leaves the membership table clean), then whatever is left gets SIGKILL
  pids=()
  if [ -f "$dir/pids" ]; then while read -r pid; do alive "$pid" && kill -TERM "$pid" 2>/dev/null && pids+=("$pid"); done < "$dir/pids"; fi
  for _ in $(seq 1 150); do
    left=0; for pid in "${pids[@]}"; do alive "$pid" && left=1; done
    [ "$left" = 0 ] && break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do alive "$pid" && kill -KILL "$pid" 2>/dev/null; done
  if [ -d "$dir/postgres" ]; then (cd /tmp && as_postgres "$bin/pg_ctl" -D "$dir/postgres" -m fast -w stop >/dev/null 2>&1) || true; fi
  rm -rf "$dir" "$state"
  echo "stopped"
}

case "${1:-}" in
  start)
    n="${2:-}"
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 start N [steep serve options...] (N: the number of silos, 1 or more)" >&2; exit 2; }
    shift 2
    serve_args=("$@")
    [ ${#serve_args[@]} -gt 0 ] || serve_args=(--services "$root/conf/services/sleep.yaml" --agents 2)
    [ -x "$bin/initdb" ] || { echo "local-cluster.sh: no PostgreSQL binaries in $bin (apt-get install postgresql-15, or set STEEP_POSTGRES_BIN)" >&2; exit 1; }
    if [ -f "$state" ] && [ -d "$(sed -n 1p "$state")" ]; then echo "a local cluster is running already ($state); stop it first: $0 stop" >&2; exit 1; fi
    mkdir -p "$(dirname "$state")"
    # the command is built once before the silos start (they would otherwise wait for each other's build)
    "$steep" --version >/dev/null
    dir="$(mktemp -d /tmp/steep-local-cluster.XXXXXX)"
    echo "$dir" > "$state"
    trap 'echo "local-cluster.sh: start failed; cleaning up (logs were in $dir)" >&2; stop_all >/dev/null' ERR
    chmod 755 "$dir" # mktemp makes it private; PostgreSQL's user must reach its folder inside
    mkdir -p "$dir/postgres"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir/postgres"; fi
    pg_port="$(free_port)"
    (cd /tmp && as_postgres "$bin/initdb" -D "$dir/postgres" -A trust -U postgres -E UTF8 --no-sync >/dev/null)
    (cd /tmp && as_postgres "$bin/pg_ctl" -D "$dir/postgres" -l "$dir/postgres/server.log" -w -t 60 \
      -o "-p $pg_port -k $dir/postgres -c listen_addresses=127.0.0.1 -c max_connections=300 ${STEEP_POSTGRES_OPTIONS:-}" start >/dev/null)
    "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qAt -c "CREATE DATABASE steep" >/dev/null
    postgres="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=steep"
    echo "$postgres" > "$dir/postgres.txt"
    mkdir -p "$dir/tmp" "$dir/out"
    : > "$dir/pids"
    for i in $(seq 1 "$n"); do
      port=0; [ "$port_base" != 0 ] && port=$((port_base + i - 1))
      STEEP_CLUSTER_POSTGRES="$postgres" STEEP_CLUSTER_NAME="silo$i" STEEP_CLUSTER_GATEWAYPORT=0 \
        STEEP_TMPPATH="$dir/tmp" STEEP_OUTPATH="$dir/out" \
        setsid "$steep" serve --port "$port" --data "$dir/silo$i" "${serve_args[@]}" >"$dir/silo$i.log" 2>&1 < /dev/null &
      echo $! >> "$dir/pids"
    done
    i=0
    while read -r pid; do
      i=$((i + 1))
      for _ in $(seq 1 600); do
        grep -q '^Listening on ' "$dir/silo$i.log" && break
        alive "$pid" || { echo "silo$i ended before it listened:" >&2; cat "$dir/silo$i.log" >&2; false; }
        sleep 0.1
      done
      url="$(sed -n 's/^Listening on //p' "$dir/silo$i.log" | head -1)"
      [ -n "$url" ] || { echo "silo$i did not listen within 60 s:" >&2; cat "$dir/silo$i.log" >&2; false; }
      echo "$url" >> "$dir/urls"
      echo "silo$i $url"
    done < "$dir/pids"
    trap - ERR
    echo "postgres $postgres"
    echo "logs $dir/silo<i>.log; stop with: $0 stop"
    ;;
  status)
    [ -f "$state" ] || { echo "no local cluster is running"; exit 1; }
    dir="$(sed -n 1p "$state")"
    i=0
    paste -d' ' "$dir/pids" "$dir/urls" | while read -r pid url; do
      i=$((i + 1)); if alive "$pid"; then echo "silo$i $url running"; else echo "silo$i $url stopped"; fi
    done
    echo "postgres $(cat "$dir/postgres.txt")"
    ;;
  stop)
    stop_all
    ;;
  *)
    echo "usage: $0 start N [steep serve options...] | status | stop" >&2
    exit 2
    ;;
esac
