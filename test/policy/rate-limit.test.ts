// The rate limiter's policy without Fastify: buckets, the window count on a manual clock, and the
// store @fastify/rate-limit calls, on a synchronous and on a promise-answering state store.

import t from 'tap'
import { ManualClock } from '../../server/util/clock.js'
import { MemoryStore } from '../../server/store/memory/index.js'
import type { SessionState, StateStore, WindowAhead } from '../../server/store/types.js'
import { ScenarioRegistry } from '../../server/scenario/registry.js'
import type { Scenario } from '../../server/scenario/types.js'
import { bucketKey, bucketOf, countRequest, createLimiterStore, createWindowAhead, limitFor, retryAfterSeconds, type LimiterCount } from '../../server/policy/rate-limit.js'
import { DeferredStore } from '../store/deferred.js'

t.test('a bucket is a session and an API key; keys may hold any character', async (t) => {
  const key = bucketKey('sess:1', 'ak_\nodd')
  t.same(bucketOf(key), { sessionId: 'sess:1', apiKey: 'ak_\nodd' })
  t.not(bucketKey('a', 'b'), bucketKey('a', 'c'))
})

t.test('the scenario\'s own limit wins over the server\'s', async (t) => {
  const server = { max: 600, windowMs: 60_000 }
  t.equal(limitFor(undefined, server), server)
  t.same(limitFor({ max: 0, windowMs: 1000 }, server), { max: 0, windowMs: 1000 })
})

const scenario = (name: string, rateLimit?: Scenario['rateLimit']): Scenario => ({ version: 1, name, rules: [], source: 'inline', ...(rateLimit === undefined ? {} : { rateLimit }) })

t.test('the window is known ahead of the store\'s answer while no scenario brings its own limit, or when the request names one', async (t) => {
  const server = { max: 600, windowMs: 60_000 }
  const registry = new ScenarioRegistry([scenario('plain'), scenario('strict', { max: 5, windowMs: 1000 }), scenario('off', { max: 0, windowMs: 1000 })])
  const ahead = createWindowAhead(registry, server)
  t.equal(ahead('s', 'ak', undefined, 7), undefined, 'the active scenario may bring its own: not known until the store answers')
  t.match(ahead('s', 'ak', 'strict', 7), { windowMs: 1000, now: 7 }, 'named by the request: its own limit')
  t.match(ahead('s', 'ak', 'plain', 7), { windowMs: 60_000 }, 'named, without its own: the server\'s')
  t.equal(ahead('s', 'ak', 'off', 7), undefined, 'a limit of 0: the limiter does not count')
  t.equal(ahead('s', 'ak', 'missing', 7), undefined, 'an unknown name is refused before any count')

  registry.put(scenario('strict'))
  registry.put(scenario('off'))
  t.match(ahead('s', 'ak', undefined, 7), { windowMs: 60_000, now: 7 }, 'none brings its own: the server\'s, whichever is active')
  registry.post(scenario('mine', { max: 3, windowMs: 500 }), 100, 'other-session')
  t.equal(ahead('s', 'ak', undefined, 7), undefined, 'a posted scenario with its own limit counts too')
  registry.post(scenario('mine'), 100, 'other-session')
  t.match(ahead('s', 'ak', undefined, 7), { windowMs: 60_000 }, 'and no longer once replaced')
  t.equal(createWindowAhead(registry, { max: 0, windowMs: 60_000 })('s', 'ak', undefined, 7), undefined, 'the server\'s limit off: nothing to count')
})

t.test('a window counted ahead is the one the limiter\'s count asks for', async (t) => {
  // What the limiter's store asks the session for, and what authenticate gave the store ahead.
  const asked: string[] = []
  let given: WindowAhead | undefined
  const session = { id: 's', countInWindow: (key: string) => { asked.push(key); return { count: 1, resetsAt: 0 } } } as unknown as SessionState
  const store = { session: (_id: string, ahead?: WindowAhead) => { given ??= ahead; return session } } as unknown as StateStore
  const ahead = createWindowAhead(new ScenarioRegistry([scenario('plain')]), { max: 600, windowMs: 60_000 })
  store.session('s', ahead('s', 'ak_\nodd', undefined, 0))
  await countRequest(store, bucketKey('s', 'ak_\nodd'), 60_000, 0)
  t.same(asked, [given?.key], 'the same window key')
})

t.test('Retry-After is whole seconds, never 0', async (t) => {
  t.same([1, 999, 1000, 1001, 45_000, 59_999].map(retryAfterSeconds), [1, 1, 1, 2, 45, 60])
})

t.test('requests count in fixed windows per bucket, opened by the first request', async (t) => {
  const store = new MemoryStore({ seed: {}, now: () => 0 })
  const a = bucketKey('s', 'ak_a')
  t.same(await countRequest(store, a, 10_000, 1_000), { count: 1, resetsAt: 11_000 })
  t.same(await countRequest(store, a, 10_000, 10_999), { count: 2, resetsAt: 11_000 })
  t.same(await countRequest(store, bucketKey('s', 'ak_b'), 10_000, 5_000), { count: 1, resetsAt: 15_000 }, 'another key')
  t.same(await countRequest(store, bucketKey('t', 'ak_a'), 10_000, 5_000), { count: 1, resetsAt: 15_000 }, 'another session')
  t.same(await countRequest(store, a, 10_000, 11_000), { count: 1, resetsAt: 21_000 })
  store.reset('s')
  t.same(await countRequest(store, a, 10_000, 12_000), { count: 1, resetsAt: 22_000 }, 'a reset session starts over')
})

/** Calls the limiter store's incr as @fastify/rate-limit does, and says whether the answer came at once. */
function incr (store: StateStore, clock: ManualClock, key: string, windowMs: number): { sync: boolean; result: Promise<LimiterCount> } {
  const Store = createLimiterStore(store, clock)
  const limiter = new Store()
  let sync = true
  let settled = false
  const result = new Promise<LimiterCount>((resolve, reject) => {
    limiter.incr(key, (err, res) => {
      settled = true
      if (err !== null || res === undefined) reject(err ?? new Error('no result'))
      else resolve(res)
    }, windowMs)
  })
  sync = settled
  return { sync, result }
}

t.test('the plugin\'s store answers with the count and the ms left, at once on a synchronous store', async (t) => {
  const clock = new ManualClock(0)
  for (const [what, make] of [['memory', () => new MemoryStore({ seed: {}, now: () => clock.now() })], ['promises', () => new DeferredStore(new MemoryStore({ seed: {}, now: () => clock.now() }))]] as const) {
    const store = make()
    const key = bucketKey('default', 'ak')
    const first = incr(store, clock, key, 60_000)
    t.equal(first.sync, what === 'memory', `${what}: answered ${what === 'memory' ? 'at once' : 'later'}`)
    t.same(await first.result, { current: 1, ttl: 60_000 })
    clock.advance(15_500)
    t.same(await incr(store, clock, key, 60_000).result, { current: 2, ttl: 44_500 }, `${what}: the ttl counts down`)
    clock.advance(44_500)
    t.same(await incr(store, clock, key, 60_000).result, { current: 1, ttl: 60_000 }, `${what}: a new window`)
  }
  const limiter = new (createLimiterStore(new MemoryStore({ seed: {}, now: () => 0 }), clock))()
  t.equal(limiter.child(), limiter, 'one store for every route: windows are per bucket')
})
