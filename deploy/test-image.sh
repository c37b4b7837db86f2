#!/usr/bin/env bash
# Builds the image with deploy/build-image.sh (unless STEEP_IMAGE_TEST_NOBUILD=1: then STEEP_IMAGE must exist) and runs
# it as a user would, without a network (--network none):
#   1. `steep run` of two example workflows (cp; a for-each fed by its own output through a /bin/sh script), steep
#      being process 1 of the container, outputs in a mounted host directory;
#   2. `steep serve` (the image's default command): /health from inside the container, a submitted workflow that
#      runs to SUCCESS, and `docker stop` ending it gracefully (exit code 0, well before docker's 10 s SIGKILL).
# Prints one "ok: ..." line per check and the timings; exit code 0 when all pass, 1 when one fails, 2 when there is
# no Docker engine here (nothing was tested).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="${STEEP_IMAGE:-steep:local}"
name="steep-image-test-$$"
data="$(mktemp -d /tmp/steep-image-test.XXXXXX)"
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
cleanup() { docker rm -f "$name" >/dev/null 2>&1; rm -rf "$data"; }
trap cleanup EXIT

command -v docker >/dev/null && docker info >/dev/null 2>&1 || { echo "skipped: no Docker engine answers here (docker info)" >&2; exit 2; }

if [ "${STEEP_IMAGE_TEST_NOBUILD:-}" != 1 ]; then
  t=$(now)
  STEEP_IMAGE="$image" "$root/deploy/build-image.sh" >/dev/null || fail "deploy/build-image.sh failed"
  echo "build: $(seconds "$t" "$(now)") s"
fi
docker image inspect "$image" >/dev/null 2>&1 || fail "no image $image"
echo "image: $image, $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}')"

# 1. steep run, as the container's process 1
run() {  # run EXAMPLE: the example's workflow with its services; the data directory is $data/EXAMPLE
  docker run --rm --network none -v "$data:/data" "$image" \
    run "examples/$1/workflow.yaml" --services "examples/$1/services.yaml" --data "/data/$1" > "$data/$1.out" 2>&1
}
t=$(now)
run chained-copies || fail "steep run chained-copies: $(tail -5 "$data/chained-copies.out")"
grep -q ': SUCCESS (1 succeeded' "$data/chained-copies.out" || fail "chained-copies did not succeed: $(tail -5 "$data/chained-copies.out")"
# the copy and the copy of the copy (temporary files: the workflow stores nothing)
copies="$(find "$data/chained-copies/tmp" -type f)"
[ "$(printf '%s\n' "$copies" | grep -c .)" = 2 ] || fail "chained-copies: expected 2 copies, found: $copies"
for copy in $copies; do
  cmp -s "$copy" "$root/examples/chained-copies/example.txt" || fail "chained-copies: $copy differs from example.txt"
done
ok "steep run examples/chained-copies: SUCCESS, both copies equal example.txt ($(seconds "$t" "$(now)") s)"
t=$(now)
run countdown || fail "steep run countdown: $(tail -5 "$data/countdown.out")"
grep -q ': SUCCESS (3 succeeded' "$data/countdown.out" || fail "countdown did not run its 3 chains: $(tail -5 "$data/countdown.out")"
ok "steep run examples/countdown: SUCCESS, 3 chains through /bin/sh ($(seconds "$t" "$(now)") s)"

# 2. steep serve (the default command)
t=$(now)
docker run -d --network none --name "$name" "$image" >/dev/null || fail "docker run (serve) failed"
health=""
for _ in $(seq 1 300); do
  health="$(docker exec "$name" wget -qO- http://127.0.0.1:8080/health 2>/dev/null)" && break
  sleep 0.1
done
[ -n "$health" ] || fail "serve: /health did not answer within 30 s: $(docker logs "$name" 2>&1 | tail -5)"
ok "steep serve: /health answers from inside the container after $(seconds "$t" "$(now)") s: $health"
printf 'api: 4.0.0\nvars:\n  - {id: s, value: 1}\nactions:\n  - {type: execute, service: sleep, parameters: [{id: seconds, var: s}]}\n' |
  docker exec -i "$name" sh -c 'cat > /tmp/workflow.yaml'
accepted="$(docker exec "$name" wget -qO- --header 'Content-Type: application/yaml' --post-file /tmp/workflow.yaml http://127.0.0.1:8080/workflows)" ||
  fail "serve: POST /workflows failed"
id="$(printf '%s' "$accepted" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')"  # the submission's id comes first
[ -n "$id" ] || fail "serve: no id in $accepted"
status=""
for _ in $(seq 1 300); do
  status="$(docker exec "$name" wget -qO- "http://127.0.0.1:8080/workflows/$id" 2>/dev/null | sed -n 's/.*"status" *: *"\([A-Z]*\)".*/\1/p')"
  [ "$status" = SUCCESS ] || [ "$status" = ERROR ] && break
  sleep 0.1
done
[ "$status" = SUCCESS ] || fail "serve: submission $id ended as '$status': $(docker logs "$name" 2>&1 | tail -5)"
ok "steep serve: a submitted workflow (sleep 1) ran to SUCCESS"
t=$(now)
docker stop -t 30 "$name" >/dev/null || fail "docker stop failed"
stopped="$(seconds "$t" "$(now)")"
code="$(docker inspect -f '{{.State.ExitCode}}' "$name")"
[ "$code" = 0 ] || fail "serve: exit code $code after docker stop: $(docker logs "$name" 2>&1 | tail -5)"
awk -v s="$stopped" 'BEGIN { exit !(s < 10) }' || fail "serve: docker stop took $stopped s"
ok "steep serve: SIGTERM from docker stop ended it with exit code 0 in $stopped s"
