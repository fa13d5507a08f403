// Every bundled scenario not covered elsewhere, driven over a real socket.

import t from 'tap'
import { bundledScenarioNames, ManualClock } from '../../server/index.js'
import { call, rawRequest, serve, settle } from '../helpers.js'

const ticket = { subject: 'Laptop', description: 'Will not boot' }

t.test('every bundled scenario loads and is described', async (t) => {
  const server = await serve(t, { scenario: bundledScenarioNames() })
  const list = await call(server, 'GET', '/__mock/scenarios', { key: null })
  t.same(list.body.loaded.map((s: { name: string }) => s.name).sort(), bundledScenarioNames())
  for (const s of list.body.loaded) t.ok(s.description.length > 20, `${s.name} has a description`)
})

t.test('default: the plain API', async (t) => {
  const server = await serve(t, { scenario: 'default' })
  for (let i = 0; i < 20; i++) t.equal((await call(server, 'POST', '/api/v1/tickets', { body: ticket })).status, 201)
})

t.test('rate-limit-burst: 5 creations, then 3 × 429 with an enforced Retry-After of 2 s, then through', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, scenario: 'rate-limit-burst' })
  const seen: (number | string | null)[] = []
  for (let i = 0; i < 5; i++) seen.push((await call(server, 'POST', '/api/v1/tickets', { body: ticket })).status)
  for (let i = 0; i < 3; i++) {
    const res = await call(server, 'POST', '/api/v1/tickets', { body: ticket })
    seen.push(res.status, res.headers.get('retry-after'))
    clock.advance(2000)
  }
  seen.push((await call(server, 'POST', '/api/v1/tickets', { body: ticket })).status)
  t.same(seen, [201, 201, 201, 201, 201, 429, '2', 429, '2', 429, '2', 201])
})

t.test('slow-network: seeded latency, dripping KB bodies, every 5th ticket read times out', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, scenario: 'slow-network' })
  const start = clock.now()
  const list = await settle(clock, call(server, 'GET', '/api/v1/users'))
  t.equal(list.status, 200)
  const took = clock.now() - start
  t.ok(took >= 100 && took <= 400, `latency within 100-400 ms (${took})`)
  const kb = await settle(clock, rawRequest(server, 'GET', '/api/v1/kb/articles?limit=5'))
  t.equal(kb.status, 200)
  t.equal(JSON.parse(kb.body ?? '').data.length, 5, 'the dripped body arrives whole')
  const statuses = []
  for (let i = 0; i < 5; i++) {
    const res = await settle(clock, rawRequest(server, 'GET', `/api/v1/tickets/${1001 + i}`))
    statuses.push(res.status ?? res.error)
  }
  t.same(statuses.slice(0, 4), [200, 200, 200, 200])
  t.not(statuses[4], 200, `the 5th read is dropped after its hold (${statuses[4]})`)
})

t.test('seeded-chaos: a mix of faults and successes', async (t) => {
  const clock = new ManualClock()
  const server = await serve(t, { clock, scenario: 'seeded-chaos' })
  const outcomes = new Map<string, number>()
  for (let i = 0; i < 300; i++) {
    const res = await settle(clock, rawRequest(server, 'GET', '/api/v1/tickets?limit=2'))
    const kind = res.error !== undefined ? 'dropped' : res.status === 200 ? (isJson(res.body) ? 'ok' : 'malformed') : String(res.status)
    outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1)
    clock.advance(1500)
  }
  for (const kind of ['ok', 'dropped', 'malformed', '429', '503']) t.ok((outcomes.get(kind) ?? 0) > 0, `${kind}: ${outcomes.get(kind) ?? 0}`)
  t.ok((outcomes.get('ok') ?? 0) > 150, 'most requests succeed')
})

function isJson (text: string | undefined): boolean {
  try {
    JSON.parse(text ?? '')
    return true
  } catch {
    return false
  }
}
