// The grader under load, over real HTTP: 300 clients that follow the guidance (100 ms unit, random
// jitter) run at once against one server process, beside clients with known mistakes. None of
// the 300 may be flagged, whatever the machine's load adds to their waits; every bad one must be.
//
// A loaded machine can only lengthen the waits the mock measures (a stalled client really waits
// longer; a stalled server reads the retry later), so a guidance client stays above its bounds.
// A bad client's short wait can be stretched past its bound the same way, and then the mock
// rightly sees nothing wrong: each bad run is checked to be judged by what was measured, and a
// mistake whose every copy was stretched is run again until the mock saw it.

import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { OperationReport, RetryReport } from '../../server/verify/report.js'
import { guidancePolicy, newKeyPolicy, type RetryPolicy } from '../clients/policies.js'
import { type ClientResult, createRetryClient } from '../clients/retry-client.js'

const BIN = fileURLToPath(new URL('../../dist/server/bin.js', import.meta.url))
const FLEET = fileURLToPath(new URL('../clients/fleet.ts', import.meta.url))
const GUIDANCE_CLIENTS = 300
const UNIT_MS = 100
const TOLERANCE_MS = 10
const BAD_COPIES = 3
const MAX_RERUNS = 5

const SCENARIO = `version: 1
name: load
expect: { minBackoffMs: ${UNIT_MS} }
rules:
  - name: down
    match: { headers: { x-load-case: down } }
    status: 503
  - name: fails-once
    match: { headers: { x-load-case: once } }
    sequence: [{ status: 503 }, pass]
  - name: fails-three-times
    match: { headers: { x-load-case: thrice } }
    sequence: [{ times: 3, status: 503 }, pass]
  - name: create
    match: { method: POST, path: /api/v1/tickets }
    sequence: [{ status: 503 }, { fault: reset }, pass]
  - name: read
    match: { method: GET, path: /api/v1/tickets/:id }
    sequence: [{ status: 429, retryAfter: 1 }, { status: 500 }, pass]
`

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The guidance with a 100 ms unit, but for the wait after a 5xx or a dropped connection. */
function waitsAfterFailure (name: string, waitMs: number): RetryPolicy {
  const base = guidancePolicy({ unitMs: UNIT_MS })
  return {
    ...base,
    name,
    waitBefore: (answer, attempt, random) => answer.status === 429 || base.waitBefore(answer, attempt, random) === undefined ? base.waitBefore(answer, attempt, random) : waitMs
  }
}

interface Bad {
  name: string
  policy: RetryPolicy
  /** Scripts its failures (the `x-load-case` header). */
  loadCase?: string
  check: string
  /** The mistake is a wait, so a stalled machine can hide it. */
  timed: boolean
}

/** The mistakes named in the issue's "done when". */
const BAD: Bad[] = [
  { name: 'retries after 10 ms', policy: waitsAfterFailure('10 ms', 10), check: 'backoff', timed: true },
  { name: 'a single retry after 50 ms', policy: waitsAfterFailure('50 ms once', 50), loadCase: 'once', check: 'backoff', timed: true },
  { name: 'a constant 150 ms backoff', policy: waitsAfterFailure('constant 150 ms', 150), loadCase: 'thrice', check: 'backoff', timed: true },
  { name: 'a new key per attempt', policy: { ...guidancePolicy({ unitMs: UNIT_MS }), renewKey: newKeyPolicy.renewKey! }, check: 'idempotencyKeysOnPost', timed: false },
  { name: 'eight attempts', policy: { ...guidancePolicy({ unitMs: UNIT_MS, capMs: 4 * UNIT_MS }), maxAttempts: 8 }, loadCase: 'down', check: 'maxAttempts', timed: false }
]

async function startServer (t: Test, scenarioFile: string): Promise<string> {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--log-level', 'warn', '--scenario', scenarioFile])
  t.teardown(() => { child.kill('SIGTERM') })
  let out = ''
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d
      if (out.includes('admin: ')) resolve()
    })
    child.stderr.on('data', (d: Buffer) => { out += d })
    child.once('exit', () => reject(new Error(`the server exited: ${out}`)))
  })
  const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]
  if (port === undefined) throw new Error(`no port in: ${out}`)
  return `http://127.0.0.1:${port}`
}

interface FleetClient { session: string; results: { status: number; attempts: number; waits: number[] }[] }

/** The guidance clients, in a process of their own as a fleet of services would be. */
async function runFleet (url: string): Promise<FleetClient[]> {
  const child = spawn(process.execPath, [...process.execArgv, FLEET, url, String(GUIDANCE_CLIENTS), String(UNIT_MS)], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => { out += d })
  child.stderr.on('data', (d: Buffer) => { err += d })
  const [code] = await once(child, 'close') as [number | null]
  if (code !== 0) throw new Error(`the fleet failed (${String(code)}): ${err}`)
  return out.trim().split('\n').map((line) => JSON.parse(line) as FleetClient)
}

