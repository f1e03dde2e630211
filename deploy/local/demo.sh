#!/usr/bin/env bash
# Creates the small 3-zone demo cluster "demo" through the constructor's API on a platform started by
# up.sh, waits until it is healthy, and prints a curl line that queries it through the proxy.
# Running it again changes nothing: an existing cluster named "demo" is reused.
set -euo pipefail
source "$(dirname "$0")/common.sh"

name=demo
version=8.15.0
api="http://127.0.0.1:$api_port/api/v1/clusters/elasticsearch"
auth=()
[ -n "${CLOUD_API_KEY:-}" ] && auth=(-H "Authorization: ApiKey $CLOUD_API_KEY")

for _ in $(seq 1 60); do
  curl -fs -o /dev/null "${auth[@]}" "$api" && break
  sleep 1
done
curl -fs -o /dev/null "${auth[@]}" "$api" || { echo "demo: the constructor API does not answer at $api; see $logs/constructor.log" >&2; exit 1; }

cluster_id=$(curl -fs "${auth[@]}" "$api" | jq -r --arg n "$name" '[.elasticsearch_clusters[] | select(.cluster_name == $n)][0].cluster_id // empty')
if [ -n "$cluster_id" ]; then
  echo "demo: cluster '$name' exists ($cluster_id)"
else
  plan="{\"cluster_name\":\"$name\",\"plan\":{\"elasticsearch\":{\"version\":\"$version\"},\"cluster_topology\":[{\"node_roles\":[\"master\",\"data\",\"ingest\"],\"memory_per_node\":1024,\"node_count_per_zone\":1,\"zone_count\":3}]}}"
  answer=$(curl -s -w '\n%{http_code}' -X POST "$api" -H 'Content-Type: application/json' "${auth[@]}" -d "$plan")
  code=$(echo "$answer" | tail -n 1)
  body=$(echo "$answer" | sed '$d')
  if [ "$code" != 201 ]; then
    echo "demo: the constructor refused the demo plan ($code): $body" >&2
    exit 1
  fi
  cluster_id=$(echo "$body" | jq -r .cluster_id)
  echo "demo: created cluster '$name' ($cluster_id); the plan runs in the background"
fi

echo "demo: waiting until it is healthy (plan activity: $api/$cluster_id/plan/activity)"
healthy=false
for _ in $(seq 1 180); do
  resource=$(curl -fs "${auth[@]}" "$api/$cluster_id" || true)
  if [ "$(echo "$resource" | jq -r '.healthy // false')" = true ] && [ "$(echo "$resource" | jq -r '.plan_info.pending')" = null ]; then
    healthy=true
    break
  fi
  sleep 1
done
$healthy || { echo "demo: the cluster is not healthy yet; see $api/$cluster_id and $logs" >&2; exit 1; }
echo "$resource" | jq -r '.topology.instances[] | "demo: \(.instance_name) in \(.zone) on \(.allocator_id): \(.container_state)"'

echo
echo "Query the demo cluster through the proxy:"
echo "  curl -H 'X-Found-Cluster: $cluster_id' http://127.0.0.1:$proxy_port/"
echo "  curl http://$cluster_id.localhost:$proxy_port/"
