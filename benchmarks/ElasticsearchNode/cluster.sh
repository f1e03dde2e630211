#!/usr/bin/env bash
# Cluster figures of the node image, on the real Docker Engine: 3-node formation time (first `docker run`
# to all three in one cluster), relocation throughput of one shard between two nodes (exclude its node,
# time until no shard relocates; bytes from _cat/recovery), and `docker kill` of a node holding a primary
# to yellow with every primary active again. Targets from issue 16: relocation >= 50 MB/s on loopback,
# kill to yellow <= 5 s with default fault detection. Prints figures; it is not a test.
# Usage: benchmarks/ElasticsearchNode/cluster.sh <image> [documents (default 100000, ~1 KB each)]
set -euo pipefail
image=$1
docs=${2:-100000}
prefix="esbench-$$"
docker network create --label "owner=$prefix" "$prefix" >/dev/null
cleanup() { docker ps -aq --filter "label=owner=$prefix" | xargs -r docker rm -f >/dev/null; docker network rm "$prefix" >/dev/null; }
trap cleanup EXIT
declare -A port
now() { date +%s.%N; }
start_node() { # name zone
  port[$1]=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  docker run -d --name "$prefix-$1" --hostname "$prefix-$1" --network "$prefix" --label "owner=$prefix" -p "127.0.0.1:${port[$1]}:9200" \
    -e "cluster.name=$prefix" -e "node.name=$1" -e node.roles=master,data,ingest -e "node.attr.zone=$2" -e network.host=0.0.0.0 \
    -e "network.publish_host=$prefix-$1" -e http.port=9200 -e transport.port=9300 \
    -e "discovery.seed_hosts=$prefix-n1:9300,$prefix-n2:9300,$prefix-n3:9300" -e cluster.initial_master_nodes=n1,n2,n3 \
    -e path.data=/usr/share/elasticsearch/data "$image" >/dev/null
}
call() { # node method path [body-file]
  local node=$1 method=$2 path=$3
  if [ $# -ge 4 ]; then curl -sS -X "$method" -H 'Content-Type: application/x-ndjson' --data-binary "@$4" "http://127.0.0.1:${port[$node]}$path"
  else curl -sS -X "$method" -H 'Content-Type: application/json' "http://127.0.0.1:${port[$node]}$path"; fi
}
wait_until() { # node path python-condition-on-json
  for _ in $(seq 1 1200); do
    if call "$1" GET "$2" 2>/dev/null | python3 -c "import sys,json; d=json.load(sys.stdin); sys.exit(0 if ($3) else 1)" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "timed out waiting on $1 $2 for $3" >&2; return 1
}

t0=$(now)
start_node n1 z1; start_node n2 z2; start_node n3 z3
wait_until n1 "/_cluster/health" "d.get('number_of_nodes')==3"
t1=$(now)
formation=$(python3 -c "print(f'{$t1-$t0:.1f}')")

# Relocation: one shard, no replica, ~1 KB documents, flushed; then its node is excluded.
curl -sS -X PUT -H 'Content-Type: application/json' -d '{"settings":{"number_of_shards":1,"number_of_replicas":0}}' "http://127.0.0.1:${port[n1]}/reloc" >/dev/null
batch=$(mktemp)
for ((i = 0; i < docs; i += 5000)); do
  python3 -c "
import random, string, sys
r = random.Random($i)
for j in range($i, min($i + 5000, $docs)):
    text = ' '.join(''.join(r.choice(string.ascii_lowercase) for _ in range(r.randint(3, 9))) for _ in range(140))
    print('{\"index\":{\"_id\":\"d%d\"}}' % j); print('{\"n\":%d,\"text\":\"%s\"}' % (j, text))
" > "$batch"
  call n1 POST /reloc/_bulk "$batch" >/dev/null
done
rm -f "$batch"
call n1 POST /reloc/_flush >/dev/null
holder=$(call n1 GET '/_cat/shards?format=json' | python3 -c "import sys,json; print([s['node'] for s in json.load(sys.stdin) if s['index']=='reloc'][0])")
t2=$(now)
curl -sS -X PUT -H 'Content-Type: application/json' -d "{\"persistent\":{\"cluster.routing.allocation.exclude._name\":\"$holder\"}}" "http://127.0.0.1:${port[n1]}/_cluster/settings" >/dev/null
wait_until n1 "/_cat/shards?format=json" "all(s['node'] not in ('$holder',) and s['state']=='STARTED' for s in d if s['index']=='reloc')"
t3=$(now)
# The relocation's own copy (largest recovery of the index: the relocation, not the empty replica's) and its time.
read -r bytes copy_ms < <(call n1 GET '/_cat/recovery/reloc?format=json' | python3 -c "import sys,json; r=max(json.load(sys.stdin), key=lambda r: int(r['bytes_total'])); print(r['bytes_total'], r['time'].rstrip('ms'))")
relocation=$(python3 -c "b=$bytes; t=$t3-$t2; c=$copy_ms/1000; print(f'{b/1e6:.1f} MB in {t:.2f} s = {b/1e6/t:.1f} MB/s (recovery alone {c:.2f} s = {b/1e6/max(c,0.001):.1f} MB/s)')")
curl -sS -X PUT -H 'Content-Type: application/json' -d '{"persistent":{"cluster.routing.allocation.exclude._name":null}}' "http://127.0.0.1:${port[n1]}/_cluster/settings" >/dev/null

# Kill to yellow: 3 shards, 1 replica; kill a node (not n1) holding a primary.
curl -sS -X PUT -H 'Content-Type: application/json' -d '{"settings":{"number_of_shards":3,"number_of_replicas":1}}' "http://127.0.0.1:${port[n1]}/kill" >/dev/null
wait_until n1 "/_cluster/health/kill" "d['status']=='green'"
victim=$(call n1 GET '/_cat/shards?format=json' | python3 -c "import sys,json; print([s['node'] for s in json.load(sys.stdin) if s['index']=='kill' and s['prirep']=='p' and s['node']!='n1'][0])")
t4=$(now)
docker kill "$prefix-$victim" >/dev/null
# Yellow or already green again (the empty replicas recover fast): what is measured is every primary active.
wait_until n1 "/_cluster/health/kill" "d['status'] in ('yellow','green') and d['active_primary_shards']==3 and d['number_of_nodes']==2"
t5=$(now)
kill_to_yellow=$(python3 -c "print(f'{$t5-$t4:.1f}')")

printf '\n%-44s %s\n' "cluster (image $image)" "figure | target"
printf '%-44s %s\n' "3-node formation (first run to one cluster)" "$formation s | -"
printf '%-44s %s\n' "relocation of one shard ($docs docs)" "$relocation | >= 50 MB/s"
printf '%-44s %s\n' "load average at the end" "$(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-44s %s\n' "docker kill of a primary's node to promoted" "$kill_to_yellow s | <= 5 s"
