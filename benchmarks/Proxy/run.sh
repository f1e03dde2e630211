#!/usr/bin/env bash
# Proxy benchmark: our proxy and HAProxy side by side (wrk against our own nginx), with 1 and 10,000
# clusters; routing change -> applied p99 at 10,000 clusters; backend kill -> out of rotation.
# Usage: benchmarks/Proxy/run.sh [seconds per wrk run=15] [connections=64] [threads=2] [baseline Cloud.Proxy.dll]
#   baseline: another build of the proxy (say, of the commit before a change) measured beside ours in the same run;
#   BENCH_BASELINE_ENV="DOTNET_X=1 ..." sets environment variables for the baseline's process only;
#   BENCH_THROUGHPUT_ONLY=1 stops after the 1-cluster comparison (the quick loop while tuning).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bash "$root/scripts/install-deps.sh" zookeeper haproxy wrk nginx-light
dotnet build -c Release -nologo -v:q "$root/src/Proxy/Cloud.Proxy.csproj"
dotnet build -c Release -nologo -v:q "$root/benchmarks/Proxy/Cloud.Proxy.Benchmarks.csproj"
exec dotnet "$root/benchmarks/Proxy/bin/Release/net10.0/Cloud.Proxy.Benchmarks.dll" \
  "$root/src/Proxy/bin/Release/net10.0/Cloud.Proxy.dll" "${1:-15}" "${2:-64}" "${3:-2}" "${4:-}"
