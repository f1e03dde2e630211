#!/usr/bin/env bash
# Runner benchmark: definition written to ZooKeeper -> container running (p50/p99), and a cold
# reconcile of N definitions, against a real ZooKeeper (started by the benchmark) and Docker Engine;
# then the runner and an allocator at rest, their memory, as built and as published (Native AOT).
# Usage: benchmarks/Runner/run.sh [count=50]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bash "$root/scripts/install-deps.sh" zookeeper docker.io clang zlib1g-dev
publish="$root/.artifacts/benchmarks/runner-publish"
dotnet build "$root/src/Allocator" -c Release -nologo -v:q   # the benchmark references only the runner
for role in Runner Allocator; do
  dotnet publish "$root/src/$role" -c Release -r linux-x64 -nologo -v:q -o "$publish/${role,,}"
done
exec dotnet run -c Release --project "$root/benchmarks/Runner" -- "${1:-50}" "$publish"
