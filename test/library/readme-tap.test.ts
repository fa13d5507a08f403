import t from 'tap'
import { startMockServer, type MockServer } from 'aurion-mock'

let mock: MockServer
t.before(async () => { mock = await startMockServer({ scenario: 'validation-422' }) })
t.teardown(() => mock?.close())

t.test('urgent tickets are refused with one detail per field', async (t) => {
  const res = await fetch(`${mock.url}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'x-api-key': 'ak_live_mock_full_access_0001', 'content-type': 'application/json' },
    body: JSON.stringify({ subject: 'Server room flooding', description: 'Water everywhere', priority: 'urgent' })
  })
  t.equal(res.status, 422)
  t.match(await res.json(), { error: 'validation_error', details: [{ field: 'priority' }, { field: 'requester_email' }] })
})
