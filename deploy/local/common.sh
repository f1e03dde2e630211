# Shared settings of deploy/local/up.sh and down.sh (sourced, not run).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state="${CLOUD_LOCAL_STATE:-$root/.local}"
pids="$state/pids"
logs="$state/logs"
api_port="${CLOUD_API_PORT:-12400}"
proxy_port="${CLOUD_PROXY_PORT:-9200}"
zk_port="${CLOUD_ZK_PORT:-2181}"
hosts=(host-1 host-2 host-3)
zk_classpath=$(ls /usr/share/java/{zookeeper,zookeeper-jute,slf4j-api,slf4j-nop,netty-handler,netty-common,netty-buffer,netty-transport,netty-codec,netty-resolver,netty-transport-native-epoll,netty-transport-native-unix-common,commons-cli,commons-io}.jar 2>/dev/null | paste -sd: -)

# is_running <name>: the process recorded under that name is alive.
is_running() {
  local pid
  [ -f "$pids/$1.pid" ] && pid=$(cat "$pids/$1.pid") && kill -0 "$pid" 2>/dev/null
}

# zk <command...>: runs one zkCli command against the local ZooKeeper.
zk() {
  java -cp "$zk_classpath" org.apache.zookeeper.ZooKeeperMain -server "127.0.0.1:$zk_port" "$@" 2>/dev/null
}

# wait_health <name> <url>: waits until the role answers /health; if it does not (or its process is gone),
# says which role failed, with the last lines of its log, and stops.
wait_health() {
  local name=$1 url=$2
  for _ in $(seq 1 240); do
    curl -fs "$url/health" >/dev/null 2>&1 && return 0
    is_running "$name" || break
    sleep 0.5
  done
  if is_running "$name"; then
    echo "up: $name did not answer at $url/health within 2 minutes" >&2
  else
    echo "up: $name exited before answering at $url/health" >&2
  fi
  echo "up: last lines of $logs/$name.log:" >&2
  tail -n 20 "$logs/$name.log" 2>/dev/null | sed 's/^/  /' >&2
  exit 1
}
