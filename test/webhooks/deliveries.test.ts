// Webhook deliveries over real HTTP: a receiver on 127.0.0.1 gets signed Aurion events for ticket
// changes, retried on the server's clock (a ManualClock here), only to allowed hosts.

import t from 'tap'
import { createHmac } from 'node:crypto'
import { ManualClock } from '../../server/index.js'
import { call, serve } from '../helpers.js'
import { startReceiver, until } from './receiver.js'

const SECRET = 'whsec_test_secret'
const sign = (raw: string) => `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`

t.test('a created ticket is delivered signed; a 500 is retried with the same event after the first interval; closing delivers ticket.closed', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock })
  const receiver = await startReceiver(t, (_d, i) => i === 0 ? 500 : 204)
  const hook = await call(server, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['ticket.created', 'ticket.closed'], secret: SECRET } })
  t.equal(hook.status, 201)

  const created = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 'VPN down', description: 'since 9am', priority: 'high' } })
  t.equal(created.status, 201)
  const [first] = await receiver.waitFor(1)
  t.equal(first!.body.type, 'ticket.created')
  t.match(first!.body.id, /^evt_[0-9a-f]+$/)
  t.equal(first!.body.timestamp, '2026-01-01T00:00:00Z', 'stamped by the server clock')
  t.same(first!.body.data, created.body, 'the data is the ticket as the API answered it')
  t.equal(first!.headers['x-aurion-signature'], sign(first!.raw), 'signed: HMAC-SHA256 of the raw body with the secret')
  t.equal(first!.headers['content-type'], 'application/json')

  // The retry waits for the clock: nothing more arrives until a second has passed.
  await until(async () => (await (await server.mock.store.find('default'))?.deliveries())?.length === 1 ? true : undefined)
  t.equal(receiver.received.length, 1, 'no retry before the interval')
  clock.advance(999)
  await new Promise((resolve) => setTimeout(resolve, 30))
  t.equal(receiver.received.length, 1, 'still none at 999 ms')
  clock.advance(1)
  const [, again] = await receiver.waitFor(2)
  t.equal(again!.body.id, first!.body.id, 'the same event id')
  t.equal(again!.raw, first!.raw, 'the same body')
  t.equal(again!.headers['x-aurion-signature'], first!.headers['x-aurion-signature'])

  const closed = await call(server, 'POST', `/api/v1/tickets/${created.body.id}/close`, { body: { resolution: 'fixed' } })
  t.equal(closed.status, 200)
  const [, , third] = await receiver.waitFor(3)
  t.equal(third!.body.type, 'ticket.closed')
  t.not(third!.body.id, first!.body.id, 'a new event')
  t.equal(third!.body.data.status, 'closed')

  const journal = await until(async () => {
    const entries = (await call(server, 'GET', '/__mock/deliveries')).body.deliveries as Array<Record<string, unknown>>
    return entries.length === 3 ? entries : undefined
  })
  t.match(journal, [
    { eventId: first!.body.id, eventType: 'ticket.created', attempt: 1, status: 500, retryAt: Date.parse('2026-01-01T00:00:01Z'), sent: 'event' },
    { eventId: first!.body.id, attempt: 2, status: 204 },
    { eventType: 'ticket.closed', attempt: 1, status: 204 }
  ], 'every attempt is journaled')
})

