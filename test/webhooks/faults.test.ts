// Scripted delivery faults (the scenario's `deliveries:` section), each end to end against a real
// receiver on 127.0.0.1: duplicate, delay, reorder, drop, bad signature, changed body, burst.

import t, { type Test } from 'tap'
import { createHmac } from 'node:crypto'
import { ManualClock, parseScenario, type Clock } from '../../server/index.js'
import type { DeliveryEntry } from '../../server/store/types.js'
import { call, serve } from '../helpers.js'
import { startReceiver, until, type Answer } from './receiver.js'

const SECRET = 'whsec_faults'
const sign = (raw: string) => `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`

async function setup (t: Test, deliveries: unknown[], options: { clock?: Clock; answer?: Answer; seed?: number } = {}) {
  const server = await serve(t, { scenario: { version: 1, name: 'hooks', ...(options.seed !== undefined ? { seed: options.seed } : {}), deliveries }, ...(options.clock !== undefined ? { clock: options.clock } : {}) })
  const receiver = await startReceiver(t, options.answer)
  t.equal((await call(server, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['ticket.created', 'ticket.closed'], secret: SECRET } })).status, 201)
  const ticket = async (subject = 's') => (await call(server, 'POST', '/api/v1/tickets', { body: { subject, description: 'd' } })).body
  const journal = (n: number) => until(async () => {
    const entries = (await call(server, 'GET', '/__mock/deliveries')).body.deliveries as DeliveryEntry[]
    return entries.length >= n ? entries : undefined
  }, 5_000, `${n} journaled deliveries`)
  return { server, receiver, ticket, journal }
}

t.test('duplicate: the same event id, body and signature arrive twice; the copy is journaled as one', async (t) => {
  const { receiver, ticket, journal } = await setup(t, [{ name: 'twice', match: { event: 'ticket.created' }, fault: 'duplicate' }])
  await ticket()
  const [a, b] = await receiver.waitFor(2)
  t.equal(b!.body.id, a!.body.id)
  t.equal(b!.raw, a!.raw)
  t.equal(b!.headers['x-aurion-signature'], sign(b!.raw), 'the copy is validly signed')
  t.match(await journal(2), [{ sent: 'event', fault: 'duplicate', rule: 'twice', step: 1 }, { sent: 'duplicate', fault: 'duplicate', rule: 'twice' }])
})

t.test('delay: the first attempt waits on the server clock', async (t) => {
  const clock = new ManualClock()
  const { receiver, ticket, journal } = await setup(t, [{ name: 'slow', fault: { type: 'delay', delay: '2s' } }], { clock })
  await ticket()
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(receiver.received.length, 0, 'nothing before the delay')
  clock.advance(2_000)
  await receiver.waitFor(1)
  t.match(await journal(1), [{ fault: 'delay', at: Date.parse('2026-01-01T00:00:02Z'), status: 204 }])
})

t.test('reorder: an event is held back until the next one is sent', async (t) => {
  const { receiver, ticket, journal } = await setup(t, [{ name: 'swap', sequence: [{ fault: 'reorder' }, 'pass'] }])
  const first = await ticket('first')
  const second = await ticket('second')
  const got = await receiver.waitFor(2)
  t.same(got.map((d) => d.body.data.id), [second.id, first.id], 'the second event arrives first')
  t.match(await journal(2), [{ eventId: got[0]!.body.id }, { eventId: got[1]!.body.id, fault: 'reorder', rule: 'swap' }])
})

t.test('reorder without a next event: released after its hold', async (t) => {
  const clock = new ManualClock()
  const { receiver, ticket } = await setup(t, [{ name: 'swap', fault: { type: 'reorder', hold: '10s' } }], { clock })
  await ticket()
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(receiver.received.length, 0)
  clock.advance(10_000)
  await receiver.waitFor(1)
})

t.test('drop: never sent, journaled as dropped; the next event is delivered', async (t) => {
  const { server, receiver, ticket, journal } = await setup(t, [{ name: 'lost', sequence: [{ fault: 'drop' }, 'pass'] }])
  const lost = await ticket()
  await call(server, 'POST', `/api/v1/tickets/${lost.id}/close`, {})
  const [got] = await receiver.waitFor(1)
  t.equal(got!.body.type, 'ticket.closed')
  t.match(await journal(2), [{ eventType: 'ticket.created', status: 0, error: 'dropped', fault: 'drop' }, { eventType: 'ticket.closed', status: 204 }])
  t.equal(receiver.received.length, 1)
})

t.test('bad-signature: a forged copy goes first, once, even when the receiver takes it; then the event', async (t) => {
  const { receiver, ticket, journal } = await setup(t, [{ name: 'forged', fault: 'bad-signature' }], { answer: () => 200 })
  await ticket()
  const [forged, real] = await receiver.waitFor(2)
  t.equal(forged!.body.id, real!.body.id)
  t.not(forged!.headers['x-aurion-signature'], sign(forged!.raw), 'the copy is not signed with the secret')
  t.equal(real!.headers['x-aurion-signature'], sign(real!.raw))
  t.match(await journal(2), [{ sent: 'bad-signature', status: 200, fault: 'bad-signature' }, { sent: 'event', status: 200 }])
})

