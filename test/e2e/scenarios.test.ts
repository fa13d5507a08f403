// Scenario behaviours end to end: sequences, bursts, flaps, chance, idempotency faults, 422s,
// custom answers, matching, exact counts, determinism and session isolation.

import t from 'tap'
import { ManualClock } from '../../server/index.js'
import { call, FULL, rawRequest, READ_ONLY, serve, settle } from '../helpers.js'

const ticket = { subject: 'VPN not connecting', description: 'Since this morning' }

t.test('a sequence: 3 × 429, then the normal answer; Retry-After is honest and enforced', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, {
    clock,
    scenario: { version: 1, name: 'storm', rules: [{ name: 'create-429', match: { method: 'POST', path: '/api/v1/tickets' }, sequence: [{ times: 3, status: 429, retryAfter: 2 }, 'pass'] }] }
  })
  const first = await call(server, 'POST', '/api/v1/tickets', { body: ticket })
  t.equal(first.status, 429)
  t.equal(first.headers.get('retry-after'), '2')
  t.same(first.body, { error: 'rate_limit_exceeded', message: 'Rate limit exceeded. Retry after 2 seconds.', retry_after: 2 })
  t.equal(first.headers.get('x-mock-fault'), 'create-429; step=1')
  clock.advance(1200)
  const early = await call(server, 'POST', '/api/v1/tickets', { body: ticket })
  t.equal(early.status, 429, 'a retry before Retry-After is still refused')
  t.equal(early.headers.get('retry-after'), '1', 'with the seconds that remain')
  for (let i = 0; i < 2; i++) {
    clock.advance(2000)
    t.equal((await call(server, 'POST', '/api/v1/tickets', { body: ticket })).status, 429, `honoured wait ${i + 1} meets the next scripted 429`)
  }
  clock.advance(2000)
  t.equal((await call(server, 'POST', '/api/v1/tickets', { body: ticket })).status, 201)
  const journal = await server.journal()
  t.same(journal.map((e) => e.status), [429, 429, 429, 429, 201])
  t.same(journal.map((e) => e.retryAfter), [2, 1, 2, 2, undefined])
})

t.test('429 burst by count (after M, the next N) and by time window', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, {
    clock,
    scenario: {
      version: 1,
      name: 'bursts',
      rules: [
        { name: 'count', match: { method: 'GET', path: '/api/v1/users' }, after: 2, sequence: [{ times: 2, status: 429 }, 'pass'] },
        { name: 'window', match: { method: 'GET', path: '/api/v1/calls' }, window: { start: '10s', end: '40s' }, status: 429 }
      ]
    }
  })
  const statuses = []
  for (let i = 0; i < 5; i++) statuses.push((await call(server, 'GET', '/api/v1/users')).status)
  t.same(statuses, [200, 200, 429, 429, 200])
  t.equal((await call(server, 'GET', '/api/v1/calls')).status, 200, 'before the window')
  clock.advance(25_000)
  const inWindow = await call(server, 'GET', '/api/v1/calls')
  t.equal(inWindow.status, 429)
  t.equal(inWindow.headers.get('retry-after'), '15', 'Retry-After = seconds until the window ends')
  clock.advance(15_000)
  t.equal((await call(server, 'GET', '/api/v1/calls')).status, 200, 'a client that waited as told gets through')
})

t.test('500/503 flap on the clock; 503 carries Retry-After = seconds until up', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, scenario: 'flapping-5xx' })
  t.equal((await call(server, 'GET', '/api/v1/tickets/1001')).status, 200)
  clock.advance(4500)
  const seen = new Set<number>()
  for (let i = 0; i < 30; i++) {
    const res = await call(server, 'GET', '/api/v1/tickets/1001')
    seen.add(res.status)
    if (res.status === 503) {
      t.equal(res.headers.get('retry-after'), '2')
      t.equal(res.body.retry_after, 2)
    }
    if (res.status === 500) t.equal(res.headers.get('retry-after'), null)
  }
  t.same([...seen].sort(), [500, 503], 'statuses drawn from the list')
  clock.advance(1500)
  t.equal((await call(server, 'GET', '/api/v1/tickets/1001')).status, 200, 'up again')
})

