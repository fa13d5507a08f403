// Exact under concurrency: hundreds of simultaneous requests over real sockets, and the counts that
// matter (times: N steps, repeat cycles, seeded chance, the real rate limiter, idempotency winners,
// per-session counters and ids) come out exactly as they would one request at a time.

import t from 'tap'
import { ManualClock, type MockServer } from '../../server/index.js'
import { call, FULL, serve, TICKETS_ONLY, type JsonResponse } from '../helpers.js'

/** Fires `n` requests at once (each on its own connection if need be) and waits for all. */
function burst (n: number, send: (i: number) => Promise<JsonResponse>): Promise<JsonResponse[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => send(i)))
}

function countBy (results: JsonResponse[], key: (r: JsonResponse) => string | number): Record<string, number> {
  const out: Record<string, number> = {}
  for (const r of results) {
    const k = String(key(r))
    out[k] = (out[k] ?? 0) + 1
  }
  return out
}

function shuffled<T> (items: T[], seed: number): T[] {
  // A fixed interleaving (mulberry32), so the mix of routes and sessions is the same every run.
  let a = seed
  const rand = (): number => {
    a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296
  }
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    const tmp = out[i]!
    out[i] = out[j]!
    out[j] = tmp
  }
  return out
}

async function waitFor (check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const ticket = (n: number): Record<string, string> => ({ subject: `Concurrent ${n}`, description: `Created under load, number ${n}` })

t.test('times: N steps are exact for several rules and several sessions at once', async (t) => {
  const server = await serve(t, {
    config: { rateLimit: 0 },
    scenario: {
      version: 1,
      name: 'several-counts',
      rules: [
        { name: 'users-30', match: { method: 'GET', path: '/api/v1/users' }, sequence: [{ times: 30, status: 503 }, 'pass'] },
        { name: 'calls-after-10', match: { method: 'GET', path: '/api/v1/calls' }, after: 10, sequence: [{ times: 20, status: 429 }, 'pass'] },
        { name: 'create-5-5', match: { method: 'POST', path: '/api/v1/tickets' }, sequence: [{ times: 5, status: 502 }, { times: 5, status: 504 }, 'pass'] }
      ]
    }
  })
  const sessions = ['alpha', 'beta', 'gamma']
  type Job = { session: string; route: 'users' | 'calls' | 'create'; n: number }
  const jobs: Job[] = []
  for (const session of sessions) {
    for (let n = 0; n < 100; n++) jobs.push({ session, route: 'users', n }, { session, route: 'calls', n })
    for (let n = 0; n < 40; n++) jobs.push({ session, route: 'create', n })
  }
  const order = shuffled(jobs, 7)
  const results = await Promise.all(order.map(async (job) => {
    const headers = { 'x-mock-session': job.session }
    const res = job.route === 'create'
      ? await call(server, 'POST', '/api/v1/tickets', { headers, body: ticket(job.n) })
      : await call(server, 'GET', `/api/v1/${job.route}?limit=1`, { headers })
    return { job, status: res.status }
  }))
  t.equal(results.length, 720, '720 requests at once')
  for (const session of sessions) {
    const mine = results.filter((r) => r.job.session === session)
    const of = (route: Job['route']): Record<string, number> => {
      const out: Record<string, number> = {}
      for (const r of mine.filter((x) => x.job.route === route)) out[r.status] = (out[r.status] ?? 0) + 1
      return out
    }
    t.same(of('users'), { 200: 70, 503: 30 }, `${session}: exactly 30 of 100 user reads fail`)
    t.same(of('calls'), { 200: 80, 429: 20 }, `${session}: 10 through, exactly 20 limited, then through`)
    t.same(of('create'), { 201: 30, 502: 5, 504: 5 }, `${session}: exactly 5 × 502, 5 × 504, then 30 created`)
    const journal = await server.journal(session)
    t.equal(journal.length, 240, `${session}: every request journaled once`)
    t.equal(journal.filter((e) => e.rule === 'users-30' && e.step === 1 && e.status === 503).length, 30, `${session}: the journal shows step 1 of users-30 exactly 30 times`)
    const list = await call(server, 'GET', '/api/v1/tickets?limit=1', { headers: { 'x-mock-session': session } })
    t.equal(list.body.total, 90, `${session}: 60 seeded + exactly 30 created`)
  }
})

t.test('a repeating sequence cycles exactly under load', async (t) => {
  const server = await serve(t, {
    config: { rateLimit: 0 },
    scenario: { version: 1, name: 'cycle', rules: [{ name: 'cycle', match: { path: '/api/v1/users' }, repeat: true, sequence: [{ times: 3, status: 503 }, { times: 2, pass: true }] }] }
  })
  const results = await burst(250, () => call(server, 'GET', '/api/v1/users?limit=1'))
  t.same(countBy(results, (r) => r.status), { 200: 100, 503: 150 }, '50 cycles of 3 failures and 2 passes')
})

t.test('seeded chance fires on exactly the same number of requests concurrently as one at a time', async (t) => {
  const scenario = { version: 1, name: 'chance', seed: 5, rules: [{ name: 'coin', match: { path: '/api/v1/kb/articles' }, chance: 0.3, status: 503 }] }
  const concurrent = await serve(t, { config: { rateLimit: 0 }, scenario })
  const sequential = await serve(t, { config: { rateLimit: 0 }, scenario })
  const together = await burst(300, () => call(concurrent, 'GET', '/api/v1/kb/articles?limit=1'))
  const oneByOne: JsonResponse[] = []
  for (let i = 0; i < 300; i++) oneByOne.push(await call(sequential, 'GET', '/api/v1/kb/articles?limit=1'))
  const faults = countBy(together, (r) => r.status)[503] ?? 0
  t.equal(faults, countBy(oneByOne, (r) => r.status)[503] ?? 0, `the same ${faults} faults`)
  t.ok(faults > 50 && faults < 130, 'about 30 %')
})

t.test('the real rate limiter: limit 50, 300 concurrent requests → exactly 50 through, 250 × 429', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, config: { rateLimit: 50, rateLimitWindowMs: 60_000 } })
  const results = await burst(300, () => call(server, 'GET', '/api/v1/tickets?limit=1'))
  t.same(countBy(results, (r) => r.status), { 200: 50, 429: 250 })
  const limited = results.filter((r) => r.status === 429)
  t.ok(limited.every((r) => r.headers.get('retry-after') === '60' && r.body.retry_after === 60 && r.body.error === 'rate_limit_exceeded'), 'every 429 says 60 s, in header and body')

  // Per key and per session: each bucket is exact on its own, all at once.
  const buckets = [
    { key: FULL, session: 's1' }, { key: FULL, session: 's2' }, { key: TICKETS_ONLY, session: 's1' }, { key: TICKETS_ONLY, session: 's3' }
  ]
  const mixed = await Promise.all(shuffled(buckets.flatMap((b) => Array.from({ length: 80 }, () => b)), 3).map(async (b) => ({
    b, res: await call(server, 'GET', '/api/v1/tickets?limit=1', { key: b.key, headers: { 'x-mock-session': b.session } })
  })))
  for (const b of buckets) {
    const mine = mixed.filter((m) => m.b === b).map((m) => m.res)
    t.same(countBy(mine, (r) => r.status), { 200: 50, 429: 30 }, `bucket ${b.key.slice(-4)}/${b.session}: exactly 50 of 80`)
  }
  clock.advance(60_000)
  t.equal((await call(server, 'GET', '/api/v1/tickets?limit=1')).status, 200, 'the next window lets requests through again')
})

