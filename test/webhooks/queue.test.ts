// The delivery queue's own bookkeeping: a lane (session and webhook) lives while it has a delivery
// to finish, and is let go once it has none, so many short test sessions do not pile lanes up.

import t from 'tap'
import { MemoryStore } from '../../server/store/memory/index.js'
import { ManualClock } from '../../server/util/clock.js'
import { DeliveryQueue, type Delivery } from '../../server/webhooks/queue.js'
import type { Sender } from '../../server/webhooks/send.js'

const sender = (status: number): Sender => ({ send: async () => ({ status }), close () {} })

async function deliveries (count: number): Promise<Delivery[]> {
  const store = new MemoryStore({ seed: {}, now: () => 0 })
  return Promise.all(Array.from({ length: count }, async (_, i) => ({
    session: await store.session(`s${i}`), eventId: `evt_${i}`, eventType: 'ticket.created', webhookId: 'wh_1', url: 'http://127.0.0.1:1/hook', body: '{}', signature: 'sha256=0', sent: 'event' as const, retried: true, attempt: 1
  })))
}

t.test('lanes whose deliveries were answered are let go', async (t) => {
  const queue = new DeliveryQueue({ clock: new ManualClock(0), sender: sender(204) })
  for (const d of await deliveries(50)) queue.add(d)
  t.equal(queue.lanes, 50, 'one lane per session while its delivery is on its way')
  await queue.idle()
  t.equal(queue.lanes, 0, 'none once every delivery was answered')
})

t.test('a lane waiting for a retry is kept until its last attempt', async (t) => {
  const clock = new ManualClock(0)
  const queue = new DeliveryQueue({ clock, sender: sender(500), retryScheduleMs: [1000] })
  const [d] = await deliveries(1)
  queue.add(d!)
  await queue.idle()
  t.equal(queue.lanes, 1, 'the retry still waits on the clock')
  clock.advance(1000)
  await new Promise((resolve) => setImmediate(resolve))
  await queue.idle()
  t.equal(queue.lanes, 0, 'given up after the schedule: let go')
  const journal = await (d!.session.deliveries())
  t.same(journal.map((e) => [e.attempt, e.status, e.failed ?? false]), [[1, 500, false], [2, 500, true]])
})
