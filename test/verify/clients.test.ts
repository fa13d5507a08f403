// The five test clients over real HTTP, on a ManualClock: their journals get the verdicts the
// synthetic ones do — the correct client passes, each other one fails exactly its own check.

import t, { type Test } from 'tap'
import { ManualClock } from '../../server/util/clock.js'
import { buildRetryReport, type RetryReport } from '../../server/verify/report.js'
import { seededRandom } from '../clients/policies.js'
import {
  correctClient, dropsKeyClient, ignoresRetryAfterClient, noBackoffClient, type RetryClient, retries4xxClient
} from '../clients/retry-client.js'
import { type Script, startScriptedServer } from '../clients/scripted-server.js'

const SCRIPT: Script = {
  flaky: [503, 503, 201],
  down: [500, 502, 503],
  limited: [{ status: 429, retryAfter: 2 }, { status: 429, retryAfter: 2 }, 201],
  invalid: [422],
  'GET /api/v1/tickets/1001': [{ status: 0, fault: 'reset' }, 200]
}

async function drive (t: Test, client: RetryClient): Promise<{ report: RetryReport; results: { status: number; attempts: number }[]; clock: ManualClock }> {
  const clock = new ManualClock()
  const server = await startScriptedServer(SCRIPT, clock)
  t.teardown(() => server.close())
  const options = { sleep: async (ms: number) => clock.advance(ms), random: seededRandom(11) }
  const results = []
  for (const subject of ['flaky', 'down', 'limited', 'invalid']) {
    results.push(await client(server.url, { method: 'POST', path: '/api/v1/tickets', body: { subject, description: 'd' } }, options))
  }
  results.push(await client(server.url, { method: 'GET', path: '/api/v1/tickets/1001' }, options))
  return { report: buildRetryReport(server.journal), results: results.map(({ status, attempts }) => ({ status, attempts })), clock }
}

function failures (report: RetryReport): string[] {
  return [
    ...report.operations.flatMap((o) => o.checks.filter((c) => !c.passed).map((c) => `${o.id} ${c.name}`)),
    ...report.sessionChecks.filter((c) => !c.passed).map((c) => `session ${c.name}`)
  ]
}

t.test('the correct client follows §4.4 and passes every check', async (t) => {
  const { report, results, clock } = await drive(t, correctClient)
  t.same(results, [
    { status: 201, attempts: 3 }, { status: 503, attempts: 4 }, { status: 201, attempts: 3 }, { status: 422, attempts: 1 }, { status: 200, attempts: 2 }
  ])
  t.same(failures(report), [])
  t.same(report.operations[1]?.attempts.map((a) => a.backoffMs), [undefined, 1000, 2000, 4000], 'each backoff wait judged against its bound')
  t.ok(clock.now() > Date.parse('2026-01-01T00:00:00Z') + 10_000, 'waited on the manual clock, not in real time')
})

t.test('the client that ignores Retry-After is flagged for respectRetryAfter only', async (t) => {
  const { report } = await drive(t, ignoresRetryAfterClient)
  t.same(failures(report), ['op-3 respectRetryAfter'])
})

t.test('the client that retries at once is flagged for backoff only', async (t) => {
  const { report } = await drive(t, noBackoffClient)
  t.same(failures(report), ['op-1 backoff', 'op-2 backoff', 'op-5 backoff'])
})

t.test('the client that retries a 422 is flagged for noRetryOn4xx only', async (t) => {
  const { report, results } = await drive(t, retries4xxClient)
  t.same(results[3], { status: 422, attempts: 4 })
  t.same(failures(report), ['op-4 noRetryOn4xx'])
})

t.test('the client that drops its Idempotency-Key is flagged for idempotencyKeysOnPost only', async (t) => {
  const { report } = await drive(t, dropsKeyClient)
  t.same(failures(report), ['op-1 idempotencyKeysOnPost', 'op-2 idempotencyKeysOnPost', 'op-3 idempotencyKeysOnPost'])
})
