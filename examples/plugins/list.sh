#!/bin/sh
# list.sh INPUT MANIFEST: two copies of the input in MANIFEST.d/ and a manifest naming them (relative to its folder)
dir="$2.d"
mkdir -p "$dir"
cp "$1" "$dir/a.txt"
cp "$1" "$dir/b.txt"
name=$(basename "$dir")
printf '%s\n' "$name/a.txt" "$name/b.txt" > "$2"
