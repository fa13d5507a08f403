// Regressions found by test/fuzz/http.test.ts, both with an empty JSON body: a configuration PUT
// was accepted (a body is optional when all its fields are, and a section has no fields of its
// own), so the section became nothing and read back as a 200 without a body; and a ticket or
// article PUT was a 500 (test/e2e/close-with-empty-json-body.test.ts: now a 422 like this one).

import t from 'tap'
import { call, FULL, serve } from '../helpers.js'

t.test('a configuration PUT without a body is a 422 and leaves the section as it was', async (t) => {
  const server = await serve(t)
  const before = await call(server, 'GET', '/api/v1/configuration/general')
  t.equal(before.status, 200)
  const res = await fetch(`${server.url}/api/v1/configuration/general`, { method: 'PUT', headers: { 'x-api-key': FULL, 'content-type': 'application/json' }, body: '' })
  t.equal(res.status, 422)
  t.strictSame(await res.json(), { error: 'validation_error', message: 'Request validation failed', details: [{ field: 'body', message: 'Must be a JSON object' }] })
  const after = await call(server, 'GET', '/api/v1/configuration/general')
  t.strictSame(after.body, before.body)
})

t.test('an all-optional body may still be left out: closing a ticket', async (t) => {
  const server = await serve(t)
  const res = await fetch(`${server.url}/api/v1/tickets/1001/close`, { method: 'POST', headers: { 'x-api-key': FULL, 'content-type': 'application/json' }, body: '' })
  t.equal(res.status, 200)
  t.match(await res.json(), { id: 1001, status: 'closed' })
})
