// The library inside node-tap as users import it ('aurion-mock' is this package's build): servers
// start in t.before and close in t.teardown, several at once, each with its own scenario.

import t from 'tap'
import { startMockServer, type MockServer } from 'aurion-mock'

const KEY = 'ak_live_mock_full_access_0001'

/**
 * Per session: the first ticket creation gets a 429 with Retry-After: 1 (and so does any retry
 * within that second); the first users read gets a 503. Then both work.
 */
const createStorm = {
  version: 1,
  name: 'create-storm',
  rules: [
    { name: 'create-429', match: { method: 'POST', path: '/api/v1/tickets' }, sequence: [{ status: 429, retryAfter: 1 }, 'pass'] },
    { name: 'users-503', match: { method: 'GET', path: '/api/v1/users' }, sequence: [{ status: 503 }, 'pass'] }
  ]
}

let storm: MockServer
let calm: MockServer

t.before(async () => {
  storm = await startMockServer({ scenario: createStorm })
  calm = await startMockServer()
})
t.teardown(async () => {
  await storm.close()
  await calm.close()
})

async function createTicket (mock: MockServer, session: string, idempotencyKey: string): Promise<Response> {
  return fetch(`${mock.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'x-mock-session': session, 'idempotency-key': idempotencyKey, 'content-type': 'application/json' },
    body: JSON.stringify({ subject: 'VPN not connecting', description: 'Since this morning' })
  })
}

async function listUsers (mock: MockServer, session: string): Promise<number> {
  const res = await fetch(`${mock.url}/api/v1/users`, { headers: { 'x-api-key': KEY, 'x-mock-session': session } })
  return res.status
}

async function retryReport (mock: MockServer, session: string): Promise<{ summary: { ok: boolean }, operations: { checks: { name: string, passed: boolean }[] }[] }> {
  const res = await fetch(`${mock.url}/__mock/report?session=${session}`)
  return await res.json() as { summary: { ok: boolean }, operations: { checks: { name: string, passed: boolean }[] }[] }
}

t.test('two servers in one process answer by their own scenario', async (t) => {
  t.not(storm.url, calm.url)
  const throttled = await createTicket(storm, 'side-by-side', 'idem_tap_1')
  t.equal(throttled.status, 429)
  t.equal(throttled.headers.get('retry-after'), '1')
  t.match(await throttled.json(), { error: 'rate_limit_exceeded', retry_after: 1 })
  t.equal((await createTicket(calm, 'side-by-side', 'idem_tap_1')).status, 201)
})

t.test('reset(session) starts that session\'s scenario over and leaves the others alone', async (t) => {
  t.same([await listUsers(storm, 'a'), await listUsers(storm, 'a'), await listUsers(storm, 'b')], [503, 200, 503])
  await storm.reset('a')
  t.equal((await storm.journal('a')).length, 0, 'the journal of a is empty')
  t.equal((await storm.journal('b')).length, 1, 'b keeps its journal')
  t.equal(await listUsers(storm, 'a'), 503, 'a starts over')
  t.equal(await listUsers(storm, 'b'), 200, 'b is past its 503')
})

t.test('the report passes a client that waits out Retry-After and fails one that does not', async (t) => {
  t.equal((await createTicket(storm, 'patient', 'idem_tap_p')).status, 429)
  await new Promise((resolve) => setTimeout(resolve, 1000))
  t.equal((await createTicket(storm, 'patient', 'idem_tap_p')).status, 201)
  t.equal((await retryReport(storm, 'patient')).summary.ok, true)

  t.equal((await createTicket(storm, 'hasty', 'idem_tap_h')).status, 429)
  t.equal((await createTicket(storm, 'hasty', 'idem_tap_h')).status, 429, 'a retry inside the Retry-After is refused again')
  const hasty = await retryReport(storm, 'hasty')
  t.equal(hasty.summary.ok, false)
  t.ok(hasty.operations[0]?.checks.some((c) => c.name === 'respectRetryAfter' && !c.passed), 'respectRetryAfter failed')
})
