#!/usr/bin/env bash
# Runner benchmark: definition written to ZooKeeper -> container running (p50/p99), and a cold
# reconcile of N definitions, against a real ZooKeeper (started by the benchmark) and Docker Engine.
# Usage: benchmarks/Runner/run.sh [count=50]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bash "$root/scripts/install-deps.sh" zookeeper docker.io
exec dotnet run -c Release --project "$root/benchmarks/Runner" -- "${1:-50}"
