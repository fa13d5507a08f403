// The state store contract, as tests any implementation runs: `runStoreContract(t, makeStore)`.
// Every call is awaited, so a store that answers with promises (a shared one) runs the same suite
// as the in-memory one; time is the `now` the suite passes, never the wall clock.

import type { Test } from 'tap'
import { MAX_JOURNAL_FIELD_CHARS } from '../../server/store/journal-entry.js'
import type { JournalEntry, SeedData, StateStore } from '../../server/store/types.js'

/** The bounds a store is made with; a store honours each one it is given. */
export interface ContractStoreOptions {
  seed: SeedData
  /** The clock sessions are stamped with (`startedAt`). */
  now: () => number
  maxSessions?: number
  maxJournal?: number
  maxJournalBytes?: number
  maxRecords?: number
  maxClaims?: number
  maxTotalRecords?: number
}

/** Makes a fresh, empty store for one test, and tears it down with `t`. */
export type MakeStore = (t: Test, options: ContractStoreOptions) => StateStore | Promise<StateStore>

type Thing = { id: number | string; name?: string }
type Entry = Omit<JournalEntry, 'seq' | 'time'>

const THINGS: readonly Thing[] = [{ id: 1, name: 'one' }, { id: 7, name: 'seven' }]
const SEED: SeedData = { things: THINGS, words: [{ id: 'a' }] }
const T0 = Date.parse('2026-01-01T00:00:00Z')
const entry = (n: number, extra: Partial<Entry> = {}): Entry => ({ at: T0 + n * 1000, method: 'GET', path: `/p/${n}`, status: 200, durationMs: 0, ...extra })

/** Runs `n` calls at once and waits for all: concurrent for a networked store, back to back for a synchronous one. */
function together<R> (n: number, call: (i: number) => R | Promise<R>): Promise<R[]> {
  return Promise.all(Array.from({ length: n }, async (_, i) => await call(i)))
}

