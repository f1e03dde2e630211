#!/usr/bin/env bash
# Single-host mode: the whole platform on this machine (DESIGN.md, "Single-host mode").
# Installs what is missing (zookeeper, docker.io), starts dockerd if needed, builds, then starts in
# the background ZooKeeper, a constructor, a proxy and three allocator+runner pairs (host-1..host-3
# in zone-1..zone-3), waits until all have registered, and prints where to reach them.
# Running it again while up changes nothing. Stop everything with deploy/local/down.sh.
# Usage: deploy/local/up.sh [--demo]
set -euo pipefail
source "$(dirname "$0")/common.sh"

demo=false
for arg in "$@"; do
  case "$arg" in
    --demo) demo=true ;;
    *) echo "usage: $0 [--demo]" >&2; exit 2 ;;
  esac
done

mkdir -p "$pids" "$logs" "$state/zookeeper" "$state/data"

# Every role this run would start needs its port free. A port already answering belongs to someone else,
# most often another single-host platform (another CLOUD_LOCAL_STATE): the health waits below would take
# its roles for ours, and its runners own the same host-1..host-3 containers, so two platforms on one
# engine would remove each other's. Refuse before building rather than half-start.
port_taken() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
taken=()
role_ports=("zookeeper:$zk_port" "constructor:$api_port" "proxy:$proxy_port")
for n in 1 2 3; do role_ports+=("runner-host-$n:$((12410 + n))" "allocator-host-$n:$((12420 + n))"); done
for role_port in "${role_ports[@]}"; do
  role=${role_port%%:*} port=${role_port##*:}
  is_running "$role" || ! port_taken "$port" || taken+=("$port ($role)")
done
if [ ${#taken[@]} -gt 0 ]; then
  echo "up: these ports are taken by processes this state directory ($state) did not start: ${taken[*]}." >&2
  echo "up: one single-host platform runs per machine (runner and allocator ports 12411-12413 and 12421-12423 are fixed," >&2
  echo "up: and two platforms' runners would share host-1..host-3's containers): stop the other one with its own down.sh" >&2
  echo "up: and CLOUD_* variables, or free these ports (CLOUD_API_PORT, CLOUD_PROXY_PORT, CLOUD_ZK_PORT choose the first three)." >&2
  exit 1
fi
docker_was_running=true
docker info >/dev/null 2>&1 || docker_was_running=false
bash "$root/scripts/install-deps.sh" zookeeper docker.io clang zlib1g-dev
if ! $docker_was_running && [ ! -f "$pids/dockerd.pid" ] && [ -f /var/run/docker.pid ]; then
  # down.sh stops dockerd only if we started it, and only that process, by this pid.
  cat /var/run/docker.pid >"$pids/dockerd.pid"
fi
source "$(dirname "$0")/common.sh"  # the classpath exists only once zookeeper is installed

echo "up: building the constructor and the proxy (Release)"
# Only what runs here: tests and benchmarks are scripts/test.sh's business, and the agents are published below.
for role in Constructor Proxy; do
  dotnet build "$root/src/$role" -c Release -nologo -v:q
done
# The host agents run as they are deployed: Native AOT executables, a fraction of a JIT-compiled host's
# memory at rest (src/Runner/README.md, "Memory"). A Native AOT publish is minutes of CPU on two cores, so
# its output is kept per source hash under .artifacts/agents and published only when the agents' code
# changed. Copied beside and moved into place, so a second run never writes into an executable that is
# running (moving replaces the name, not the running file).
agents_hash=$( (cd "$root" && find src/Runner src/Allocator src/Shared src/ZooKeeper -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' \) \
  -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z | xargs -0 sha256sum; cat Directory.Build.props Directory.Packages.props global.json) | sha256sum | cut -c1-16)
agents="$root/.artifacts/agents"
mkdir -p "$agents"
(
  flock 9
  if [ ! -e "$agents/$agents_hash.done" ]; then
    echo "up: publishing the runner and the allocator (Native AOT)"
    find "$agents" -mindepth 1 -maxdepth 1 ! -name '*.lock' -exec rm -rf {} +
    for role in Runner Allocator; do
      dotnet publish "$root/src/$role" -c Release -r linux-x64 -nologo -v:q -o "$agents/$agents_hash/${role,,}"
    done
    touch "$agents/$agents_hash.done"
  fi
) 9>"$agents/publish.lock"
mkdir -p "$state/bin"
for role in runner allocator; do
  out="$state/bin/$role" next="$state/bin/.$role.next"
  rm -rf "$next"
  cp -r "$agents/$agents_hash/$role" "$next"
  mkdir -p "$out"
  for file in "$next"/*; do mv -f "$file" "$out/"; done
  rmdir "$next"
done
bash "$root/scripts/build-es-images.sh" 8.15.0 8.16.0

# start <name> <command...>: starts a background process once, logging to $logs/<name>.log.
start() {
  local name=$1; shift
  if is_running "$name"; then
    echo "up: $name already running (pid $(cat "$pids/$name.pid"))"
    return
  fi
  setsid nohup "$@" >"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$pids/$name.pid"
  echo "up: started $name (pid $!)"
}

role_dll() { echo "$root/src/$1/bin/Release/net10.0/Cloud.$1.dll"; }
agent() { echo "$state/bin/${1,,}/Cloud.$1"; }

if ! is_running zookeeper; then
  cat >"$state/zookeeper/zoo.cfg" <<CFG
tickTime=500
dataDir=$state/zookeeper/data
clientPort=$zk_port
clientPortAddress=127.0.0.1
minSessionTimeout=1000
maxSessionTimeout=60000
admin.enableServer=false
4lw.commands.whitelist=*
CFG
fi
start zookeeper java -Xmx512m -Dzookeeper.admin.enableServer=false -cp "$zk_classpath" \
  org.apache.zookeeper.server.ZooKeeperServerMain "$state/zookeeper/zoo.cfg"
for _ in $(seq 1 60); do
  echo srvr | timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$zk_port; cat >&3; cat <&3" 2>/dev/null | grep -q "Mode:" && break
  sleep 0.5
done
zk_connect="127.0.0.1:$zk_port"

# Containers reach each other (and the proxy reaches them) on the docker bridge's gateway address.
host_address=$(ip -4 -o addr show docker0 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -n 1)
[ -n "$host_address" ] || host_address=$(docker network inspect bridge -f '{{ range .IPAM.Config }}{{ .Gateway }}{{ end }}' 2>/dev/null)
[ -n "$host_address" ] || host_address=172.17.0.1

api_key_args=()
[ -n "${CLOUD_API_KEY:-}" ] && api_key_args=(--Api:AdminKey="$CLOUD_API_KEY")

start constructor dotnet "$(role_dll Constructor)" --urls "http://0.0.0.0:$api_port" \
  --ZooKeeper:ConnectString="$zk_connect" --Constructor:ProxyEndpointTemplate="http://{cluster_id}.localhost:$proxy_port" \
  "${api_key_args[@]}"
start proxy dotnet "$(role_dll Proxy)" --urls "http://0.0.0.0:$proxy_port" \
  --ZooKeeper:ConnectString="$zk_connect"

i=0
for host in "${hosts[@]}"; do
  i=$((i + 1))
  data_root="$state/data/$host"
  mkdir -p "$data_root"
  start "runner-$host" "$(agent Runner)" --urls "http://127.0.0.1:$((12410 + i))" \
    --ZooKeeper:ConnectString="$zk_connect" --Runner:HostId="$host" --Runner:DataRoot="$data_root"
  start "allocator-$host" "$(agent Allocator)" --urls "http://127.0.0.1:$((12420 + i))" \
    --ZooKeeper:ConnectString="$zk_connect" --Allocator:AllocatorId="$host" --Allocator:Zone="zone-$i" \
    --Allocator:HostAddress="$host_address" --Allocator:DataRoot="$data_root" \
    --Allocator:MemoryCapacityMb=4096 --Allocator:ImageTemplate='cloud/elasticsearch:{version}' \
    --Allocator:PortRange="$((20000 + (i - 1) * 1000))-$((20999 + (i - 1) * 1000))"
done

echo "up: waiting for every role to answer and register"
wait_health constructor "http://127.0.0.1:$api_port"
wait_health proxy "http://127.0.0.1:$proxy_port"
for n in 1 2 3; do
  wait_health "runner-host-$n" "http://127.0.0.1:$((12410 + n))"
  wait_health "allocator-host-$n" "http://127.0.0.1:$((12420 + n))"
done

# registered <path>: the children of a ZooKeeper node, space-separated (none while it is missing).
registered() { { zk ls "$1" || true; } | { grep '^\[' || true; } | tail -n 1 | tr -d '[],' ; }
missing=()
for kind in runners allocators; do
  ok=false
  for _ in $(seq 1 30); do
    got=$(registered "/cloud/$kind")
    if [ "$(echo "$got" | wc -w)" -ge 3 ]; then ok=true; break; fi
    sleep 1
  done
  $ok || missing+=("$kind")
done

echo
echo "Platform is up (state and logs in $state):"
echo "  ZooKeeper    127.0.0.1:$zk_port   (inspect: zkCli.sh -server 127.0.0.1:$zk_port ls /cloud)"
echo "  Constructor  http://127.0.0.1:$api_port"
echo "  Proxy        http://127.0.0.1:$proxy_port"
echo "  Hosts        host-1 (zone-1), host-2 (zone-2), host-3 (zone-3)"
if [ ${#missing[@]} -gt 0 ]; then
  echo "  Not yet registering in ZooKeeper (roles still being built): ${missing[*]}"
fi

if $demo; then
  bash "$root/deploy/local/demo.sh"
fi
