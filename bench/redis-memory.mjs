// `node bench/redis-memory.mjs [SESSIONS] [READS]` (after npm run build): how much Redis memory one
// session takes. A CI session over real HTTP: 5 ticket creates with Idempotency-Keys and READS reads
// (default 95), a rule counting every read; Redis's used_memory before and after, per session.

import { startMockServer } from '../dist/server/index.js'
import { startRedis } from './lib/redis.mjs'

const SESSIONS = Number(process.argv[2] ?? 50)
const READS = Number(process.argv[3] ?? 95)
const KEY = 'ak_live_mock_full_access_0001'
const SCENARIO = { version: 1, name: 'counted', rules: [{ name: 'count-reads', match: { method: 'GET', path: '/api/v1/tickets/{id}' }, after: 1000000, status: 503 }] }

const usedMemory = async (client) => Number(/used_memory:(\d+)/.exec(await client.info('memory'))[1])

const redis = await startRedis()
const mock = await startMockServer({ scenario: SCENARIO, config: { store: redis.url, rateLimit: 600 } })
try {
  const before = await usedMemory(redis.client)
  for (let s = 0; s < SESSIONS; s++) {
    const headers = { 'x-api-key': KEY, 'x-mock-session': `ci-job-${s}` }
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${mock.url}/api/v1/tickets`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': `create-${i}` }, body: JSON.stringify({ subject: `Ticket ${i}`, description: 'Made by a CI job' }) })
      await res.arrayBuffer()
    }
    for (let i = 0; i < READS; i++) await (await fetch(`${mock.url}/api/v1/tickets/${1001 + (i % 20)}`, { headers })).arrayBuffer()
  }
  await new Promise((resolve) => setTimeout(resolve, 300))
  const after = await usedMemory(redis.client)
  const keys = await redis.client.dbsize()
  console.log(`${SESSIONS} sessions of ${READS + 5} requests (5 keyed creates, ${READS} reads): ${((after - before) / SESSIONS / 1024).toFixed(1)} KiB of Redis memory per session (used_memory), ${keys} keys in all`)
} finally {
  await mock.close()
  await redis.stop()
}