/** One bad client's operation, in its own session; its session is opened first, so the mistake is not timed against that work. */
async function runBad (url: string, session: string, bad: Bad, delayMs: number): Promise<ClientResult> {
  const headers: Record<string, string> = { 'x-mock-session': session }
  await fetch(`${url}/api/v1/users?limit=1`, { headers: { ...headers, 'x-api-key': 'ak_live_mock_full_access_0001' } }).then((res) => res.text())
  await sleep(delayMs)
  if (bad.loadCase !== undefined) headers['x-load-case'] = bad.loadCase
  return await createRetryClient(bad.policy)(url, { method: 'POST', path: '/api/v1/tickets', body: { subject: `Bad ${session}`, description: 'Under load' }, headers }, { sleep })
}

async function reportOf (url: string, session: string): Promise<RetryReport> {
  return await (await fetch(`${url}/__mock/report?session=${session}`)).json() as RetryReport
}

function failedChecks (report: RetryReport): string[] {
  return [...new Set([...report.operations.flatMap((o) => o.checks), ...report.sessionChecks].filter((c) => !c.passed).map((c) => c.name))]
}

/** The gaps the mock measured on the bad operation, and whether one fell short of its bound. */
function measured (op: OperationReport | undefined): { gaps: number[]; short: boolean } {
  const attempts = op?.attempts ?? []
  return {
    gaps: attempts.flatMap((a) => a.gapMs ?? []),
    short: attempts.some((a) => a.backoffMs !== undefined && a.gapMs !== undefined && a.gapMs < a.backoffMs - TOLERANCE_MS)
  }
}

t.test(`${GUIDANCE_CLIENTS} guidance clients at once are never flagged; each bad client is`, async (t) => {
  const dir = t.testdir({})
  const file = join(dir, 'load.yaml')
  writeFileSync(file, SCENARIO)
  const url = await startServer(t, file)
  const started = Date.now()
  const copies = BAD.flatMap((bad) => Array.from({ length: BAD_COPIES }, (_, i) => ({ session: `bad-${bad.name.replace(/\W+/g, '-')}-${i}`, bad })))
  // The bad clients start while the fleet is in the thick of its retries (it opens its sessions in the first second).
  const [fleet, badResults] = await Promise.all([
    runFleet(url),
    Promise.all(copies.map(({ session, bad }) => runBad(url, session, bad, 1_000 + Math.random() * 1_000)))
  ])
  const seconds = (Date.now() - started) / 1000

  t.equal(fleet.length, GUIDANCE_CLIENTS, 'every guidance client ran')
  t.same(fleet.filter(({ results: [c, r] }) => c?.status !== 201 || c.attempts !== 3 || r?.status !== 200 || r.attempts !== 3), [],
    'every guidance client got through its scripted failures: 3 attempts to create, 3 to read')
  let flagged = 0
  const findings: string[] = []
  const excess: number[] = []
  for (const { session, results } of fleet) {
    const r = await reportOf(url, session)
    if (!r.summary.ok) {
      flagged++
      if (findings.length < 5) findings.push(`${session}: ${r.operations.flatMap((o) => o.checks).filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`).join(' | ')}`)
    }
    // What the machine added to each wait: the gap the mock measured less the wait the client slept.
    const waits = results.flatMap((c) => c.waits)
    r.operations.flatMap((o) => o.attempts.flatMap((a) => a.gapMs ?? [])).forEach((gap, k) => {
      const slept = waits[k]
      if (slept !== undefined) excess.push(gap - slept)
    })
  }
  excess.sort((a, b) => a - b)
  const at = (q: number): number => excess[Math.min(excess.length - 1, Math.floor(q * excess.length))] ?? NaN
  t.comment(`${GUIDANCE_CLIENTS} guidance clients and ${copies.length} bad ones in ${seconds.toFixed(1)} s; of ${excess.length} waits the mock measured, the machine ` +
    `lengthened them by min ${at(0)} ms, median ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; guidance clients flagged: ${flagged}`)
  t.equal(flagged, 0, 'no guidance client is flagged', { findings })
  t.ok(at(0) >= -2, 'a measured wait is never shorter than the one slept, but for clock readings in whole ms')

  for (const bad of BAD) {
    const runs = copies.flatMap((c, i) => c.bad === bad ? [{ session: c.session, result: badResults[i] }] : [])
    let caught = 0
    let stretched = 0
    for (let round = 0; caught === 0 && round <= MAX_RERUNS; round++) {
      if (round > 0) {
        const session = `${runs[0]?.session ?? 'bad'}-again-${round}`
        runs.push({ session, result: await runBad(url, session, bad, 0) })
      }
      for (const { session, result } of round === 0 ? runs : runs.slice(-1)) {
        const report = await reportOf(url, session)
        const failed = failedChecks(report)
        const op = report.operations.find((o) => o.method === 'POST')
        const { gaps, short } = measured(op)
        const waits = result?.waits ?? []
        t.ok(gaps.every((gap, k) => gap >= (waits[k] ?? 0) - 2), `${session}: the mock measured no wait shorter than slept`, { gaps, waits })
        if (bad.timed) {
          t.equal(failed.includes(bad.check), short, `${session}: ${bad.check} fails exactly when a measured wait fell short of its bound`, { gaps, failed })
          if (!short) stretched++
        } else {
          t.ok(failed.includes(bad.check), `${session}: flagged by ${bad.check}, whatever the timing`, { failed })
        }
        if (failed.includes(bad.check)) caught++
      }
    }
    t.ok(caught > 0, `${bad.name}: flagged by ${bad.check} (${caught} of ${runs.length} runs; ${stretched} stretched past the bound by the machine)`)
  }
})
