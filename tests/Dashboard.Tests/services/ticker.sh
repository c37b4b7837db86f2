#!/bin/sh
# Prints "tick 1" … "tick N", one line every 0.3 seconds (the ticker test service).
i=1
while [ "$i" -le "$1" ]; do
  echo "tick $i"
  i=$((i + 1))
  sleep 0.3
done
