import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { startMockServer } from 'aurion-mock'

let mock
before(async () => { mock = await startMockServer({ scenario: 'rate-limit-burst' }) })
after(() => mock.close())

test('the sixth ticket creation in a burst is told to wait', async () => {
  const statuses = []
  for (let i = 1; i <= 6; i++) {
    const res = await fetch(`${mock.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'x-api-key': 'ak_live_mock_full_access_0001', 'content-type': 'application/json', 'idempotency-key': `idem_${i}` },
      body: JSON.stringify({ subject: `Ticket ${i}`, description: 'Created in a burst' })
    })
    statuses.push(res.status)
  }
  assert.deepEqual(statuses, [201, 201, 201, 201, 201, 429])
  const report = await (await fetch(`${mock.url}/__mock/report`)).json()
  assert.equal(report.summary.ok, true)
})
