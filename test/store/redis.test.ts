// The Redis store: the store contract on a real redis-server, and what only a shared store promises
// (two stores on one Redis see one state; session TTL on every key; a lost Redis is a StoreError).

import t, { type Test } from 'tap'
import { RedisStore } from '../../server/store/redis/index.js'
import { startRedis } from '../redis-server.js'
import { runStoreContract } from './contract.js'

const redis = await startRedis(t)
let stores = 0
/** A fresh store: its own key prefix on the one redis-server. */
const connect = async (tt: Test, options: Parameters<typeof RedisStore.connect>[0]) => {
  const store = await RedisStore.connect(options)
  tt.teardown(() => store.close())
  return store
}

await runStoreContract(t, (tt, options) => connect(tt, { ...options, url: redis.url, prefix: `contract-${++stores}:` }))

t.test('two stores on one Redis are one state: counters, records and sessions are shared', async (t) => {
  const options = { seed: { things: [{ id: 1 }] }, now: () => 1000, url: redis.url, prefix: 'shared-pair:' }
  const [one, two] = [await connect(t, options), await connect(t, options)]
  const counts = await Promise.all(Array.from({ length: 40 }, async (_, i) => (await (i % 2 === 0 ? one : two).session('s')).incr('n')))
  t.same([...counts].sort((p, q) => p - q), Array.from({ length: 40 }, (_, i) => i + 1), 'each count once across the two')
  await (await one.session('s')).collection<{ id: number; name?: string }>('things').put({ id: 2, name: 'made on one' })
  t.same(await (await two.session('s')).collection('things').all(), [{ id: 1 }, { id: 2, name: 'made on one' }])
  await two.reset('s')
  t.same(await (await one.session('s')).collection('things').all(), [{ id: 1 }], 'a reset on two is seen on one')
})

t.test('every key a session owns expires after the session TTL, and use renews it', async (t) => {
  const ttl = 60_000
  const store = await connect(t, { seed: {}, now: () => 0, url: redis.url, prefix: 'ttl:', sessionTtlMs: ttl })
  const s = await store.session('a')
  await s.incr('n')
  await s.set('v', 1)
  await s.countInWindow('w', 1000, 0)
  await s.claim('c', 'held', 10_000, 0)
  await s.collection('things').put({ id: 1 })
  await s.appendJournal({ at: 0, method: 'GET', path: '/', status: 200, durationMs: 0 })
  const keys = (await store.redis.keys('ttl:s:*')).sort()
  t.ok(keys.length >= 10, `${keys.length} session keys`)
  const ttls = await Promise.all(keys.map((k) => store.redis.pttl(k)))
  t.ok(ttls.every((ms) => ms > ttl - 5000 && ms <= ttl), 'each key lives the session TTL')
  await Promise.all(keys.map((k) => store.redis.pexpire(k, ttl / 2)))
  await store.session('a')
  const renewed = await Promise.all(keys.map((k) => store.redis.pttl(k)))
  t.ok(renewed.every((ms) => ms > ttl - 5000), 'using the session renews every key (once a tenth of the TTL has passed)')
  await Promise.all(keys.map((k) => store.redis.pexpire(k, 1)))
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.same(await store.sessionIds(), [], 'an expired session is gone')
  t.equal(await (await store.session('a')).incr('n'), 1, 'and comes back empty')
})

t.test('a lost Redis is a StoreError naming the URL; the store works again when Redis is back', async (t) => {
  const own = await startRedis(t)
  const store = await connect(t, { seed: {}, now: () => 0, url: own.url, prefix: 'lost:' })
  await (await store.session('a')).incr('n')
  await own.kill()
  await t.rejects((async () => (await store.session('a')).incr('n'))(), { name: 'StoreError', code: 'AURION_MOCK_STORE', message: new RegExp(`${own.url} is unreachable`) })
  await t.rejects(store.ping(), { code: 'AURION_MOCK_STORE' })
  await own.restart()
  let n: number | undefined
  for (let i = 0; i < 100 && n === undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    n = await store.session('a').then((s) => s.incr('n'), () => undefined)
  }
  t.equal(n, 1, 'reconnected by itself (the restarted Redis is empty)')
})

t.test('a Redis that cannot be reached at start is one StoreError naming the URL', async (t) => {
  await t.rejects(RedisStore.connect({ seed: {}, now: () => 0, url: 'redis://127.0.0.1:1' }), { name: 'StoreError', message: 'the shared store redis://127.0.0.1:1 is unreachable: connect ECONNREFUSED 127.0.0.1:1' })
})
