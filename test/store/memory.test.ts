// The in-memory store: the store contract, and what only the memory store promises (synchronous
// answers, a seed made once and shared, a forgotten session's late writes counting no more).

import t from 'tap'
import { MemoryStore } from '../../server/store/memory/index.js'
import { runStoreContract } from './contract.js'

await runStoreContract(t, (_t, options) => new MemoryStore(options))

t.test('every answer is synchronous: no promise on the request path', async (t) => {
  const store = new MemoryStore({ seed: { things: [{ id: 1 }] }, now: () => 0 })
  const s = store.session('a')
  const answers: unknown[] = [
    s, store.find('a'), store.sessionIds(), store.activeScenario('a'), store.activateScenario('x', 'a'), store.reset('b'),
    s.incr('n'), s.get('k'), s.set('k', 1), s.delete('k'), s.countInWindow('w', 1000, 0), s.claim('c', 1, 1000, 0),
    s.keepClaim('c', 2, 1000, 0), s.releaseClaim('c'), s.appendJournal({ at: 0, method: 'GET', path: '/', status: 200, durationMs: 0 }), s.journal(),
    s.collection('things').get(1), s.collection('things').all(), s.collection('things').put({ id: 2 }), s.collection('things').insert({ id: 3 }),
    s.collection('things').delete(3), s.collection('things').size(), s.collection('things').nextId()
  ]
  t.equal(answers.filter((a) => a instanceof Promise).length, 0)
})

t.test('the seed is made once, when a session first needs it, and shared', async (t) => {
  let made = 0
  const store = new MemoryStore({ seed: () => { made++; return { things: [{ id: 1 }] } }, now: () => 0 })
  t.equal(made, 0)
  t.equal(store.session('a').collection('things').size(), 1)
  t.equal(store.session('b').collection('things').size(), 1)
  t.equal(store.session('a').collection('things').get(1), store.session('b').collection('things').get(1), 'one object for every session')
  t.equal(made, 1)
})

t.test('a forgotten session still written to (a request in flight) no longer counts against the budget', async (t) => {
  const store = new MemoryStore({ seed: {}, now: () => 0, maxTotalRecords: 2 })
  const held = store.session('a')
  held.collection('things').put({ id: 1 })
  store.reset('a')
  held.collection('things').put({ id: 2 })
  held.claim('k', 'v', 1000, 0)
  store.session('b').collection('things').put({ id: 1 })
  store.session('c').collection('things').put({ id: 1 })
  t.same(store.sessionIds(), ['b', 'c'], 'b and c fill the budget; a\'s late writes took none of it')
})
