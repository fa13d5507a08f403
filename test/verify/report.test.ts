// The retry report judges the five test clients' journals: the correct one passes, each other
// one fails exactly the check for its mistake.

import t from 'tap'
import { normaliseExpect } from '../../server/verify/expect.js'
import { buildRetryReport, type RetryReport } from '../../server/verify/report.js'
import {
  correctPolicy, dropsKeyPolicy, ignoresRetryAfterPolicy, noBackoffPolicy, type RetryPolicy, retries4xxPolicy, seededRandom
} from '../clients/policies.js'
import { journal, type OpScript, simulate } from './fixtures/journal.js'

/** A session that gives every retry rule something to judge. */
const SESSION: OpScript[] = [
  { answers: [503, 503, 201] },
  { answers: [500, 502, 503] },
  { answers: [{ status: 429, retryAfter: 2 }, { status: 429, retryAfter: 2 }, 201] },
  { answers: [422] },
  { method: 'GET', path: '/api/v1/tickets/1001', answers: [{ status: 0, fault: 'reset' }, 200] },
  { method: 'GET', path: '/api/v1/tickets', answers: [200] }
]

function reportFor (policy: RetryPolicy): RetryReport {
  return buildRetryReport(simulate(policy, SESSION, seededRandom(7)), normaliseExpect(undefined), { session: 'ci' })
}

function failures (report: RetryReport): string[] {
  const all = [...report.operations.flatMap((o) => o.checks.map((c) => ({ ...c, op: o.id }))), ...report.sessionChecks.map((c) => ({ ...c, op: 'session' }))]
  return all.filter((c) => !c.passed).map((c) => `${c.op} ${c.name}`)
}

t.test('the correct client passes every check, jitter included', async (t) => {
  const report = reportFor(correctPolicy)
  t.same(failures(report), [])
  t.equal(report.summary.ok, true)
  t.equal(report.summary.operations, 6)
  t.equal(report.session, 'ci')
  t.same(report.operations.map((o) => o.outcome), ['succeeded', 'gave up', 'succeeded', 'failed', 'succeeded', 'succeeded'])
  t.same(report.operations[1]?.checks.map((c) => c.name), ['maxAttempts', 'noRetryOn4xx', 'backoff', 'idempotencyKeysOnPost', 'noDuplicates'])
  t.same(report.operations[5]?.checks.map((c) => c.name), ['maxAttempts'], 'a single GET has nothing else to judge')
  t.equal(report.sessionChecks[0]?.name, 'jitter')
  t.equal(report.sessionChecks[0]?.passed, true)
})

t.test('the client that ignores Retry-After fails respectRetryAfter only, with the gap and the header in the message', async (t) => {
  const report = reportFor(ignoresRetryAfterPolicy)
  t.same(failures(report), ['op-3 respectRetryAfter'])
  const check = report.operations[2]?.checks.find((c) => c.name === 'respectRetryAfter')
  t.equal(check?.message, 'retried after 0.4 s but Retry-After said 2 s (attempt 2 of POST /api/v1/tickets); retried after 0.4 s but Retry-After said 2 s (attempt 3 of POST /api/v1/tickets)')
  t.same(check?.evidence.attempts.map((a) => [a.n, a.status, a.retryAfter, a.gapMs, a.flagged]), [
    [1, 429, 2, undefined, undefined], [2, 429, 2, 400, true], [3, 201, undefined, 400, true]
  ])
  t.equal(report.summary.ok, false)
})

t.test('the client that retries at once fails backoff only (no jitter finding piled on)', async (t) => {
  const report = reportFor(noBackoffPolicy)
  t.same(failures(report), ['op-1 backoff', 'op-2 backoff', 'op-5 backoff'])
  t.equal(report.sessionChecks.length, 0, 'jitter is not judged for operations whose backoff failed')
  t.equal(report.operations[0]?.checks.find((c) => c.name === 'backoff')?.message,
    'retried 0 s after a 503, sooner than the 1 s minimum backoff (attempt 2 of POST /api/v1/tickets); retried 0 s after a 503, sooner than the 1 s minimum backoff (attempt 3 of POST /api/v1/tickets)')
  t.match(report.operations[4]?.checks.find((c) => c.name === 'backoff')?.message, /after a dropped connection \(reset\)/)
})

