#!/bin/sh
# Usage: join.sh INPUT... OUTPUT
# Concatenates the input files, in the order given, into OUTPUT (the service "join" of the Steep examples).
set -eu
if [ "$#" -lt 2 ]; then
  echo "usage: join.sh INPUT... OUTPUT" >&2
  exit 2
fi
for out; do :; done # leaves the last argument in $out
n=$#
{
  while [ "$n" -gt 1 ]; do
    cat -- "$1"
    shift
    n=$((n - 1))
  done
} > "$out"
