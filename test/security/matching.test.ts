// Rule matching looks at own properties only and its cost is bounded, whatever a rule or a body holds.

import t from 'tap'
import { join } from 'node:path'
import { compileMatch, containsSubset, MAX_CONTAINMENT_STEPS, type RequestFacts } from '../../server/scenario/match.js'
import { call, serve } from '../helpers.js'

const facts = (over: Partial<RequestFacts> = {}): RequestFacts => ({ method: 'GET', path: '/api/v1/users', query: {}, headers: {}, apiKey: undefined, body: undefined, ...over })

t.test('header and query rules never match inherited properties', async (t) => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    const headers = Object.fromEntries([[name, '[object Object]']])
    t.notOk(compileMatch({ headers })(facts()), `headers.${name}`)
    t.notOk(compileMatch({ query: headers })(facts()), `query.${name}`)
    t.notOk(compileMatch({ headers: Object.fromEntries([[name, String(Object.prototype.toString)]]) })(facts()), `headers.${name} as a function's text`)
  }
  t.ok(compileMatch({ headers: { 'x-team': 'a' } })(facts({ headers: { 'x-team': 'a' } })), 'own headers still match')
})

t.test('a rule with __proto__ under match.headers does not fire on every request', async (t) => {
  const dir = t.testdir({ 'proto.yaml': `version: 1\nname: proto\nrules:\n  - name: proto\n    match:\n      path: /api/v1/users\n      headers: { __proto__: "[object Object]" }\n    status: 500\n` })
  const server = await serve(t, { scenario: join(dir, 'proto.yaml') })
  t.equal((await call(server, 'GET', '/api/v1/users')).status, 200)
})

t.test('body containment gives up after a bounded number of comparisons', async (t) => {
  // Each expected element sits at the far end of the actual array: ~10^8 comparisons unbounded.
  const actual = Array.from({ length: 30_000 }, (_, i) => ({ id: i, tag: 'a' }))
  const expected = Array.from({ length: 3_000 }, (_, i) => ({ id: 29_999 - i, tag: 'a' }))
  const budget = { steps: MAX_CONTAINMENT_STEPS }
  t.notOk(containsSubset(actual, expected, budget))
  t.ok(budget.steps < 0 && budget.steps > -10, `stopped as soon as the budget ran out (${budget.steps})`)
  const small = { steps: MAX_CONTAINMENT_STEPS }
  t.ok(containsSubset({ tags: ['x', 'y'], n: 1 }, { tags: ['y'] }, small), 'ordinary containment still works')
  t.ok(small.steps > MAX_CONTAINMENT_STEPS - 20, `and costs little (${MAX_CONTAINMENT_STEPS - small.steps} steps)`)
})

t.test('a large body against a large array rule gets an answer and the server stays responsive', async (t) => {
  const expected = Array.from({ length: 3_000 }, (_, i) => ({ id: 29_999 - i, tag: 'a' }))
  const server = await serve(t, { scenario: { version: 1, name: 'heavy', rules: [{ name: 'heavy', match: { method: 'POST', path: '/api/v1/tickets', body: { items: expected } }, status: 500 }] } })
  const items = Array.from({ length: 30_000 }, (_, i) => ({ id: i, tag: 'a' }))
  const res = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd', items } })
  t.not(res.status, 500, 'the rule did not match (its comparison was cut short)')
  t.equal((await call(server, 'GET', '/__mock/health', { key: null })).status, 200)
})
