// Every transport fault over a real socket, as a client library sees it.

import t from 'tap'
import { ManualClock } from '../../server/index.js'
import { call, rawRequest, serve, until } from '../helpers.js'

function only (name: string, step: Record<string, unknown>, path = '/api/v1/tickets/:id') {
  return { version: 1, name, rules: [{ name: `${name}-rule`, match: { method: 'GET', path }, ...step }] }
}

t.test('reset: the connection is reset, no answer', async (t) => {
  const server = await serve(t, { scenario: only('reset', { fault: 'reset' }) })
  const res = await rawRequest(server, 'GET', '/api/v1/tickets/1001')
  t.equal(res.status, undefined)
  t.equal(res.error, 'ECONNRESET')
  t.equal((await call(server, 'GET', '/api/v1/tickets')).status, 200, 'the server keeps answering')
})

t.test('empty: the connection closes before any byte of an answer', async (t) => {
  const server = await serve(t, { scenario: only('empty', { fault: 'empty' }) })
  const res = await rawRequest(server, 'GET', '/api/v1/tickets/1001')
  t.equal(res.status, undefined)
  t.ok(res.error === 'ECONNRESET' || res.error === 'socket hang up', `hang up (${res.error})`)
})

t.test('timeout: the connection is held without an answer until the hold ends', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, scenario: only('timeout', { fault: { type: 'timeout', hold: '30s' } }) })
  const pending = rawRequest(server, 'GET', '/api/v1/tickets/1001')
  await until(() => clock.pending > 0, 'the request is held')
  let settled = false
  void pending.then(() => { settled = true })
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(settled, false, 'no answer while held')
  clock.advance(30_000)
  const res = await pending
  t.equal(res.status, undefined)
  t.ok(res.error !== undefined, `dropped after the hold (${res.error})`)
})

t.test('timeout: a client that gives up first frees the connection', async (t) => {
  const server = await serve(t, { scenario: only('timeout-client', { fault: 'timeout' }) })
  const res = await rawRequest(server, 'GET', '/api/v1/tickets/1001', { timeoutMs: 100 })
  t.equal(res.error, 'CLIENT_TIMEOUT')
})

t.test('truncate: Content-Length promises the whole body, half arrives, then the connection is cut', async (t) => {
  const server = await serve(t, { scenario: only('truncate', { pass: true, fault: { type: 'truncate', keep: 0.5 } }) })
  const whole = await call(server, 'GET', '/api/v1/tickets/1001', { headers: { 'x-mock-scenario': 'default' } })
  const res = await rawRequest(server, 'GET', '/api/v1/tickets/1001')
  t.equal(res.status, 200)
  t.equal(Number(res.headers?.['content-length']), Buffer.byteLength(whole.text))
  t.ok(res.error !== undefined, `premature close (${res.error})`)
  t.ok((res.received ?? 0) > 0 && (res.received ?? 0) < Number(res.headers?.['content-length']), `${res.received} of ${res.headers?.['content-length']} bytes`)
})

t.test('malformed: a whole 200 answer whose JSON does not parse', async (t) => {
  const server = await serve(t, { scenario: only('malformed', { pass: true, fault: 'malformed' }) })
  const res = await rawRequest(server, 'GET', '/api/v1/tickets/1001')
  t.equal(res.status, 200)
  t.match(res.headers?.['content-type'], /application\/json/)
  t.equal(res.error, undefined)
  t.throws(() => JSON.parse(res.body ?? ''), SyntaxError)
  t.equal(res.headers?.['x-mock-fault'], 'malformed-rule; step=1')
})

t.test('drip: the body arrives in small chunks as the clock moves', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, scenario: only('drip', { pass: true, fault: { type: 'drip', chunk: 64, every: '1s' } }) })
  const pending = rawRequest(server, 'GET', '/api/v1/tickets/1001')
  await until(() => clock.pending > 0, 'the first chunk is out')
  let steps = 0
  while (clock.pending > 0 && steps < 100) {
    clock.advance(1000)
    steps++
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  const res = await pending
  t.equal(res.status, 200)
  const body = JSON.parse(res.body ?? '')
  t.equal(body.id, 1001, 'the whole body arrives intact')
  t.equal(steps, Math.ceil(Buffer.byteLength(res.body ?? '') / 64) - 1, 'one pause per chunk after the first')
})

t.test('latency delays the answer by the clock, fixed or seeded in a range', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, scenario: only('latency', { latency: { min: '100ms', max: '900ms' } }, '/api/v1/**') })
  const pending = call(server, 'GET', '/api/v1/tickets/1001')
  await until(() => clock.pending > 0, 'the answer waits')
  clock.advance(99)
  t.equal(clock.pending, 1, 'still waiting before the minimum')
  clock.advance(801)
  const res = await pending
  t.equal(res.status, 200)
  const journal = await server.journal()
  t.ok(journal[0]!.durationMs >= 100 && journal[0]!.durationMs <= 900, `took ${journal[0]!.durationMs} ms of clock time`)
})

t.test('latency composes with a scripted answer', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, scenario: only('slow-500', { status: 500, latency: '2s' }) })
  const pending = call(server, 'GET', '/api/v1/tickets/1001')
  await until(() => clock.pending > 0, 'the answer waits')
  clock.advance(2000)
  const res = await pending
  t.equal(res.status, 500)
  t.same(res.body, { error: 'internal_error', message: 'Internal server error' })
})
