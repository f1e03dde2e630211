#!/usr/bin/env bash
# Creates the small 3-zone demo cluster "demo" on a platform started by up.sh, and prints how to
# query it. Until the constructor's plan API exists, it assigns the three instances to the
# allocators directly in ZooKeeper (exactly what the constructor's placement would write), one per
# zone; the allocators and runners then make them real. Running it again changes nothing.
set -euo pipefail
source "$(dirname "$0")/common.sh"

cluster=demo
version=8.15.0
masters='["instance-0000000001","instance-0000000002","instance-0000000003"]'

if curl -fs -o /dev/null "http://127.0.0.1:$api_port/api/v1/clusters/elasticsearch" 2>/dev/null; then
  echo "demo: the constructor API is available; creating the cluster through it"
  curl -fs -X POST "http://127.0.0.1:$api_port/api/v1/clusters/elasticsearch" \
    -H 'Content-Type: application/json' ${CLOUD_API_KEY:+-H "Authorization: ApiKey $CLOUD_API_KEY"} \
    -d "{\"cluster_name\":\"$cluster\",\"plan\":{\"elasticsearch\":{\"version\":\"$version\"},\"cluster_topology\":[{\"node_roles\":[\"master\",\"data\",\"ingest\"],\"memory_per_node\":1024,\"node_count_per_zone\":1,\"zone_count\":3}]}}"
  echo
  echo "Query it through the proxy:  curl -H 'X-Found-Cluster: <cluster_id>' http://127.0.0.1:$proxy_port/"
  exit 0
fi

echo "demo: the constructor API is not built yet; assigning the demo instances to host-1..host-3 directly"
i=0
for host in "${hosts[@]}"; do
  i=$((i + 1))
  instance=$(printf 'instance-%010d' "$i")
  node="/cloud/allocators-work/$host/$cluster-$instance"
  if zk stat "$node" >/dev/null 2>&1; then
    echo "demo: $instance already assigned to $host"
    continue
  fi
  zk create /cloud/allocators-work >/dev/null 2>&1 || true
  zk create "/cloud/allocators-work/$host" >/dev/null 2>&1 || true
  # zkCli splits its arguments on spaces: the JSON is written without any.
  zk create "$node" "{\"cluster_id\":\"$cluster\",\"cluster_name\":\"$cluster\",\"instance_name\":\"$instance\",\"version\":\"$version\",\"memory_mb\":1024,\"node_roles\":[\"master\",\"data\",\"ingest\"],\"zone\":\"zone-$i\",\"initial_master_nodes\":$masters}" >/dev/null
  echo "demo: assigned $instance to $host (zone-$i)"
done

echo "demo: waiting for the three instances to answer"
declare -a endpoints=()
for n in 1 2 3; do
  instance=$(printf 'instance-%010d' "$n")
  endpoint=""
  for _ in $(seq 1 60); do
    status=$(zk get "/cloud/instances/$cluster/$instance" | grep '^{' || true)
    if echo "$status" | grep -q '"reachable":true'; then
      host=$(echo "$status" | grep -o '"host":"[^"]*"' | cut -d'"' -f4)
      port=$(echo "$status" | grep -o '"http_port":[0-9]*' | cut -d: -f2)
      endpoint="http://$host:$port"
      break
    fi
    sleep 1
  done
  [ -n "$endpoint" ] || { echo "demo: $instance did not come up; see $logs" >&2; exit 1; }
  endpoints+=("$endpoint")
  echo "demo: $instance answers at $endpoint"
done

echo
echo "Query the demo cluster's node in zone-1:"
echo "  curl ${endpoints[0]}/"
echo "Through the proxy, once the proxy routes by cluster id (not built yet):"
echo "  curl -H 'X-Found-Cluster: $cluster' http://127.0.0.1:$proxy_port/"
