// Regression (issue 18, item 6): created KB articles were numbered 1001, 1002… after a seed of
// 101–120; "Must be a array"; an upper-case URL scheme was refused; the README said every path
// outside /api/v1 was 403 while /foo was 404.

import t from 'tap'
import { call, FULL, serve } from '../helpers.js'

t.test('created KB article ids continue after the seed\'s', async (t) => {
  const server = await serve(t)
  const list = await call(server, 'GET', '/api/v1/kb/articles?limit=100')
  const ids = list.body.data.map((a: { id: number }) => a.id)
  t.same([Math.min(...ids), Math.max(...ids)], [101, 120], 'the seed holds 101-120')
  const first = await call(server, 'POST', '/api/v1/kb/articles', { body: { title: 'a', content_html: 'b' } })
  const second = await call(server, 'POST', '/api/v1/kb/articles', { body: { title: 'c', content_html: 'd' } })
  t.same([first.body.id, second.body.id], [121, 122])
  t.equal((await call(server, 'GET', '/api/v1/kb/articles/121')).body.title, 'a')
  const ticket = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd' } })
  t.equal(ticket.body.id, 1061, 'tickets still continue after theirs')
  const note = await call(server, 'POST', '/api/v1/tickets/1001/notes', { body: { body: 'n' } })
  t.equal(note.body.id, 1001, 'a kind with no seed starts at 1001')
})

t.test('type messages use the right article', async (t) => {
  const server = await serve(t)
  const res = await call(server, 'POST', '/api/v1/kb/articles', { body: { title: 't', content_html: 'c', tags: 'vpn' } })
  t.same(res.body.details, [{ field: 'tags', message: 'Must be an array' }])
  const hook = await call(server, 'POST', '/api/v1/webhooks', { body: { url: 'https://localhost/h', events: 'ticket.created' } })
  t.same(hook.body.details, [{ field: 'events', message: 'Must be an array' }])
  const note = await call(server, 'POST', '/api/v1/tickets/1001/notes', { body: { body: 'n', private: 'yes' } })
  t.same(note.body.details, [{ field: 'private', message: 'Must be a boolean' }])
})

t.test('an upper-case URL scheme is accepted, and is the same URL as its lower-case form', async (t) => {
  const server = await serve(t)
  for (const url of ['HTTPS://localhost/hooks/a', 'Http://localhost/hooks/b']) {
    const res = await call(server, 'POST', '/api/v1/webhooks', { body: { url, events: ['ticket.created'] } })
    t.equal(res.status, 201, url)
    t.equal(res.body.url, url, 'kept as given')
  }
  const dup = await call(server, 'POST', '/api/v1/webhooks', { body: { url: 'https://LOCALHOST/hooks/a', events: ['ticket.closed'] } })
  t.equal(dup.status, 409, 'scheme and host compared without case')
  const ftp = await call(server, 'POST', '/api/v1/webhooks', { body: { url: 'FTP://localhost/x', events: ['ticket.created'] } })
  t.same(ftp.body.details, [{ field: 'url', message: 'Has an invalid format' }], 'other schemes are still refused')
})

t.test('paths under /api but outside /api/v1 are 403 to an API key; paths outside /api are 404', async (t) => {
  const server = await serve(t)
  for (const path of ['/api/kb', '/api/v2/kb/search', '/api/v1', '/api/configuration/api-keys']) {
    const res = await call(server, 'GET', path, { key: FULL })
    t.equal(res.status, 403, path)
    t.same(res.body, { error: 'forbidden', message: 'API keys are not permitted for this endpoint' }, path)
  }
  for (const path of ['/foo', '/', '/v1/tickets', '/apiv1/tickets']) {
    const res = await call(server, 'GET', path, { key: FULL })
    t.equal(res.status, 404, path)
    t.equal(res.body.error, 'not_found', path)
  }
})
