// The Aurion API over a real socket: every endpoint, the list envelopes and statefulness.

import t from 'tap'
import { call, serve } from '../helpers.js'

t.test('tickets: create, get, list, update, notes, close', async (t) => {
  const server = await serve(t)
  const created = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 'VPN not connecting', description: 'Unable to connect since this morning', priority: 'high', category: 'Network' } })
  t.equal(created.status, 201)
  t.match(created.body, { subject: 'VPN not connecting', status: 'open', priority: 'high', category: 'Network' })
  t.match(created.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  const id = created.body.id
  t.ok(Number.isInteger(id) && id > 1000, 'integer id above 1000')

  const got = await call(server, 'GET', `/api/v1/tickets/${id}`)
  t.equal(got.status, 200)
  t.same(got.body, created.body)

  const updated = await call(server, 'PUT', `/api/v1/tickets/${id}`, { body: { status: 'pending', priority: 'medium' } })
  t.equal(updated.status, 200)
  t.match(updated.body, { id, status: 'pending', priority: 'medium', subject: 'VPN not connecting' })

  const listed = await call(server, 'GET', '/api/v1/tickets?status=pending&search=vpn not')
  t.equal(listed.status, 200)
  t.ok(listed.body.data.some((x: { id: number }) => x.id === id), 'the updated ticket is listed under its new status')
  t.ok(listed.body.data.every((x: { status: string }) => x.status === 'pending'))

  const note = await call(server, 'POST', `/api/v1/tickets/${id}/notes`, { body: { body: 'User confirmed the fix', private: true } })
  t.equal(note.status, 201)
  t.match(note.body, { ticket_id: id, body: 'User confirmed the fix', private: true })

  const closed = await call(server, 'POST', `/api/v1/tickets/${id}/close`, { body: { resolution: 'Reinstalled the client' } })
  t.equal(closed.status, 200)
  t.equal(closed.body.status, 'closed')
  const closedNoBody = await call(server, 'POST', `/api/v1/tickets/${id}/close`)
  t.equal(closedNoBody.status, 200, 'close accepts no body')

  const missing = await call(server, 'GET', '/api/v1/tickets/999999')
  t.equal(missing.status, 404)
  t.same(missing.body, { error: 'not_found', message: 'Ticket not found' })
  t.equal((await call(server, 'GET', '/api/v1/tickets/abc')).status, 404, 'a non-integer id is not found')
  for (const id of ['0', '01001', '1001x', '1e3', '-1', '1001.0', '%D9%A1', '1234567890123456']) {
    t.equal((await call(server, 'GET', `/api/v1/tickets/${id}`)).status, 404, `id ${id} is not a ticket id`)
  }
  t.equal((await call(server, 'GET', '/api/v1/tickets/1001')).status, 200)
})

t.test('tickets list: envelope, filters, sorting and pagination edges', async (t) => {
  const server = await serve(t)
  const first = await call(server, 'GET', '/api/v1/tickets')
  t.equal(first.status, 200)
  t.same(Object.keys(first.body).sort(), ['data', 'limit', 'offset', 'total'])
  t.equal(first.body.limit, 25)
  t.equal(first.body.offset, 0)
  t.equal(first.body.data.length, 25)
  const total = first.body.total
  t.ok(total > 25)
  const dates = first.body.data.map((x: { created_at: string }) => x.created_at)
  t.same(dates, [...dates].sort().reverse(), 'newest first')

  const all = await call(server, 'GET', '/api/v1/tickets?limit=100')
  t.equal(all.body.data.length, Math.min(100, total))
  const last = await call(server, 'GET', `/api/v1/tickets?limit=10&offset=${total - 3}`)
  t.equal(last.body.data.length, 3, 'the last page is short')
  const past = await call(server, 'GET', `/api/v1/tickets?offset=${total + 10}`)
  t.same(past.body.data, [])
  t.equal(past.body.total, total, 'total still counts every match past the end')

  const bad = await call(server, 'GET', '/api/v1/tickets?limit=101&offset=-1&priority=critical')
  t.equal(bad.status, 422)
  t.equal(bad.body.error, 'validation_error')
  t.same(bad.body.details.map((d: { field: string }) => d.field).sort(), ['limit', 'offset', 'priority'])
  t.same(bad.body.details.find((d: { field: string }) => d.field === 'priority'), { field: 'priority', message: 'Must be one of: low, medium, high, urgent' })
  t.equal((await call(server, 'GET', '/api/v1/tickets?limit=0')).status, 422)
  t.equal((await call(server, 'GET', '/api/v1/tickets?limit=abc')).status, 422)

  const urgent = await call(server, 'GET', '/api/v1/tickets?priority=urgent&limit=100')
  t.ok(urgent.body.data.every((x: { priority: string }) => x.priority === 'urgent'))
  const network = await call(server, 'GET', '/api/v1/tickets?category=network&limit=100')
  t.ok(network.body.data.length > 0 && network.body.data.every((x: { category: string }) => x.category === 'Network'))
})

