#!/usr/bin/env bash
# Builds a local Docker image from one of the project's own .NET projects: a self-contained
# single-file publish on top of `FROM scratch`, plus the few shared libraries the .NET host needs
# (copied from this machine, since no base image can be pulled here).
# Skips the build when an image with the same source hash already exists.
# Usage: scripts/build-image.sh <project-dir> <image:tag> [KEY=VALUE env baked into the image ...]
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
case "$1" in /*) project_dir=$1 ;; *) project_dir="$root/$1" ;; esac
project_dir=$(cd "$project_dir" && pwd)
image=$2
shift 2
envs=("$@")

source_hash=$( (cd "$root" && find "$project_dir" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' \) -not -path '*/bin/*' -not -path '*/obj/*' -print0 \
  | sort -z | xargs -0 sha256sum | sed "s#$root/##"; cat Directory.Build.props Directory.Packages.props global.json; printf '%s\n' "${envs[@]}" "$(cat "$0")") | sha256sum | cut -c1-16)

if [ "$(docker image inspect -f '{{ index .Config.Labels "cloud.source-hash" }}' "$image" 2>/dev/null || true)" = "$source_hash" ]; then
  echo "build-image: $image is up to date ($source_hash)" >&2
  exit 0
fi

# One build per source hash at a time, even when tests in parallel processes ask for it together.
mkdir -p "$root/.artifacts/images"
exec 9>"$root/.artifacts/images/$source_hash.lock"
flock 9
if [ "$(docker image inspect -f '{{ index .Config.Labels "cloud.source-hash" }}' "$image" 2>/dev/null || true)" = "$source_hash" ]; then
  exit 0
fi

context="$root/.artifacts/images/$source_hash"
rm -rf "$context"
mkdir -p "$context/rootfs/app" "$context/rootfs/tmp"
echo "build-image: publishing $project_dir" >&2
dotnet publish "$project_dir" -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:InvariantGlobalization=true -p:DebugType=none \
  -o "$context/rootfs/app" >&2

entry=$(find "$context/rootfs/app" -maxdepth 1 -type f -perm -u+x | head -n 1)
[ -n "$entry" ] || { echo "build-image: no executable in publish output" >&2; exit 1; }

# The .NET host and runtime link dynamically against glibc, libstdc++ and libgcc; bring them along.
# OpenSSL is loaded on first use of System.Security.Cryptography (RandomNumberGenerator included):
# without it the process aborts ("No usable version of libssl was found"), so it comes too.
ssl_libs=$(ls /usr/lib/x86_64-linux-gnu/libssl.so.3 /usr/lib/x86_64-linux-gnu/libcrypto.so.3 2>/dev/null || true)
for lib in $(ldd "$entry" | grep -oE '/[^ ]+\.so[^ ]*' | sort -u) /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libresolv.so.2 $ssl_libs; do
  [ -e "$lib" ] || continue
  mkdir -p "$context/rootfs$(dirname "$lib")"
  cp -L "$lib" "$context/rootfs$lib"
done
# An init as PID 1, as the official Elasticsearch image has (tini): the kernel drops every signal sent to a
# namespace's PID 1 that has no handler for it, and a .NET process only has one for SIGTERM once its host
# has started (seconds after exec on a loaded machine). As PID 1 the node lost a `docker stop` sent while it
# was starting and was SIGKILLed at the end of the grace period; under tini the signal is forwarded to it
# and stops it at any time. tini-static (Debian's `tini` package, also Docker's docker-init) needs no libraries.
tini=$(command -v tini-static || true)
[ -n "$tini" ] || { echo "build-image: tini-static not found (apt-get install tini)" >&2; exit 1; }
mkdir -p "$context/rootfs/sbin"
cp -L "$tini" "$context/rootfs/sbin/tini"
chmod 1777 "$context/rootfs/tmp"
mkdir -p "$context/rootfs/etc"
echo "root:x:0:0:root:/root:/bin/false" > "$context/rootfs/etc/passwd"
echo "hosts: files dns" > "$context/rootfs/etc/nsswitch.conf"

{
  echo "FROM scratch"
  echo "COPY rootfs/ /"
  echo "ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_gcServer=0"
  for kv in "${envs[@]}"; do echo "ENV ${kv%%=*}=\"${kv#*=}\""; done
  echo "LABEL cloud.source-hash=\"$source_hash\""
  echo "ENTRYPOINT [\"/sbin/tini\", \"--\", \"/app/$(basename "$entry")\"]"
} > "$context/Dockerfile"

echo "build-image: building $image" >&2
DOCKER_BUILDKIT=0 docker build -q -t "$image" "$context" >&2
rm -rf "$context"
echo "build-image: built $image ($source_hash)" >&2