t.test('maintenance: 503 with Retry-After until the window ends', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, scenario: 'maintenance' })
  const res = await call(server, 'GET', '/api/v1/tickets')
  t.equal(res.status, 503)
  t.same(res.body, { error: 'service_unavailable', message: 'Aurion is down for scheduled maintenance', retry_after: 30 })
  clock.advance(30_000)
  t.equal((await call(server, 'GET', '/api/v1/tickets')).status, 200)
})

t.test('lost response: performed, answered 503 or reset; same-key retry replays, new key duplicates', async (t) => {
  const server = await serve(t, { scenario: 'lost-response' })
  const search = async () => (await call(server, 'GET', '/api/v1/tickets?search=since this morning&limit=100')).body.total
  const first = { 'idempotency-key': 'idem_lost_1' }
  const lost = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: first })
  t.equal(lost.status, 503)
  t.equal(await search(), 1, 'the ticket exists although the client got a 503')
  const replay = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: first })
  t.equal(replay.status, 201, 'the stored answer is replayed')
  t.equal(replay.headers.get('idempotent-replayed'), 'true')
  t.equal(await search(), 1, 'no duplicate from a same-key retry')

  const second = { 'idempotency-key': 'idem_lost_2' }
  const dropped = await rawRequest(server, 'POST', '/api/v1/tickets', { body: ticket, headers: second })
  t.equal(dropped.error, 'ECONNRESET', 'the next creation is performed, then the connection is reset')
  t.equal(await search(), 2)
  const replay2 = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: second })
  t.equal(replay2.headers.get('idempotent-replayed'), 'true')
  const newKey = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: { 'idempotency-key': 'idem_lost_3' } })
  t.equal(newKey.status, 201)
  t.equal(await search(), 3, 'a client that changes the key creates a duplicate')
  const journal = await server.journal()
  t.same(journal.filter((e) => e.method === 'POST').map((e) => [e.status, e.committed]), [[503, true], [201, false], [0, true], [201, false], [201, true]], 'the journal knows which requests were performed')
})

t.test('scripted idempotency_conflict and 422 details; real validation still applies', async (t) => {
  const server = await serve(t, { scenario: ['idempotency-conflicts', 'validation-422'] })
  const conflict = await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: { 'idempotency-key': 'k1' } })
  t.equal(conflict.status, 409)
  t.equal(conflict.body.error, 'idempotency_conflict')
  t.equal((await call(server, 'POST', '/api/v1/tickets', { body: ticket, headers: { 'idempotency-key': 'k1' } })).status, 201)

  const v = { 'x-mock-scenario': 'validation-422' }
  const urgent = await call(server, 'POST', '/api/v1/tickets', { body: { ...ticket, priority: 'urgent' }, headers: v })
  t.equal(urgent.status, 422)
  t.same(urgent.body, { error: 'validation_error', message: 'Request validation failed', details: [{ field: 'priority', message: 'Urgent tickets must be raised by phone' }, { field: 'requester_email', message: 'Field required for urgent tickets' }] })
  const real = await call(server, 'POST', '/api/v1/tickets', { body: { priority: 'low' }, headers: v })
  t.equal(real.status, 422)
  t.same(real.body.details, [{ field: 'subject', message: 'Field required' }, { field: 'description', message: 'Field required' }])
})

t.test('any status, body and headers; the Aurion body by default', async (t) => {
  const server = await serve(t, {
    scenario: {
      version: 1,
      name: 'odd',
      rules: [
        { name: 'teapot', match: { path: '/api/v1/usage/summary' }, status: 418, headers: { 'x-odd': 'yes' }, body: { surprise: true } },
        { name: 'gateway', match: { path: '/api/v1/usage/details' }, status: 502 },
        { name: 'ok-empty', match: { path: '/api/v1/users' }, status: 200 }
      ]
    }
  })
  const teapot = await call(server, 'GET', '/api/v1/usage/summary')
  t.equal(teapot.status, 418)
  t.equal(teapot.headers.get('x-odd'), 'yes')
  t.same(teapot.body, { surprise: true })
  t.same((await call(server, 'GET', '/api/v1/usage/details')).body, { error: 'bad_gateway', message: 'Bad gateway' })
  t.same((await call(server, 'GET', '/api/v1/users')).body, {})
})

