// Regression (issue 18, item 5): which answers are stored under an Idempotency-Key, status class by
// status class. The rule (README "The API", decision 6 as amended): an answer is stored when the
// request reached its route's handler and the answer is neither 5xx nor 429. Answers given before
// the handler - 400 (framing, content type), 401/403 (auth), 422 (validation), 429 (the limiter),
// scripted faults - are not, so a corrected retry with the same key is processed.

import t from 'tap'
import { ManualClock } from '../../server/index.js'
import { call, READ_ONLY, serve, type JsonResponse } from '../helpers.js'

const ticket = { subject: 'Printer offline', description: 'Third floor printer shows offline' }
const key = (k: string) => ({ 'idempotency-key': k })
const replayed = (res: JsonResponse) => res.headers.get('idempotent-replayed') === 'true'

t.test('2xx: stored and replayed, for POST, PUT and DELETE', async (t) => {
  const server = await serve(t)
  const a = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-201') })
  const b = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-201') })
  t.same([a.status, replayed(a), b.status, replayed(b), b.text === a.text], [201, false, 201, true, true])
  const put1 = await call(server, 'PUT', '/api/v1/tickets/1001', { body: { priority: 'low' }, headers: key('k-200') })
  const put2 = await call(server, 'PUT', '/api/v1/tickets/1001', { body: { priority: 'low' }, headers: key('k-200') })
  t.same([put1.status, put2.status, replayed(put2)], [200, 200, true])
  const hook = await call(server, 'POST', '/api/v1/webhooks', { body: { url: 'https://localhost/h', events: ['ticket.created'] } })
  const del1 = await call(server, 'DELETE', `/api/v1/webhooks/${hook.body.id}`, { headers: key('k-204') })
  const del2 = await call(server, 'DELETE', `/api/v1/webhooks/${hook.body.id}`, { headers: key('k-204') })
  t.same([del1.status, del2.status, replayed(del2)], [204, 204, true], 'the second DELETE replays 204 rather than finding nothing (404)')
})

t.test('400: not stored; the corrected body is processed under the same key', async (t) => {
  const server = await serve(t)
  const malformed = await call(server, 'POST', '/api/v1/tickets', { raw: '{"subject": ', headers: { ...key('k-400'), 'content-type': 'application/json' } })
  t.equal(malformed.status, 400)
  const wrongType = await call(server, 'POST', '/api/v1/tickets', { raw: JSON.stringify(ticket), headers: { ...key('k-400'), 'content-type': 'text/plain' } })
  t.same([wrongType.status, replayed(wrongType)], [400, false])
  const fixed = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-400') })
  t.same([fixed.status, replayed(fixed)], [201, false])
})

t.test('401 and 403: not stored', async (t) => {
  const server = await serve(t)
  for (let i = 0; i < 2; i++) {
    const unknown = await call(server, 'POST', '/api/v1/tickets', { key: 'ak_live_nope', body: ticket, headers: key('k-401') })
    t.same([unknown.status, replayed(unknown)], [401, false], `401, try ${i + 1}`)
    const scope = await call(server, 'POST', '/api/v1/tickets', { key: READ_ONLY, body: ticket, headers: key('k-403') })
    t.same([scope.status, replayed(scope)], [403, false], `403 missing scope, try ${i + 1}`)
    const denied = await call(server, 'POST', '/api/v2/kb', { body: ticket, headers: key('k-403-path') })
    t.same([denied.status, replayed(denied)], [403, false], `403 denied path, try ${i + 1}`)
  }
  const same = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-403') })
  t.same([same.status, replayed(same)], [201, false], 'the key a 403 was given under is free for the key that may')
})

