#!/usr/bin/env bash
# Stops everything deploy/local/up.sh started, the Elasticsearch containers of host-1..host-3
# included, and nothing else. Data stays in .local/ for the next up.sh (delete it to start afresh).
set -uo pipefail
source "$(dirname "$0")/common.sh"

stop() {
  local name=$1 pid
  is_running "$name" || { rm -f "$pids/$name.pid"; return; }
  pid=$(cat "$pids/$name.pid")
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null
  rm -f "$pids/$name.pid"
  echo "down: stopped $name"
}

# Containers are removed only for hosts whose runner this state directory started: another up.sh
# (another CLOUD_LOCAL_STATE) may run host-1..host-3 containers of its own on the same engine.
ours=()
for host in "${hosts[@]}"; do
  [ -f "$pids/runner-$host.pid" ] && ours+=("$host")
done

stop proxy
stop constructor
for host in "${hosts[@]}"; do
  stop "allocator-$host"
  stop "runner-$host"
done

if [ ${#ours[@]} -gt 0 ] && docker info >/dev/null 2>&1; then
  for host in "${ours[@]}"; do
    ids=$(docker ps -aq --filter "label=cloud.runner.host=$host")
    [ -n "$ids" ] && docker rm -f $ids >/dev/null && echo "down: removed containers of $host"
  done
fi
stop zookeeper

# dockerd only if up.sh started it, and only that very process (by the pid it recorded): never by
# name, which would also stop an engine someone else started and other tests use.
if [ -f "$pids/dockerd.pid" ]; then
  pid=$(cat "$pids/dockerd.pid")
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    echo "down: stopped dockerd (pid $pid, up.sh had started it)"
  fi
  rm -f "$pids/dockerd.pid"
fi
rm -f "$pids/dockerd.started"
