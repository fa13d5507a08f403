// The real rate limiter: per key and session, honest Retry-After, driven by a manual clock.

import t from 'tap'
import { ManualClock } from '../../server/index.js'
import { call, FULL, serve, TICKETS_ONLY } from '../helpers.js'

t.test('over the limit: 429 with matching header and body, honest until the window frees', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, config: { rateLimit: 3, rateLimitWindowMs: 60_000 } })
  for (let i = 0; i < 3; i++) t.equal((await call(server, 'GET', '/api/v1/users')).status, 200)
  t.equal((await call(server, 'GET', '/api/v1/users')).headers.get('x-ratelimit-limit'), null, 'no X-RateLimit headers by default')
  clock.advance(15_500)
  const limited = await call(server, 'GET', '/api/v1/users')
  t.equal(limited.status, 429)
  t.equal(limited.headers.get('retry-after'), '45')
  t.same(limited.body, { error: 'rate_limit_exceeded', message: 'Rate limit exceeded. Retry after 45 seconds.', retry_after: 45 })
  clock.advance(44_000)
  t.equal((await call(server, 'GET', '/api/v1/users')).headers.get('retry-after'), '1', 'still limited a little before the time said')
  clock.advance(500)
  t.equal((await call(server, 'GET', '/api/v1/users')).status, 200, 'through once Retry-After has elapsed')
})

t.test('buckets are per API key and per session', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, config: { rateLimit: 1 } })
  t.equal((await call(server, 'GET', '/api/v1/tickets', { key: FULL })).status, 200)
  t.equal((await call(server, 'GET', '/api/v1/tickets', { key: FULL })).status, 429)
  t.equal((await call(server, 'GET', '/api/v1/tickets', { key: TICKETS_ONLY })).status, 200, 'another key has its own bucket')
  t.equal((await call(server, 'GET', '/api/v1/tickets', { key: FULL, headers: { 'x-mock-session': 'other' } })).status, 200, 'another session has its own bucket')
})

t.test('opt-in X-RateLimit headers; 0 turns the limiter off; admin routes are never limited', async (t) => {
  const clock = new ManualClock()
  const headers = await serve(t, { clock, config: { rateLimit: 2, rateLimitHeaders: true } })
  const res = await call(headers, 'GET', '/api/v1/users')
  t.equal(res.headers.get('x-ratelimit-limit'), '2')
  t.equal(res.headers.get('x-ratelimit-remaining'), '1')
  const off = await serve(t, { clock, config: { rateLimit: 0 } })
  for (let i = 0; i < 20; i++) t.equal((await call(off, 'GET', '/api/v1/users')).status, 200)
  for (let i = 0; i < 5; i++) t.equal((await call(headers, 'GET', '/__mock/health', { key: null })).status, 200)
})

// Requests within the limit skip the plugin (headers off); with the headers on the plugin counts
// every request. The two paths must give the same answers, window after window.
t.test('the shortcut for requests within the limit answers exactly as the plugin does', async (t) => {
  const scenario = { version: 1, name: 'own-limit', rateLimit: { max: 2, window: '10s' }, rules: [] }
  const statuses = async (rateLimitHeaders: boolean, own: boolean): Promise<string[]> => {
    const clock = new ManualClock()
    const server = await serve(t, { clock, config: { rateLimit: 3, rateLimitWindowMs: 60_000, rateLimitHeaders }, ...(own ? { scenario } : {}) })
    const seen: string[] = []
    for (const step of [0, 0, 0, 0, 0, 7_000, 0, 4_000, 0, 0, 0, 60_000, 0]) {
      clock.advance(step)
      for (const key of [FULL, TICKETS_ONLY]) {
        const res = await call(server, 'GET', '/api/v1/tickets', { key })
        seen.push(`${res.status}/${res.headers.get('retry-after') ?? '-'}/${res.body?.retry_after ?? '-'}`)
      }
    }
    return seen
  }
  for (const own of [false, true]) {
    const viaPlugin = await statuses(true, own)
    const viaShortcut = await statuses(false, own)
    t.same(viaShortcut, viaPlugin, own ? 'a scenario\'s own limit' : 'the server\'s limit')
    t.ok(viaPlugin.some((s) => s.startsWith('429/')) && viaPlugin.some((s) => s.startsWith('200/')), 'the sequence both admits and refuses')
  }
})
