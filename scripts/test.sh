#!/usr/bin/env bash
# Runs every test of the platform: unit tests and integration tests against a real ZooKeeper 3.8
# and a real Docker Engine (installed with apt-get and started when missing).
# Test projects run one after another (integration tests start real servers and containers; two
# cores do not take several suites at once). Prints each project's elapsed time, then ends with
# one line: "N passed, N failed".
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter Category!=Integration]
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
results="$root/.artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# The official Python client (Debian's 7.17) runs in the client tests; npm fetches the JavaScript one.
bash scripts/install-deps.sh zookeeper docker.io python3-elasticsearch </dev/null || { echo "0 passed, 1 failed"; exit 1; }

if ! dotnet build Cloud.sln -c Debug -nologo -v:q </dev/null; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

crashed=0
timings=()
for project in $(find tests -name '*.Tests.csproj' | sort); do
  name=$(basename "$project" .csproj)
  echo "=== $name"
  log="$results/$name.log"
  started=$SECONDS
  dotnet test "$project" --no-build -c Debug -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" --blame-hang-timeout 15m "$@" </dev/null 2>&1 | tee "$log"
  elapsed=$((SECONDS - started))
  if [ -f "$results/$name.trx" ]; then
    timings+=("$(printf '%-36s %5d s' "$name" "$elapsed")")
  elif grep -q -e 'No test is available' -e 'No test matches' "$log"; then
    # A project with no tests (or none matching the filter) is not a crash.
    timings+=("$(printf '%-36s %5d s  (no tests)' "$name" "$elapsed")")
  else
    echo "$name produced no results (crashed before reporting)"
    timings+=("$(printf '%-36s %5d s  (crashed)' "$name" "$elapsed")")
    crashed=$((crashed + 1))
  fi
done

echo "=== time per test project"
printf '%s\n' "${timings[@]}"

passed=0
failed=$crashed
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
done

# CI keeps only the tail of this output: name every failed test (and the first line of why) here.
if [ "$failed" -gt 0 ]; then
  echo "=== failed tests"
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    python3 - "$trx" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for result in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if result.get("outcome") not in ("Passed", "NotExecuted"):
        message = result.findtext(".//t:Message", default="", namespaces=ns).strip().splitlines()
        print(f"{result.get('outcome')}: {result.get('testName')}")
        for line in message[:3]:
            print(f"    {line[:300]}")
PY
  done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
