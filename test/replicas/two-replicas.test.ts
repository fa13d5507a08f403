// Two replicas on one Redis behave as one mock, over real sockets: counts, Idempotency-Key winners
// and rate-limit windows are exact across them, a record made on one is seen on the other, the
// journal reads the same from both; a lost Redis answers 503 and the replicas resume by themselves.

import t from 'tap'
import type { MockServer } from '../../server/index.js'
import { call, serve, type JsonResponse } from '../helpers.js'
import { startRedis } from '../redis-server.js'

const SCENARIO = {
  version: 1,
  name: 'shared-counts',
  rules: [{ name: 'users-5', match: { method: 'GET', path: '/api/v1/users' }, sequence: [{ times: 5, status: 503 }, 'pass'] }]
}

/** `n` requests at once, alternating between the replicas. */
function spread (replicas: MockServer[], n: number, send: (server: MockServer, i: number) => Promise<JsonResponse>): Promise<JsonResponse[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => send(replicas[i % replicas.length]!, i)))
}

const statuses = (results: JsonResponse[]): Record<number, number> => {
  const out: Record<number, number> = {}
  for (const r of results) out[r.status] = (out[r.status] ?? 0) + 1
  return out
}

const redis = await startRedis(t)
const start = () => serve(t, { scenario: SCENARIO, config: { store: redis.url, storePrefix: 'replicas:', rateLimit: 20 } })
const replicas = [await start(), await start()]
const [a, b] = replicas as [MockServer, MockServer]
const inSession = (session: string) => ({ headers: { 'x-mock-session': session } })

t.test('a times: 5 rule hit by 20 concurrent requests over both replicas answers exactly five', async (t) => {
  const results = await spread(replicas, 20, (s) => call(s, 'GET', '/api/v1/users', inSession('times')))
  t.same(statuses(results), { 200: 15, 503: 5 })
})

t.test('16 concurrent creates with one Idempotency-Key over both replicas make one ticket', async (t) => {
  const body = { subject: 'Shared key', description: 'Sent to two replicas at once' }
  const results = await spread(replicas, 16, (s) => call(s, 'POST', '/api/v1/tickets', { body, headers: { 'x-mock-session': 'idem', 'idempotency-key': 'one-key' } }))
  const created = results.filter((r) => r.status === 201)
  t.ok(created.length >= 1, 'the first create answers 201, and replays of it too')
  t.equal(new Set(created.map((r) => r.body.id)).size, 1, 'every 201 names the one ticket')
  t.ok(results.every((r) => r.status === 201 || (r.status === 409 && r.body.error === 'idempotency_conflict')), 'the rest are replays or 409 idempotency_conflict')
  const listed = await call(b, 'GET', '/api/v1/tickets?per_page=100', inSession('idem'))
  const made = (listed.body.data as Array<{ subject: string }>).filter((x) => x.subject === 'Shared key')
  t.equal(made.length, 1, 'one ticket, seen from either replica')
})

t.test('a shared limit of 20 admits exactly 20 of 30 requests over both replicas', async (t) => {
  const results = await spread(replicas, 30, (s) => call(s, 'GET', '/api/v1/kb/articles', inSession('limit')))
  t.same(statuses(results), { 200: 20, 429: 10 })
  t.ok(results.filter((r) => r.status === 429).every((r) => Number(r.headers.get('retry-after')) >= 1), '429s carry Retry-After')
})

t.test('the journal, the report, resets and the active scenario are the same from either replica', async (t) => {
  const journal = async (s: MockServer) => (await call(s, 'GET', '/__mock/journal?session=limit', { key: null })).body.entries as unknown[]
  // A replica writes a request's entry before it answers: every answered request is in the journal at once.
  const fromA = await journal(a)
  t.equal(fromA.length, 30)
  t.same(await journal(b), fromA)
  const report = async (s: MockServer) => (await call(s, 'GET', '/__mock/report?session=idem', { key: null })).text
  t.equal(await report(b), await report(a), 'the retry report is the same from either replica')
  t.equal((await call(b, 'POST', '/__mock/reset?session=idem', { key: null })).status, 200)
  t.same((await call(a, 'GET', '/api/v1/tickets?per_page=100', inSession('idem'))).body.data.filter((x: { subject: string }) => x.subject === 'Shared key'), [], 'a reset on one replica is seen on the other')
  t.equal((await call(a, 'POST', '/__mock/scenarios/activate?session=calm', { key: null, body: { name: 'default' } })).status, 200)
  t.same(statuses(await spread(replicas, 6, (s) => call(s, 'GET', '/api/v1/users', inSession('calm')))), { 200: 6 }, 'activated on one replica, active on both')
})

t.test('Redis lost: API requests get 503 with Retry-After: 1 and health 503; Redis back: the replicas resume', async (t) => {
  await redis.kill()
  const lost = await call(a, 'GET', '/api/v1/users', inSession('after'))
  t.equal(lost.status, 503)
  t.equal(lost.headers.get('retry-after'), '1')
  t.match(lost.body, { error: 'service_unavailable', retry_after: 1 })
  const health = await call(b, 'GET', '/__mock/health', { key: null })
  t.equal(health.status, 503)
  t.match(health.body, { status: 'unavailable', store: 'unreachable' })
  await redis.restart()
  let back: JsonResponse | undefined
  for (let i = 0; i < 100 && back?.status !== 200; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    back = await call(b, 'GET', '/api/v1/users', inSession('after'))
  }
  t.equal(back?.status, 200, 'answers resume without a restart')
  t.equal((await call(a, 'GET', '/__mock/health', { key: null })).status, 200)
})