t.test('knowledge base: list, filter, get, create, update', async (t) => {
  const server = await serve(t)
  const list = await call(server, 'GET', '/api/v1/kb/articles?status=published&limit=5')
  t.equal(list.status, 200)
  t.equal(list.body.limit, 5)
  t.ok(list.body.data.every((a: { status: string }) => a.status === 'published'))
  t.notOk('content_html' in (list.body.data[0] ?? {}), 'list items are summaries')
  const id = list.body.data[0].id
  const one = await call(server, 'GET', `/api/v1/kb/articles/${id}`)
  t.match(one.body, { id, content_html: String, folder: String, tags: Array, created_at: String })
  const vpn = await call(server, 'GET', '/api/v1/kb/articles?search=VPN')
  t.ok(vpn.body.total >= 1 && vpn.body.data.every((a: { title: string }) => /vpn/i.test(a.title)))

  const created = await call(server, 'POST', '/api/v1/kb/articles', { body: { title: 'Printing from home', content_html: '<p>Use the portal</p>', tags: ['printer'], status: 'published' } })
  t.equal(created.status, 201)
  const changed = await call(server, 'PUT', `/api/v1/kb/articles/${created.body.id}`, { body: { title: 'Printing from anywhere' } })
  t.equal(changed.body.title, 'Printing from anywhere')
  t.equal(changed.body.content_html, '<p>Use the portal</p>')
  const invalid = await call(server, 'POST', '/api/v1/kb/articles', { body: { title: '', status: 'archived' } })
  t.equal(invalid.status, 422)
  t.same(invalid.body.details.map((d: { field: string }) => d.field).sort(), ['content_html', 'status', 'title'])
  t.equal((await call(server, 'GET', '/api/v1/kb/articles/99999')).status, 404)
})

t.test('users and calls', async (t) => {
  const server = await serve(t)
  const users = await call(server, 'GET', '/api/v1/users?limit=3')
  t.equal(users.body.data.length, 3)
  t.match(users.body.data[0], { id: Number, email: String, full_name: String, role: String, is_active: Boolean })
  t.equal((await call(server, 'GET', `/api/v1/users/${users.body.data[0].id}`)).body.email, users.body.data[0].email)
  t.equal((await call(server, 'GET', '/api/v1/users/1')).status, 404)

  const calls = await call(server, 'GET', '/api/v1/calls')
  t.equal(calls.body.limit, 20, 'calls default limit is 20')
  const started = calls.body.data.map((c: { started_at: string }) => c.started_at)
  t.same(started, [...started].sort().reverse(), 'default sort: started_at desc')
  const byDuration = await call(server, 'GET', '/api/v1/calls?sort_by=duration_seconds&sort_order=asc&limit=100')
  const durations = byDuration.body.data.map((c: { duration_seconds: number }) => c.duration_seconds)
  t.same(durations, [...durations].sort((a: number, b: number) => a - b))
  const one = await call(server, 'GET', `/api/v1/calls/${calls.body.data[0].id}`)
  t.match(one.body, { id: /^call_/, requester_name: String, escalated: Boolean, sentiment: String, tools_used: Array })
  t.equal((await call(server, 'GET', '/api/v1/calls?sort_by=caller')).status, 422)
  t.equal((await call(server, 'GET', '/api/v1/calls/call_nope')).status, 404)
})

