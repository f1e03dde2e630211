#!/usr/bin/env bash
# Benchmarks this repo's .NET ZooKeeper client against the official Java client (Debian's zookeeper
# 3.8 package) doing the same pipelined async getData/setData work against one local server, then
# one synchronous getData at a time (latency p50/p99).
# Usage: benchmarks/ZooKeeper/run.sh [operations=100000] [concurrency=1000] [valueBytes=1024] [syncCalls=20000]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
operations="${1:-100000}"
concurrency="${2:-1000}"
value_bytes="${3:-1024}"
sync_calls="${4:-20000}"
java_dir=/usr/share/java
classpath="$java_dir/zookeeper.jar:$java_dir/zookeeper-jute.jar:$java_dir/slf4j-api.jar:$java_dir/slf4j-nop.jar"
for jar in netty-handler netty-common netty-buffer netty-transport netty-codec netty-resolver \
  netty-transport-native-epoll netty-transport-native-unix-common commons-cli commons-io; do
  [[ -f "$java_dir/$jar.jar" ]] && classpath="$classpath:$java_dir/$jar.jar"
done

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
mkdir -p "$work/data"
cat > "$work/zoo.cfg" <<CFG
tickTime=2000
dataDir=$work/data
clientPort=$port
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok
CFG

echo "Starting ZooKeeper on 127.0.0.1:$port"
java -Xmx512m -Dzookeeper.admin.enableServer=false -cp "$classpath" \
  org.apache.zookeeper.server.ZooKeeperServerMain "$work/zoo.cfg" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  if [[ "$( (exec 3<>/dev/tcp/127.0.0.1/"$port" && printf ruok >&3 && cat <&3) 2>/dev/null || true)" == "imok" ]]; then break; fi
  sleep 0.5
done

echo "Compiling the Java benchmark"
mkdir -p "$work/classes"
javac -cp "$classpath" -d "$work/classes" "$here/JavaBench.java"

echo "Building the .NET benchmark (Release)"
dotnet build "$here/Cloud.ZooKeeper.Benchmarks.csproj" -c Release -o "$work/dotnet" -v quiet -nologo > "$work/build.log" || { cat "$work/build.log"; exit 1; }

echo "Workload: $operations ops each, $concurrency in flight, $value_bytes-byte values, one session"
echo "--- Java client (zookeeper 3.8.0, async API)"
java -Xmx1g -cp "$work/classes:$classpath" JavaBench "127.0.0.1:$port" "$operations" "$concurrency" "$value_bytes" "$sync_calls" | tee "$work/java.txt"
echo "--- .NET client (Cloud.ZooKeeper)"
dotnet "$work/dotnet/Cloud.ZooKeeper.Benchmarks.dll" "127.0.0.1:$port" "$operations" "$concurrency" "$value_bytes" "$sync_calls" | tee "$work/dotnet.txt"

echo
printf "%-8s %14s %14s %8s\n" "op" "java ops/s" ".NET ops/s" "ratio"
for op in getData setData; do
  j="$(awk -v op="$op" '$1=="RESULT" && $3==op {print $4}' "$work/java.txt")"
  d="$(awk -v op="$op" '$1=="RESULT" && $3==op {print $4}' "$work/dotnet.txt")"
  printf "%-8s %14s %14s %8s\n" "$op" "$j" "$d" "$(awk -v a="$d" -v b="$j" 'BEGIN { printf "%.2fx", a / b }')"
done

echo
echo "One getData at a time ($sync_calls calls, microseconds)"
printf "%-8s %10s %10s\n" "client" "p50" "p99"
for client in java dotnet; do
  awk -v c="$client" '$1=="LATENCY" && $2==c && $3=="getData-sync" {printf "%-8s %10s %10s\n", c, $4, $5}' "$work/$client.txt"
done
