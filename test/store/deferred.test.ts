// A store that answers with promises (what a shared store looks like to its callers): it meets the
// contract, and a server on it answers over real sockets as on the in-memory store - exactly.

import t, { type Test } from 'tap'
import { buildApp, ManualClock, scenarioFromObject, sessionAt, type MockServer } from '../../server/index.js'
import type { Scenario } from '../../server/scenario/types.js'
import { MemoryStore } from '../../server/store/memory/index.js'
import { sessionReport } from '../../server/verify/session-report.js'
import { seedSource } from '../../server/seed/source.js'
import { DEFAULT_CONFIG, type MockConfig } from '../../server/config.js'
import { call, FULL } from '../helpers.js'
import { runStoreContract } from './contract.js'
import { DeferredStore } from './deferred.js'
import { originOf } from '../../server/webhooks/admin.js'
import { startReceiver, until } from '../webhooks/receiver.js'

await t.test('the deferred store meets the contract', async (t) => {
  await runStoreContract(t, (_t, options) => new DeferredStore(new MemoryStore(options)))
})

/** A listening server on a deferred store over a memory store made as the app would make it. */
async function serveDeferred (t: Test, options: { config?: Partial<MockConfig>; scenario?: Record<string, unknown>; clock?: ManualClock } = {}): Promise<MockServer & { store: DeferredStore }> {
  const clock = options.clock ?? new ManualClock()
  const config = { ...DEFAULT_CONFIG, logLevel: 'silent' as const, ...options.config }
  const store = new DeferredStore(new MemoryStore({ seed: await seedSource(config.seed), now: () => clock.now(), maxClaims: config.maxIdempotencyKeys }))
  const scenarios: Scenario[] = []
  if (options.scenario !== undefined) {
    const loaded = scenarioFromObject(options.scenario, 'inline')
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems))
    scenarios.push(loaded.scenario)
  }
  const mock = await buildApp({ config, clock, store, scenarios })
  await mock.app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => mock.app.close())
  const address = mock.app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    port,
    mock,
    store,
    close: () => mock.app.close(),
    reset: async (session) => { await store.reset(session) },
    journal: async (session = 'default') => await (await store.find(session))?.journal() ?? [],
    report: async (session = 'default') => sessionReport(store, mock.scenarios, session),
    session: (name = 'session-1') => sessionAt(url, name),
    deliveries: async (session = 'default') => await (await store.find(session))?.deliveries() ?? [],
    trigger: async ({ type, data = {}, session = 'default' }) => mock.webhooks.emit(await originOf(store, mock.scenarios, session, config.seed), type, data)
  }
}

const ticket = (n: number) => ({ subject: `Deferred ${n}`, description: `Created on a deferred store, number ${n}` })

t.test('reads, creates and the journal go through the promises', async (t) => {
  const server = await serveDeferred(t)
  t.equal((await call(server, 'GET', '/api/v1/tickets/1001')).status, 200)
  const created = await call(server, 'POST', '/api/v1/tickets', { body: ticket(1), headers: { 'x-mock-session': 's1' } })
  t.equal(created.status, 201)
  t.equal((await call(server, 'GET', `/api/v1/tickets/${created.body.id}`, { headers: { 'x-mock-session': 's1' } })).body.subject, 'Deferred 1')
  t.same((await call(server, 'GET', '/__mock/sessions', { key: null })).body.sessions, ['default', 's1'])
  const journal = (await call(server, 'GET', '/__mock/journal?session=s1', { key: null })).body.entries
  t.same(journal.map((e: { method: string; status: number }) => `${e.method} ${e.status}`), ['POST 201', 'GET 200'])
  t.ok(server.store.calls > 5, `${server.store.calls} store calls, each answered with a promise`)
})

