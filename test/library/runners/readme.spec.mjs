import { afterAll, beforeAll, expect, test } from 'vitest'
import { startMockServer } from 'aurion-mock'

let mock
beforeAll(async () => { mock = await startMockServer({ scenario: 'maintenance' }) })
afterAll(() => mock.close())

test('every session starts in a 30 s maintenance window', async () => {
  const get = () => fetch(`${mock.url}/api/v1/tickets`, { headers: { 'x-api-key': 'ak_live_mock_full_access_0001', 'x-mock-session': 'vitest' } })
  const res = await get()
  expect(res.status).toBe(503)
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(25)
  await mock.reset('vitest')
  expect((await get()).status).toBe(503)
})
