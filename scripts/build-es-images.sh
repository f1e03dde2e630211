#!/usr/bin/env bash
# Builds the local Elasticsearch-compatible node image for each version given (default: the versions
# the single-host mode offers). Each version is its own tag, as with the official image.
# Usage: scripts/build-es-images.sh [version ...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
versions=("$@")
[ ${#versions[@]} -eq 0 ] && versions=(8.15.0 8.16.0)
for v in "${versions[@]}"; do
  "$root/scripts/build-image.sh" src/ElasticsearchNode "cloud/elasticsearch:$v" "ELASTIC_VERSION=$v"
done
