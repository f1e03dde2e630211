// Smoke test of npm's official Elasticsearch client (9.x) through the platform's proxy.
// Env: ES_URL, ES_HEADER_NAME / ES_HEADER_VALUE, ES_INDEX, CLIENT_DIR (where @elastic/elasticsearch is installed).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.CLIENT_DIR, 'package.json'));
const { Client, HttpConnection } = require('@elastic/elasticsearch');

const index = process.env.ES_INDEX;
// Routing by Host name: undici (the default connection) refuses a Host header of the caller's
// ("duplicate host header"), Node's http module lets it replace the one derived from the URL.
const byHost = process.env.ES_HEADER_NAME.toLowerCase() === 'host';
const client = new Client({
  node: process.env.ES_URL,
  ...(byHost ? { Connection: HttpConnection } : {}),
  headers: { [process.env.ES_HEADER_NAME]: process.env.ES_HEADER_VALUE },
  // Generous: the test machine is shared and loaded, and a cold node JIT-compiles its first bulk.
  requestTimeout: 180000,
});

function check(condition, what) {
  if (!condition) {
    throw new Error('failed: ' + what);
  }
}

check(await client.ping(), 'ping');
console.log('ping ok');
const info = await client.info();
check(info.tagline === 'You Know, for Search', 'info');
console.log('info ok', info.version.number);
await client.index({ index, id: '1', document: { title: 'hello node', n: 1 }, refresh: true });
console.log('index ok');
const operations = [];
for (let i = 2; i < 502; i++) {
  operations.push({ index: { _index: index, _id: String(i) } }, { title: `doc ${i}`, n: i });
}
const bulk = await client.bulk({ operations, refresh: true });
check(!bulk.errors && bulk.items.length === 500, 'bulk');
console.log('bulk ok');
const search = await client.search({ index, query: { match: { title: 'hello' } } });
check(search.hits.total.value === 1, 'search');
console.log('search ok');
const count = await client.count({ index });
check(count.count === 501, 'count ' + count.count);
console.log('count ok', count.count);
