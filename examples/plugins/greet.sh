#!/bin/sh
# greet.sh INPUT OUTPUT: the input, the niceness this runs at (10 under the "nice" runtime) and the initializer's greeting
{ cat "$1"; echo "niceness $(nice)"; echo "${STEEP_EXAMPLE_GREETING:-no greeting}"; } > "$2"
