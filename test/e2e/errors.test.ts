// Auth, scopes and every error code of the Aurion catalogue, over a real socket.

import t from 'tap'
import { call, FULL, READ_ONLY, serve, TICKETS_ONLY } from '../helpers.js'

t.test('401 for a missing or unknown key, with the exact Aurion body', async (t) => {
  const server = await serve(t)
  // Names every plain object has are no keys either.
  for (const key of [null, 'ak_live_nope', 'constructor', '__proto__', 'toString']) {
    const res = await call(server, 'GET', '/api/v1/tickets', { key })
    t.equal(res.status, 401)
    t.same(res.body, { error: 'unauthorized', message: 'Invalid or missing API key' })
  }
})

t.test('403 for a missing scope names the scope; write does not imply read', async (t) => {
  const server = await serve(t)
  const write = await call(server, 'POST', '/api/v1/tickets', { key: READ_ONLY, body: { subject: 's', description: 'd' } })
  t.equal(write.status, 403)
  t.same(write.body, { error: 'forbidden', message: 'API key lacks required scope: tickets:write' })
  t.equal((await call(server, 'GET', '/api/v1/tickets', { key: READ_ONLY })).status, 200)
  const kb = await call(server, 'GET', '/api/v1/kb/articles', { key: TICKETS_ONLY })
  t.same(kb.body, { error: 'forbidden', message: 'API key lacks required scope: kb:read' })
  t.equal((await call(server, 'POST', '/api/v1/tickets/1001/notes', { key: READ_ONLY, body: { body: 'x' } })).body.message, 'API key lacks required scope: tickets:write', 'notes are gated by tickets:write')
  t.equal((await call(server, 'GET', '/api/v1/webhooks', { key: READ_ONLY })).body.message, 'API key lacks required scope: webhooks:manage', 'webhooks:manage gates GET too')
  t.equal((await call(server, 'PUT', '/api/v1/configuration/general', { key: READ_ONLY, body: {} })).body.message, 'API key lacks required scope: config:write')

  const onlyWrite = await serve(t, { config: { keys: { ak_live_write_only_9: ['tickets:write'] } } })
  t.equal((await call(onlyWrite, 'POST', '/api/v1/tickets', { key: 'ak_live_write_only_9', body: { subject: 's', description: 'd' } })).status, 201)
  t.equal((await call(onlyWrite, 'GET', '/api/v1/tickets', { key: 'ak_live_write_only_9' })).body.message, 'API key lacks required scope: tickets:read')
})

t.test('denied paths are 403 whatever the scopes', async (t) => {
  const server = await serve(t)
  for (const path of ['/api/v1/super-admin/tenants', '/api/configuration/api-keys', '/api/sync/run', '/api/v2/kb/search']) {
    const res = await call(server, 'GET', path, { key: FULL })
    t.equal(res.status, 403, path)
    t.same(res.body, { error: 'forbidden', message: 'API keys are not permitted for this endpoint' })
  }
})

t.test('404, 405, 400, 413 and 422 are Aurion error bodies', async (t) => {
  const server = await serve(t, { config: { bodyLimit: 2048 } })
  const unknown = await call(server, 'GET', '/api/v1/nothing-here')
  t.equal(unknown.status, 404)
  t.equal(unknown.body.error, 'not_found')
  const root = await call(server, 'GET', '/')
  t.equal(root.body.error, 'not_found')
  const method = await call(server, 'DELETE', '/api/v1/tickets/1001')
  t.equal(method.status, 405)
  t.equal(method.body.error, 'method_not_allowed')
  t.match(method.headers.get('allow'), /GET/)
  const malformed = await call(server, 'POST', '/api/v1/tickets', { raw: '{"subject": ', headers: { 'content-type': 'application/json' } })
  t.equal(malformed.status, 400)
  t.same(malformed.body, { error: 'bad_request', message: 'Malformed JSON body' })
  const wrongType = await call(server, 'POST', '/api/v1/tickets', { raw: 'subject=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.equal(wrongType.status, 400)
  t.equal(wrongType.body.error, 'bad_request')
  const big = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'x'.repeat(5000) } })
  t.equal(big.status, 413)
  t.equal(big.body.error, 'payload_too_large')
  const invalid = await call(server, 'POST', '/api/v1/tickets', { body: { subject: '', priority: 'critical', status: 'done', requester_email: 'nope' } })
  t.equal(invalid.status, 422)
  const byField = (a: { field: string }, b: { field: string }) => a.field.localeCompare(b.field)
  t.same([...invalid.body.details].sort(byField), [
    { field: 'subject', message: 'Must not be empty' },
    { field: 'priority', message: 'Must be one of: low, medium, high, urgent' },
    { field: 'status', message: 'Must be one of: open, pending, resolved, closed' },
    { field: 'requester_email', message: 'Must be a valid email address' },
    { field: 'description', message: 'Field required' }
  ].sort(byField), 'one detail per failing field')
  const notObject = await call(server, 'POST', '/api/v1/tickets', { body: [1, 2] })
  t.equal(notObject.status, 422)
  t.same(notObject.body.details, [{ field: 'body', message: 'Must be a JSON object' }])
  const wrongTypes = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 42, description: true } })
  t.same(wrongTypes.body.details, [{ field: 'subject', message: 'Must be a string' }, { field: 'description', message: 'Must be a string' }], 'bodies are not coerced')
})
