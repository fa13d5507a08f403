import { expect, test } from 'vitest'
import { mockSession } from 'aurion-mock/vitest'
import { listUsers } from './client.mjs'

test('lists users through a 503', async (ctx) => {
  const session = await mockSession(ctx, process.env.AURION_MOCK_URL, { assertPolicy: true })
  expect((await listUsers(session.baseUrl)).data.length).toBeGreaterThan(0)
})
