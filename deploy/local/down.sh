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

stop proxy
stop constructor
for host in "${hosts[@]}"; do
  stop "allocator-$host"
  stop "runner-$host"
done

if docker info >/dev/null 2>&1; then
  for host in "${hosts[@]}"; do
    ids=$(docker ps -aq --filter "label=cloud.runner.host=$host")
    [ -n "$ids" ] && docker rm -f $ids >/dev/null && echo "down: removed containers of $host"
  done
fi
stop zookeeper

if [ -f "$pids/dockerd.started" ]; then
  pkill -TERM -x dockerd && echo "down: stopped dockerd (up.sh had started it)"
  rm -f "$pids/dockerd.started"
fi
