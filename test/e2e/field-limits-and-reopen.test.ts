// Regression (issue 18, item 4): descriptions, note bodies and resolutions over 20,000 characters
// were refused (no such limit is documented: the body limit protects the mock), and a resolution
// given on close stayed on the ticket after it was reopened.

import t from 'tap'
import { call, serve } from '../helpers.js'

t.test('long text fields are accepted up to the body limit, which alone refuses more', async (t) => {
  const server = await serve(t, { config: { bodyLimit: 200_000 } })
  const long = 'x'.repeat(50_000)
  const ticket = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 'Long', description: long } })
  t.equal(ticket.status, 201)
  t.equal(ticket.body.description.length, 50_000)
  t.equal((await call(server, 'POST', `/api/v1/tickets/${ticket.body.id}/notes`, { body: { body: long } })).status, 201)
  const closed = await call(server, 'POST', `/api/v1/tickets/${ticket.body.id}/close`, { body: { resolution: long } })
  t.equal(closed.status, 200)
  t.equal(closed.body.resolution.length, 50_000)
  const kb = await call(server, 'POST', '/api/v1/kb/articles', { body: { title: 't'.repeat(1000), content_html: long, category: 'c'.repeat(500), folder: 'f'.repeat(500), tags: Array.from({ length: 40 }, (_, i) => `tag-${i}-${'t'.repeat(60)}`) } })
  t.equal(kb.status, 201, kb.text)
  const hook = await call(server, 'POST', '/api/v1/webhooks', { body: { url: `https://localhost/${'p'.repeat(3000)}`, events: ['ticket.created'], secret: 's'.repeat(500) } })
  t.equal(hook.status, 201, hook.text)
  t.equal((await call(server, 'GET', `/api/v1/tickets?search=${'q'.repeat(500)}`)).status, 200, 'queries have no cap either')
  const tooBig = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 'Big', description: 'x'.repeat(200_001) } })
  t.equal(tooBig.status, 413)
  t.equal(tooBig.body.error, 'payload_too_large')
  const subject = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's'.repeat(256), description: 'd' } })
  t.same(subject.body.details, [{ field: 'subject', message: 'Must be at most 255 characters' }], 'the documented subject rule stays')
})

t.test('a reopened ticket looks like any open ticket: the resolution goes with the close', async (t) => {
  const server = await serve(t)
  const closed = await call(server, 'POST', '/api/v1/tickets/1001/close', { body: { resolution: 'Reinstalled the VPN client' } })
  t.equal(closed.body.resolution, 'Reinstalled the VPN client', 'a closed ticket shows its resolution')
  t.equal((await call(server, 'GET', '/api/v1/tickets/1001')).body.resolution, 'Reinstalled the VPN client')
  const edited = await call(server, 'PUT', '/api/v1/tickets/1001', { body: { priority: 'low' } })
  t.equal(edited.body.resolution, 'Reinstalled the VPN client', 'an edit that keeps it closed keeps the resolution')
  const reopened = await call(server, 'PUT', '/api/v1/tickets/1001', { body: { status: 'open' } })
  t.equal(reopened.status, 200)
  t.notOk('resolution' in reopened.body, 'the reopen answer has no resolution')
  const got = await call(server, 'GET', '/api/v1/tickets/1001')
  t.same(Object.keys(got.body).sort(), ['category', 'created_at', 'description', 'id', 'priority', 'requester_email', 'status', 'subject', 'updated_at'], 'the documented ticket object, nothing more')
  const listed = await call(server, 'GET', '/api/v1/tickets?status=open&limit=100')
  t.notOk(listed.body.data.find((x: { id: number }) => x.id === 1001)?.resolution, 'nor in the list')
  const again = await call(server, 'POST', '/api/v1/tickets/1001/close')
  t.notOk('resolution' in again.body, 'closing again without one does not bring the old one back')
})
