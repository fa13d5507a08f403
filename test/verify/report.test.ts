// The retry report judges the five test clients' journals: the correct one passes, each other
// one fails exactly the check for its mistake.

import t from 'tap'
import { normaliseExpect } from '../../server/expect/index.js'
import { buildRetryReport, type RetryReport } from '../../server/verify/report.js'
import {
  correctPolicy, dropsKeyPolicy, guidancePolicy, ignoresRetryAfterPolicy, noBackoffPolicy, type RetryPolicy, retries4xxPolicy, seededRandom
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

t.test('the correct client passes every check', async (t) => {
  const report = reportFor(correctPolicy)
  t.same(failures(report), [])
  t.equal(report.summary.ok, true)
  t.equal(report.summary.operations, 6)
  t.equal(report.session, 'ci')
  t.same(report.operations.map((o) => o.outcome), ['succeeded', 'gave up', 'succeeded', 'failed', 'succeeded', 'succeeded'])
  t.same(report.operations[1]?.checks.map((c) => c.name), ['maxAttempts', 'noRetryOn4xx', 'backoff', 'idempotencyKeysOnPost', 'noDuplicates'])
  t.same(report.operations[5]?.checks.map((c) => c.name), ['maxAttempts'], 'a single GET has nothing else to judge')
  t.same(report.sessionChecks, [], 'jitter needs six operations backing off at one retry; two did here')
  t.same(report.operations[1]?.attempts.map((a) => a.backoffMs), [undefined, 1000, 2000, 4000], 'the bound of each backoff retry is in the evidence')
})

t.test('the client that ignores Retry-After fails respectRetryAfter only, with the gap and the header in the message', async (t) => {
  const report = reportFor(ignoresRetryAfterPolicy)
  t.same(failures(report), ['op-3 respectRetryAfter'])
  const check = report.operations[2]?.checks.find((c) => c.name === 'respectRetryAfter')
  t.equal(check?.message, 'retry 1 came 0.4 s after attempt 1 ended in a 429 with Retry-After: 2; it had to wait at least 2 s, less 0.01 s tolerance (attempt 2 of POST /api/v1/tickets); ' +
    'retry 2 came 0.4 s after attempt 2 ended in a 429 with Retry-After: 2; it had to wait at least 2 s, less 0.01 s tolerance (attempt 3 of POST /api/v1/tickets)')
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
    'retry 1 came 0 s after attempt 1 ended in a 503; it had to wait at least 1 s (minBackoffMs), less 0.01 s tolerance (attempt 2 of POST /api/v1/tickets); ' +
    'retry 2 came 0 s after attempt 2 ended in a 503; it had to wait at least 2 s (minBackoffMs 1 s × 2^1), less 0.01 s tolerance (attempt 3 of POST /api/v1/tickets)')
  t.match(report.operations[4]?.checks.find((c) => c.name === 'backoff')?.message, 'retry 1 came 0 s after attempt 1 ended in a dropped connection (reset); it had to wait at least 1 s')
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

t.test('a constant backoff fails backoff at the first retry whose bound it misses', async (t) => {
  const constant: RetryPolicy = {
    ...correctPolicy,
    waitBefore: (a, n, r) => a.status === 429 || correctPolicy.waitBefore(a, n, r) === undefined ? correctPolicy.waitBefore(a, n, r) : 1500
  }
  const report = reportFor(constant)
  t.same(failures(report), ['op-1 backoff', 'op-2 backoff'])
  t.equal(report.operations[0]?.checks.find((c) => c.name === 'backoff')?.message,
    'retry 2 came 1.5 s after attempt 2 ended in a 503; it had to wait at least 2 s (minBackoffMs 1 s × 2^1), less 0.01 s tolerance (attempt 3 of POST /api/v1/tickets)')
  t.same(report.operations[0]?.checks.find((c) => c.name === 'backoff')?.evidence.attempts.map((a) => [a.n, a.gapMs, a.backoffMs, a.flagged]),
    [[1, undefined, undefined, undefined], [2, 1500, 1000, undefined], [3, 1500, 2000, true]])
  t.same(failures(reportFor(guidancePolicy())), [], 'the same session with the guidance passes')
})

t.test('the first retry is judged like any other; the bound is min(minBackoffMs·factor^(n-1), maxBackoffMs) less the tolerance', async (t) => {
  const once = (gap: number) => journal([{ at: 0, status: 503, idempotencyKey: 'k' }, { at: gap, status: 201, idempotencyKey: 'k' }])
  const expect = normaliseExpect({ minBackoffMs: 100 })
  t.same(failures(buildRetryReport(once(50), expect)), ['op-1 backoff'], 'a single retry after 50 ms')
  t.equal(buildRetryReport(once(50), expect).operations[0]?.checks.find((c) => c.name === 'backoff')?.message,
    'retry 1 came 0.05 s after attempt 1 ended in a 503; it had to wait at least 0.1 s (minBackoffMs), less 0.01 s tolerance (attempt 2 of POST /api/v1/tickets)')
  t.same(failures(buildRetryReport(once(89), expect)), ['op-1 backoff'], 'just outside the tolerance')
  t.same(failures(buildRetryReport(once(90), expect)), [], 'just inside it')
  t.equal(buildRetryReport(once(90), expect).operations[0]?.checks.find((c) => c.name === 'backoff')?.message, 'backed off 0.09 s before retry 1, at least its bound (0.1 s)')

  // Waits of 1.1, 2.1, 2.1 s: right for a client capped at 2 s, too short for an uncapped one.
  const capped = journal([
    { at: 0, status: 500, idempotencyKey: 'k' }, { at: 1_100, status: 502, idempotencyKey: 'k' },
    { at: 3_200, status: 0, fault: 'reset', idempotencyKey: 'k' }, { at: 5_300, status: 201, idempotencyKey: 'k' }
  ])
  t.same(failures(buildRetryReport(capped, normaliseExpect({ maxBackoffMs: 2000 }))), [])
  const uncapped = buildRetryReport(capped)
  t.same(failures(uncapped), ['op-1 backoff'])
  t.match(uncapped.operations[0]?.checks.find((c) => c.name === 'backoff')?.message, /^retry 3 came 2\.1 s after attempt 3 ended in a dropped connection \(reset\); it had to wait at least 4 s \(minBackoffMs 1 s × 2\^2\)/)
  const ceiling = buildRetryReport(journal([
    { at: 0, status: 500, idempotencyKey: 'k' }, { at: 1_000, status: 500, idempotencyKey: 'k' }, { at: 1_900, status: 201, idempotencyKey: 'k' }
  ]), normaliseExpect({ maxBackoffMs: 1500, toleranceMs: 0 }))
  t.match(ceiling.operations[0]?.checks.find((c) => c.name === 'backoff')?.message, 'retry 2 came 0.9 s after attempt 2 ended in a 500; it had to wait at least 1.5 s (the maxBackoffMs ceiling) (attempt 3')
  t.same(failures(buildRetryReport(capped, normaliseExpect({ backoffFactor: 1.5 }))), ['op-1 backoff'], 'factor 1.5: 1, 1.5, 2.25 s')
  t.same(failures(buildRetryReport(capped, normaliseExpect({ backoffFactor: 1 }))), [], 'factor 1: a constant 1 s bound')
  t.same(failures(buildRetryReport(once(0), normaliseExpect({ backoff: false }))), [], 'backoff: false turns the check off')
  t.same(failures(buildRetryReport(once(0), normaliseExpect({ minBackoffMs: 0 }))), [], 'minBackoffMs: 0 (full jitter) accepts any wait')
})

t.test('lockstep waits across six or more operations fail jitter; fewer are not judged', async (t) => {
  const lockstep: RetryPolicy = { ...correctPolicy, waitBefore: (a, n) => correctPolicy.waitBefore(a, n, () => 0) }
  const ops = (count: number): OpScript[] => Array.from({ length: count }, () => ({ answers: [503, 503, 201] }))
  t.same(buildRetryReport(simulate(lockstep, ops(5), seededRandom(1))).sessionChecks, [])
  const judged = buildRetryReport(simulate(lockstep, ops(6), seededRandom(1)))
  t.same(failures(judged), ['session jitter'])
  t.equal(judged.sessionChecks[0]?.message, 'backoff waits in lockstep, within 3 ms of each other (retry 1: 6 operations, 1 s to 1 s; retry 2: 6 operations, 2 s to 2 s): add random jitter so clients do not retry all at once')
  t.ok(judged.sessionChecks[0]?.evidence.attempts.some((a) => a.operation === 'op-6' && a.n === 3 && a.flagged === true))
  const jittered = buildRetryReport(simulate(correctPolicy, ops(6), seededRandom(1)))
  t.same(failures(jittered), [])
  t.match(jittered.sessionChecks[0]?.message, /^backoff waits differ between operations \(retry 1: 6 operations, 1\.\d+ s to 1\.\d+ s; retry 2: 6 operations, 2\.\d+ s to 2\.\d+ s\)$/)
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

t.test('a lost response retried under a new key is one operation with a duplicate; under the same key it is replayed', async (t) => {
  const lostThenNewKey = journal([
    { at: 0, status: 503, idempotencyKey: 'k1', bodyHash: 'aaaaaaaaaaaaaaaa', committed: true, resourceId: 1001 },
    { at: 1500, status: 201, idempotencyKey: 'k2', bodyHash: 'aaaaaaaaaaaaaaaa', committed: true, resourceId: 1002 }
  ])
  const report = buildRetryReport(lostThenNewKey)
  t.same(failures(report), ['op-1 idempotencyKeysOnPost', 'op-1 noDuplicates'])
  t.same(report.operations[0]?.idempotencyKeys, ['k1', 'k2'])
  t.equal(report.operations[0]?.checks.find((c) => c.name === 'noDuplicates')?.message,
    'created 2 resources for one request: attempt 1 was committed as id 1001 though the client got a 503, then attempt 2 created another as id 1002; the retry used a new Idempotency-Key "k2" instead of "k1" (attempt 2 of POST /api/v1/tickets)')

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
    'created 2 resources for one request: attempt 1 was committed as id 1001 though the client got a 503, then attempt 2 created another as id 1002; the retry used no Idempotency-Key instead of "k1" (attempt 2 of POST /api/v1/tickets)')
})

t.test('a request performed though answered with a final error, sent again under a new key, is a duplicate across operations', async (t) => {
  const entries = journal([
    { at: 0, status: 409, idempotencyKey: 'k1', bodyHash: 'aaaaaaaaaaaaaaaa', committed: true, resourceId: 1001 },
    { at: 1500, status: 201, idempotencyKey: 'k2', bodyHash: 'aaaaaaaaaaaaaaaa', committed: true, resourceId: 1002 }
  ])
  const report = buildRetryReport(entries)
  t.equal(report.summary.operations, 2, 'a new key after a final answer is a request of its own')
  t.same(failures(report), ['op-2 noDuplicates'])
  const check = report.operations[1]?.checks.find((c) => c.name === 'noDuplicates')
  t.equal(check?.message, 'created a duplicate as id 1002: op-1 had already been committed as id 1001 though its client got a 409; the retry used a new Idempotency-Key "k2" instead of "k1" (attempt 1 of POST /api/v1/tickets)')
  t.same(check?.evidence.attempts.map((a) => [a.operation, a.n, a.flagged]), [['op-1', 1, true], ['op-2', 1, true]])
})

t.test('a new Idempotency-Key on every retry fails idempotencyKeysOnPost, naming the keys', async (t) => {
  const entries = journal([
    { at: 0, status: 429, retryAfter: 1, idempotencyKey: 'idem_a', bodyHash: 'b' },
    { at: 1_200, status: 503, idempotencyKey: 'idem_b', bodyHash: 'b' },
    { at: 3_500, status: 0, fault: 'reset', idempotencyKey: 'idem_c', bodyHash: 'b' },
    { at: 7_600, status: 201, idempotencyKey: 'idem_d', bodyHash: 'b' }
  ])
  const report = buildRetryReport(entries)
  t.equal(report.summary.operations, 1, 'one operation: what the client meant')
  t.same(failures(report), ['op-1 idempotencyKeysOnPost'])
  t.equal(report.operations[0]?.checks.find((c) => c.name === 'idempotencyKeysOnPost')?.message,
    'sent 4 different Idempotency-Keys for one request (POST /api/v1/tickets): "idem_a" on attempt 1, "idem_b" on attempt 2, "idem_c" on attempt 3, "idem_d" on attempt 4; reuse the first key on every retry, or an answer lost on the way becomes a duplicate')
})

t.test('when the journal says whether the handler ran, a scripted 201 is not a creation', async (t) => {
  const entries = journal([
    { at: 0, status: 201, idempotencyKey: 'k1', bodyHash: 'aaaaaaaaaaaaaaaa', committed: false, fault: 'truncate' },
    { at: 1500, status: 201, idempotencyKey: 'k2', bodyHash: 'aaaaaaaaaaaaaaaa', committed: true, resourceId: 1001 }
  ])
  t.same(failures(buildRetryReport(entries)), ['op-1 idempotencyKeysOnPost'], 'the new key is the only mistake')
})

t.test('Retry-After on a 503 governs that wait instead of the backoff, within the tolerance', async (t) => {
  const entries = journal([
    { at: 0, status: 503, retryAfter: 3, idempotencyKey: 'k' },
    { at: 2995, status: 503, idempotencyKey: 'k' },
    { at: 5000, status: 201, idempotencyKey: 'k' }
  ])
  t.same(failures(buildRetryReport(entries)), [], '5 ms early is inside the 10 ms tolerance; retry 2 waited its 2 s bound')
  t.same(buildRetryReport(entries).operations[0]?.attempts.map((a) => a.backoffMs), [undefined, undefined, 2000], 'only retry 2 was governed by backoff')
  const strict = buildRetryReport(entries, normaliseExpect({ toleranceMs: 0 }))
  t.same(failures(strict), ['op-1 respectRetryAfter'])
  t.equal(strict.operations[0]?.checks[1]?.message, 'retry 1 came 2.995 s after attempt 1 ended in a 503 with Retry-After: 3; it had to wait at least 3 s (attempt 2 of POST /api/v1/tickets)')
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
