import t from 'tap'
import { mockSessions } from 'aurion-mock/tap'
import { listUsers } from './client.mjs'

const sessionOf = mockSessions(t, process.env.AURION_MOCK_URL, { assertPolicy: true })

t.test('lists users through a 503', async (t) => {
  t.ok((await listUsers(sessionOf(t).baseUrl)).data.length > 0)
})
