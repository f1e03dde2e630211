"""Smoke run of Debian's python3-elasticsearch (7.17) against a node: every call must succeed with the product check on."""
import sys

from elasticsearch import Elasticsearch, helpers

# Generous timeouts: the test machine is shared and heavily loaded, and a cold node JIT-compiles its first
# bulk. The 7.17 client names its per-connection timeout `timeout` (`request_timeout` is only a per-call
# parameter there and is silently ignored in the constructor, leaving the 10 s default).
es = Elasticsearch(sys.argv[1], timeout=180)
info = es.info()
assert info["tagline"] == "You Know, for Search", info
assert es.ping()

index = "py-smoke"
es.indices.create(index=index, body={
    "settings": {"number_of_shards": 2, "number_of_replicas": 0},
    "mappings": {"properties": {"tag": {"type": "keyword"}, "n": {"type": "long"}, "text": {"type": "text"}}},
})
assert es.indices.exists(index=index)


def docs():
    for i in range(10000):
        words = f"document number {i}" + (" quick brown fox" if i % 10 == 0 else "")
        yield {"_index": index, "_id": str(i), "_source": {"n": i, "tag": "even" if i % 2 == 0 else "odd", "text": words}}


ok, errors = helpers.bulk(es, docs(), chunk_size=1000)
assert ok == 10000 and not errors, (ok, errors)
es.indices.refresh(index=index)
assert es.count(index=index)["count"] == 10000

hits = es.search(index=index, body={"query": {"match": {"text": "fox"}}})["hits"]
assert hits["total"]["value"] == 1000, hits["total"]
hits = es.search(index=index, body={"query": {"term": {"tag": "even"}}, "size": 3})["hits"]
assert hits["total"]["value"] == 5000 and len(hits["hits"]) == 3
hits = es.search(index=index, body={"query": {"bool": {
    "must": [{"match": {"text": "fox"}}],
    "filter": [{"range": {"n": {"gte": 5000}}}],
    "must_not": [{"term": {"n": 5000}}]}}})["hits"]
assert hits["total"]["value"] == 499, hits["total"]
aggs = es.search(index=index, body={"size": 0, "aggs": {"tags": {"terms": {"field": "tag"}}, "top": {"max": {"field": "n"}}}})["aggregations"]
assert {b["key"]: b["doc_count"] for b in aggs["tags"]["buckets"]} == {"even": 5000, "odd": 5000}, aggs
assert aggs["top"]["value"] == 9999

scanned = sum(1 for _ in helpers.scan(es, index=index, query={"query": {"match_all": {}}}, size=700))
assert scanned == 10000, scanned

doc = es.get(index=index, id="42")
assert doc["_source"]["n"] == 42
es.update(index=index, id="42", body={"doc": {"tag": "answer"}}, refresh=True)
assert es.get(index=index, id="42")["_source"]["tag"] == "answer"
assert es.count(index=index, body={"query": {"term": {"tag": "answer"}}})["count"] == 1
es.delete(index=index, id="42")
assert not es.exists(index=index, id="42")
es.indices.delete(index=index)
assert not es.indices.exists(index=index)
print("OK")
