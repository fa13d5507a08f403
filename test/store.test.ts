// The in-memory store: bounded journals, LRU sessions, capped collections, shared seed.

import t from 'tap'
import { MemoryStore } from '../server/store/memory/index.js'

const entry = (n: number) => ({ at: n * 1000, method: 'GET', path: `/p/${n}`, status: 200, durationMs: 0 })

t.test('the journal keeps the newest entries, oldest first', async (t) => {
  const store = new MemoryStore({ seed: {}, now: () => 0, maxJournal: 3 })
  const s = store.session('a')
  for (let n = 1; n <= 7; n++) s.appendJournal(entry(n))
  t.same((await s.journal()).map((e) => [e.seq, e.path]), [[5, '/p/5'], [6, '/p/6'], [7, '/p/7']])
  t.same((await s.journal(2)).map((e) => e.seq), [6, 7])
  t.equal((await s.journal())[0]!.time, '1970-01-01T00:00:05Z')
})

t.test('sessions are dropped least recently used first', async (t) => {
  const store = new MemoryStore({ seed: {}, now: () => 0, maxSessions: 2 })
  store.session('a')
  store.session('b')
  store.session('a')
  store.session('c')
  t.same(store.sessionIds(), ['a', 'c'])
})

t.test('collections refuse past their limit, or forget their oldest when evicting', async (t) => {
  const store = new MemoryStore({ seed: { things: [{ id: 1 }] }, now: () => 0, maxRecords: 2, evicting: { recent: 2 } })
  const s = store.session('a')
  const things = s.collection<{ id: number }>('things')
  things.put({ id: 2 })
  t.throws(() => things.put({ id: 3 }), { name: 'CapacityError', limit: 2 })
  things.put({ id: 2 })
  t.equal(await things.size(), 2, 'replacing is not adding')
  const recent = s.collection<{ id: string }>('recent')
  for (const id of ['x', 'y', 'z']) t.equal(recent.insert({ id }), true)
  t.equal(recent.insert({ id: 'z' }), false, 'insert is only-if-absent')
  t.same((await recent.all()).map((r) => r.id), ['y', 'z'])
})

t.test('past the total record budget, other sessions are forgotten least recently used first', async (t) => {
  const store = new MemoryStore({ seed: { things: [{ id: 1 }] }, now: () => 0, maxTotalRecords: 4, evicting: { recent: 1 } })
  const things = (id: string) => store.session(id).collection<{ id: number | string }>('things')
  const held = store.session('a')
  things('a').put({ id: 2 })
  things('a').put({ id: 1 })
  t.same(store.sessionIds(), ['a'], 'replacing a seed record adds nothing')
  things('b').put({ id: 2 })
  things('b').put({ id: 3 })
  things('b').delete(3)
  things('b').delete(1)
  things('c').put({ id: 2 })
  things('c').put({ id: 3 })
  t.same(store.sessionIds(), ['a', 'b', 'c'], 'deletions give budget back: 1 + 0 + 2 records')
  const recent = store.session('c').collection<{ id: string }>('recent')
  recent.insert({ id: 'x' })
  recent.insert({ id: 'y' })
  t.same(store.sessionIds(), ['a', 'b', 'c'], 'a collection forgetting its oldest record adds nothing')
  things('c').put({ id: 4 })
  t.same(store.sessionIds(), ['b', 'c'], 'a, the least recently used, went for the fifth record')
  held.collection<{ id: number }>('things').put({ id: 9 })
  t.same(store.sessionIds(), ['b', 'c'], 'a forgotten session still written to (a request in flight) counts no more')
  things('c').put({ id: 5 })
  t.same(store.sessionIds(), ['c'], 'b went next, though it added nothing')
  things('c').put({ id: 6 })
  t.same(store.sessionIds(), ['c'], 'the session adding is never forgotten (its own caps bound it)')
  store.reset('c')
  for (const id of ['d', 'e']) things(id).put({ id: 2 })
  things('f').put({ id: 2 })
  things('f').put({ id: 3 })
  t.same(store.sessionIds(), ['d', 'e', 'f'], 'a reset gives its records back')
  things('f').put({ id: 4 })
  t.same(store.sessionIds(), ['e', 'f'])
})

t.test('the seed is made once, when a session first needs it', async (t) => {
  let made = 0
  const store = new MemoryStore({ seed: () => { made++; return { things: [{ id: 1 }] } }, now: () => 0 })
  t.equal(made, 0)
  t.equal(await store.session('a').collection('things').size(), 1)
  t.equal(await store.session('b').collection('things').size(), 1)
  t.equal(made, 1)
})
