// Our webhook receiver against aurion-mock's delivery faults (webhook-faults.yaml): it refuses the
// forged deliveries, takes the redelivered one, and handles each event exactly once.

import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { startMockServer, type MockServer } from 'aurion-mock'
import { AurionClient } from '../src/aurion.js'
import { createReceiver, type AurionEvent } from '../src/receiver.js'
import { API_KEY, failures, retryReport, scenarioFile } from './mock.mjs'

describe('our webhook receiver, under forged, changed and repeated deliveries (webhook-faults.yaml)', () => {
  let mock: MockServer
  before(async () => { mock = await startMockServer({ scenario: scenarioFile('webhook-faults.yaml') }) })
  after(async () => { await mock.close() })

  it('handles each ticket.created once and the mock grades it a correct receiver', async () => {
    const client = new AurionClient({ baseUrl: mock.url, apiKey: API_KEY })
    const handled: AurionEvent[] = []
    let handler = (_req: Parameters<ReturnType<typeof createReceiver>>[0], res: Parameters<ReturnType<typeof createReceiver>>[1]): void => { res.writeHead(503).end() }
    const server = createServer((req, res) => handler(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/aurion`
      const hook = await client.createWebhook({ url, events: ['ticket.created'] })
      handler = createReceiver(hook.secret, (event) => handled.push(event))

      const tickets = []
      for (const subject of ['VPN down', 'Printer jam', 'Password reset']) tickets.push(await client.createTicket({ subject, description: 'From the receiver test' }))

      // 3 events, each with one extra delivery: a forged copy, a changed copy, a redelivery.
      let deliveries = await mock.deliveries()
      for (let i = 0; i < 200 && deliveries.length < 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10))
        deliveries = await mock.deliveries()
      }
      assert.deepEqual(deliveries.map((d) => [d.sent, d.status]).sort(), [
        ['bad-signature', 401], ['changed-body', 401], ['duplicate', 204], ['event', 204], ['event', 204], ['event', 204]
      ])
      assert.deepEqual(handled.map((e) => e.data.id), tickets.map((t) => t.id), 'each event handled once, in order')
      const report = await retryReport(mock, 'default')
      assert.ok(report.summary.ok, failures(report))
    } finally {
      server.close()
    }
  })
})
