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

t.test('a session the store forgets takes its waiting retries with it', async (t) => {
  const clock = new ManualClock(0)
  const store = new MemoryStore({ seed: {}, now: () => 0, maxSessions: 1 })
  let sent = 0
  const queue = new DeliveryQueue({ clock, sender: { send: async () => { sent++; return { status: 500 } }, close () {} }, retryScheduleMs: [1000, 1000] })
  const session = await store.session('old')
  queue.add({ session, eventId: 'evt_1', eventType: 'ticket.created', webhookId: 'wh_1', url: 'http://127.0.0.1:1/hook', body: '{}', signature: 'sha256=0', sent: 'event', retried: true, attempt: 1 })
  await queue.idle()
  t.equal(sent, 1)
  t.equal(queue.waiting, 1, 'the retry waits on the clock')
  await store.session('new') // the store keeps one session: "old" is dropped
  clock.advance(1000)
  await new Promise((resolve) => setImmediate(resolve))
  await queue.idle()
  t.equal(sent, 1, 'the retry of a forgotten session is not sent')
  t.equal(queue.waiting, 0)
  t.equal(queue.lanes, 0)
})

t.test('deliveries waiting over all sessions are bounded; past the bound they are journaled as overflow', async (t) => {
  const never: Sender = { send: () => new Promise(() => {}), close () {} }
  const queue = new DeliveryQueue({ clock: new ManualClock(0), sender: never, maxTotal: 3 })
  const ds = await deliveries(5)
  for (const d of ds) queue.add(d)
  t.equal(queue.waiting, 3)
  for (const d of ds.slice(3)) t.match(await d.session.deliveries(), [{ eventId: d.eventId, error: 'overflow', failed: true }])
  for (const d of ds.slice(0, 3)) t.same(await d.session.deliveries(), [], 'in flight, not journaled yet')
})
