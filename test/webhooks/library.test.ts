// The library's side of webhooks: mock.trigger(event) and mock.deliveries(session).

import t from 'tap'
import { ManualClock } from '../../server/index.js'
import { call, serve } from '../helpers.js'
import { startReceiver, until } from './receiver.js'

t.test('trigger delivers an event to the session\'s subscribed webhooks; deliveries reads their journal', async (t) => {
  const server = await serve(t)
  const receiver = await startReceiver(t)
  await call(server, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['call.escalated'] }, headers: { 'x-mock-session': 'team-a' } })
  const none = await server.trigger({ type: 'call.escalated', data: { id: 'call_9' } })
  t.same(none.webhooks, [], 'the default session has no webhook')
  const emitted = await server.trigger({ type: 'call.escalated', data: { id: 'call_9' }, session: 'team-a' })
  t.match(emitted, { event: { id: /^evt_/, type: 'call.escalated', data: { id: 'call_9' } }, webhooks: [/^wh_/] })
  const [d] = await receiver.waitFor(1)
  t.equal(d!.body.id, emitted.event.id)
  const entries = await until(async () => { const e = await server.deliveries('team-a'); return e.length === 1 ? e : undefined })
  t.match(entries, [{ eventId: emitted.event.id, eventType: 'call.escalated', status: 204, attempt: 1 }])
  t.same(await server.deliveries(), [], 'deliveries are per session')
  await t.rejects(server.trigger({ type: 'call.exploded' }), { code: 'AURION_MOCK_CONFIG', message: /unknown event type "call.exploded"/ })
})

t.test('the same seed and the same requests give the same event ids and bodies', async (t) => {
  const bodies: string[][] = []
  for (let i = 0; i < 2; i++) {
    const server = await serve(t, { seed: 42, clock: new ManualClock() })
    const receiver = await startReceiver(t)
    await call(server, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['ticket.created', 'ticket.updated'], secret: 's' } })
    const created = await call(server, 'POST', '/api/v1/tickets', { body: { subject: 'a', description: 'b' } })
    await call(server, 'PUT', `/api/v1/tickets/${created.body.id}`, { body: { priority: 'low' } })
    bodies.push((await receiver.waitFor(2)).map((d) => `${d.headers['x-aurion-signature']} ${d.raw}`))
  }
  t.same(bodies[0], bodies[1], 'byte-identical deliveries')
})
