// Real retry libraries over real HTTP (scripts/retry-libraries.mjs): configured per the Aurion
// guidance each passes every bundled scenario's report; with its defaults the report says what it
// does wrong; and the README's table is exactly what the script measured.

import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureBuilt, REPO_ROOT, run } from '../library/built.js'

const PYTHON = '/usr/bin/python3'
const SCRIPT = join(REPO_ROOT, 'scripts/retry-libraries.mjs')
const START = '<!-- retry-libraries:start -->\n'
const END = '<!-- retry-libraries:end -->'

interface Row {
  library: string
  retried: string[]
  flags: string[]
  defaults: { failing: { name: string; message: string }[] }
  guidance: Record<string, { ok: boolean; statuses: number[]; failing: { name: string; message: string }[] }>
}

/** What each library's defaults do, as its documentation says; the probe must measure exactly this. */
const DEFAULTS: Record<string, { retried: string[]; fails: string[] }> = {
  got: { retried: ['503: 2 retries', 'dropped connection: 2 retries', '429: retried', '422: not retried', 'POST 503: not retried'], fails: [] },
  ky: { retried: ['503: 2 retries', 'dropped connection: 2 retries', '429: retried', '422: not retried', 'POST 503: not retried'], fails: ['backoff'] },
  'axios-retry': { retried: ['503: 3 retries', 'dropped connection: 2 retries', '429: retried', '422: not retried', 'POST 503: not retried'], fails: ['backoff'] },
  'p-retry': { retried: ['503: 4 retries', 'dropped connection: 2 retries', '429: retried', '422: 1 retry', 'POST 503: 1 retry'], fails: ['maxAttempts', 'respectRetryAfter', 'noRetryOn4xx'] },
  undici: { retried: ['503: 4 retries', 'dropped connection: 2 retries', '429: retried', '422: not retried', 'POST 503: not retried'], fails: ['maxAttempts', 'backoff'] },
  requests: { retried: ['503: not retried', 'dropped connection: 2 retries', '429: retried', '422: not retried', 'POST 503: not retried'], fails: ['backoff'] }
}

/** What a client that follows the guidance ends up with in each scenario: every retryable failure got through (seeded-chaos aside, whose cut bodies not every library can retry). */
const GUIDANCE_STATUSES: Record<string, number[]> = {
  default: [200, 201],
  'flapping-5xx': [200, 200],
  'idempotency-conflicts': [409, 201],
  'lost-response': [201, 201],
  maintenance: [200],
  'rate-limit-burst': [201, 201, 201, 201, 201, 201],
  'slow-network': [200, 200, 200, 200, 200, 200],
  'validation-422': [422, 201]
}

t.before(ensureBuilt)

const python = await run(PYTHON, ['-c', 'import requests']).catch((err: Error) => ({ code: -1, stderr: err.message }))
const pythonMissing = python.code === 0 || process.env['CI'] === 'true'
  ? false
  : `${PYTHON} cannot import requests: apt-get install python3-requests to run it (CI always runs it)`

t.test('retry libraries measured against the guidance, over real HTTP', { skip: pythonMissing }, async (t) => {
  const measured = await run(process.execPath, [SCRIPT, '--json'], { cwd: REPO_ROOT, timeoutMs: 200_000 })
  t.equal(measured.code, 0, 'the script ran', { stderr: measured.stderr })
  const result = JSON.parse(measured.stdout) as { scenarios: string[]; rows: Row[]; table: string }
  t.ok(result.rows.length >= 6 && result.scenarios.length >= 9, `${result.rows.length} libraries, ${result.scenarios.length} bundled scenarios`)

  for (const row of result.rows) {
    const failed = Object.entries(row.guidance).filter(([, run]) => !run.ok)
    t.same(failed, [], `${row.library}, configured per the guidance, passes every bundled scenario`)
    t.same(Object.keys(row.guidance).sort(), [...result.scenarios].sort())
    const through = Object.entries(GUIDANCE_STATUSES).filter(([scenario, statuses]) => JSON.stringify(row.guidance[scenario]?.statuses) !== JSON.stringify(statuses))
    t.same(through, [], `${row.library}, configured per the guidance, gets through every scripted failure`)
    const known = DEFAULTS[row.library.split(' ')[0] ?? '']
    t.ok(known, `${row.library} has known defaults`)
    if (known === undefined) continue
    t.same(row.retried, known.retried, `${row.library} with its defaults: ${known.retried.join('; ')}`)
    t.same([...new Set(row.defaults.failing.map((c) => c.name))].sort(), [...known.fails].sort(),
      `${row.library} with its defaults fails ${known.fails.length === 0 ? 'nothing' : known.fails.join(', ')}`, { failing: row.defaults.failing })
  }

  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  t.ok(start >= 0 && end > start, 'README.md has the table section')
  t.equal(readme.slice(start + START.length, end), result.table, 'the README table is the measured one (npm run retry-table writes it)')
})
