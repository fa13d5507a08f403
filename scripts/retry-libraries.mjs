#!/usr/bin/env node
// Measures retry libraries against the built mock over real HTTP and writes the README's table:
// what each does by default, measured against the Aurion guidance, and settings that pass.
//
//   npm run build && node scripts/retry-libraries.mjs   # prints the table
//   node scripts/retry-libraries.mjs --write             # and writes it into README.md
//   node scripts/retry-libraries.mjs --json              # everything measured, as JSON
//
// Each library runs twice, every run in its own mock session: with its defaults against a probe
// scenario (a 503, dropped connections, a 429, a 422 and a failed POST, each followed by success),
// and configured per the guidance against every bundled scenario. The Python client needs
// /usr/bin/python3 with Debian's python3-requests. Loopback only; about 40 s, mostly waiting.

import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { bundledScenarioNames, startMockServer } from '../dist/server/index.js'
import axiosRetry from './retry-libraries/axios-retry.mjs'
import { runSteps } from './retry-libraries/common.mjs'
import got from './retry-libraries/got.mjs'
import ky from './retry-libraries/ky.mjs'
import pRetry from './retry-libraries/p-retry.mjs'
import undici from './retry-libraries/undici.mjs'
import { PROBE_SCENARIO, PROBE_WORKLOAD, SCENARIO_WORKLOADS } from './retry-libraries/workloads.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const README = join(ROOT, 'README.md')
const PYTHON = '/usr/bin/python3'
const PYTHON_CLIENT = join(ROOT, 'scripts/retry-libraries/urllib3_retry.py')
const KEY = 'ak_live_mock_full_access_0001'
const START = '<!-- retry-libraries:start -->'
const END = '<!-- retry-libraries:end -->'

/** The requests + urllib3 client runs in Python: one process per run. */
const urllib3 = {
  name: 'requests + urllib3 Retry',
  python: true,
  guidance: {
    settings: '`Retry(total=3, status_forcelist=[429, 500, 502, 503, 504], allowed_methods=None)`, subclassed so that `get_backoff_time()` is `2 ** (n - 1) + random.random()` before retry n (urllib3 itself waits nothing before the first retry)'
  }
}

const NODE_LIBRARIES = [got, ky, axiosRetry, pRetry, undici]

function versionOf (pkg) {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version
}

