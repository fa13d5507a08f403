// Limits and admin security: each limit answers a clear Aurion error and the server carries on.

import t from 'tap'
import { call, rawRequest, serve } from '../helpers.js'

t.test('headers past --max-header-bytes: 431 in the Aurion format', async (t) => {
  const server = await serve(t, { config: { maxHeaderBytes: 2048 } })
  const res = await rawRequest(server, 'GET', '/api/v1/tickets', { headers: { 'x-padding': 'x'.repeat(4000) } })
  t.equal(res.status, 431)
  t.same(JSON.parse(res.body ?? ''), { error: 'headers_too_large', message: 'Request headers too large' })
  t.equal((await call(server, 'GET', '/api/v1/tickets')).status, 200, 'the server carries on')
})

t.test('protocol garbage gets an Aurion 400', async (t) => {
  const server = await serve(t)
  const { connect } = await import('node:net')
  const socket = connect(server.port, '127.0.0.1')
  socket.write('GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n')
  let text = ''
  socket.on('data', (d: Buffer) => { text += d })
  await new Promise((resolve) => socket.on('close', resolve))
  t.match(text, /^HTTP\/1.1 400 /)
  t.match(text, /\{"error":"bad_request","message":"Malformed HTTP request"\}$/)
})

t.test('records per session are capped: 507, and a reset frees the session', async (t) => {
  const server = await serve(t, { config: { maxRecords: 3 } })
  const statuses = []
  for (let i = 0; i < 3; i++) statuses.push((await call(server, 'POST', '/api/v1/webhooks', { body: { url: `https://localhost/${i}`, events: ['ticket.created'] } })).status)
  const over = await call(server, 'POST', '/api/v1/webhooks', { body: { url: 'https://localhost/x', events: ['ticket.created'] } })
  t.same(statuses, [201, 201, 201])
  t.equal(over.status, 507)
  t.equal(over.body.error, 'insufficient_storage')
  t.match(over.body.message, /3 webhooks records/)
  await server.reset()
  t.equal((await call(server, 'POST', '/api/v1/webhooks', { body: { url: 'https://localhost/x', events: ['ticket.created'] } })).status, 201)
})

t.test('stored Idempotency-Key answers are capped: the oldest is forgotten', async (t) => {
  const server = await serve(t, { config: { maxIdempotencyKeys: 2 } })
  const post = (key: string) => call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: key }, headers: { 'idempotency-key': key } })
  await post('k1')
  await post('k2')
  await post('k3')
  t.equal((await post('k3')).headers.get('idempotent-replayed'), 'true', 'a recent key still replays')
  t.equal((await post('k1')).headers.get('idempotent-replayed'), null, 'the oldest key was forgotten')
})

t.test('records across all sessions are capped: the least recently used sessions are forgotten', async (t) => {
  const server = await serve(t, { config: { maxTotalRecords: 3 } })
  const create = async (session: string) => {
    const res = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: session }, headers: { 'x-mock-session': session } })
    t.equal(res.status, 201)
    return (res.body as { id: number }).id
  }
  const read = async (session: string, id: number) => (await call(server, 'GET', `/api/v1/tickets/${id}`, { headers: { 'x-mock-session': session } })).status
  const a1 = await create('a')
  const b1 = await create('b')
  t.equal(await read('a', a1), 200, 'a is now the most recently used')
  const c1 = await create('c')
  t.equal(await read('b', b1), 200)
  t.equal(await read('a', a1), 200, 'three records: nobody forgotten yet')
  const c2 = await create('c')
  t.equal(await read('b', b1), 404, 'b, the least recently used, was forgotten for the fourth record')
  t.equal(await read('a', a1), 200)
  t.equal(await read('c', c2), 200, 'the session adding is never the one forgotten')
  t.equal(await read('c', c1), 200)
})

t.test('an admin token guards the admin routes; health stays open', async (t) => {
  const server = await serve(t, { config: { adminToken: 's3cret' } })
  t.equal((await call(server, 'GET', '/__mock/health', { key: null })).status, 200)
  const denied = await call(server, 'GET', '/__mock/journal', { key: null })
  t.equal(denied.status, 401)
  t.equal(denied.body.error, 'unauthorized')
  t.equal((await call(server, 'GET', '/__mock/journal', { key: null, headers: { authorization: 'Bearer wrong!' } })).status, 401)
  t.equal((await call(server, 'GET', '/__mock/journal', { key: null, headers: { authorization: 'Bearer s3cret' } })).status, 200)
  t.equal((await server.report()).summary.ok, true, 'the library reads the report without the token')
})

t.test('--no-admin switches the admin routes off', async (t) => {
  const server = await serve(t, { config: { admin: false } })
  t.equal((await call(server, 'GET', '/__mock/health', { key: null })).status, 200)
  t.equal((await call(server, 'POST', '/__mock/reset', { key: null })).status, 404)
})

t.test('scenario limits apply to posted scenarios too', async (t) => {
  const server = await serve(t, { config: { maxRules: 2 } })
  const rules = [1, 2, 3].map((i) => `  - { name: r${i}, status: 500 }`).join('\n')
  const res = await fetch(`${server.url}/__mock/scenarios/activate`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: `version: 1\nname: many\nrules:\n${rules}\n` })
  t.equal(res.status, 422)
  t.match(JSON.stringify(await res.json()), /rules/)
})