t.test('the client that retries a 422 fails noRetryOn4xx only, naming the error code', async (t) => {
  const report = reportFor(retries4xxPolicy)
  t.same(failures(report), ['op-4 noRetryOn4xx'])
  const message = report.operations[3]?.checks.find((c) => c.name === 'noRetryOn4xx')?.message ?? ''
  t.ok(message.startsWith('retried a 422 validation_error, which is not retryable (attempt 2 of POST /api/v1/tickets)'), message)
  t.equal(report.operations[3]?.outcome, 'failed')
})

t.test('the client that drops its Idempotency-Key fails idempotencyKeysOnPost only', async (t) => {
  const report = reportFor(dropsKeyPolicy)
  t.same(failures(report), ['op-1 idempotencyKeysOnPost', 'op-2 idempotencyKeysOnPost', 'op-3 idempotencyKeysOnPost'])
  t.equal(report.operations[0]?.attempts.length, 3, 'the keyless retries stay in their operation')
  t.equal(report.operations[0]?.checks.find((c) => c.name === 'idempotencyKeysOnPost')?.message,
    'dropped its Idempotency-Key "idem_op1" on retry (attempt 2 of POST /api/v1/tickets); dropped its Idempotency-Key "idem_op1" on retry (attempt 3 of POST /api/v1/tickets)')
})

t.test('a constant backoff fails backoff; growing waits identical across operations fail jitter', async (t) => {
  const constant: RetryPolicy = {
    ...correctPolicy,
    waitBefore: (a, n, r) => a.status === 429 || correctPolicy.waitBefore(a, n, r) === undefined ? correctPolicy.waitBefore(a, n, r) : 1500
  }
  const report = reportFor(constant)
  t.same(failures(report), ['op-1 backoff', 'op-2 backoff'])
  t.match(report.operations[0]?.checks.find((c) => c.name === 'backoff')?.message, 'waited 1.5 s after a 503, not longer than the 1.5 s before: the backoff does not grow (attempt 3 of POST /api/v1/tickets)')

  const lockstep: RetryPolicy = { ...correctPolicy, waitBefore: (a, n) => correctPolicy.waitBefore(a, n, () => 0) }
  const entries = simulate(lockstep, SESSION, seededRandom(1))
  const judged = buildRetryReport(entries, normaliseExpect(undefined))
  t.same(failures(judged), ['session jitter'])
  t.equal(judged.sessionChecks[0]?.message, '2 operations backed off with the same waits (1 s, 2 s): add random jitter so clients do not retry in lockstep')
  t.ok(judged.sessionChecks[0]?.evidence.attempts.some((a) => a.operation === 'op-2' && a.flagged === true))
})

t.test('more attempts than allowed fail maxAttempts and flag the extra attempts', async (t) => {
  const stubborn: RetryPolicy = { ...correctPolicy, maxAttempts: 6 }
  const report = buildRetryReport(simulate(stubborn, [{ answers: [503] }], seededRandom(3)))
  t.same(failures(report), ['op-1 maxAttempts'])
  const check = report.operations[0]?.checks[0]
  t.equal(check?.message, 'made 6 attempts, more than the 4 allowed: give up after attempt 4 and surface the last answer (POST /api/v1/tickets)')
  t.same(check?.evidence.attempts.filter((a) => a.flagged === true).map((a) => a.n), [5, 6])
})

t.test('a POST without any Idempotency-Key fails, however many attempts it made', async (t) => {
  const report = buildRetryReport(journal([{ at: 0, status: 201 }]))
  t.same(failures(report), ['op-1 idempotencyKeysOnPost'])
  t.equal(report.operations[0]?.checks.find((c) => c.name === 'idempotencyKeysOnPost')?.message, 'sent POST /api/v1/tickets without an Idempotency-Key')
})

