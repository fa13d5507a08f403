// Rule matching: path patterns, query, headers, API key and JSON body subsets.

import t from 'tap'
import { compileMatch, compilePath, containsSubset } from '../../server/scenario/match.js'

t.test('path patterns', async (t) => {
  const exact = compilePath('/api/v1/tickets')
  t.ok(exact('/api/v1/tickets'))
  t.ok(exact('/api/v1/tickets/'))
  t.notOk(exact('/api/v1/tickets/1'))
  const param = compilePath('/api/v1/tickets/:id')
  t.ok(param('/api/v1/tickets/1042'))
  t.notOk(param('/api/v1/tickets'))
  t.notOk(param('/api/v1/tickets/1/notes'))
  const star = compilePath('/api/v1/*/1')
  t.ok(star('/api/v1/kb/1'))
  const rest = compilePath('/api/v1/kb/*')
  t.ok(rest('/api/v1/kb'))
  t.ok(rest('/api/v1/kb/articles/5'))
  t.notOk(rest('/api/v1/kbx'))
  t.ok(compilePath('/api/v1/**')('/api/v1/tickets/1/close'))
  t.ok(compilePath('/a.b')('/a.b'))
  t.notOk(compilePath('/a.b/:x')('/aXb/1'), 'dots are literal')
})

t.test('containsSubset', async (t) => {
  t.ok(containsSubset({ a: 1, b: { c: 2, d: 3 } }, { b: { c: 2 } }))
  t.notOk(containsSubset({ a: 1 }, { a: '1' }))
  t.ok(containsSubset({ tags: ['x', 'y'] }, { tags: ['y'] }))
  t.notOk(containsSubset({ tags: ['x'] }, { tags: ['z'] }))
  t.notOk(containsSubset(undefined, { a: 1 }))
  t.notOk(containsSubset([1], { 0: 1 }))
  t.ok(containsSubset('x', 'x'))
})

t.test('compileMatch combines every condition', async (t) => {
  const m = compileMatch({ methods: ['POST'], path: '/api/v1/tickets', query: { dry: 'true' }, headers: { 'x-client': 'a' }, apiKeys: ['k1'], body: { priority: 'urgent' } })
  const base = { method: 'POST', path: '/api/v1/tickets', query: { dry: 'true' }, headers: { 'x-client': 'a' }, apiKey: 'k1', body: { priority: 'urgent', subject: 's' } }
  t.ok(m(base))
  t.notOk(m({ ...base, method: 'GET' }))
  t.notOk(m({ ...base, query: {} }))
  t.notOk(m({ ...base, headers: { 'x-client': 'b' } }))
  t.notOk(m({ ...base, apiKey: undefined }))
  t.notOk(m({ ...base, body: { priority: 'low' } }))
  t.ok(m({ ...base, query: { dry: ['true', 'false'] } }), 'the first of repeated query values')
  t.ok(compileMatch({})(base), 'an empty match matches everything')
})