t.test('webhook deliveries read subscriptions, count events and journal attempts through the promises', async (t) => {
  const server = await serveDeferred(t, { scenario: { version: 1, name: 'dup', deliveries: [{ name: 'twice', fault: 'duplicate' }] } })
  const receiver = await startReceiver(t)
  await call(server, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['ticket.created', 'user.created'] } })
  const created = await call(server, 'POST', '/api/v1/tickets', { body: ticket(1) })
  const emitted = await server.trigger({ type: 'user.created', data: { id: 42 } })
  const got = await receiver.waitFor(4)
  t.same(got.map((d) => [d.body.type, d.body.data.id]), [['ticket.created', created.body.id], ['ticket.created', created.body.id], ['user.created', 42], ['user.created', 42]])
  t.equal(got[2]!.body.id, emitted.event.id)
  const entries = await until(async () => { const e = await server.deliveries(); return e.length === 4 ? e : undefined })
  t.same(entries.map((e) => e.sent), ['event', 'duplicate', 'event', 'duplicate'])
})

t.test('the rate limiter counts exactly and answers honestly', async (t) => {
  const clock = new ManualClock()
  const server = await serveDeferred(t, { clock, config: { rateLimit: 5, rateLimitWindowMs: 10_000 } })
  const statuses = await Promise.all(Array.from({ length: 12 }, () => call(server, 'GET', '/api/v1/users')))
  t.same(statuses.map((r) => r.status).sort(), [...Array(5).fill(200), ...Array(7).fill(429)], 'exactly 5 of 12 concurrent requests admitted')
  clock.advance(4_000)
  const limited = await call(server, 'GET', '/api/v1/users')
  t.same([limited.status, limited.headers.get('retry-after'), limited.body.retry_after], [429, '6', 6])
  clock.advance(6_000)
  t.equal((await call(server, 'GET', '/api/v1/users')).status, 200, 'a new window')
})

t.test('concurrent creates with one Idempotency-Key make one ticket', async (t) => {
  const server = await serveDeferred(t, { config: { rateLimit: 0 } })
  const headers = { 'idempotency-key': 'deferred-race' }
  const results = await Promise.all(Array.from({ length: 40 }, () => call(server, 'POST', '/api/v1/tickets', { body: ticket(2), headers })))
  const fresh = results.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') === null)
  t.equal(fresh.length, 1, 'one winner')
  t.ok(results.every((r) => (r.status === 201 && (r === fresh[0] || r.headers.get('idempotent-replayed') === 'true')) || (r.status === 409 && r.body.error === 'idempotency_conflict')), 'the others replay or conflict')
  t.equal((await call(server, 'GET', '/api/v1/tickets?search=Deferred 2&limit=100')).body.total, 1, 'one ticket')
  const again = await call(server, 'POST', '/api/v1/tickets', { body: ticket(2), headers })
  t.same([again.status, again.headers.get('idempotent-replayed'), again.text], [201, 'true', fresh[0]!.text], 'then a replay')
  t.equal((await call(server, 'POST', '/api/v1/tickets', { body: ticket(3), headers })).status, 409, 'another body conflicts')
})

t.test('times: N is exact under concurrency, and activation per session lives in the store', async (t) => {
  const scenario = { version: 1, name: 'three-fail', rules: [{ name: 'users-3', match: { method: 'GET', path: '/api/v1/users' }, sequence: [{ times: 3, status: 503 }, 'pass'] }] }
  const server = await serveDeferred(t, { config: { rateLimit: 0 }, scenario })
  const results = await Promise.all(Array.from({ length: 20 }, () => call(server, 'GET', '/api/v1/users', { key: FULL })))
  t.equal(results.filter((r) => r.status === 503).length, 3)
  const activated = await call(server, 'POST', '/__mock/scenarios/activate?session=calm', { key: null, body: { name: 'default' } })
  t.same(activated.body, { active: 'default', session: 'calm' })
  t.equal(await server.store.activeScenario('calm'), 'default')
  t.equal((await call(server, 'GET', '/api/v1/users', { headers: { 'x-mock-session': 'calm' } })).status, 200, 'the session runs its own scenario')
  t.equal((await call(server, 'GET', '/__mock/scenarios', { key: null })).body.default, 'three-fail', 'the server\'s is unchanged')
  t.equal((await server.report('calm')).summary.operations, 1, 'the report reads the session\'s journal')
  await server.report('ghost')
  t.notOk((await server.store.sessionIds()).includes('ghost'), 'a report makes no session')
})
