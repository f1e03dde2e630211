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