t.test('matching on query, headers, API key and body subset', async (t) => {
  const server = await serve(t, {
    scenario: {
      version: 1,
      name: 'matching',
      rules: [
        { name: 'q', match: { path: '/api/v1/tickets', query: { status: 'open' } }, status: 500 },
        { name: 'h', match: { headers: { 'X-Client-Version': '1.0' } }, status: 501 },
        { name: 'k', match: { apiKey: READ_ONLY }, status: 502 },
        { name: 'b', match: { body: { category: 'Network' } }, status: 503 }
      ]
    }
  })
  t.equal((await call(server, 'GET', '/api/v1/tickets?status=open')).status, 500)
  t.equal((await call(server, 'GET', '/api/v1/tickets?status=closed')).status, 200)
  t.equal((await call(server, 'GET', '/api/v1/users', { headers: { 'x-client-version': '1.0' } })).status, 501)
  t.equal((await call(server, 'GET', '/api/v1/users', { key: READ_ONLY })).status, 502)
  t.equal((await call(server, 'POST', '/api/v1/tickets', { body: { ...ticket, category: 'Network' } })).status, 503)
  t.equal((await call(server, 'POST', '/api/v1/tickets', { body: { ...ticket, category: 'Email' } })).status, 201)
})

t.test('exact counts: 200 concurrent requests against times: 50 give exactly 50 faults', async (t) => {
  const server = await serve(t, {
    scenario: { version: 1, name: 'fifty', rules: [{ name: 'fifty', match: { path: '/api/v1/users' }, sequence: [{ times: 50, status: 503 }, 'pass'] }] }
  })
  const results = await Promise.all(Array.from({ length: 200 }, () => call(server, 'GET', '/api/v1/users')))
  t.equal(results.filter((r) => r.status === 503).length, 50)
  t.equal(results.filter((r) => r.status === 200).length, 150)
})

t.test('determinism: two servers, same seed, same requests → byte-identical answers', async (t) => {
  async function run (): Promise<string[]> {
    const clock = new ManualClock()
    const server = await serve(t, { clock, seed: 99, scenario: 'seeded-chaos' })
    const out: string[] = []
    for (let i = 0; i < 60; i++) {
      const path = i % 3 === 0 ? '/api/v1/tickets?limit=3' : i % 3 === 1 ? `/api/v1/tickets/${1001 + (i % 7)}` : '/api/v1/kb/articles?limit=2'
      const res = await settle(clock, rawRequest(server, 'GET', path))
      out.push(`${res.status ?? '-'} ${res.error ?? ''} ${res.headers?.['retry-after'] ?? ''} ${res.body ?? ''}`)
      clock.advance(1000)
    }
    return out
  }
  const a = await run()
  const b = await run()
  t.same(a, b)
  t.ok(a.some((line) => !line.startsWith('200')), 'some faults fired')
  t.ok(a.some((line) => line.startsWith('200')), 'some requests passed')
})

t.test('isolation: parallel sessions keep their own counters', async (t) => {
  const server = await serve(t, {
    scenario: { version: 1, name: 'twice', rules: [{ name: 'twice', match: { path: '/api/v1/users' }, sequence: [{ times: 2, status: 503 }, 'pass'] }] }
  })
  const go = (session: string) => Promise.all([0, 1, 2].map(() => call(server, 'GET', '/api/v1/users', { headers: { 'x-mock-session': session } })))
  const [a, b] = await Promise.all([go('a'), go('b')])
  for (const results of [a, b]) t.same(results.map((r) => r.status).sort(), [200, 503, 503])
})

t.test('the fault header can be switched off', async (t) => {
  const server = await serve(t, { config: { faultHeader: false }, scenario: { version: 1, name: 'x', rules: [{ name: 'x', status: 500 }] } })
  const res = await call(server, 'GET', '/api/v1/users')
  t.equal(res.status, 500)
  t.equal(res.headers.get('x-mock-fault'), null)
  const journal = await server.journal()
  t.equal(journal[0]!.rule, 'x', 'still journaled with its rule')
})

t.test('an unknown X-Mock-Scenario is a 400', async (t) => {
  const server = await serve(t)
  const res = await call(server, 'GET', '/api/v1/users', { key: FULL, headers: { 'x-mock-scenario': 'nope' } })
  t.equal(res.status, 400)
  t.match(res.body.message, /Unknown scenario "nope"/)
})
