// Regression (issue 18, item 1): a ticket or KB article read from the mock, with its unset optional
// fields shown as null, was refused when PUT back unchanged (422 "Must be a string").

import t from 'tap'
import { call, serve } from '../helpers.js'

t.test('a ticket created without category or requester_email can be PUT back as GET returned it', async (t) => {
  const server = await serve(t)
  const created = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 'Printer offline', description: 'Third floor' } })
  t.equal(created.status, 201)
  t.equal(created.body.category, null, 'unset fields are shown as null (the documented object has every field)')
  t.equal(created.body.requester_email, null)
  const got = await call(server, 'GET', `/api/v1/tickets/${created.body.id}`)
  const put = await call(server, 'PUT', `/api/v1/tickets/${created.body.id}`, { body: got.body })
  t.equal(put.status, 200, put.text)
  t.same({ ...put.body, updated_at: got.body.updated_at }, got.body, 'nothing changed but updated_at')
})

t.test('null on input means unset: a PUT can clear a ticket\'s category', async (t) => {
  const server = await serve(t)
  const seeded = await call(server, 'GET', '/api/v1/tickets/1001')
  t.type(seeded.body.category, 'string')
  const cleared = await call(server, 'PUT', '/api/v1/tickets/1001', { body: { category: null } })
  t.equal(cleared.status, 200)
  t.equal(cleared.body.category, null)
  t.equal(cleared.body.subject, seeded.body.subject, 'fields left out stay as they were')
  const created = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd', category: null, requester_email: null } })
  t.equal(created.status, 201, 'a create may send null too')
  const wrong = await call(server, 'PUT', '/api/v1/tickets/1001', { body: { category: 42, subject: null } })
  t.same(wrong.body.details, [{ field: 'subject', message: 'Must be a string' }, { field: 'category', message: 'Must be a string or null' }], 'fields that are never null still refuse it')
})

t.test('a KB article created without category or folder can be PUT back as GET returned it', async (t) => {
  const server = await serve(t)
  const created = await call(server, 'POST', '/api/v1/kb/articles', { body: { title: 'Printing from home', content_html: '<p>Use the portal</p>' } })
  t.equal(created.status, 201)
  t.same([created.body.category, created.body.folder, created.body.tags], [null, null, []])
  const got = await call(server, 'GET', `/api/v1/kb/articles/${created.body.id}`)
  const put = await call(server, 'PUT', `/api/v1/kb/articles/${created.body.id}`, { body: got.body })
  t.equal(put.status, 200, put.text)
  t.same({ ...put.body, updated_at: got.body.updated_at }, got.body)
  const seeded = await call(server, 'GET', '/api/v1/kb/articles/101')
  t.equal((await call(server, 'PUT', '/api/v1/kb/articles/101', { body: seeded.body })).status, 200, 'a seeded article too')
})
