// aurion-mock as a library inside a node:test suite: servers start in before() and close in
// after(). Run with `node --test test/library/runners/node-test.mjs` (test/library/runners.test.ts does).

import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { startMockServer } from 'aurion-mock'

const KEY = 'ak_live_mock_full_access_0001'

/** A JSON request to a mock, in mock session `session`. */
async function call (mock, method, path, { session = 'default', body, headers = {} } = {}) {
  const res = await fetch(mock.url + path, {
    method,
    headers: { 'x-api-key': KEY, 'x-mock-session': session, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, headers: res.headers, body: await res.json() }
}

async function report (mock, session) {
  const res = await fetch(`${mock.url}/__mock/report?session=${session}`)
  return res.json()
}

describe('aurion-mock in node:test', () => {
  let burst
  let maintenance

  before(async () => {
    ;[burst, maintenance] = await Promise.all([
      startMockServer({ scenario: 'rate-limit-burst' }),
      startMockServer({ scenario: 'maintenance' })
    ])
  })
  after(async () => {
    await Promise.all([burst.close(), maintenance.close()])
  })
  beforeEach(async () => {
    await burst.reset()
  })

  it('runs two servers with different bundled scenarios side by side', async () => {
    assert.notEqual(burst.port, maintenance.port)
    const down = await call(maintenance, 'GET', '/api/v1/tickets')
    assert.equal(down.status, 503)
    assert.equal(down.body.error, 'service_unavailable')
    assert.ok(Number(down.headers.get('retry-after')) > 0)
    const up = await call(burst, 'GET', '/api/v1/tickets')
    assert.equal(up.status, 200)
    assert.ok(Array.isArray(up.body.data))
  })

  it('throttles the sixth creation, and reset(session) starts the session over', async () => {
    const ticket = { subject: 'Burst', description: 'One of many' }
    const statuses = []
    for (let i = 0; i < 6; i++) statuses.push((await call(burst, 'POST', '/api/v1/tickets', { session: 'burst', body: ticket })).status)
    assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429])
    await burst.reset('burst')
    assert.equal((await call(burst, 'POST', '/api/v1/tickets', { session: 'burst', body: ticket })).status, 201)
  })

  it('reports a POST without an Idempotency-Key, and passes one that has it', async () => {
    const ticket = { subject: 'Keys', description: 'Graded by the report' }
    await call(burst, 'POST', '/api/v1/tickets', { session: 'keyless', body: ticket })
    await call(burst, 'POST', '/api/v1/tickets', { session: 'keyed', body: ticket, headers: { 'idempotency-key': 'idem_node_test_1' } })
    const keyless = await report(burst, 'keyless')
    assert.equal(keyless.summary.ok, false)
    assert.ok(keyless.operations[0].checks.some((c) => c.name === 'idempotencyKeysOnPost' && !c.passed))
    assert.equal((await report(burst, 'keyed')).summary.ok, true)
  })
})
