// The README's Vitest snippet with a client that retries at once: its test must fail with the report.
import { expect, test } from 'vitest'
import { mockSession } from 'aurion-mock/vitest'
import { listUsers } from './client.mjs'

test('lists users through a 503', async (ctx) => {
  const session = await mockSession(ctx, process.env.AURION_MOCK_URL, { assertPolicy: true })
  expect((await listUsers(session.baseUrl, { retryWaitMs: 0 })).data.length).toBeGreaterThan(0)
})
