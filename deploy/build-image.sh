#!/usr/bin/env bash
# Builds the steep container image without any container registry (deploy/Dockerfile needs mcr.microsoft.com):
#   1. the steep command as ./steep builds it (.build/steep: self-contained, so no .NET runtime is needed beside it);
#   2. a minimal root file system: the shared libraries ldd names for steep's native files (and the TLS libraries .NET
#      loads at run time), busybox as /bin/sh and the coreutils the example services call, CA certificates, /tmp;
#      `docker import`ed as the base image (STEEP_BASE_IMAGE, default steep-base:local);
#   3. deploy/Dockerfile.local FROM that base adds steep, conf/ and examples/ (STEEP_IMAGE, default steep:local).
# Usage: deploy/build-image.sh            (from anywhere; needs docker, busybox (static) and what ./steep needs)
# STEEP_IMAGE_APP=DIR uses an already built steep folder instead of .build/steep (e.g. a copy of another worktree's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="${STEEP_IMAGE:-steep:local}"
base="${STEEP_BASE_IMAGE:-steep-base:local}"
work="$root/.build/image"
say() { echo "build-image: $*" >&2; }

command -v docker >/dev/null || { say "docker is not installed"; exit 2; }
docker info >/dev/null 2>&1 || { say "no Docker engine answers (docker info failed)"; exit 2; }
busybox="$(command -v busybox || true)"
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
  say "a statically linked busybox is needed for /bin/sh in the image (apt-get install busybox-static)"; exit 2
fi

# 1. the command
app="${STEEP_IMAGE_APP:-}"
if [ -z "$app" ]; then
  "$root/steep" --help >/dev/null  # builds .build/steep when the sources changed
  app="$root/.build/steep"
fi
[ -x "$app/steep" ] || { say "$app/steep is not an executable"; exit 2; }
[ -f "$app/libcoreclr.so" ] || { say "$app is not a self-contained build (no libcoreclr.so)"; exit 2; }

rm -rf "$work"
mkdir -p "$work/rootfs" "$work/context/rootfs/opt/steep" "$work/context/rootfs/steep"

# 2. the base: libraries, busybox, certificates
fs="$work/rootfs"
mkdir -p "$fs/bin" "$fs/usr/bin" "$fs/etc/ssl/certs" "$fs/tmp" "$fs/data" "$fs/steep" "$fs/opt" "$fs/root"
chmod 1777 "$fs/tmp"
libraries() {
  # every ELF file of the command (the host, the runtime's .so files, steep-watchdog)
  find "$app" -maxdepth 1 -type f \( -name '*.so' -o -name steep -o -name steep-watchdog \) -print0 |
    xargs -0 ldd 2>/dev/null | awk '/=> \//{print $3} /^\t\/.*ld-linux/{print $1}'
  # loaded with dlopen by System.Security.Cryptography.Native.OpenSsl (TLS to PostgreSQL or anything else)
  ldconfig -p | awk '/(libssl|libcrypto)\.so\.3 .*x86-64|(libssl|libcrypto)\.so\.3 .*AArch64/{print $NF}'
}
for lib in $(libraries | sort -u); do
  mkdir -p "$fs$(dirname "$lib")"
  cp -L "$lib" "$fs$lib"
  # the loader and libc are also found under /lib64 or /lib (usrmerge): link the directory the binaries name
done
for dir in lib lib64; do
  if [ -d "$fs/usr/$dir" ] && [ ! -e "$fs/$dir" ]; then ln -s "usr/$dir" "$fs/$dir"; fi
done
cp "$busybox" "$fs/bin/busybox"
for applet in $("$busybox" --list); do
  [ -e "$fs/bin/$applet" ] || ln -s busybox "$fs/bin/$applet"
done
cp -L /etc/ssl/certs/ca-certificates.crt "$fs/etc/ssl/certs/" 2>/dev/null || say "no CA certificates on this machine: TLS connections will fail"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$fs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$fs/etc/group"
# a rebuild replaces the images of the same names (the old ones would stay behind untagged)
docker rmi -f "$image" "$base" >/dev/null 2>&1 || true
start=$(date +%s)
tar -C "$fs" -c . | docker import \
  -c 'ENV PATH=/opt/steep:/usr/local/bin:/usr/bin:/bin' \
  -c 'CMD ["/bin/sh"]' \
  -m "steep base: libraries, busybox, CA certificates" - "$base" >/dev/null
say "base image $base: $(du -sh "$fs" | cut -f1) in $(( $(date +%s) - start )) s"

# 3. the image: steep, conf/, examples/ (one COPY: with the vfs storage driver every layer is a full copy)
ctx="$work/context"
cp -a "$app/." "$ctx/rootfs/opt/steep/"
rm -f "$ctx/rootfs/opt/steep/.stamp" "$ctx"/rootfs/opt/steep/*.pdb "$ctx"/rootfs/opt/steep/*.xml
cp -a "$root/conf" "$root/examples" "$ctx/rootfs/steep/"
cp "$root/deploy/Dockerfile.local" "$ctx/Dockerfile"
start=$(date +%s)
docker build -q --build-arg "BASE=$base" -t "$image" "$ctx" >/dev/null
say "image $image: $(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}') in $(( $(date +%s) - start )) s"
rm -rf "$work"
echo "$image"
