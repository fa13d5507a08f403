// JUnit XML of retry reports, so CI shows each operation × check as a test case.

import type { CheckResult } from './checks.js'
import { describeEvidence, droppedNotice } from './format.js'
import type { RetryReport } from './report.js'

const DEFAULT_SESSION_NAME = 'default'

// XML 1.0 cannot carry these at all, even escaped: control characters and lone surrogates.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' }

/** Text safe in XML content; `attribute` also keeps line breaks and tabs through attribute normalisation. */
export function escapeXml (text: string, attribute = false): string {
  return text.replace(NOT_XML, '\uFFFD').replace(attribute ? /[&<>"'\n\r\t]/g : /[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

function attributes (values: Record<string, string | number>): string {
  return Object.entries(values).map(([k, v]) => ` ${k}="${escapeXml(String(v), true)}"`).join('')
}

function testcase (classname: string, check: CheckResult): string {
  const head = `    <testcase${attributes({ classname, name: check.name, time: 0 })}`
  if (check.passed) return `${head}/>`
  const [first] = check.evidence.attempts
  const evidence = [check.message, '', ...check.evidence.attempts.map((a) => describeEvidence(a, first?.at ?? 0, first?.idempotencyKey))].join('\n')
  return `${head}>\n      <failure${attributes({ message: check.message, type: check.name })}>${escapeXml(evidence)}</failure>\n    </testcase>`
}

function testsuite (report: RetryReport): string {
  const session = report.session ?? DEFAULT_SESSION_NAME
  const cases = [
    ...report.operations.flatMap((op) => op.checks.map((c) => testcase(`${op.id} ${op.method} ${op.path}`, c))),
    ...report.sessionChecks.map((c) => testcase('session', c)),
    ...(report.receiver?.checks ?? []).map((c) => testcase('webhook receiver', c))
  ]
  const values: [string, string][] = Object.entries(report.expect).map(([k, v]) => [`expect.${k}`, Array.isArray(v) ? v.join(',') : String(v)])
  // A grade of part of the session says so where CI shows the suite.
  if (report.dropped !== undefined) values.push(['journal.dropped.requests', String(report.dropped.requests)], ['journal.dropped.deliveries', String(report.dropped.deliveries)])
  const properties = values.map(([name, value]) => `      <property${attributes({ name, value })}/>`)
  const notice = droppedNotice(report.dropped)
  const head = `  <testsuite${attributes({ name: `aurion-mock session ${session}`, tests: report.summary.checks, failures: report.summary.failed, errors: 0, skipped: 0, time: 0 })}>`
  const out = notice === undefined ? [] : [`    <system-out>${escapeXml(`Warning: ${notice}`)}</system-out>`]
  return [head, '    <properties>', ...properties, '    </properties>', ...cases, ...out, '  </testsuite>'].join('\n')
}

/** A JUnit XML document with one testsuite per session report and one testcase per operation × check. */
export function formatJUnit (reports: RetryReport | readonly RetryReport[]): string {
  const list = new Array<RetryReport>().concat(reports)
  const tests = list.reduce((n, r) => n + r.summary.checks, 0)
  const failures = list.reduce((n, r) => n + r.summary.failed, 0)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'aurion-mock retry checks', tests, failures, errors: 0, time: 0 })}>`,
    ...list.map(testsuite),
    '</testsuites>',
    ''
  ].join('\n')
}
