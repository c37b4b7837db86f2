#!/bin/sh
# flaky.sh INPUT OUTPUT: fails on the first attempt for an output, copies the input on the next
if [ ! -e "$2.attempted" ]; then
  touch "$2.attempted"
  echo "flaky: failing the first attempt on purpose" >&2
  exit 1
fi
cp "$1" "$2"
