#!/usr/bin/env bash
# Constructor benchmarks (issue 18), each figure printed beside its target:
#  - placement of a 3-zone cluster among 10,000 allocators (p99 <= 5 ms)
#  - re-plan of 1,000 clusters after losing a zone (<= 1 s)
#  - the platform's own time to create a 3-node cluster beyond the containers' start (<= 1 s), against the
#    single-host platform of deploy/local/up.sh when it is up (CLOUD_API_PORT, default 12400); skipped otherwise.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/benchmarks/Constructor/Cloud.Constructor.Benchmarks.csproj" -c Release -nologo -v:q >/dev/null
bench="$root/benchmarks/Constructor/bin/Release/net10.0/Cloud.Constructor.Benchmarks.dll"
dotnet "$bench" placement
dotnet "$bench" replan
api="http://127.0.0.1:${CLOUD_API_PORT:-12400}"
if curl -fs -o /dev/null ${CLOUD_API_KEY:+-H "Authorization: ApiKey $CLOUD_API_KEY"} "$api/api/v1/clusters/elasticsearch"; then
  dotnet "$bench" create-time "$api" 3
else
  echo "create time: no platform at $api (start it with deploy/local/up.sh), not measured"
fi
