#!/bin/sh
# Usage: countdown.sh INPUT OUTPUT
# Reads a number from INPUT and writes the number minus 1 to OUTPUT if it is still greater than 0; otherwise it
# writes nothing, which ends the loop of the countdown example (a POSIX sh version of the docs' countdown.js).
set -eu
value=$(tr -d ' \t\r\n' < "$1")
case "$value" in
  ''|*[!0-9]*) echo "countdown.sh: '$1' does not contain a non-negative integer" >&2; exit 1 ;;
esac
echo "Old value: $value"
value=$((value - 1))
if [ "$value" -gt 0 ]; then
  echo "New value: $value"
  printf '%s' "$value" > "$2"
else
  echo "No new value"
fi