t.test('404 and 405: stored, so the retry sees the first answer even when the resource appeared since', async (t) => {
  const server = await serve(t)
  const first = await call(server, 'POST', '/api/v1/tickets/1061/notes', { body: { body: 'x' }, headers: key('k-404') })
  t.equal(first.status, 404)
  t.equal((await call(server, 'POST', '/api/v1/tickets', { body: ticket })).body.id, 1061, 'ticket 1061 now exists')
  const again = await call(server, 'POST', '/api/v1/tickets/1061/notes', { body: { body: 'x' }, headers: key('k-404') })
  t.same([again.status, replayed(again)], [404, true])
  const m1 = await call(server, 'DELETE', '/api/v1/tickets/1001', { headers: key('k-405') })
  const m2 = await call(server, 'DELETE', '/api/v1/tickets/1001', { headers: key('k-405') })
  t.same([m1.status, m2.status, replayed(m2), m2.headers.get('allow')], [405, 405, true, m1.headers.get('allow')], 'with its Allow header')
})

t.test('409: a duplicate is stored; an idempotency conflict is not (the first answer stays)', async (t) => {
  const server = await serve(t)
  const body = { url: 'https://localhost/h', events: ['ticket.created'] }
  await call(server, 'POST', '/api/v1/webhooks', { body })
  const dup1 = await call(server, 'POST', '/api/v1/webhooks', { body, headers: key('k-409') })
  const dup2 = await call(server, 'POST', '/api/v1/webhooks', { body, headers: key('k-409') })
  t.same([dup1.status, dup1.body.error, dup2.status, replayed(dup2)], [409, 'conflict', 409, true])
  const created = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-conflict') })
  const conflict = await call(server, 'POST', '/api/v1/tickets', { body: { ...ticket, priority: 'urgent' }, headers: key('k-conflict') })
  t.same([conflict.status, conflict.body.error, replayed(conflict)], [409, 'idempotency_conflict', false])
  const replay = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-conflict') })
  t.same([replay.status, replay.text === created.text, replayed(replay)], [201, true, true])
})

t.test('422: not stored; the corrected body is processed under the same key', async (t) => {
  const server = await serve(t)
  const invalid = await call(server, 'POST', '/api/v1/tickets', { body: { subject: '' }, headers: key('k-422') })
  t.equal(invalid.status, 422)
  const fixed = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-422') })
  t.same([fixed.status, replayed(fixed)], [201, false], 'not a 409 for the changed body')
})

t.test('429 from the real limiter: not stored; the retry after Retry-After is processed', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, config: { rateLimit: 1, rateLimitWindowMs: 10_000 } })
  t.equal((await call(server, 'GET', '/api/v1/tickets?limit=1')).status, 200)
  const limited = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-429') })
  t.equal(limited.status, 429)
  clock.advance(Number(limited.headers.get('retry-after')) * 1000)
  const retried = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-429') })
  t.same([retried.status, replayed(retried)], [201, false])
})

t.test('5xx: not stored, from a scripted fault or from the handler; a lost response stores the real answer', async (t) => {
  const scenario = { version: 1, name: 'fail-once', rules: [{ name: 'once', match: { method: 'POST', path: '/api/v1/tickets' }, sequence: [{ status: 503 }, 'pass'] }] }
  const scripted = await serve(t, { scenario })
  t.equal((await call(scripted, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-503') })).status, 503)
  const retried = await call(scripted, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-503') })
  t.same([retried.status, replayed(retried)], [201, false])

  const full = await serve(t, { config: { maxRecords: 60 } })
  for (let i = 0; i < 2; i++) {
    const res = await call(full, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-507') })
    t.same([res.status, res.body.error, replayed(res)], [507, 'insufficient_storage', false], `a handler's 5xx, try ${i + 1}`)
  }

  const lost = await serve(t, { scenario: { version: 1, name: 'lost', rules: [{ name: 'lost', match: { method: 'POST', path: '/api/v1/tickets' }, sequence: [{ commit: true, status: 503 }, 'pass'] }] } })
  t.equal((await call(lost, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-lost') })).status, 503)
  const recovered = await call(lost, 'POST', '/api/v1/tickets', { body: ticket, headers: key('k-lost') })
  t.same([recovered.status, recovered.body.id, replayed(recovered)], [201, 1061, true], 'the operation ran: its 201 was stored and is replayed')
})
