"""Debian's official Python client (7.17) through the proxy.

Env: ES_URL (the proxy), ES_HEADER_NAME / ES_HEADER_VALUE (X-Found-Cluster or Host), CLUSTER_ID, ES_INDEX.
Exits non-zero on the first failure; prints one line per step and OK at the end.
"""
import os

from elasticsearch import Elasticsearch, NotFoundError, helpers

url = os.environ["ES_URL"]
cluster_id = os.environ["CLUSTER_ID"]
index = os.environ["ES_INDEX"]
# The 7.17 client's constructor timeout is `timeout`; generous because the machine is shared and loaded.
es = Elasticsearch([url], headers={os.environ["ES_HEADER_NAME"]: os.environ["ES_HEADER_VALUE"]}, timeout=120)

assert es.ping(), "ping"
print("ping ok")
info = es.info()
assert info["tagline"] == "You Know, for Search", info
print("info ok", info["version"]["number"])
es.indices.create(index=index, body={"mappings": {"properties": {"title": {"type": "text"}, "n": {"type": "long"}}}})
assert es.indices.exists(index=index), "HEAD of an index that exists"
assert not es.indices.exists(index=index + "-missing"), "HEAD of a missing index"
print("exists ok")
ok, errors = helpers.bulk(es, ({"_index": index, "_id": str(i), "title": f"hello {i}" if i % 50 == 0 else f"doc {i}", "n": i} for i in range(500)), refresh=True)
assert ok == 500 and not errors, (ok, errors)
print("bulk ok")
hits = es.search(index=index, query={"match": {"title": "hello"}})["hits"]
assert hits["total"]["value"] == 10, hits
assert es.count(index=index)["count"] == 500
print("search ok")
stranger = Elasticsearch([url], headers={"X-Found-Cluster": cluster_id + "-unknown"}, timeout=120)
assert not stranger.ping(), "ping of an unknown cluster"
try:
    stranger.info()
    raise AssertionError("info of an unknown cluster succeeded")
except NotFoundError as e:
    assert e.error == "cluster_not_found_exception", e.info
print("unknown cluster ok")
print("OK")
