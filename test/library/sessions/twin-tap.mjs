// The README's tap snippet with a client that retries at once: its subtest must fail with the report.
import t from 'tap'
import { mockSessions } from 'aurion-mock/tap'
import { listUsers } from './client.mjs'

const sessionOf = mockSessions(t, process.env.AURION_MOCK_URL, { assertPolicy: true })

t.test('lists users through a 503', async (t) => {
  t.ok((await listUsers(sessionOf(t).baseUrl, { retryWaitMs: 0 })).data.length > 0)
})
