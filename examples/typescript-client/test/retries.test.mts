// Our Aurion client against Aurion's failure modes, as aurion-mock scripts them: one mock per
// scenario file, one mock session per suite, reset before each test.

import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import { startMockServer, type MockServer } from 'aurion-mock'
import { AurionClient, AurionError, type AurionClientOptions, type RetryEvent } from '../src/aurion.js'
import { API_KEY, failures, retryReport, scenarioFile } from './mock.mjs'

/** A client on `mock` whose requests all belong to mock session `session`; retries are recorded. */
function clientFor (mock: MockServer, session: string, options: Partial<AurionClientOptions> = {}): { client: AurionClient; retries: RetryEvent[] } {
  const retries: RetryEvent[] = []
  const client = new AurionClient({
    baseUrl: mock.url,
    apiKey: API_KEY,
    headers: { 'X-Mock-Session': session },
    onRetry: (event) => retries.push(event),
    ...options
  })
  return { client, retries }
}

describe('when ticket creation is rate limited (create-storm.yaml)', () => {
  const session = 'create-storm'
  let mock: MockServer
  before(async () => { mock = await startMockServer({ scenario: scenarioFile('create-storm.yaml') }) })
  after(async () => { await mock.close() })
  beforeEach(async () => { await mock.reset(session) })

  it('waits out each Retry-After and creates the ticket with one Idempotency-Key', async () => {
    const { client, retries } = clientFor(mock, session)
    const started = Date.now()
    const ticket = await client.createTicket({ subject: 'VPN not connecting', description: 'Since this morning', priority: 'high' })
    assert.equal(ticket.subject, 'VPN not connecting')
    assert.deepEqual(retries.map((r) => [r.status, r.waitMs]), [[429, 1000], [429, 1000]])
    assert.ok(Date.now() - started >= 1900, 'slept through both Retry-After waits')

    const journal = await mock.journal(session)
    assert.deepEqual(journal.map((e) => e.status), [429, 429, 201])
    assert.equal(new Set(journal.map((e) => e.idempotencyKey)).size, 1, 'one key for all three attempts')
    const report = await retryReport(mock, session)
    assert.ok(report.summary.ok, failures(report))
  })
})

describe('when ticket reads fail with 5xx (flaky-reads.yaml)', () => {
  const session = 'flaky-reads'
  let mock: MockServer
  before(async () => { mock = await startMockServer({ scenario: scenarioFile('flaky-reads.yaml') }) })
  after(async () => { await mock.close() })
  beforeEach(async () => { await mock.reset(session) })

  it('backs off with growing, jittered waits and reads each ticket', async () => {
    // A fixed jitter sequence instead of Math.random, so the waits are known and well apart.
    const jitter = [0.1, 0.3, 0.6, 0.8]
    const { client, retries } = clientFor(mock, session, { backoffUnitMs: 100, random: () => jitter.shift() ?? 0 })
    const first = await client.createTicket({ subject: 'Printer on fire', description: 'Third floor' })
    const second = await client.createTicket({ subject: 'Printer still on fire', description: 'Third floor' })
    assert.equal((await client.getTicket(first.id)).id, first.id)
    assert.equal((await client.getTicket(second.id)).id, second.id)
    assert.deepEqual(retries.map((r) => [r.status, Math.round(r.waitMs)]), [[503, 110], [500, 230], [503, 160], [500, 280]])

    const report = await retryReport(mock, session)
    assert.ok(report.summary.ok, failures(report))
    // Each wait is judged against its lower bound: 100 ms before retry 1, 200 ms before retry 2.
    const bounds = report.operations.filter((o) => o.method === 'GET').map((o) => o.attempts.map((a) => a.backoffMs ?? null))
    assert.deepEqual(bounds, [[null, 100, 200], [null, 100, 200]])
  })

  it('gives up after four attempts and surfaces the last answer', async () => {
    // Math.random's jitter: the report judges each wait against its lower bound, so any jitter passes.
    const { client, retries } = clientFor(mock, session, { backoffUnitMs: 100 })
    const error = await client.listTickets().then(() => undefined, (err: unknown) => err)
    assert.ok(error instanceof AurionError)
    assert.equal(error.status, 503)
    assert.equal(error.code, 'service_unavailable')
    assert.equal(error.attempts, 4)
    assert.equal(retries.length, 3)

    const report = await retryReport(mock, session)
    assert.ok(report.summary.ok, failures(report))
    assert.equal(report.operations[0]?.outcome, 'gave up')
  })
})

describe('when a creation is performed but its answer is lost (lost-create.yaml)', () => {
  const session = 'lost-create'
  let mock: MockServer
  before(async () => { mock = await startMockServer({ scenario: scenarioFile('lost-create.yaml') }) })
  after(async () => { await mock.close() })
  beforeEach(async () => { await mock.reset(session) })

  it('retries through a 503 and a reset with the same key, leaving exactly one ticket', async () => {
    const { client, retries } = clientFor(mock, session, { backoffUnitMs: 100, random: () => 0.5 })
    const subject = 'Laptop will not boot after update'
    const ticket = await client.createTicket({ subject, description: 'Blue screen' })
    assert.deepEqual(retries.map((r) => r.status), [503, 0])

    const found = await client.listTickets({ search: subject })
    assert.equal(found.total, 1, 'no duplicate ticket')
    assert.equal(found.data[0]?.id, ticket.id)
    const report = await retryReport(mock, session)
    assert.ok(report.summary.ok, failures(report))
  })
})

describe('when Aurion refuses the request (bundled scenario validation-422)', () => {
  const session = 'validation'
  let mock: MockServer
  before(async () => { mock = await startMockServer({ scenario: 'validation-422' }) })
  after(async () => { await mock.close() })

  it('does not retry a 422 and hands over its details', async () => {
    const { client, retries } = clientFor(mock, session)
    const error = await client.createTicket({ subject: 'Server room flooding', description: 'Water everywhere', priority: 'urgent' })
      .then(() => undefined, (err: unknown) => err)
    assert.ok(error instanceof AurionError)
    assert.equal(error.status, 422)
    assert.equal(error.code, 'validation_error')
    assert.deepEqual(error.details.map((d) => d.field), ['priority', 'requester_email'])
    assert.equal(error.attempts, 1)
    assert.equal(retries.length, 0)
    assert.equal((await mock.journal(session)).length, 1)
  })
})