async function ticketsMatching (server: MockServer, search: string, session?: string): Promise<number> {
  const res = await call(server, 'GET', `/api/v1/tickets?search=${encodeURIComponent(search)}&limit=100`, { headers: session === undefined ? {} : { 'x-mock-session': session } })
  return res.body.total as number
}

t.test('idempotency: 300 concurrent same-key creates → one winner, one ticket', async (t) => {
  const server = await serve(t, { config: { rateLimit: 0 } })
  const body = { subject: 'Race for one ticket', description: 'Three hundred clients, one key' }
  const results = await burst(300, () => call(server, 'POST', '/api/v1/tickets', { body, headers: { 'idempotency-key': 'race-1' } }))
  const winners = results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null)
  const replayed = results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === 'true')
  const inFlight = results.filter((r) => r.status === 409 && r.body.error === 'idempotency_conflict')
  t.equal(winners.length, 1, 'exactly one 201 that is not a replay')
  t.equal(winners.length + replayed.length + inFlight.length, 300, `the others are replays (${replayed.length}) or 409 in flight (${inFlight.length})`)
  t.ok(replayed.every((r) => r.body.id === winners[0]?.body.id), 'every replay carries the winner\'s ticket')
  t.equal(await ticketsMatching(server, 'Race for one ticket'), 1, 'exactly one ticket created')
})