t.test('changed-body: the same event id with a changed body and the original signature, after the event', async (t) => {
  const { receiver, ticket, journal } = await setup(t, [{ name: 'tamper', fault: 'changed-body' }], { answer: (d) => d.headers['x-aurion-signature'] === sign(d.raw) ? 204 : 401 })
  await ticket()
  const [real, changed] = await receiver.waitFor(2)
  t.equal(changed!.body.id, real!.body.id)
  t.not(changed!.raw, real!.raw)
  t.equal(changed!.headers['x-aurion-signature'], real!.headers['x-aurion-signature'], 'the original signature')
  t.match(await journal(2), [{ sent: 'event', status: 204 }, { sent: 'changed-body', status: 401 }])
  t.notOk((await journal(2))[1]!.retryAt, 'a forgery is not retried')
})

t.test('burst: more events of the same type, each with its own id, back to back', async (t) => {
  const { receiver, ticket, journal } = await setup(t, [{ name: 'flood', fault: { type: 'burst', count: 3 } }])
  const created = await ticket()
  const got = await receiver.waitFor(4)
  t.equal(new Set(got.map((d) => d.body.id)).size, 4, 'four distinct events')
  t.ok(got.every((d) => d.body.type === 'ticket.created' && d.body.data.id === created.id && d.headers['x-aurion-signature'] === sign(d.raw)))
  t.equal((await journal(4)).filter((e) => e.fault === 'burst').length, 4)
})

t.test('after, chance and url match are seeded: two servers with one seed journal the same faults', async (t) => {
  const rules = [{ name: 'some', match: { url: 'http://127.0.0.1' }, after: 1, chance: 0.5, fault: 'drop' }, { name: 'other-host', match: { url: 'http://10.' }, fault: 'drop' }]
  const runs: string[][] = []
  for (let i = 0; i < 2; i++) {
    const { receiver, ticket, journal } = await setup(t, rules, { seed: 7 })
    for (let n = 0; n < 8; n++) await ticket()
    const entries = await journal(8)
    const first = (await receiver.waitFor(1))[0]!.body.id
    t.notOk(entries.find((e) => e.eventId === first)?.fault, 'after: 1 lets the first through')
    runs.push(entries.map((e) => `${e.eventId}:${e.fault ?? '-'}`).sort())
  }
  t.same(runs[0], runs[1], 'the same events, the same faults')
  const dropped = runs[0]!.filter((r) => r.endsWith(':drop')).length
  t.ok(dropped > 0 && dropped < 7, `chance 0.5 drops some (${dropped} of 7)`)
})

t.test('the loader checks the deliveries section: the schema first, then what it cannot say', async (t) => {
  const problems = (lines: string[]) => {
    const result = parseScenario(['version: 1', 'name: bad', 'deliveries:', ...lines].join('\n'), 'bad.yaml')
    return result.ok ? '' : result.problems.map((p) => `${p.pointer} ${p.message}`).join('\n')
  }
  const schema = problems(['  - name: a', '    fault: explode', '  - name: c', '    match: { event: ticket.exploded }', '    fault: drop'])
  t.match(schema, /\/deliveries\/0\/fault must be a delivery fault \(duplicate, delay/)
  t.match(schema, /\/deliveries\/1\/match\/event must be an event type/)
  const semantic = problems(['  - name: a', '    fault: drop', '  - name: a', '    fault: { type: drop, count: 3 }', '  - name: d', '    fault: drop', '    sequence: [pass]', '  - name: e', '    match: { event: [ticket.created] }'])
  t.match(semantic, /\/deliveries\/1\/name duplicate delivery rule name "a"/)
  t.match(semantic, /\/deliveries\/1\/fault\/count "count" does not apply to delivery fault drop \(it takes no options\)/)
  t.match(semantic, /\/deliveries\/2\/sequence "sequence" cannot be combined with "fault"/)
  t.match(semantic, /\/deliveries\/3 delivery rule needs "fault" or "sequence"/)
  const good = parseScenario(['version: 1', 'name: good', 'deliveries:', '  - name: a', '    match: { event: [ticket.created, ticket.closed], url: "http://127.0.0.1" }', '    sequence: [pass, { fault: { type: delay, delay: 1.5s }, times: 2 }, { fault: { type: duplicate, copies: 2 } }]', '    repeat: true'].join('\n'), 'good.yaml')
  t.ok(good.ok, 'a full rule loads')
  if (good.ok) {
    t.same(good.scenario.deliveries, [{
      name: 'a', match: { events: ['ticket.created', 'ticket.closed'], url: 'http://127.0.0.1' }, after: 0, repeat: true,
      steps: [{ times: 1, pass: true }, { times: 2, pass: false, fault: { type: 'delay', delayMs: 1500 } }, { pass: false, fault: { type: 'duplicate', count: 2 } }]
    }])
  }
})