t.test('updates deliver ticket.updated, reopened and note_added only for what changed, to subscribed webhooks only', async (t) => {
  const server = await serve(t)
  const all = await startReceiver(t)
  const notesOnly = await startReceiver(t)
  await call(server, 'POST', '/api/v1/webhooks', { body: { url: all.url, events: ['ticket.created', 'ticket.updated', 'ticket.closed', 'ticket.reopened', 'ticket.note_added'] } })
  await call(server, 'POST', '/api/v1/webhooks', { body: { url: notesOnly.url, events: ['ticket.note_added'] } })
  const ticket = (await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd' } })).body
  await call(server, 'PUT', `/api/v1/tickets/${ticket.id}`, { body: { subject: 'only the subject' } })
  await call(server, 'PUT', `/api/v1/tickets/${ticket.id}`, { body: { priority: 'urgent' } })
  await call(server, 'PUT', `/api/v1/tickets/${ticket.id}`, { body: { status: 'closed' } })
  await call(server, 'POST', `/api/v1/tickets/${ticket.id}/close`, {})
  await call(server, 'PUT', `/api/v1/tickets/${ticket.id}`, { body: { status: 'open' } })
  await call(server, 'POST', `/api/v1/tickets/${ticket.id}/notes`, { body: { body: 'a note' } })
  const got = await all.waitFor(5)
  t.same(got.map((d) => d.body.type), ['ticket.created', 'ticket.updated', 'ticket.closed', 'ticket.reopened', 'ticket.note_added'], 'in order; a subject edit and a second close are no events')
  const [note] = await notesOnly.waitFor(1)
  t.equal(note!.body.data.ticket_id, ticket.id)
  t.equal(note!.body.id, got[4]!.body.id, 'one event, the same id at every webhook')
  t.equal(notesOnly.received.length, 1)
})

t.test('POST /__mock/events delivers events that have no API trigger, and refuses unknown types', async (t) => {
  const server = await serve(t)
  const receiver = await startReceiver(t)
  await call(server, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['call.completed'] } })
  const res = await call(server, 'POST', '/__mock/events', { key: null, body: { type: 'call.completed', data: { id: 'call_1', duration_seconds: 185 } } })
  t.equal(res.status, 202)
  t.match(res.body, { session: 'default', event: { type: 'call.completed', data: { id: 'call_1' } }, webhooks: [/^wh_/] })
  const [d] = await receiver.waitFor(1)
  t.equal(d!.body.id, res.body.event.id)
  const bad = await call(server, 'POST', '/__mock/events', { key: null, body: { type: 'ticket.exploded' } })
  t.equal(bad.status, 422)
  t.match(bad.body.details, [{ field: 'type' }])
})

t.test('deliveries go only to loopback and to hosts given with --webhook-hosts; a refused URL is a 422 naming the flag', async (t) => {
  const server = await serve(t)
  const refused = await call(server, 'POST', '/api/v1/webhooks', { body: { url: 'https://hooks.example.com/aurion', events: ['ticket.created'] } })
  t.equal(refused.status, 422)
  t.match(refused.body, { error: 'validation_error', details: [{ field: 'url', message: /--webhook-hosts/ }] })
  for (const url of ['http://localhost:9/h', 'http://127.0.0.2:9/h', 'http://[::1]:9/h']) {
    t.equal((await call(server, 'POST', '/api/v1/webhooks', { body: { url, events: ['ticket.created'] } })).status, 201, url)
  }
  const open = await serve(t, { config: { webhookHosts: ['hooks.example.com', '*.internal'] } })
  t.equal((await call(open, 'POST', '/api/v1/webhooks', { body: { url: 'https://hooks.example.com/aurion', events: ['ticket.created'] } })).status, 201)
  t.equal((await call(open, 'POST', '/api/v1/webhooks', { body: { url: 'https://a.b.internal/x', events: ['ticket.created'] } })).status, 201)
  t.equal((await call(open, 'POST', '/api/v1/webhooks', { body: { url: 'https://evil.example.com/x', events: ['ticket.created'] } })).status, 422)
  const any = await serve(t, { config: { webhookHosts: ['*'] } })
  t.equal((await call(any, 'POST', '/api/v1/webhooks', { body: { url: 'https://evil.example.com/x', events: ['ticket.created'] } })).status, 201, '* allows every host')
})

