#!/bin/sh
# progress.sh OUTPUT: prints 25% 50% 75% 100%, one every ${PROGRESS_STEP_SECONDS:-0.5} s, then writes OUTPUT
for p in 25 50 75 100; do
  echo "$p%"
  sleep "${PROGRESS_STEP_SECONDS:-0.5}"
done
echo done > "$1"
