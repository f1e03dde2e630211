#!/usr/bin/env bash
# Benchmark of the Elasticsearch-compatible node against raw Lucene.Net indexing of the same documents,
# in one run: bulk docs/s with 1 and 4 clients, match p50/p99 on 200,000 documents, RSS at rest and after
# indexing, container start to answering GET /. Prints figures; it is not a test.
# Then the cluster figures (cluster.sh): 3-node formation, relocation MB/s, kill to yellow.
# Usage: benchmarks/ElasticsearchNode/run.sh [documents (default 200000)] [relocation documents (default 100000)]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/build-es-images.sh" 8.15.0 >&2
dotnet run -c Release --project "$root/benchmarks/ElasticsearchNode" -- cloud/elasticsearch:8.15.0 "${1:-200000}"
"$root/benchmarks/ElasticsearchNode/cluster.sh" cloud/elasticsearch:8.15.0 "${2:-100000}"
