// aurion-mock as a library inside a vitest suite: servers start in beforeAll and close in
// afterAll. Run with `npx vitest run --root test/library/runners` (test/library/runners.test.ts does).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startMockServer } from 'aurion-mock'

const KEY = 'ak_live_mock_full_access_0001'

/** Users reads fail once with a 500 and then work; every creation is fine. */
const flakyUsers = {
  version: 1,
  name: 'flaky-users',
  rules: [
    { name: 'users-500-once', match: { method: 'GET', path: '/api/v1/users' }, sequence: [{ status: 500 }, 'pass'] }
  ]
}

async function call (mock, method, path, { session = 'default', body, headers = {} } = {}) {
  const res = await fetch(mock.url + path, {
    method,
    headers: { 'x-api-key': KEY, 'x-mock-session': session, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return { status: res.status, body: await res.json() }
}

describe('aurion-mock in vitest', () => {
  let flaky
  let conflicts

  beforeAll(async () => {
    flaky = await startMockServer({ scenario: flakyUsers, seed: 42 })
    conflicts = await startMockServer({ scenario: 'idempotency-conflicts', seed: 42 })
  })
  afterAll(async () => {
    await flaky.close()
    await conflicts.close()
  })
  beforeEach(async () => {
    await flaky.reset('vitest')
    await conflicts.reset('vitest')
  })

  it('answers by each server\'s own scenario, with the same seed data', async () => {
    const first = await call(flaky, 'GET', '/api/v1/users', { session: 'vitest' })
    expect(first.status).toBe(500)
    expect(first.body).toMatchObject({ error: 'internal_error' })
    const second = await call(flaky, 'GET', '/api/v1/users', { session: 'vitest' })
    const other = await call(conflicts, 'GET', '/api/v1/users', { session: 'vitest' })
    expect(second.status).toBe(200)
    expect(second.body).toEqual(other.body)

    const ticket = { subject: 'Two servers', description: 'One process' }
    const key = { 'idempotency-key': 'idem_vitest_1' }
    expect((await call(flaky, 'POST', '/api/v1/tickets', { session: 'vitest', body: ticket, headers: key })).status).toBe(201)
    const refused = await call(conflicts, 'POST', '/api/v1/tickets', { session: 'vitest', body: ticket, headers: key })
    expect(refused).toMatchObject({ status: 409, body: { error: 'idempotency_conflict' } })
  })

  it('forgets a session on reset, and the report flags a retry without backoff', async () => {
    expect((await call(flaky, 'GET', '/api/v1/users', { session: 'vitest' })).status).toBe(500)
    expect((await call(flaky, 'GET', '/api/v1/users', { session: 'vitest' })).status).toBe(200)
    expect(await flaky.journal('vitest')).toHaveLength(2)

    const res = await fetch(`${flaky.url}/__mock/report?session=vitest`)
    const report = await res.json()
    expect(report.summary.ok).toBe(false)
    expect(report.operations[0].checks).toContainEqual(expect.objectContaining({ name: 'backoff', passed: false }))

    await flaky.reset('vitest')
    expect(await flaky.journal('vitest')).toHaveLength(0)
    expect((await call(flaky, 'GET', '/api/v1/users', { session: 'vitest' })).status).toBe(500)
  })
})