async function runPython (mode, baseUrl, headers, session, steps) {
  const child = spawn(PYTHON, [PYTHON_CLIENT], { stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { err += d })
  child.stdin.end(JSON.stringify({ mode, baseUrl, headers, session, steps }))
  const code = await new Promise((resolve, reject) => { child.once('error', reject); child.once('close', resolve) })
  if (code !== 0) throw new Error(`${PYTHON} ${PYTHON_CLIENT} exited ${code}: ${err}`)
  return JSON.parse(out)
}

/** One run: a library in a mode against a scenario, in its own session. */
async function runOne (library, mode, baseUrl, scenario, steps) {
  const session = `${library.python ? 'urllib3' : library.package}-${mode}-${scenario}`
  const headers = { 'x-api-key': KEY, 'x-mock-session': session, 'x-mock-scenario': scenario }
  if (library.python) {
    const started = Date.now()
    const { statuses, versions } = await runPython(mode, baseUrl, headers, session, steps)
    return { session, statuses, versions, seconds: (Date.now() - started) / 1000 }
  }
  const started = Date.now()
  const send = library[mode].create(baseUrl, headers)
  return { session, statuses: await runSteps(send, steps, session), seconds: (Date.now() - started) / 1000 }
}

function failing (report) {
  return [...report.operations.flatMap((o) => o.checks), ...report.sessionChecks].filter((c) => !c.passed)
}

/** Each check the probe can fail, in the report's order, as the table says it. */
const FLAG_TEXT = {
  maxAttempts: (report) => `\`maxAttempts\`: up to ${Math.max(...report.operations.map((o) => o.attempts.length))} attempts`,
  respectRetryAfter: () => '`respectRetryAfter`: retries before the Retry-After',
  noRetryOn4xx: () => '`noRetryOn4xx`: retries a 422',
  backoff: () => '`backoff`: retries a 5xx or dropped connection sooner than 2^(n-1) s',
  idempotencyKeysOnPost: () => '`idempotencyKeysOnPost`: a POST retried without its Idempotency-Key, or under a new one',
  noDuplicates: () => '`noDuplicates`: a duplicate created by a retry',
  jitter: () => '`jitter`: waits in lockstep'
}

/** What the defaults did with each kind of failure: retries per probe request, from the report. */
function describeDefaults (report) {
  const requests = PROBE_WORKLOAD.filter((s) => s.probe !== 'GET 503')
  const retried = requests.map((step) => {
    const path = step.path.split('?')[0]
    const op = report.operations.find((o) => o.method === step.method && o.path === path)
    const retries = (op?.attempts.length ?? 1) - 1
    // How often a 429 is retried depends on how early: the mock answers 429 until its Retry-After has passed.
    if (retries > 0 && step.probe === '429') return `${step.probe}: retried`
    return `${step.probe}: ${retries === 0 ? 'not retried' : `${retries} ${retries === 1 ? 'retry' : 'retries'}`}`
  })
  const names = Object.keys(FLAG_TEXT).filter((name) => failing(report).some((c) => c.name === name))
  const flags = names.map((name) => FLAG_TEXT[name](report))
  return { retried, flags }
}

function markdownTable (rows, scenarioCount) {
  const lines = [
    '| library | with its defaults, it retries | and the report flags | settings that follow the guidance |',
    '| --- | --- | --- | --- |'
  ]
  for (const row of rows) {
    const passes = row.guidanceFailures.length === 0
      ? `passes all ${scenarioCount} bundled scenarios`
      : `fails ${row.guidanceFailures.join(', ')}`
    const cells = [row.library, row.retried.join('; '), row.flags.length === 0 ? 'nothing' : row.flags.join('; '), `${row.settings}: ${passes}`]
    // A pipe, even in code, would end a table cell.
    lines.push(`| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`)
  }
  return `${lines.join('\n')}\n`
}

export async function measure () {
  const scenarios = bundledScenarioNames()
  const server = await startMockServer({ scenario: [...scenarios, PROBE_SCENARIO] })
  try {
    const libraries = [...NODE_LIBRARIES, urllib3]
    const runs = await Promise.all(libraries.flatMap((library) => [
      runOne(library, 'defaults', server.url, PROBE_SCENARIO.name, PROBE_WORKLOAD).then((run) => ({ library, mode: 'defaults', scenario: PROBE_SCENARIO.name, ...run })),
      ...scenarios.map((scenario) => runOne(library, 'guidance', server.url, scenario, SCENARIO_WORKLOADS[scenario])
        .then((run) => ({ library, mode: 'guidance', scenario, ...run })))
    ]))
    for (const run of runs) run.report = await server.report(run.session)
    const pythonVersions = runs.find((r) => r.versions !== undefined)?.versions
    const rows = libraries.map((library) => {
      const mine = runs.filter((r) => r.library === library)
      const probe = mine.find((r) => r.mode === 'defaults')
      const label = library.python
        ? `requests ${pythonVersions.requests} + urllib3 ${pythonVersions.urllib3} \`Retry\``
        : `${library.package} ${versionOf(library.package)}${library.with === undefined ? '' : ` (with ${library.with === 'axios' ? `axios ${versionOf('axios')}` : library.with})`}`
      const guidance = mine.filter((r) => r.mode === 'guidance')
      return {
        library: label,
        ...describeDefaults(probe.report),
        defaults: { session: probe.session, seconds: probe.seconds, failing: failing(probe.report).map((c) => ({ name: c.name, message: c.message })), attempts: probe.report.operations.map((o) => [o.method, o.path, o.attempts.length]) },
        guidance: Object.fromEntries(guidance.map((r) => [r.scenario, { session: r.session, ok: r.report.summary.ok, statuses: r.statuses, seconds: r.seconds, failing: failing(r.report).map((c) => ({ name: c.name, message: c.message })) }])),
        guidanceFailures: guidance.filter((r) => !r.report.summary.ok).map((r) => r.scenario),
        settings: library.guidance.settings
      }
    })
    return { scenarios, rows, table: markdownTable(rows, scenarios.length) }
  } finally {
    await server.close()
  }
}

/** README.md with the table between its markers replaced. */
export function withTable (readme, table) {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`)
  return `${readme.slice(0, start + START.length)}\n${table}${readme.slice(end)}`
}

/** The table as README.md has it now. */
export function readmeTable (readme) {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  return start < 0 || end < start ? undefined : readme.slice(start + START.length + 1, end)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { write: { type: 'boolean' }, json: { type: 'boolean' } } })
  const result = await measure()
  if (values.write) writeFileSync(README, withTable(readFileSync(README, 'utf8'), result.table))
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : result.table)
}
