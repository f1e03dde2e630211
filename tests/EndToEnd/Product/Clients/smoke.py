"""Smoke test of Debian's official Elasticsearch Python client (7.17) through the platform's proxy.

Env: ES_URL (the proxy), ES_HEADER_NAME / ES_HEADER_VALUE (X-Found-Cluster or Host), ES_INDEX.
Exits non-zero on the first failure; prints one line per step.
"""
import os
import sys

from elasticsearch import Elasticsearch, helpers

url = os.environ["ES_URL"]
headers = {os.environ["ES_HEADER_NAME"]: os.environ["ES_HEADER_VALUE"]}
index = os.environ["ES_INDEX"]

es = Elasticsearch([url], headers=headers, timeout=180)

assert es.ping(), "ping failed"
print("ping ok")
info = es.info()
assert info["tagline"] == "You Know, for Search", info
print("info ok", info["version"]["number"])
es.index(index=index, id="1", body={"title": "hello python", "n": 1}, refresh=True)
print("index ok")
ok, errors = helpers.bulk(es, ({"_index": index, "_id": str(i), "title": f"doc {i}", "n": i} for i in range(2, 502)), refresh=True)
assert ok == 500 and not errors, (ok, errors)
print("bulk ok")
hits = es.search(index=index, body={"query": {"match": {"title": "hello"}}})["hits"]
assert hits["total"]["value"] == 1, hits
print("search ok")
count = es.count(index=index)["count"]
assert count == 501, count
print("count ok", count)
sys.exit(0)