t.test('a receiver that refuses connections is retried on the schedule, then the delivery is marked failed', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock })
  await call(server, 'POST', '/api/v1/webhooks', { body: { url: 'http://127.0.0.1:9/closed', events: ['ticket.created'] } })
  await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd' } })
  const attempts = async (n: number) => until(async () => {
    const entries = await (await server.mock.store.find('default'))?.deliveries() ?? []
    return entries.length >= n ? entries : undefined
  })
  for (const [n, wait] of [[1, 1_000], [2, 5_000], [3, 30_000], [4, 120_000], [5, 600_000]] as const) {
    const entries = await attempts(n)
    t.match(entries[n - 1], { attempt: n, status: 0, error: 'refused', retryAt: clock.now() + wait })
    clock.advance(wait)
  }
  const entries = await attempts(6)
  t.match(entries[5], { attempt: 6, status: 0, failed: true })
  t.notOk('retryAt' in entries[5]!, 'no further attempt')
})

t.test('--webhook-retries sets the schedule: a 500 is retried after each wait given, then failed; none sends once', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, config: { webhookRetriesMs: [100, 250] } })
  const receiver = await startReceiver(t, () => 500)
  await call(server, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['ticket.created'] } })
  await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd' } })
  const attempts = async (n: number) => until(async () => { const e = await server.deliveries(); return e.length >= n ? e : undefined })
  t.match((await attempts(1))[0], { attempt: 1, status: 500, retryAt: clock.now() + 100 })
  clock.advance(100)
  t.match((await attempts(2))[1], { attempt: 2, status: 500, retryAt: clock.now() + 250 })
  clock.advance(250)
  const entries = await attempts(3)
  t.match(entries[2], { attempt: 3, status: 500, failed: true })
  t.notOk('retryAt' in entries[2]!, 'the schedule is spent: no fourth attempt')
  t.equal(receiver.received.length, 3)

  const once = await serve(t, { clock, config: { webhookRetriesMs: [] } })
  await call(once, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['ticket.created'] } })
  await call(once, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd' } })
  const [only] = await until(async () => { const e = await once.deliveries(); return e.length === 1 ? e : undefined })
  t.match(only, { attempt: 1, status: 500, failed: true })
  clock.advance(600_000)
  await new Promise((resolve) => setTimeout(resolve, 30))
  t.equal(receiver.received.length, 4, 'with none, a failed delivery is not sent again')
})

t.test('a receiver that never answers does not hold up the API; at the timeout the attempt fails and is retried', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock })
  const receiver = await startReceiver(t, () => undefined)
  await call(server, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['ticket.created'] } })
  const created = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd' } })
  t.equal(created.status, 201)
  await receiver.waitFor(1)
  // The delivery hangs; the API still answers at once.
  const more = await Promise.all([1, 2, 3].map((n) => call(server, 'GET', `/api/v1/tickets/${created.body.id}`, { headers: { 'x-n': String(n) } })))
  t.same(more.map((r) => r.status), [200, 200, 200])
  t.same(await server.deliveries(), [], 'nothing journaled while the attempt is in flight')
  clock.advance(10_000)
  const [entry] = await until(async () => { const e = await server.deliveries(); return e.length === 1 ? e : undefined })
  t.match(entry, { attempt: 1, status: 0, error: 'timeout', retryAt: Date.parse('2026-01-01T00:00:11Z') })
  clock.advance(1_000)
  await receiver.waitFor(2)
})

t.test('resetting a session forgets its waiting retries; the new session delivers afresh', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock })
  const failing = await startReceiver(t, () => 500)
  await call(server, 'POST', '/api/v1/webhooks', { body: { url: failing.url, events: ['ticket.created'] } })
  await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd' } })
  await failing.waitFor(1)
  await until(async () => (await server.deliveries()).length === 1 ? true : undefined)
  t.equal((await call(server, 'POST', '/__mock/reset', { key: null })).status, 200)
  const fresh = await startReceiver(t)
  await call(server, 'POST', '/api/v1/webhooks', { body: { url: fresh.url, events: ['ticket.created'] } })
  await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd' } })
  await fresh.waitFor(1)
  clock.advance(1_000)
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(failing.received.length, 1, 'the old retry is not sent')
  t.match(await until(async () => { const e = await server.deliveries(); return e.length === 1 ? e : undefined }), [{ status: 204, url: fresh.url }])
})