t.test('a lost response retried under a new key is a duplicate; under the same key it is replayed', async (t) => {
  const lostThenNewKey = journal([
    { at: 0, status: 503, idempotencyKey: 'k1', bodyHash: 'aaaaaaaaaaaaaaaa', committed: true, resourceId: 1001 },
    { at: 1500, status: 201, idempotencyKey: 'k2', bodyHash: 'aaaaaaaaaaaaaaaa', committed: true, resourceId: 1002 }
  ])
  const report = buildRetryReport(lostThenNewKey)
  t.same(failures(report), ['op-2 noDuplicates'])
  const check = report.operations[1]?.checks.find((c) => c.name === 'noDuplicates')
  t.equal(check?.message, 'created a duplicate as id 1002: op-1 had already been committed as id 1001 though its client got a 503; the retry used a new Idempotency-Key "k2" instead of "k1" (attempt 1 of POST /api/v1/tickets)')
  t.same(check?.evidence.attempts.map((a) => [a.operation, a.n, a.flagged]), [['op-1', 1, true], ['op-2', 1, true]])

  const sameKey = journal([
    { at: 0, status: 503, idempotencyKey: 'k1', bodyHash: 'aaaaaaaaaaaaaaaa', committed: true, resourceId: 1001 },
    { at: 1500, status: 0, fault: 'reset', idempotencyKey: 'k1', bodyHash: 'aaaaaaaaaaaaaaaa', replayed: true },
    { at: 4000, status: 201, idempotencyKey: 'k1', bodyHash: 'aaaaaaaaaaaaaaaa', replayed: true }
  ])
  t.same(failures(buildRetryReport(sameKey)), [])

  const twiceInOneOp = journal([
    { at: 0, status: 503, idempotencyKey: 'k1', bodyHash: 'aaaaaaaaaaaaaaaa', committed: true, resourceId: 1001 },
    { at: 1500, status: 201, bodyHash: 'aaaaaaaaaaaaaaaa', resourceId: 1002 }
  ])
  const twice = buildRetryReport(twiceInOneOp)
  t.same(failures(twice), ['op-1 idempotencyKeysOnPost', 'op-1 noDuplicates'])
  t.equal(twice.operations[0]?.checks.find((c) => c.name === 'noDuplicates')?.message,
    'created 2 resources for one request: attempt 1 was committed as id 1001 though the client got a 503, then attempt 2 created another as id 1002 (attempt 2 of POST /api/v1/tickets)')
})

t.test('when the journal says whether the handler ran, a scripted 201 is not a creation', async (t) => {
  const entries = journal([
    { at: 0, status: 201, idempotencyKey: 'k1', bodyHash: 'aaaaaaaaaaaaaaaa', committed: false, fault: 'truncate' },
    { at: 1500, status: 201, idempotencyKey: 'k2', bodyHash: 'aaaaaaaaaaaaaaaa', committed: true, resourceId: 1001 }
  ])
  t.same(failures(buildRetryReport(entries)), [])
})

t.test('Retry-After on a 503 governs that wait instead of the backoff, within the tolerance', async (t) => {
  const entries = journal([
    { at: 0, status: 503, retryAfter: 3, idempotencyKey: 'k' },
    { at: 2950, status: 503, idempotencyKey: 'k' },
    { at: 4500, status: 201, idempotencyKey: 'k' }
  ])
  t.same(failures(buildRetryReport(entries)), [], '50 ms early is inside the 100 ms tolerance')
  const strict = buildRetryReport(entries, normaliseExpect({ toleranceMs: 0 }))
  t.same(failures(strict), ['op-1 respectRetryAfter'])
  t.match(strict.operations[0]?.checks[1]?.message, 'retried after 2.95 s but Retry-After said 3 s (attempt 2 of POST /api/v1/tickets)')
})

t.test('the gap is measured from the end of the answer, not from the request', async (t) => {
  const entries = journal([
    { at: 0, status: 429, retryAfter: 1, durationMs: 800, idempotencyKey: 'k' },
    { at: 1500, status: 201, idempotencyKey: 'k' }
  ])
  const report = buildRetryReport(entries)
  t.same(failures(report), ['op-1 respectRetryAfter'])
  t.equal(report.operations[0]?.attempts[1]?.gapMs, 700)
})

t.test('disabled checks do not run; retryableStatuses widens what may be retried', async (t) => {
  const entries = journal([
    { at: 0, status: 408 },
    { at: 1000, status: 408 },
    { at: 3000, status: 201 }
  ])
  t.same(failures(buildRetryReport(entries)), ['op-1 noRetryOn4xx', 'op-1 idempotencyKeysOnPost'])
  const relaxed = buildRetryReport(entries, normaliseExpect({ retryableStatuses: [408, 429], idempotencyKeysOnPost: false }))
  t.same(failures(relaxed), [])
  t.notOk(relaxed.operations[0]?.checks.some((c) => c.name === 'idempotencyKeysOnPost'))
})

t.test('an empty journal is an empty, passing report', async (t) => {
  const report = buildRetryReport([])
  t.same(report.summary, { operations: 0, checks: 0, passed: 0, failed: 0, ok: true })
})
