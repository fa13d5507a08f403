// JUnit XML: well-formed, one testsuite per session and one testcase per operation × check, and
// hostile strings come back exactly as they went in.

import t from 'tap'
import { escapeXml, formatJUnit } from '../../server/verify/junit.js'
import { buildRetryReport } from '../../server/verify/report.js'
import { ignoresRetryAfterPolicy, seededRandom } from '../clients/policies.js'
import { journal, simulate } from './fixtures/journal.js'
import { findAll, parseXml } from './fixtures/xml.js'

const HOSTILE_PATH = '/api/v1/tickets/<b>"x"</b>&\'y\'/]]>'

t.test('one testsuite per session, one testcase per check, failures with message and evidence', async (t) => {
  const failing = buildRetryReport(simulate(ignoresRetryAfterPolicy, [
    { answers: [{ status: 429, retryAfter: 2 }, 201] },
    { method: 'GET', path: '/api/v1/tickets', answers: [200] }
  ], seededRandom(1)), undefined, { session: 'ci' })
  const passing = buildRetryReport(journal([{ at: 0, status: 201, idempotencyKey: 'k' }]), undefined, { session: 'other' })
  const xml = formatJUnit([failing, passing])
  const root = parseXml(xml)
  t.equal(root.name, 'testsuites')
  t.same([root.attributes['tests'], root.attributes['failures']], [String(failing.summary.checks + passing.summary.checks), '1'])
  const suites = findAll(root, 'testsuite')
  t.same(suites.map((s) => s.attributes['name']), ['aurion-mock session ci', 'aurion-mock session other'])
  t.equal(findAll(suites[0]!, 'testcase').length, failing.summary.checks)
  t.equal(findAll(suites[1]!, 'testcase').length, passing.summary.checks)
  const failures = findAll(root, 'failure')
  t.equal(failures.length, 1)
  const failure = failures[0]!
  t.equal(failure.attributes['type'], 'respectRetryAfter')
  t.equal(failure.attributes['message'], 'retry 1 came 0.4 s after attempt 1 ended in a 429 with Retry-After: 2; it had to wait at least 2 s, less 0.01 s tolerance (attempt 2 of POST /api/v1/tickets)')
  t.match(failure.text, /#2 {2}\+0\.4 s {2}201 {2}after 0\.4 s {2}<- flagged/)
  const testcase = findAll(suites[0]!, 'testcase').find((c) => c.children.length > 0)
  t.same([testcase?.attributes['classname'], testcase?.attributes['name']], ['op-1 POST /api/v1/tickets', 'respectRetryAfter'])
  const properties = findAll(suites[0]!, 'property')
  t.ok(properties.some((p) => p.attributes['name'] === 'expect.maxAttempts' && p.attributes['value'] === '4'))
})

t.test('hostile paths and keys are escaped, and survive the round trip', async (t) => {
  const key = 'k"<&>\'\n\tend'
  const report = buildRetryReport(journal([
    { at: 0, status: 422, path: HOSTILE_PATH, idempotencyKey: key, rule: '<rule & co>' },
    { at: 100, status: 422, path: HOSTILE_PATH, idempotencyKey: key }
  ]), undefined, { session: 's"</testsuite>' })
  const xml = formatJUnit(report)
  t.notMatch(xml, '<b>')
  t.notMatch(xml, '</testsuite><')
  const root = parseXml(xml)
  t.equal(findAll(root, 'testsuite')[0]?.attributes['name'], 'aurion-mock session s"</testsuite>')
  const failure = findAll(root, 'failure')[0]
  t.equal(failure?.attributes['message'], `retried a 422 validation_error, which is not retryable (attempt 2 of POST ${HOSTILE_PATH})`)
  t.ok(failure?.text.includes(`rule <rule & co>`))
  t.ok(findAll(root, 'testcase').every((c) => c.attributes['classname'] === `op-1 POST ${HOSTILE_PATH}`))
})

t.test('characters XML cannot carry become U+FFFD instead of breaking the document', async (t) => {
  t.equal(escapeXml('a\u0001b\u001Fc\uD800d\uDC00e\uFFFF'), 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD')
  t.equal(escapeXml('ok 😀 é'), 'ok 😀 é', 'pairs and non-ASCII stay')
  t.equal(escapeXml('a\nb', true), 'a&#10;b')
  t.equal(escapeXml('a\nb'), 'a\nb')
  const report = buildRetryReport(journal([{ at: 0, status: 201, path: '/x\u0000\u0007', idempotencyKey: 'k' }]))
  t.doesNotThrow(() => parseXml(formatJUnit(report)))
})

t.test('an empty report is still a valid document', async (t) => {
  const root = parseXml(formatJUnit(buildRetryReport([])))
  t.equal(findAll(root, 'testsuite').length, 1)
  t.equal(findAll(root, 'testcase').length, 0)
  t.equal(findAll(parseXml(formatJUnit([])), 'testsuite').length, 0)
})