t.test('idempotency with the winner held in flight: exactly 1 × 201 and 299 × 409, then replays', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, {
    clock,
    config: { rateLimit: 0 },
    // Every create waits 1 s of the manual clock before answering, so all 300 overlap for certain.
    scenario: { version: 1, name: 'slow-create', rules: [{ name: 'slow', match: { method: 'POST', path: '/api/v1/tickets' }, latency: '1s' }] }
  })
  const body = { subject: 'Held in flight', description: 'The first request waits while the others arrive' }
  const pending = burst(300, () => call(server, 'POST', '/api/v1/tickets', { body, headers: { 'idempotency-key': 'race-held' } }))
  await waitFor(() => clock.pending === 300, 'all 300 requests are waiting on the clock')
  clock.advance(1000)
  const results = await pending
  t.same(countBy(results, (r) => `${r.status} ${r.headers.get('idempotent-replayed') ?? ''}`), { '201 ': 1, '409 ': 299 })
  t.ok(results.filter((r) => r.status === 409).every((r) => r.body.error === 'idempotency_conflict' && /still being processed/.test(r.body.message)), 'the 409s say the first is still in flight')
  const winner = results.find((r) => r.status === 201)
  const retry = call(server, 'POST', '/api/v1/tickets', { body, headers: { 'idempotency-key': 'race-held' } })
  await waitFor(() => clock.pending === 1, 'the retry is waiting on the clock')
  clock.advance(1000)
  const again = await retry
  t.equal(again.status, 201)
  t.equal(again.headers.get('idempotent-replayed'), 'true')
  t.equal(again.body.id, winner?.body.id, 'a later retry replays the one ticket')
  t.equal(await ticketsMatching(server, 'Held in flight'), 1, 'exactly one ticket created')
})

t.test('per-session state is independent under parallel load', async (t) => {
  const server = await serve(t, {
    config: { rateLimit: 0 },
    scenario: { version: 1, name: 'per-session', rules: [{ name: 'third-users-read', match: { path: '/api/v1/users' }, after: 2, sequence: [{ times: 1, status: 503 }, 'pass'] }] }
  })
  const sessions = Array.from({ length: 20 }, (_, i) => `s-${i}`)
  type Job = { session: string; kind: 'create' | 'same-key' | 'users'; n: number }
  const jobs: Job[] = sessions.flatMap((session) => [
    ...Array.from({ length: 15 }, (_, n): Job => ({ session, kind: 'create', n })),
    ...Array.from({ length: 10 }, (_, n): Job => ({ session, kind: 'same-key', n })),
    ...Array.from({ length: 6 }, (_, n): Job => ({ session, kind: 'users', n }))
  ])
  const results = await Promise.all(shuffled(jobs, 11).map(async (job) => {
    const headers: Record<string, string> = { 'x-mock-session': job.session }
    let res: JsonResponse
    if (job.kind === 'users') res = await call(server, 'GET', '/api/v1/users?limit=1', { headers })
    else if (job.kind === 'create') res = await call(server, 'POST', '/api/v1/tickets', { headers, body: { subject: `Session ${job.session} #${job.n}`, description: 'per-session load' } })
    else res = await call(server, 'POST', '/api/v1/tickets', { headers: { ...headers, 'idempotency-key': 'shared-key' }, body: { subject: 'Same key everywhere', description: 'one per session' } })
    return { job, res }
  }))
  t.equal(results.length, 620)
  for (const session of sessions) {
    const mine = results.filter((r) => r.job.session === session)
    const created = mine.filter((r) => r.job.kind === 'create').map((r) => r.res)
    const ids = created.map((r) => r.body.id as number)
    const sameKey = mine.filter((r) => r.job.kind === 'same-key').map((r) => r.res)
    const winners = sameKey.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null)
    const allIds = [...ids, ...winners.map((r) => r.body.id as number)].sort((a, b) => a - b)
    const expected = Array.from({ length: 16 }, (_, i) => 1061 + i)
    const users = mine.filter((r) => r.job.kind === 'users').map((r) => r.res)
    const ok = created.every((r) => r.status === 201) && winners.length === 1 &&
      sameKey.every((r) => r.status === 201 || (r.status === 409 && r.body.error === 'idempotency_conflict')) &&
      JSON.stringify(allIds) === JSON.stringify(expected) &&
      users.filter((r) => r.status === 503).length === 1 && users.filter((r) => r.status === 200).length === 5
    t.ok(ok, `${session}: ids 1061-1076 with no gap or repeat, one same-key winner, exactly one users 503`, { ids: allIds, winners: winners.length, users: users.map((r) => r.status) })
    t.equal(await ticketsMatching(server, 'Same key everywhere', session), 1, `${session}: one same-key ticket`)
  }
  const totals = await Promise.all(sessions.map(async (session) => (await call(server, 'GET', '/api/v1/tickets?limit=1', { headers: { 'x-mock-session': session } })).body.total))
  t.same(new Set(totals), new Set([76]), 'every session holds exactly its own 16 tickets (60 seeded)')
  t.equal((await call(server, 'GET', '/api/v1/tickets?limit=1')).body.total, 60, 'the default session saw none of it')
})