export async function runStoreContract (t: Test, makeStore: MakeStore): Promise<void> {
  let now = T0
  const make = (t: Test, bounds: Omit<ContractStoreOptions, 'seed' | 'now'> = {}) => makeStore(t, { seed: SEED, now: () => now, ...bounds })

  await t.test('a session is made on first use, with its id and start time, and found after', async (t) => {
    const store = await make(t)
    t.equal(await store.find('a'), undefined, 'find never makes a session')
    t.same(await store.sessionIds(), [])
    now = T0 + 5000
    const a = await store.session('a')
    t.equal(a.id, 'a')
    t.equal(a.startedAt, T0 + 5000)
    await a.set('k', { v: 1 })
    now = T0 + 9000
    const again = await store.session('a')
    t.equal(again.startedAt, T0 + 5000, 'the start time is the first use')
    t.same(await again.get('k'), { v: 1 }, 'the same state')
    t.same(await (await store.find('a'))?.get('k'), { v: 1 })
    t.same(await store.sessionIds(), ['a'])
  })

  await t.test('sessions past the bound are forgotten least recently used first', async (t) => {
    const store = await make(t, { maxSessions: 2 })
    await (await store.session('a')).set('k', 'a')
    await store.session('b')
    await store.session('a')
    await store.session('c')
    t.same(await store.sessionIds(), ['a', 'c'])
    t.equal(await store.find('b'), undefined)
    t.equal(await (await store.session('b')).get('k'), undefined, 'a forgotten session comes back empty')
    t.same(await store.sessionIds(), ['c', 'b'])
  })

  await t.test('reset forgets one session or every one, and the server\'s activation stays', async (t) => {
    const store = await make(t)
    for (const id of ['a', 'b']) {
      const s = await store.session(id)
      await s.set('k', id)
      await s.incr('n')
      await s.appendJournal(entry(1))
      await s.collection<Thing>('things').put({ id: 100 })
      await s.claim('c', 'held', 60_000, now)
      await store.activateScenario(`only-${id}`, id)
    }
    await store.activateScenario('everyone')
    await store.reset('a')
    t.same(await store.sessionIds(), ['b'])
    const a = await store.session('a')
    t.same([await a.get('k'), await a.incr('n'), await a.journal(), await a.collection('things').size(), await store.activeScenario('a')],
      [undefined, 1, [], 2, 'everyone'], 'a comes back empty, with the server\'s scenario')
    t.same(await a.claim('c', 'mine', 60_000, now), { claimed: true })
    t.equal(await store.activeScenario('b'), 'only-b', 'b is untouched')
    await store.reset()
    t.same(await store.sessionIds(), [])
    t.equal(await store.activeScenario('b'), 'everyone')
    t.equal(await store.activeScenario(), 'everyone', 'reset keeps the server\'s activation')
  })

  await t.test('counters count from 1, per key and per session, apart from values', async (t) => {
    const store = await make(t)
    const a = await store.session('a')
    const b = await store.session('b')
    t.same([await a.incr('x'), await a.incr('x'), await a.incr('y'), await b.incr('x'), await a.incr('x')], [1, 2, 1, 1, 3])
    t.equal(await a.get('x'), undefined, 'a counter is not a value')
    const counts = await together(50, () => a.incr('race'))
    t.same([...counts].sort((p, q) => p - q), Array.from({ length: 50 }, (_, i) => i + 1), 'concurrent increments: each count once')
  })

  await t.test('values are set, read back as JSON data, and deleted', async (t) => {
    const store = await make(t)
    const s = await store.session('a')
    const value = { until: T0 + 1000, status: 429, nested: { list: [1, 'two', null], flag: true } }
    await s.set('block', value)
    t.same(await s.get('block'), value)
    await s.set('block', 'replaced')
    t.equal(await s.get('block'), 'replaced')
    await s.delete('block')
    t.equal(await s.get('block'), undefined)
    await s.delete('never-set')
    t.equal(await (await store.session('b')).get('block'), undefined, 'values are per session')
  })

  await t.test('collections start from the seed and change per session only', async (t) => {
    const store = await make(t)
    const a = (await store.session('a')).collection<Thing>('things')
    const b = (await store.session('b')).collection<Thing>('things')
    t.same(await a.all(), SEED.things)
    t.same(await a.get(7), { id: 7, name: 'seven' })
    t.equal(await a.get(8), undefined)
    await a.put({ id: 7, name: 'SEVEN' })
    await a.put({ id: 20, name: 'twenty' })
    t.equal(await a.delete(1), true)
    t.equal(await a.delete(1), false, 'deleting twice')
    t.same(await a.all(), [{ id: 7, name: 'SEVEN' }, { id: 20, name: 'twenty' }], 'insertion order; a replaced record keeps its place')
    t.equal(await a.size(), 2)
    t.same(await b.all(), SEED.things, 'the other session still sees the seed')
    t.same(THINGS, [{ id: 1, name: 'one' }, { id: 7, name: 'seven' }], 'the seed itself is untouched')
    t.same(await (await store.session('a')).collection('empty').all(), [], 'a kind without seed starts empty')
  })

  await t.test('insert adds only when the id is absent: one winner among concurrent inserts', async (t) => {
    const store = await make(t)
    const c = (await store.session('a')).collection<Thing>('things')
    t.equal(await c.insert({ id: 1, name: 'dup' }), false, 'a seed id is taken')
    const wins = await together(20, (i) => c.insert({ id: 'same', name: `try ${i}` }))
    t.equal(wins.filter(Boolean).length, 1)
    t.equal((await c.get('same'))?.name, `try ${wins.indexOf(true)}`, 'the winner\'s record is kept')
  })

  await t.test('ids continue after the seed\'s largest, or start at 1001, never twice', async (t) => {
    const store = await make(t)
    const s = await store.session('a')
    t.same([await s.collection('things').nextId(), await s.collection('things').nextId()], [8, 9])
    t.equal(await s.collection('words').nextId(), 1001, 'a seed without integer ids')
    t.equal(await s.collection('new').nextId(), 1001)
    t.equal(await (await store.session('b')).collection('things').nextId(), 8, 'per session')
    const ids = await together(30, () => s.collection('new').nextId())
    t.equal(new Set(ids).size, 30, 'concurrent ids are distinct')
  })

  await t.test('a collection at its record cap refuses a new record with a coded CapacityError', async (t) => {
    const store = await make(t, { maxRecords: 3 })
    const c = (await store.session('a')).collection<Thing>('things')
    await c.put({ id: 2 })
    await c.put({ id: 2, name: 'again' })
    t.equal(await c.size(), 3, 'replacing is not adding')
    await t.rejects(async () => { await c.put({ id: 3 }) }, { name: 'CapacityError', code: 'AURION_MOCK_CAPACITY', collection: 'things', limit: 3 })
    await t.rejects(async () => { await c.insert({ id: 4 }) }, { code: 'AURION_MOCK_CAPACITY' })
    t.equal(await c.size(), 3)
    await c.delete(2)
    await c.put({ id: 3 })
    t.equal(await c.size(), 3, 'a deletion makes room')
  })

  await t.test('the journal numbers entries, stamps their time, and keeps the newest', async (t) => {
    const store = await make(t, { maxJournal: 3 })
    const s = await store.session('a')
    for (let n = 1; n <= 7; n++) await s.appendJournal(entry(n, n === 2 ? { apiKey: 'ak_…0001', fault: 'reset' } : {}))
    const all = await s.journal()
    t.same(all.map((e) => [e.seq, e.path]), [[5, '/p/5'], [6, '/p/6'], [7, '/p/7']])
    t.equal(all[0]!.time, '2026-01-01T00:00:05Z')
    t.same((await s.journal(2)).map((e) => e.seq), [6, 7])
    t.same((await s.journal(10)).map((e) => e.seq), [5, 6, 7])
    t.notOk('apiKey' in all[0]!, 'unset fields are left out')
    all[0]!.path = '/changed'
    t.equal((await s.journal())[0]!.path, '/p/5', 'what the journal returned is a copy')
    t.same(await (await store.session('b')).journal(), [], 'journals are per session')
  })

  await t.test('concurrent appends each get their own number', async (t) => {
    const store = await make(t)
    const s = await store.session('a')
    await together(40, (i) => s.appendJournal(entry(i)))
    const seqs = (await s.journal()).map((e) => e.seq)
    t.same(seqs, Array.from({ length: 40 }, (_, i) => i + 1))
  })

  await t.test('the journal is bounded in bytes, and long paths and keys are cut', async (t) => {
    const store = await make(t, { maxJournal: 1000, maxJournalBytes: 50_000 })
    const s = await store.session('a')
    const long = 'p'.repeat(20_000)
    for (let i = 1; i <= 300; i++) await s.appendJournal(entry(i, { path: `/api/v1/tickets/${long}`, idempotencyKey: long }))
    const entries = await s.journal()
    t.ok(entries.every((e) => e.path.length === MAX_JOURNAL_FIELD_CHARS + 1 && e.path.endsWith('…')), 'paths are cut')
    t.ok(entries.every((e) => e.idempotencyKey?.length === MAX_JOURNAL_FIELD_CHARS + 1), 'keys are cut')
    t.ok(entries.length > 50 && entries.length < 300, `${entries.length} kept: the oldest dropped for bytes, not count`)
    t.equal(entries.at(-1)?.seq, 300, 'the newest are the ones kept')
    const alone = await store.session('b')
    await alone.appendJournal(entry(1, { rule: 'r'.repeat(60_000) }))
    t.equal((await alone.journal()).length, 1, 'the newest entry is kept even alone over the bound')
  })

  await t.test('the delivery journal numbers attempts, stamps their time, keeps the newest, per session', async (t) => {
    const store = await make(t, { maxJournal: 3 })
    const s = await store.session('a')
    const attempt = (n: number) => ({ at: T0 + n * 1000, eventId: `evt_${n}`, eventType: 'ticket.created', webhookId: 'wh_1', url: 'http://127.0.0.1/h', attempt: 1, sent: 'event' as const, status: 200, durationMs: 0 })
    for (let n = 1; n <= 5; n++) await s.appendDelivery(attempt(n))
    const all = await s.deliveries()
    t.same(all.map((e) => [e.seq, e.eventId]), [[3, 'evt_3'], [4, 'evt_4'], [5, 'evt_5']])
    t.equal(all[0]!.time, '2026-01-01T00:00:03Z')
    t.same((await s.deliveries(1)).map((e) => e.seq), [5])
    all[0]!.eventId = 'changed'
    t.equal((await s.deliveries())[0]!.eventId, 'evt_3', 'what it returned is a copy')
    t.same(await (await store.session('b')).deliveries(), [], 'delivery journals are per session')
    t.same(await s.journal(), [], 'apart from the request journal')
  })

  await t.test('a fixed window counts events until it closes, then a new one opens', async (t) => {
    const store = await make(t)
    const s = await store.session('a')
    const start = T0 + 10_000
    t.same(await s.countInWindow('k', 60_000, start), { count: 1, resetsAt: start + 60_000 }, 'the first event opens a window')
    t.same(await s.countInWindow('k', 60_000, start + 1), { count: 2, resetsAt: start + 60_000 })
    t.same(await s.countInWindow('k', 60_000, start + 59_999), { count: 3, resetsAt: start + 60_000 }, 'the last ms of the window')
    t.same(await s.countInWindow('k', 60_000, start + 60_000), { count: 1, resetsAt: start + 120_000 }, 'at its end a new window opens')
    t.same(await s.countInWindow('k', 60_000, start + 500_000), { count: 1, resetsAt: start + 560_000 }, 'after a gap, a window opens at the event')
    t.same(await s.countInWindow('other', 1000, start + 500_001), { count: 1, resetsAt: start + 501_001 }, 'per key')
    t.same(await (await store.session('b')).countInWindow('k', 60_000, start + 500_002), { count: 1, resetsAt: start + 560_002 }, 'per session')
    t.equal(await s.incr('k'), 1, 'windows are apart from counters')
    t.equal(await s.get('k'), undefined, 'and from values')
  })

  await t.test('concurrent events in one window are each counted once', async (t) => {
    const store = await make(t)
    const s = await store.session('a')
    const counts = await together(30, (i) => s.countInWindow('burst', 1000, T0 + i))
    t.same(counts.map((c) => c.count).sort((p, q) => p - q), Array.from({ length: 30 }, (_, i) => i + 1))
    t.ok(counts.every((c) => c.resetsAt === counts[0]!.resetsAt), 'all in the one window')
  })

  await t.test('a window counted ahead with the session is the count its next countInWindow answers, once', async (t) => {
    const store = await make(t)
    const ahead = { key: 'rl', windowMs: 1000, now: T0 }
    const s = await store.session('a', ahead)
    t.same(await s.countInWindow('rl', 1000, T0), { count: 1, resetsAt: T0 + 1000 }, 'one event for the call that follows')
    t.same(await s.countInWindow('rl', 1000, T0 + 1), { count: 2, resetsAt: T0 + 1000 }, 'the next call counts its own')
    t.same(await (await store.session('a')).countInWindow('other', 1000, T0 + 2), { count: 1, resetsAt: T0 + 1002 }, 'other keys are not touched')
    const again = await store.session('a', ahead)
    t.same(await again.countInWindow('rl', 1000, T0 + 3), { count: 3, resetsAt: T0 + 1000 }, 'in the window already open')
  })

  await t.test('requests that each count ahead then count are each counted once, concurrently', async (t) => {
    const store = await make(t)
    // Each is what a request does: find its session counting ahead, then count (the limiter).
    const counts = await together(30, async (i) => (await store.session('a', { key: 'rl', windowMs: 1000, now: T0 + i })).countInWindow('rl', 1000, T0 + i))
    t.same(counts.map((c) => c.count).sort((p, q) => p - q), Array.from({ length: 30 }, (_, i) => i + 1))
    t.same(await (await store.session('a')).countInWindow('rl', 1000, T0 + 40), { count: 31, resetsAt: T0 + 1000 }, 'and nothing more')
  })

  await t.test('a claim holds its key until it expires, is kept or released', async (t) => {
    const store = await make(t)
    const s = await store.session('a')
    t.same(await s.claim('key', { state: 'in-flight' }, 10_000, T0), { claimed: true })
    t.same(await s.claim('key', { state: 'other' }, 10_000, T0 + 9_999), { claimed: false, holder: { state: 'in-flight' } }, 'live until its expiry')
    t.same(await (await store.session('b')).claim('key', 'b', 10_000, T0), { claimed: true }, 'claims are per session')
    await s.keepClaim('key', { state: 'done', answer: 'stored' }, 10_000, T0 + 5_000)
    t.same(await s.claim('key', 'late', 10_000, T0 + 14_999), { claimed: false, holder: { state: 'done', answer: 'stored' } }, 'kept: the new value, live from when it was kept')
    t.same(await s.claim('key', 'after', 10_000, T0 + 15_000), { claimed: true }, 'an expired holder is no holder')
    t.same(await s.claim('key', 'x', 10_000, T0 + 15_001), { claimed: false, holder: 'after' })
    await s.releaseClaim('key')
    t.same(await s.claim('key', 'freed', 10_000, T0 + 15_002), { claimed: true }, 'a released key is free')
    await s.releaseClaim('never-claimed')
  })

  await t.test('of concurrent claims of one key, exactly one wins and the others see its value', async (t) => {
    const store = await make(t)
    const s = await store.session('a')
    const results = await together(25, (i) => s.claim('race', { by: i }, 60_000, T0))
    const winners = results.flatMap((r, i) => r.claimed ? [i] : [])
    t.equal(winners.length, 1)
    t.ok(results.every((r) => r.claimed || (r.holder as { by: number }).by === winners[0]), 'every loser sees the winner')
  })

  await t.test('claims are bounded per session: past the bound the oldest is forgotten', async (t) => {
    const store = await make(t, { maxClaims: 3 })
    const s = await store.session('a')
    for (const k of ['k1', 'k2', 'k3']) await s.claim(k, k, 60_000, T0)
    await s.keepClaim('k1', 'k1-done', 60_000, T0)
    await s.claim('k4', 'k4', 60_000, T0)
    t.same(await s.claim('k1', 'new', 60_000, T0), { claimed: true }, 'k1, the oldest, was forgotten')
    t.same(await s.claim('k3', 'new', 60_000, T0), { claimed: false, holder: 'k3' })
    t.same(await s.claim('k4', 'new', 60_000, T0), { claimed: false, holder: 'k4' })
  })

  await t.test('scenario activation: the server\'s, a session\'s own over it, never making a session', async (t) => {
    const store = await make(t)
    t.equal(await store.activeScenario(), undefined, 'none at first')
    t.equal(await store.activeScenario('a'), undefined)
    await store.activateScenario('everyone')
    t.equal(await store.activeScenario(), 'everyone')
    t.equal(await store.activeScenario('a'), 'everyone', 'a session without its own has the server\'s')
    t.same(await store.sessionIds(), [], 'reading activation makes no session')
    await store.activateScenario('mine', 'a')
    t.equal(await store.activeScenario('a'), 'mine')
    t.equal(await store.activeScenario('b'), 'everyone')
    t.equal(await store.activeScenario(), 'everyone')
    await store.activateScenario('later')
    t.equal(await store.activeScenario('a'), 'mine', 'the session\'s own stays over a later server activation')
    await store.activateScenario(undefined, 'a')
    t.equal(await store.activeScenario('a'), 'later', 'cleared: the server\'s again')
    await store.activateScenario(undefined)
    t.equal(await store.activeScenario('a'), undefined)
  })

  await t.test('past the record budget, the least recently used other sessions are forgotten', async (t) => {
    const store = await make(t, { maxTotalRecords: 4 })
    const things = async (id: string) => (await store.session(id)).collection<Thing>('things')
    await (await things('a')).put({ id: 2 })
    await (await things('a')).put({ id: 1 })
    t.same(await store.sessionIds(), ['a'], 'replacing a seed record adds nothing')
    await (await things('b')).put({ id: 2 })
    await (await things('b')).put({ id: 3 })
    await (await things('b')).delete(3)
    await (await things('b')).delete(1)
    await (await store.session('c')).claim('k', 'v', 60_000, T0)
    await (await things('c')).put({ id: 2 })
    t.same(await store.sessionIds(), ['a', 'b', 'c'], 'deletions give budget back: 1 + 0 + 2 (a record and a claim)')
    await (await things('c')).put({ id: 3 })
    t.same(await store.sessionIds(), ['a', 'b', 'c'], 'at the budget nothing is forgotten')
    await (await things('c')).put({ id: 4 })
    t.same(await store.sessionIds(), ['b', 'c'], 'a, the least recently used, went for the fifth')
    await (await store.session('c')).claim('k2', 'v', 60_000, T0)
    t.same(await store.sessionIds(), ['c'], 'b went next, though it added nothing; claims count too')
    await (await things('c')).put({ id: 5 })
    t.same(await store.sessionIds(), ['c'], 'the session adding is never forgotten (its own caps bound it)')
    await store.reset('c')
    for (const id of ['d', 'e']) await (await things(id)).put({ id: 2 })
    await (await things('f')).put({ id: 2 })
    await (await things('f')).put({ id: 3 })
    t.same(await store.sessionIds(), ['d', 'e', 'f'], 'a reset gives its records back')
    await (await things('f')).put({ id: 4 })
    t.same(await store.sessionIds(), ['e', 'f'])
  })
}
