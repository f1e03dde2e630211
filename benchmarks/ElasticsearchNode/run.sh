#!/usr/bin/env bash
# Benchmark of the Elasticsearch-compatible node against raw Lucene.Net indexing of the same documents,
# in one run: bulk docs/s with 1 and 4 clients, match p50/p99 on 200,000 documents, RSS at rest and after
# indexing, container start to answering GET / (from docker start and from the process start, beside Docker's floor:
# a static program started the same way, Floor/). Prints figures; it is not a test.
# Then the cluster figures (cluster.sh): 3-node formation, relocation MB/s, kill to yellow.
# Usage: benchmarks/ElasticsearchNode/run.sh [documents (default 200000)] [relocation documents (default 100000)]
# ES_BENCH_VERSION names the image tag to build and run (default 8.15.0; e.g. 8.15.0-<worktree> beside other worktrees).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=${ES_BENCH_VERSION:-8.15.0}
"$root/scripts/build-es-images.sh" "$version" >&2
# Docker's floor for the start figure: a static program that only answers HTTP, started the same way.
"$root/benchmarks/ElasticsearchNode/Floor/build.sh" "cloud/es-floor:$version" >&2
dotnet run -c Release --project "$root/benchmarks/ElasticsearchNode" -- "cloud/elasticsearch:$version" "${1:-200000}" --floor "cloud/es-floor:$version"
"$root/benchmarks/ElasticsearchNode/cluster.sh" "cloud/elasticsearch:$version" "${2:-100000}"
