// The README's node:test snippet with a client that retries at once: its test must fail with the report.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mockSession } from 'aurion-mock/node-test'
import { listUsers } from './client.mjs'

test('lists users through a 503', async (t) => {
  const session = await mockSession(t, process.env.AURION_MOCK_URL, { assertPolicy: true })
  assert.ok((await listUsers(session.baseUrl, { retryWaitMs: 0 })).data.length > 0)
})
