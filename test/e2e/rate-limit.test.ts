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

// Fixed windows on the mock's clock, window after window: each answer worked out by hand.
t.test('the limiter\'s answers across windows are right on a manual clock, for the server\'s limit and a scenario\'s own', async (t) => {
  const scenario = { version: 1, name: 'own-limit', rateLimit: { max: 2, window: '10s' }, rules: [] }
  // Clock steps (ms) before each pair of requests, one per API key; each key has its own bucket.
  const steps = [0, 0, 0, 0, 0, 7_000, 0, 4_000, 0, 0, 0, 60_000, 0]
  const expected = {
    // 3 per 60 s from t=0: refused until t=60 s (Retry-After counts down), then a new window at t=71 s.
    server: ['200', '200', '200', '429/60', '429/60', '429/53', '429/53', '429/49', '429/49', '429/49', '429/49', '200', '200'],
    // 2 per 10 s from t=0: refused until t=10 s; the request at t=11 s opens a new window.
    own: ['200', '200', '429/10', '429/10', '429/10', '429/3', '429/3', '200', '200', '429/10', '429/10', '200', '200']
  }
  for (const own of [false, true]) {
    for (const rateLimitHeaders of [false, true]) {
      const clock = new ManualClock()
      const server = await serve(t, { clock, config: { rateLimit: 3, rateLimitWindowMs: 60_000, rateLimitHeaders }, ...(own ? { scenario } : {}) })
      const seen: Record<string, string[]> = { [FULL]: [], [TICKETS_ONLY]: [] }
      for (const step of steps) {
        clock.advance(step)
        for (const key of [FULL, TICKETS_ONLY]) {
          const res = await call(server, 'GET', '/api/v1/tickets', { key })
          const retryAfter = res.headers.get('retry-after')
          if (res.status === 429) t.equal(res.body.retry_after, Number(retryAfter), 'the body says what the header says')
          seen[key]!.push(res.status === 429 ? `429/${retryAfter}` : String(res.status))
        }
      }
      const what = `${own ? 'a scenario\'s own limit' : 'the server\'s limit'}, X-RateLimit headers ${rateLimitHeaders ? 'on' : 'off'}`
      t.same(seen[FULL], expected[own ? 'own' : 'server'], what)
      t.same(seen[TICKETS_ONLY], seen[FULL], `${what}: the other key, in its own bucket, alike`)
    }
  }
})

t.test('with X-RateLimit headers on, the remaining count and reset follow the window', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, config: { rateLimit: 2, rateLimitWindowMs: 10_000, rateLimitHeaders: true } })
  const seen: string[] = []
  for (const step of [0, 4_000, 0, 6_000]) {
    clock.advance(step)
    const res = await call(server, 'GET', '/api/v1/users')
    seen.push(`${res.status} ${res.headers.get('x-ratelimit-limit')}/${res.headers.get('x-ratelimit-remaining')}/${res.headers.get('x-ratelimit-reset')}`)
  }
  t.same(seen, ['200 2/1/10', '200 2/0/6', '429 2/0/6', '200 2/1/10'])
})
