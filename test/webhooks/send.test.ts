// The sender alone, over real HTTP: what each kind of answer (or none) becomes, and that a send
// never rejects. The timeout runs on a ManualClock.

import t from 'tap'
import { ManualClock } from '../../server/index.js'
import { createSender } from '../../server/webhooks/send.js'
import { startReceiver } from './receiver.js'

const BODY = JSON.stringify({ id: 'evt_1', type: 'call.completed', timestamp: '2026-01-01T00:00:00Z', data: {} })

t.test('a receiver\'s status comes back as it is, the path and query kept, the body and signature sent as given', async (t) => {
  const sender = createSender(new ManualClock(), 10_000)
  t.teardown(() => { sender.close() })
  const receiver = await startReceiver(t, (_d, i) => [204, 503, 410][i], '/hooks/aurion?team=a')
  t.same(await sender.send(receiver.url, BODY, 'sha256=abc'), { status: 204 })
  t.same(await sender.send(receiver.url, BODY, 'sha256=abc'), { status: 503 })
  t.same(await sender.send(receiver.url, BODY, 'sha256=abc'), { status: 410 })
  t.equal(receiver.received.length, 3)
  t.equal(receiver.received[0]!.raw, BODY)
  t.equal(receiver.received[0]!.headers['x-aurion-signature'], 'sha256=abc')
  t.equal(receiver.received[0]!.headers['content-type'], 'application/json')
})

t.test('a receiver that never answers times out on the clock; a closed port is refused; a bad URL is a network error', async (t) => {
  const clock = new ManualClock()
  const sender = createSender(clock, 5_000)
  t.teardown(() => { sender.close() })
  const hanging = await startReceiver(t, () => undefined)
  const pending = sender.send(hanging.url, BODY, 'sha256=abc')
  await hanging.waitFor(1)
  clock.advance(4_999)
  const early = await Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 50))])
  t.equal(early, 'still waiting', 'not before the timeout')
  clock.advance(1)
  t.same(await pending, { status: 0, error: 'timeout' })
  t.same(await sender.send('http://127.0.0.1:9/closed', BODY, 'sha256=abc'), { status: 0, error: 'refused' })
  t.same(await sender.send('not a url', BODY, 'sha256=abc'), { status: 0, error: 'network' })
})

t.test('closing the sender ends what is in flight without rejecting', async (t) => {
  const sender = createSender(new ManualClock(), 10_000)
  const hanging = await startReceiver(t, () => undefined)
  const pending = sender.send(hanging.url, BODY, 'sha256=abc')
  await hanging.waitFor(1)
  sender.close()
  t.same(await pending, { status: 0, error: 'network' })
})
