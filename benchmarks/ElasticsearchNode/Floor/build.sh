#!/usr/bin/env bash
# Builds the image of Docker's floor for the start benchmark: floor.c (a static program that answers HTTP on
# 9200) on FROM scratch, under the same tini entrypoint as the node's image, so starting it costs what Docker
# costs and nothing of the node. Skips the build when the image of this source exists.
# Usage: benchmarks/ElasticsearchNode/Floor/build.sh <image:tag>   (needs gcc with static glibc: Debian's gcc, libc6-dev)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=$1
hash=$(cat "$here/floor.c" "$0" | sha256sum | cut -c1-16)
if [ "$(docker image inspect -f '{{ index .Config.Labels "cloud.source-hash" }}' "$image" 2>/dev/null || true)" = "$hash" ]; then
  exit 0
fi

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/rootfs/app" "$context/rootfs/sbin"
gcc -static -O2 -o "$context/rootfs/app/floor" "$here/floor.c"
tini=$(command -v tini-static || true)
[ -n "$tini" ] || { echo "floor: tini-static not found (apt-get install tini)" >&2; exit 1; }
cp -L "$tini" "$context/rootfs/sbin/tini"
cat > "$context/Dockerfile" <<DOCKERFILE
FROM scratch
COPY rootfs/ /
LABEL cloud.source-hash="$hash"
ENTRYPOINT ["/sbin/tini", "--", "/app/floor"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build -q -t "$image" "$context" >&2
echo "floor: built $image" >&2
