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
  t.match(text, '      #2  +0 s  503  after 0 s  <- flagged')
  t.match(text, '    ✗ backoff: retried 0 s after a 503, sooner than the 1 s minimum backoff (attempt 2 of POST /api/v1/tickets)')
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
  const lockstep = buildRetryReport(journal([
    { at: 0, status: 503, idempotencyKey: 'a' }, { at: 1_000, status: 503, idempotencyKey: 'a' }, { at: 3_000, status: 201, idempotencyKey: 'a' },
    { at: 10_000, status: 503, idempotencyKey: 'b' }, { at: 11_000, status: 503, idempotencyKey: 'b' }, { at: 13_000, status: 201, idempotencyKey: 'b' }
  ]))
  const text = formatTextReport(lockstep)
  t.match(text, '\nAcross operations:\n  ✗ jitter: 2 operations backed off with the same waits (1 s, 2 s): add random jitter so clients do not retry in lockstep\n')
})
