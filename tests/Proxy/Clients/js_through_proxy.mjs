// npm's @elastic/elasticsearch 9.x (product check on) through the proxy, addressing the cluster with
// the X-Found-Cluster header given to the client's constructor, as a user would.
// Env: ES_URL (the proxy), CLUSTER_ID, ES_INDEX, CLIENT_DIR (where the client is installed).
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import path from 'node:path'

const require = createRequire(path.join(process.env.CLIENT_DIR, 'package.json'))
const { Client } = require('@elastic/elasticsearch')

const clusterId = process.env.CLUSTER_ID
const index = process.env.ES_INDEX
// Generous timeout: the test machine is shared and heavily loaded.
const client = new Client({ node: process.env.ES_URL, headers: { 'X-Found-Cluster': clusterId }, requestTimeout: 120000 })

assert.equal(await client.ping(), true, 'ping')
const pinged = await client.ping({}, { meta: true })
assert.equal(pinged.headers['x-found-handling-cluster'], clusterId, 'handling cluster')
assert.equal(pinged.headers['x-elastic-product'], 'Elasticsearch', 'product header')
console.log('ping ok')

const info = await client.info()
assert.equal(info.tagline, 'You Know, for Search')
console.log('info ok', info.version.number)

await client.indices.create({ index, mappings: { properties: { title: { type: 'text' }, n: { type: 'long' } } } })
assert.equal(await client.indices.exists({ index }), true, 'HEAD of an index that exists')
assert.equal(await client.indices.exists({ index: index + '-missing' }), false, 'HEAD of a missing index')
console.log('exists ok')

const operations = []
for (let i = 0; i < 500; i++) {
  operations.push({ index: { _index: index, _id: String(i) } }, { title: i % 50 === 0 ? `hello ${i}` : `doc ${i}`, n: i })
}
const bulk = await client.bulk({ operations, refresh: true })
assert.equal(bulk.errors, false, 'bulk errors')
assert.equal(bulk.items.length, 500)
console.log('bulk ok')

const search = await client.search({ index, query: { match: { title: 'hello' } } })
assert.equal(search.hits.total.value, 10, 'search hits')
const count = await client.count({ index })
assert.equal(count.count, 500, 'count')
console.log('search ok')

const stranger = new Client({ node: process.env.ES_URL, headers: { 'X-Found-Cluster': clusterId + '-unknown' }, requestTimeout: 120000 })
assert.equal(await stranger.ping(), false, 'ping of an unknown cluster')
await assert.rejects(stranger.info(), (e) => e.meta.statusCode === 404 && e.message.includes('cluster_not_found_exception'))
console.log('unknown cluster ok')
console.log('OK')
