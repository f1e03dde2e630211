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

# The publish output depends on the code only; the image also on the baked-in environment. So one publish
# per code hash serves every tag (8.15.0, 8.16.0, a test run's own tag): a tag costs a `docker build` of
# files already there, not another self-contained ReadyToRun publish.
code_hash=$( (cd "$root" && find "$project_dir" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' \) -not -path '*/bin/*' -not -path '*/obj/*' -print0 \
  | sort -z | xargs -0 sha256sum | sed "s#$root/##"; cat Directory.Build.props Directory.Packages.props global.json; cat "$0") | sha256sum | cut -c1-16)
source_hash=$( (echo "$code_hash"; printf '%s\n' "${envs[@]}") | sha256sum | cut -c1-16)

image_is_current() {
  [ "$(docker image inspect -f '{{ index .Config.Labels "cloud.source-hash" }}' "$image" 2>/dev/null || true)" = "$source_hash" ]
}

if image_is_current; then
  echo "build-image: $image is up to date ($source_hash)" >&2
  exit 0
fi

# One publish per code hash at a time, even when tests in parallel processes ask for it together.
images="$root/.artifacts/images"
mkdir -p "$images"
exec 9>"$images/$code_hash.lock"
flock 9
if image_is_current; then
  exit 0
fi

project_name=$(basename "$project_dir")
rootfs="$images/rootfs-$project_name-$code_hash"
if [ ! -e "$rootfs.done" ]; then
  # Older code's output is dead weight (hundreds of MB each).
  for stale in "$images/rootfs-$project_name-"*; do
    case "$stale" in "$rootfs"|"$rootfs".*) ;; *) rm -rf "$stale" ;; esac
  done
  rm -rf "$rootfs"
  mkdir -p "$rootfs/app" "$rootfs/tmp"
  echo "build-image: publishing $project_dir" >&2
  dotnet publish "$project_dir" -c Release -r linux-x64 --self-contained \
    -p:PublishSingleFile=true -p:InvariantGlobalization=true -p:DebugType=none \
    -o "$rootfs/app" >&2

  entry=$(find "$rootfs/app" -maxdepth 1 -type f -perm -u+x | head -n 1)
  [ -n "$entry" ] || { echo "build-image: no executable in publish output" >&2; exit 1; }

  # The .NET host and runtime link dynamically against glibc, libstdc++ and libgcc; bring them along.
  # OpenSSL is loaded on first use of System.Security.Cryptography (RandomNumberGenerator included):
  # without it the process aborts ("No usable version of libssl was found"), so it comes too.
  ssl_libs=$(ls /usr/lib/x86_64-linux-gnu/libssl.so.3 /usr/lib/x86_64-linux-gnu/libcrypto.so.3 2>/dev/null || true)
  for lib in $(ldd "$entry" | grep -oE '/[^ ]+\.so[^ ]*' | sort -u) /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libresolv.so.2 $ssl_libs; do
    [ -e "$lib" ] || continue
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
  # An init as PID 1, as the official Elasticsearch image has (tini): the kernel drops every signal sent to a
  # namespace's PID 1 that has no handler for it, and a .NET process only has one for SIGTERM once its host
  # has started (seconds after exec on a loaded machine). As PID 1 the node lost a `docker stop` sent while it
  # was starting and was SIGKILLed at the end of the grace period; under tini the signal is forwarded to it
  # and stops it at any time. tini-static (Debian's `tini` package, also Docker's docker-init) needs no libraries.
  tini=$(command -v tini-static || true)
  [ -n "$tini" ] || { echo "build-image: tini-static not found (apt-get install tini)" >&2; exit 1; }
  mkdir -p "$rootfs/sbin"
  cp -L "$tini" "$rootfs/sbin/tini"
  chmod 1777 "$rootfs/tmp"
  mkdir -p "$rootfs/etc"
  echo "root:x:0:0:root:/root:/bin/false" > "$rootfs/etc/passwd"
  echo "hosts: files dns" > "$rootfs/etc/nsswitch.conf"
  touch "$rootfs.done"
fi

entry=$(find "$rootfs/app" -maxdepth 1 -type f -perm -u+x | head -n 1)
[ -n "$entry" ] || { echo "build-image: no executable in $rootfs/app" >&2; exit 1; }
dockerfile="$images/Dockerfile-$source_hash"
{
  echo "FROM scratch"
  echo "COPY . /"
  echo "ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_gcServer=0"
  for kv in "${envs[@]}"; do echo "ENV ${kv%%=*}=\"${kv#*=}\""; done
  echo "LABEL cloud.source-hash=\"$source_hash\""
  echo "ENTRYPOINT [\"/sbin/tini\", \"--\", \"/app/$(basename "$entry")\"]"
} > "$dockerfile"

echo "build-image: building $image" >&2
DOCKER_BUILDKIT=0 docker build -q -f "$dockerfile" -t "$image" "$rootfs" >&2
rm -f "$dockerfile"
echo "build-image: built $image ($source_hash)" >&2
