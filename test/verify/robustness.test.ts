// Any journal, however odd, yields a report and renders without throwing (issue 7).

import t from 'tap'
import { renderHtmlReport } from '../../server/verify/html.js'
import { formatJUnit } from '../../server/verify/junit.js'
import type { VerifyEntry } from '../../server/verify/operations.js'
import { buildRetryReport } from '../../server/verify/report.js'
import { formatTextReport } from '../../server/verify/text.js'
import { seededRandom } from '../clients/policies.js'
import { parseXml } from './fixtures/xml.js'

const STATUSES = [0, 200, 201, 204, 400, 401, 404, 409, 422, 429, 500, 502, 503, 504]
const FAULTS = [undefined, 'reset', 'timeout', 'truncate', 'malformed', 'drip']
const STRINGS = ['k', '', '<x>', '&amp;', '\u0000', '\uD800', '"\'', ']]>', 'é😀']

t.test('random journals: reports add up and every renderer copes', async (t) => {
  const random = seededRandom(42)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  for (let run = 0; run < 200; run++) {
    const entries: VerifyEntry[] = []
    let at = Date.parse('2026-01-01T00:00:00Z')
    for (let seq = 1; seq <= 1 + Math.floor(random() * 30); seq++) {
      at += Math.floor(random() * 5000) - 500
      const entry: VerifyEntry = {
        seq, time: '', at, method: pick(['GET', 'POST', 'PUT']), path: `/api/v1/${pick(STRINGS)}`,
        status: pick(STATUSES), durationMs: Math.floor(random() * 300)
      }
      const fault = pick(FAULTS)
      if (fault !== undefined) entry.fault = fault
      if (random() < 0.6) entry.idempotencyKey = pick(STRINGS)
      if (random() < 0.7) entry.bodyHash = pick(['a', 'b'])
      if (random() < 0.3) entry.retryAfter = Math.floor(random() * 5)
      if (random() < 0.2) entry.committed = random() < 0.5
      if (random() < 0.2) entry.replayed = true
      if (random() < 0.1) entry.rule = pick(STRINGS)
      entries.push(entry)
    }
    const report = buildRetryReport(entries)
    const { summary } = report
    const counted = report.operations.reduce((n, o) => n + o.checks.length, report.sessionChecks.length)
    if (summary.checks !== counted || summary.passed + summary.failed !== summary.checks) t.fail(`run ${run}: summary does not add up`)
    if (report.operations.reduce((n, o) => n + o.attempts.length, 0) !== entries.length) t.fail(`run ${run}: an entry was lost`)
    parseXml(formatJUnit(report))
    formatTextReport(report, { verbose: true })
    if (/<script|<x>/.test(renderHtmlReport(report))) t.fail(`run ${run}: unescaped markup`)
  }
  t.pass('200 random journals')
})
