// Smoke run of npm's @elastic/elasticsearch 9.x against a node: every call must succeed with the product check on.
import assert from 'node:assert/strict'
import { Client } from '@elastic/elasticsearch'

// Generous timeouts: the test machine is shared and heavily loaded.
const client = new Client({ node: process.argv[2], requestTimeout: 180000 })
const index = 'js-smoke'

const info = await client.info()
assert.equal(info.tagline, 'You Know, for Search')
assert.equal(await client.ping(), true)

await client.indices.create({
  index,
  settings: { number_of_shards: 2, number_of_replicas: 0 },
  mappings: { properties: { tag: { type: 'keyword' }, n: { type: 'long' }, text: { type: 'text' } } }
})
assert.equal(await client.indices.exists({ index }), true)

for (let start = 0; start < 10000; start += 1000) {
  const operations = []
  for (let i = start; i < start + 1000; i++) {
    operations.push({ index: { _index: index, _id: String(i) } })
    operations.push({ n: i, tag: i % 2 === 0 ? 'even' : 'odd', text: `document number ${i}` + (i % 10 === 0 ? ' quick brown fox' : '') })
  }
  const bulk = await client.bulk({ operations })
  assert.equal(bulk.errors, false)
}

await client.indices.refresh({ index })
assert.equal((await client.count({ index })).count, 10000)

let result = await client.search({ index, query: { match: { text: 'fox' } } })
assert.equal(result.hits.total.value, 1000)
result = await client.search({ index, query: { term: { tag: 'even' } }, size: 3 })
assert.equal(result.hits.total.value, 5000)
assert.equal(result.hits.hits.length, 3)
result = await client.search({
  index,
  query: { bool: { must: [{ match: { text: 'fox' } }], filter: [{ range: { n: { gte: 5000 } } }], must_not: [{ term: { n: 5000 } }] } }
})
assert.equal(result.hits.total.value, 499)

let after
let seen = 0
for (;;) {
  const page = await client.search({ index, size: 1500, sort: [{ n: 'asc' }], search_after: after, query: { match_all: {} } })
  if (page.hits.hits.length === 0) break
  seen += page.hits.hits.length
  after = page.hits.hits.at(-1).sort
}
assert.equal(seen, 10000)

const doc = await client.get({ index, id: '42' })
assert.equal(doc._source.n, 42)
await client.update({ index, id: '42', doc: { tag: 'answer' }, refresh: true })
assert.equal((await client.get({ index, id: '42' }))._source.tag, 'answer')
await client.delete({ index, id: '42' })
assert.equal(await client.exists({ index, id: '42' }), false)
await client.indices.delete({ index })
assert.equal(await client.indices.exists({ index }), false)
console.log('OK')
