// The terminal report: a verdict up top, failures expanded with evidence, and inert client strings.

import t from 'tap'
import { buildRetryReport } from '../../server/verify/report.js'
import { formatTextReport, sanitiseForTerminal } from '../../server/verify/text.js'
import { noBackoffPolicy, seededRandom } from '../clients/policies.js'
import { journal, simulate } from './fixtures/journal.js'

const report = buildRetryReport(simulate(noBackoffPolicy, [
  { answers: [{ status: 200 }] , method: 'GET', path: '/api/v1/tickets' },
  { answers: [503, 503, 201] }
], seededRandom(1)), undefined, { session: 'ci' })

t.test('the verdict and counts come first; failing operations are expanded with their evidence', async (t) => {
  const text = formatTextReport(report)
  const lines = text.split('\n')
  t.equal(lines[0], 'aurion-mock retry report · session ci: FAIL')
  t.equal(lines[1], `2 operations, ${report.summary.checks} checks: ${report.summary.passed} passed, 1 failed`)
  t.equal(lines[3], '✗ op-2 POST /api/v1/tickets · key "idem_op2" · 3 attempts · succeeded', 'failures first')
  t.match(text, '      #2  +0 s  503  after 0 s (bound 1 s)  <- flagged\n      #3  +0 s  201  after 0 s (bound 2 s)  <- flagged')
  t.match(text, '    ✗ backoff: retry 1 came 0 s after attempt 1 ended in a 503; it had to wait at least 1 s (minBackoffMs), less 0.01 s tolerance (attempt 2 of POST /api/v1/tickets); retry 2 came')
  t.match(text, '✓ op-1 GET /api/v1/tickets · no key · 1 attempt · succeeded\n')
  t.notMatch(text, '\u001B[', 'no colour unless asked')
  t.ok(text.endsWith('\n'))
})

t.test('verbose expands passing operations; colour paints the marks', async (t) => {
  const verbose = formatTextReport(report, { verbose: true })
  t.match(verbose, '✓ op-1 GET /api/v1/tickets · no key · 1 attempt · succeeded\n    first attempt at 2026-01-01T00:00:00.000Z\n      #1  +0 s  200\n    ✓ maxAttempts: made 1 attempt, within the 4 allowed')
  const colored = formatTextReport(report, { color: true })
  t.match(colored, '\u001B[31mFAIL\u001B[0m')
  t.match(colored, '\u001B[32m✓\u001B[0m op-1')
})

t.test('control characters and bidi overrides in client strings are shown as escapes', async (t) => {
  t.equal(sanitiseForTerminal('a\u001B[2Jb\u202Ec\u0007'), 'a\\u001b[2Jb\\u202ec\\u0007')
  const hostile = buildRetryReport(journal([{ at: 0, status: 201, path: '/x\u001B]0;pwned\u0007', idempotencyKey: 'k\r\n' }]))
  const text = formatTextReport(hostile, { verbose: true })
  t.notMatch(text, '\u001B')
  t.notMatch(text, '\r')
  t.match(text, '/x\\u001b]0;pwned\\u0007')
})

t.test('session checks are listed after the operations', async (t) => {
  const lockstep = buildRetryReport(journal(['a', 'b', 'c', 'd', 'e', 'f'].flatMap((key, i) => [
    { at: i * 10_000, status: 503, idempotencyKey: key, bodyHash: key }, { at: i * 10_000 + 1_000, status: 201, idempotencyKey: key, bodyHash: key }
  ])))
  const text = formatTextReport(lockstep)
  t.match(text, '\nAcross operations:\n  ✗ jitter: backoff waits in lockstep, within 3 ms of each other (retry 1: 6 operations, 1 s to 1 s): add random jitter so clients do not retry all at once\n')
})

t.test('one operation and one check are counted in the singular', async (t) => {
  const single = buildRetryReport(journal([{ at: 0, status: 200, method: 'GET' }]))
  t.equal(formatTextReport(single).split('\n')[1], '1 operation, 1 check: 1 passed, 0 failed')
})