t.test('webhooks: create, duplicate URL conflict, list without secrets, delete', async (t) => {
  const server = await serve(t)
  const body = { url: 'https://localhost/hooks/aurion', events: ['ticket.created', 'ticket.closed'], secret: 'whsec_test' }
  const created = await call(server, 'POST', '/api/v1/webhooks', { body })
  t.equal(created.status, 201)
  t.match(created.body, { id: /^wh_/, url: body.url, events: body.events, active: true, secret: 'whsec_test' })
  const dup = await call(server, 'POST', '/api/v1/webhooks', { body })
  t.equal(dup.status, 409)
  t.equal(dup.body.error, 'conflict')
  const list = await call(server, 'GET', '/api/v1/webhooks')
  t.same(Object.keys(list.body), ['webhooks'])
  t.equal(list.body.webhooks.length, 1)
  t.notOk('secret' in list.body.webhooks[0])
  t.equal(list.body.webhooks[0].is_active, true)
  const bad = await call(server, 'POST', '/api/v1/webhooks', { body: { url: 'not a url', events: ['ticket.exploded'] } })
  t.equal(bad.status, 422)
  t.same(bad.body.details.map((d: { field: string }) => d.field).sort(), ['events[0]', 'url'])
  const del = await call(server, 'DELETE', `/api/v1/webhooks/${created.body.id}`)
  t.equal(del.status, 204)
  t.equal(del.text, '')
  t.equal((await call(server, 'DELETE', `/api/v1/webhooks/${created.body.id}`)).status, 404)
})

t.test('usage and configuration', async (t) => {
  const server = await serve(t)
  const summary = await call(server, 'GET', '/api/v1/usage/summary')
  t.match(summary.body, { period: { start: String, end: String }, voice_minutes: { used: Number, limit: 1000 }, api_calls: { limit: 50000 }, plan: 'professional', billing_status: 'active' })
  const details = await call(server, 'GET', '/api/v1/usage/details?start_date=2026-03-01&end_date=2026-03-07')
  t.equal(details.body.data.length, 7)
  t.same(Object.keys(details.body), ['data'])
  t.match(details.body.data[0], { date: '2026-03-01', voice_minutes: Number, api_calls: Number, llm_tokens: { input: Number, output: Number } })
  const weekly = await call(server, 'GET', '/api/v1/usage/details?start_date=2026-03-01&end_date=2026-03-31&group_by=week&event_type=api')
  t.ok(weekly.body.data.length >= 5 && weekly.body.data.every((d: Record<string, unknown>) => Object.keys(d).join() === 'date,api_calls'))
  t.equal((await call(server, 'GET', '/api/v1/usage/details?start_date=March')).status, 422)

  t.equal((await call(server, 'GET', '/api/v1/configuration/general')).body.timezone, 'Europe/Paris')
  const put = await call(server, 'PUT', '/api/v1/configuration/branding', { body: { primary_color: '#0055ff' } })
  t.equal(put.status, 200)
  t.same((await call(server, 'GET', '/api/v1/configuration/branding')).body, { primary_color: '#0055ff' })
  t.equal((await call(server, 'GET', '/api/v1/configuration/nothing')).status, 404)
})

t.test('sessions keep separate data', async (t) => {
  const server = await serve(t)
  const created = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 'a', description: 'b' }, headers: { 'x-mock-session': 'test-a' } })
  t.equal((await call(server, 'GET', `/api/v1/tickets/${created.body.id}`, { headers: { 'x-mock-session': 'test-a' } })).status, 200)
  t.equal((await call(server, 'GET', `/api/v1/tickets/${created.body.id}`, { headers: { 'x-mock-session': 'test-b' } })).status, 404)
  await server.reset('test-a')
  t.equal((await call(server, 'GET', `/api/v1/tickets/${created.body.id}`, { headers: { 'x-mock-session': 'test-a' } })).status, 404, 'reset forgets the session')
})
