// The grader judged by numbers: thousands of generated clients that follow the Aurion guidance
// (none may be flagged) and a thousand of each known mistake (every one must be flagged, by the
// check for that mistake). Pure: simulated time, no sockets. The figures are printed.

import t from 'tap'
import { readFileSync } from 'node:fs'
import type { CheckResult } from '../../server/verify/checks.js'
import { normaliseExpect } from '../../server/expect/index.js'
import { buildRetryReport, type RetryReport } from '../../server/verify/report.js'
import { seededRandom } from '../clients/policies.js'
import { BAD_BEHAVIOURS, badSession, guidanceSession, Rng } from './fixtures/generated.js'
import { T0 } from './fixtures/journal.js'

const SEED = Number(process.env['GRADER_SEED'] ?? 13)
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ')
const GUIDANCE_SESSIONS = 10_000
const BAD_CASES = 1_000

function failing (report: RetryReport): { op: string; check: CheckResult }[] {
  return [
    ...report.operations.flatMap((o) => o.checks.filter((c) => !c.passed).map((check) => ({ op: o.id, check }))),
    ...report.sessionChecks.filter((c) => !c.passed).map((check) => ({ op: 'session', check }))
  ]
}

t.test(`${GUIDANCE_SESSIONS.toLocaleString('en')} generated clients that follow the guidance: none is flagged`, async (t) => {
  const rng = new Rng(seededRandom(SEED))
  let flagged = 0
  let operations = 0
  let backoffRetries = 0
  let retryAfterRetries = 0
  let jitterJudged = 0
  const examples: string[] = []
  for (let i = 0; i < GUIDANCE_SESSIONS; i++) {
    const session = guidanceSession(rng)
    const report = buildRetryReport(session.entries, normaliseExpect(session.expect))
    operations += report.summary.operations
    for (const op of report.operations) {
      for (const a of op.attempts) {
        if (a.backoffMs !== undefined) backoffRetries++
        if (a.n > 1 && op.attempts[a.n - 2]?.retryAfter !== undefined) retryAfterRetries++
      }
    }
    if (report.sessionChecks.some((c) => c.name === 'jitter')) jitterJudged++
    const found = failing(report)
    if (found.length > 0) {
      flagged++
      if (examples.length < 3) examples.push(`${JSON.stringify(session.expect)} ${found.map((f) => `${f.op} ${f.check.name}: ${f.check.message}`).join(' | ')}`)
    }
  }
  t.comment(`guidance clients (seed ${SEED}): ${GUIDANCE_SESSIONS} sessions, ${operations} operations, ${backoffRetries} backoff waits and ${retryAfterRetries} Retry-After waits judged, jitter judged in ${jitterJudged} sessions; flagged: ${flagged}`)
  t.equal(flagged, 0, 'no guidance-following client is flagged', { examples })
  t.ok(backoffRetries > 10_000 && retryAfterRetries > 1_000 && jitterJudged > 100, 'the sessions gave every check something to judge')
  if (process.env['GRADER_SEED'] === undefined) {
    const fmt = (n: number): string => n.toLocaleString('en')
    t.match(README, `${fmt(operations)} operations, ${fmt(backoffRetries)} backoff waits and ${fmt(retryAfterRetries)} \`Retry-After\` waits judged, jitter judged in ${jitterJudged} sessions, **0 flagged**`,
      'the README quotes these figures')
  }
})

for (const behaviour of BAD_BEHAVIOURS) {
  t.test(`${BAD_CASES.toLocaleString('en')} generated clients with one mistake, ${behaviour.name}: every one is flagged by ${behaviour.check}`, async (t) => {
    const rng = new Rng(seededRandom(SEED + behaviour.name.length * 7919))
    const allowed = new Set([behaviour.check, ...(behaviour.alsoFails ?? [])])
    let byCheck = 0
    let wrongly = 0
    const examples: string[] = []
    for (let i = 0; i < BAD_CASES; i++) {
      const session = badSession(behaviour, rng)
      const report = buildRetryReport(session.entries, normaliseExpect(session.expect))
      const badOp = session.badAt === undefined ? undefined : report.operations.find((o) => o.attempts[0]?.at === T0 + session.badAt!)
      const found = failing(report)
      const onBad = found.filter((f) => f.op === (badOp?.id ?? 'session'))
      const hit = onBad.some((f) => f.check.name === behaviour.check)
      const stray = found.filter((f) => !allowed.has(f.check.name) || f.op !== (badOp?.id ?? 'session'))
      if (hit) byCheck++
      if (stray.length > 0) wrongly++
      if ((!hit || stray.length > 0) && examples.length < 3) {
        examples.push(`${JSON.stringify(session.expect)} hit=${hit} ${found.map((f) => `${f.op} ${f.check.name}: ${f.check.message}`).join(' | ')}`)
      }
    }
    t.comment(`${behaviour.name}: ${BAD_CASES} cases, ${byCheck} flagged by ${behaviour.check}, ${wrongly} with any other finding`)
    t.equal(byCheck, BAD_CASES, `every case is flagged by ${behaviour.check}`, { examples })
    t.equal(wrongly, 0, 'and by nothing else', { examples })
  })
}
