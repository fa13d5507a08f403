// The retry schedule itself, with an injected sleep: no real waiting. The mock still counts the
// attempts, and its report shows what a client that does not really wait looks like.

import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { startMockServer, type MockServer } from 'aurion-mock'
import { AurionClient, AurionError, parseRetryAfter } from '../src/aurion.js'
import { API_KEY, retryReport, scenarioFile } from './mock.mjs'

describe('retryDelay follows the Aurion guidance', () => {
  const client = new AurionClient({ baseUrl: 'http://127.0.0.1:9', apiKey: API_KEY, random: () => 0.25 })
  const answer = (status: number, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers) })

  it('waits exactly Retry-After on 429, and 5 s when there is none', () => {
    assert.equal(client.retryDelay(answer(429, { 'retry-after': '12' }), 0), 12_000)
    assert.equal(client.retryDelay(answer(429), 2), 5000)
  })

  it('backs off 2^attempt s plus jitter on 5xx and dropped connections, never sooner than Retry-After', () => {
    assert.deepEqual([0, 1, 2].map((n) => client.retryDelay(answer(503), n)), [1250, 2250, 4250])
    assert.equal(client.retryDelay(answer(0), 0), 1250)
    assert.equal(client.retryDelay(answer(503, { 'retry-after': '30' }), 0), 30_000)
  })

  it('never retries any other 4xx', () => {
    for (const status of [400, 401, 403, 404, 409, 422]) assert.equal(client.retryDelay(answer(status), 0), undefined, String(status))
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('3'), 3000)
    assert.equal(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1)), 10_000)
    assert.equal(parseRetryAfter('soon'), undefined)
  })
})

describe('against a list endpoint that stays down (flaky-reads.yaml)', () => {
  let mock: MockServer
  before(async () => { mock = await startMockServer({ scenario: scenarioFile('flaky-reads.yaml') }) })
  after(async () => { await mock.close() })

  it('asks to sleep 1.5 s, 2.5 s, 4.5 s, then gives up after the 4th attempt', async () => {
    const slept: number[] = []
    const client = new AurionClient({
      baseUrl: mock.url,
      apiKey: API_KEY,
      headers: { 'X-Mock-Session': 'schedule' },
      random: () => 0.5,
      sleep: async (ms) => { slept.push(ms) }
    })
    await assert.rejects(client.listTickets(), (err: unknown) => err instanceof AurionError && err.status === 503 && err.attempts === 4)
    assert.deepEqual(slept, [1500, 2500, 4500])
    assert.equal((await mock.journal('schedule')).length, 4)

    // The fake sleep made the retries back to back, and the mock's report says so.
    const report = await retryReport(mock, 'schedule')
    assert.equal(report.summary.ok, false)
    assert.ok(report.operations[0]?.checks.some((c) => c.name === 'backoff' && !c.passed))
  })
})
