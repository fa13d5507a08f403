// The receiver is graded like the client: a receiver that takes a forged delivery or answers a
// redelivered event with an error is flagged in the JSON, text, JUnit and HTML reports and by
// `verify`; a correct receiver passes.

import t, { type Test } from 'tap'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { verify } from '../../server/cli/verify.js'
import type { RetryReport } from '../../server/index.js'
import { ManualClock } from '../../server/index.js'
import { call, serve } from '../helpers.js'
import { startReceiver, until, type Answer, type Received } from './receiver.js'

const SECRET = 'whsec_graded'
const DELIVERIES = [
  { name: 'forged', match: { event: 'ticket.created' }, sequence: [{ fault: 'bad-signature' }, { fault: 'changed-body' }, { fault: 'duplicate' }] }
]

function validSignature (d: Received): boolean {
  const given = Buffer.from(String(d.headers['x-aurion-signature'] ?? ''))
  const wanted = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(d.raw).digest('hex')}`)
  return given.length === wanted.length && timingSafeEqual(given, wanted)
}

/** Checks the signature in constant time, answers 2xx to an event it has seen. */
function correctReceiver (): Answer {
  const seen = new Set<string>()
  return (d) => {
    if (!validSignature(d)) return 401
    seen.add(d.body.id)
    return 204
  }
}

/** Takes everything, and fails on an event id it has seen ("already processed"). */
function naiveReceiver (): Answer {
  const seen = new Set<string>()
  return (d) => {
    if (seen.has(d.body.id)) return 500
    seen.add(d.body.id)
    return 200
  }
}

async function gradedRun (t: Test, answer: Answer): Promise<{ report: RetryReport; url: string }> {
  // A manual clock: no retry comes while the reports are read.
  const server = await serve(t, { clock: new ManualClock(), scenario: { version: 1, name: 'graded', deliveries: DELIVERIES } })
  const receiver = await startReceiver(t, answer)
  await call(server, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['ticket.created'], secret: SECRET }, headers: { 'idempotency-key': 'hook' } })
  for (let i = 0; i < 3; i++) await call(server, 'POST', '/api/v1/tickets', { body: { subject: `s${i}`, description: 'd' }, headers: { 'idempotency-key': `k${i}` } })
  // bad-signature: forged + event; changed-body: event + forged; duplicate: event + copy.
  await until(async () => (await server.report()).receiver?.attempts === 6 ? true : undefined)
  return { report: await server.report(), url: server.url }
}

t.test('a correct receiver passes every receiver check', async (t) => {
  const { report } = await gradedRun(t, correctReceiver())
  t.equal(report.summary.ok, true)
  t.match(report.receiver, { attempts: 6, events: 3, ok: true })
  t.same(report.receiver!.checks.map((c) => [c.name, c.passed]), [
    ['receiverAnswers2xx', true], ['receiverNo5xx', true], ['receiverRejectsForgeries', true], ['receiverAcceptsRedeliveries', true]
  ])
})

t.test('a receiver that accepts forgeries and fails redeliveries is flagged in every report form and by verify', async (t) => {
  const { report, url } = await gradedRun(t, naiveReceiver())
  t.equal(report.summary.ok, false)
  const failed = report.receiver!.checks.filter((c) => !c.passed).map((c) => c.name)
  t.same(failed, ['receiverNo5xx', 'receiverRejectsForgeries', 'receiverAcceptsRedeliveries'])
  const forgeries = report.receiver!.checks.find((c) => c.name === 'receiverRejectsForgeries')!
  t.match(forgeries.message, /^2 of 2 forged deliveries \(bad signature or changed body\) were not refused with a 4xx: /)
  t.same(forgeries.evidence.attempts.map((a) => a.flagged), [true, true])
  // The first event's real delivery comes after its forged copy: an id it has "seen" gets a 500.
  const no5xx = report.receiver!.checks.find((c) => c.name === 'receiverNo5xx')!
  t.match(no5xx.message, /^2 of 4 validly signed deliveries answered 5xx: ticket\.created evt_\w+ → wh_\w+ attempt 1: 500/)

  const xml = await (await fetch(`${url}/__mock/report.xml`)).text()
  t.match(xml, /<testcase classname="webhook receiver" name="receiverRejectsForgeries" time="0">\s*<failure/)
  const html = await (await fetch(`${url}/__mock/report.html`)).text()
  t.match(html, /<section id="webhook-receiver" class="fail"><h2>✗ Webhook receiver<\/h2>/)
  t.match(html, /receiverAcceptsRedeliveries/)
  t.match(html, /Failing: <a href="#webhook-receiver">the webhook receiver<\/a>/, 'the page links the failing receiver')
  const out: string[] = []
  const code = await verify(['--url', url], {}, { stdout: (l) => out.push(l), stderr: (l) => out.push(l) })
  t.equal(code, 1, 'verify exits 1')
  t.match(out.join('\n'), /Webhook receiver: 6 delivery attempts of 3 events\n[^]*✗ receiverRejectsForgeries/)
})

t.test('expect: keys turn receiver checks off', async (t) => {
  const server = await serve(t, { clock: new ManualClock(), scenario: { version: 1, name: 'lenient', expect: { receiverRejectsForgeries: false, receiverNo5xx: false, receiverAnswers2xx: false, receiverAcceptsRedeliveries: false }, deliveries: DELIVERIES } })
  const receiver = await startReceiver(t, naiveReceiver())
  await call(server, 'POST', '/api/v1/webhooks', { body: { url: receiver.url, events: ['ticket.created'], secret: SECRET }, headers: { 'idempotency-key': 'hook' } })
  await call(server, 'POST', '/api/v1/tickets', { body: { subject: 's', description: 'd' }, headers: { 'idempotency-key': 'k' } })
  const report = await until(async () => { const r = await server.report(); return r.receiver?.attempts === 2 ? r : undefined })
  t.same(report.receiver!.checks, [])
  t.equal(report.summary.ok, true)
})
