// The admin API under /__mock: health, scenarios, activation, reset, journal, keys.

import t from 'tap'
import { call, FULL, serve } from '../helpers.js'

const yaml = `version: 1
name: posted
rules:
  - name: users-down
    match: { path: /api/v1/users }
    status: 503
`

t.test('health answers without a key and is never under /api', async (t) => {
  const server = await serve(t)
  const res = await call(server, 'GET', '/__mock/health', { key: null })
  t.equal(res.status, 200)
  t.same(res.body, { status: 'ok' })
})

t.test('list scenarios and activate one by name, for everyone or one session', async (t) => {
  const server = await serve(t, { scenario: ['default', 'maintenance'] })
  const list = await call(server, 'GET', '/__mock/scenarios', { key: null })
  t.equal(list.body.default, 'default')
  t.same(list.body.loaded.map((s: { name: string }) => s.name).sort(), ['default', 'maintenance'])
  t.ok(list.body.bundled.includes('rate-limit-burst'))

  const one = await call(server, 'POST', '/__mock/scenarios/activate', { key: null, body: { name: 'maintenance' }, headers: { 'x-mock-session': 's1' } })
  t.same(one.body, { active: 'maintenance', session: 's1' })
  t.equal((await call(server, 'GET', '/api/v1/users', { headers: { 'x-mock-session': 's1' } })).status, 503)
  t.equal((await call(server, 'GET', '/api/v1/users')).status, 200, 'other sessions keep the default')

  await call(server, 'POST', '/__mock/scenarios/activate', { key: null, body: { name: 'rate-limit-burst' } })
  t.equal((await call(server, 'GET', '/__mock/scenarios', { key: null })).body.default, 'rate-limit-burst', 'a bundled scenario is loaded on demand')
})

t.test('activate by posting YAML, checked like a file', async (t) => {
  const server = await serve(t)
  const ok = await fetch(`${server.url}/__mock/scenarios/activate`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: yaml })
  t.equal(ok.status, 200)
  t.equal((await call(server, 'GET', '/api/v1/users')).status, 503)
  const bad = await fetch(`${server.url}/__mock/scenarios/activate`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: yaml.replace('status: 503', 'statsu: 503') })
  t.equal(bad.status, 422)
  const body = await bad.json() as { error: string; details: { field: string; message: string }[] }
  t.equal(body.error, 'validation_error')
  t.match(body.details[0]!.message, /^request body:6:5: .*statsu/)
  t.equal((await call(server, 'GET', '/api/v1/users')).status, 503, 'the last good scenario keeps serving')
})

t.test('reset one session or all; read the journal', async (t) => {
  const server = await serve(t)
  await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd' }, headers: { 'x-mock-session': 'j', 'idempotency-key': 'idem_j' } })
  await call(server, 'GET', '/api/v1/tickets/1', { headers: { 'x-mock-session': 'j' } })
  const journal = await call(server, 'GET', '/__mock/journal?session=j', { key: null })
  t.equal(journal.body.entries.length, 2)
  t.match(journal.body.entries[0], { seq: 1, method: 'POST', path: '/api/v1/tickets', status: 201, idempotencyKey: 'idem_j', apiKey: '…0001', bodyHash: /^[0-9a-f]{16}$/ })
  t.notOk(JSON.stringify(journal.body).includes(FULL), 'API keys are masked')
  t.equal((await call(server, 'GET', '/__mock/journal?session=j&limit=1', { key: null })).body.entries.length, 1)
  t.ok((await call(server, 'GET', '/__mock/sessions', { key: null })).body.sessions.includes('j'))
  await call(server, 'POST', '/__mock/reset?session=j', { key: null })
  t.equal((await call(server, 'GET', '/__mock/journal?session=j', { key: null })).body.entries.length, 0)
  await call(server, 'POST', '/__mock/reset', { key: null })
  t.same((await call(server, 'GET', '/__mock/sessions', { key: null })).body.sessions, [])
})

t.test('keys lists the test keys and their scopes', async (t) => {
  const server = await serve(t)
  const res = await call(server, 'GET', '/__mock/keys', { key: null })
  t.equal(res.body.keys.length, 3)
  t.equal(res.body.keys[0].key, FULL)
})

t.test('only /__mock and below is the admin API: /__mockery is an ordinary unknown path', async (t) => {
  const server = await serve(t)
  const res = await call(server, 'GET', '/__mockery', { key: null })
  t.equal(res.status, 404)
  t.equal(res.body.error, 'not_found')
  const journal = await call(server, 'GET', '/__mock/journal', { key: null })
  t.same(journal.body.entries, [], 'a path outside /api creates no session and no journal entry; admin calls are not journaled either')
})
