// Regression (issue 18, item 2): the docs' close call, a JSON Content-Type with no body, was refused
// with 400 "Body must not be empty when Content-Type is application/json".

import t from 'tap'
import { call, FULL, serve } from '../helpers.js'

t.test('POST /tickets/:id/close with Content-Type: application/json and no body closes the ticket', async (t) => {
  const server = await serve(t)
  const res = await fetch(`${server.url}/api/v1/tickets/1001/close`, { method: 'POST', headers: { 'x-api-key': FULL, 'content-type': 'application/json' } })
  t.equal(res.status, 200)
  t.match(await res.json(), { id: 1001, status: 'closed' })
  const charset = await call(server, 'POST', '/api/v1/tickets/1002/close', { raw: '', headers: { 'content-type': 'application/json; charset=utf-8' } })
  t.equal(charset.status, 200, 'with a charset parameter too')
  t.equal((await call(server, 'POST', '/api/v1/tickets/1003/close')).status, 200, 'and with no Content-Type at all')
})

t.test('an empty JSON body is no body: a route that needs one answers 422 on body, as without a Content-Type', async (t) => {
  const server = await serve(t)
  const empty = await call(server, 'POST', '/api/v1/tickets', { raw: '', headers: { 'content-type': 'application/json' } })
  const none = await call(server, 'POST', '/api/v1/tickets')
  t.equal(empty.status, 422)
  t.same(empty.body, none.body)
  t.same(empty.body.details, [{ field: 'body', message: 'Must be a JSON object' }])
  const nullBody = await call(server, 'POST', '/api/v1/tickets/1001/close', { raw: 'null', headers: { 'content-type': 'application/json' } })
  t.equal(nullBody.status, 422, 'a JSON null is a body, and not an object')
})

t.test('an update with an empty JSON body is a 422 naming the body, never a 500 or an empty 200', async (t) => {
  const server = await serve(t)
  for (const path of ['/api/v1/tickets/1001', '/api/v1/kb/articles/101', '/api/v1/configuration/general']) {
    const res = await fetch(`${server.url}${path}`, { method: 'PUT', headers: { 'x-api-key': FULL, 'content-type': 'application/json' }, body: '' })
    t.equal(res.status, 422, path)
    t.match(await res.json(), { error: 'validation_error', details: [{ field: 'body' }] }, path)
  }
  const general = await fetch(`${server.url}/api/v1/configuration/general`, { headers: { 'x-api-key': FULL } })
  t.match(await general.json(), { company_name: String }, 'the section is untouched')
})
