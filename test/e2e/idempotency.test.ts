// Idempotency-Key over a real socket: replay, conflict, in-flight, per-key scope, no stored 5xx.

import t from 'tap'
import { ManualClock } from '../../server/index.js'
import { call, FULL, rawRequest, serve, settle, TICKETS_ONLY, until } from '../helpers.js'

const ticket = { subject: 'Printer offline', description: 'Third floor printer shows offline' }

t.test('same key and body: the first answer is replayed and no duplicate is created', async (t) => {
  const server = await serve(t)
  const headers = { 'idempotency-key': 'idem_abc' }
  const first = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers })
  t.equal(first.status, 201)
  t.equal(first.headers.get('idempotent-replayed'), null)
  const again = await call(server, 'POST', '/api/v1/tickets', { body: { description: ticket.description, subject: ticket.subject }, headers })
  t.equal(again.status, 201)
  t.equal(again.headers.get('idempotent-replayed'), 'true')
  t.equal(again.text, first.text, 'byte-identical body, whatever the key order of the request')
  const list = await call(server, 'GET', '/api/v1/tickets?search=third floor printer&limit=100')
  t.equal(list.body.total, 1, 'one ticket only')
})

t.test('same key, different body: 409 idempotency_conflict', async (t) => {
  const server = await serve(t)
  const headers = { 'idempotency-key': 'idem_conflict' }
  await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers })
  const res = await call(server, 'POST', '/api/v1/tickets', { body: { ...ticket, priority: 'urgent' }, headers })
  t.equal(res.status, 409)
  t.same(res.body, { error: 'idempotency_conflict', message: 'Idempotency-Key reused with a different request body' })
})

t.test('keys are scoped per API key', async (t) => {
  const server = await serve(t)
  const headers = { 'idempotency-key': 'idem_shared' }
  const a = await call(server, 'POST', '/api/v1/tickets', { key: FULL, body: ticket, headers })
  const b = await call(server, 'POST', '/api/v1/tickets', { key: TICKETS_ONLY, body: ticket, headers })
  t.equal(b.status, 201)
  t.equal(b.headers.get('idempotent-replayed'), null)
  t.not(a.body.id, b.body.id)
})

t.test('4xx answers are stored and replayed; a too long key is a 400', async (t) => {
  const server = await serve(t)
  const headers = { 'idempotency-key': 'idem_404' }
  const first = await call(server, 'POST', '/api/v1/tickets/999999/notes', { body: { body: 'x' }, headers })
  t.equal(first.status, 404)
  const again = await call(server, 'POST', '/api/v1/tickets/999999/notes', { body: { body: 'x' }, headers })
  t.equal(again.status, 404)
  t.equal(again.headers.get('idempotent-replayed'), 'true')
  const long = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: { 'idempotency-key': 'k'.repeat(256) } })
  t.equal(long.status, 400)
  t.equal(long.body.error, 'bad_request')
})

t.test('a request still in flight makes a same-key request 409', async (t) => {
  const server = await serve(t, {
    scenario: { version: 1, name: 'slow-create', rules: [{ name: 'slow', match: { method: 'POST', path: '/api/v1/tickets' }, latency: '400ms' }] }
  })
  const headers = { 'idempotency-key': 'idem_slow' }
  const slow = call(server, 'POST', '/api/v1/tickets', { body: ticket, headers })
  // Wait until the first request has been handled and is held by its latency.
  const exists = async () => (await call(server, 'GET', '/api/v1/tickets?search=third floor printer')).body.total === 1
  for (let i = 0; i < 100 && !(await exists()); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  const during = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers })
  t.equal(during.status, 409)
  t.equal(during.body.error, 'idempotency_conflict')
  t.match(during.body.message, /still being processed/)
  t.equal((await slow).status, 201)
})

t.test('5xx answers are not stored: a retry with the same key is processed', async (t) => {
  const server = await serve(t, {
    scenario: { version: 1, name: 'fail-once', rules: [{ name: 'once', match: { method: 'POST', path: '/api/v1/tickets' }, sequence: [{ status: 503 }, 'pass'] }] }
  })
  const headers = { 'idempotency-key': 'idem_retry' }
  t.equal((await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers })).status, 503)
  const retried = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers })
  t.equal(retried.status, 201)
  t.equal(retried.headers.get('idempotent-replayed'), null)
})

t.test('a client that leaves during latency: its key stays held, and its retry gets the stored answer', async (t) => {
  const clock = new ManualClock()
  const scenario = { version: 1, name: 'slow-create', rules: [{ name: 'slow', match: { method: 'POST', path: '/api/v1/tickets' }, latency: '5s' }] }
  const server = await serve(t, { clock, scenario })
  const headers = { 'idempotency-key': 'idem_left' }
  const first = await rawRequest(server, 'POST', '/api/v1/tickets', { body: ticket, headers, timeoutMs: 50 })
  t.equal(first.error, 'CLIENT_TIMEOUT', 'the client gave up while the answer waited out its latency')
  const during = call(server, 'POST', '/api/v1/tickets', { body: ticket, headers })
  await until(() => clock.pending === 2, 'the second try is answered (and delayed) too')
  clock.advance(5000)
  t.equal((await during).status, 409, 'the first still holds its key')
  const after = await settle(clock, call(server, 'POST', '/api/v1/tickets', { body: ticket, headers }))
  t.equal(after.status, 201)
  t.equal(after.headers.get('idempotent-replayed'), 'true', 'the lost answer is replayed')
  const list = await call(server, 'GET', '/api/v1/tickets?search=third floor printer&limit=100')
  t.equal(list.body.total, 1, 'one ticket only')
})
