// `npm run bench`: aurion-mock against bare Fastify serving the same bytes, pinned and in one run.

import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, release, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { captureBodies } from './lib/bodies.mjs'
import { API_KEY, TICKET_PATH, selectCases } from './lib/cases.mjs'
import {
  ANY_CORE, LOAD_CORE, SERVER_CORE, httpRequest, installCleanup, measureColdStart, pinSelf, runLoad, startServer,
  stopServer, waitForQuiet
} from './lib/children.mjs'
import { procStatusBytes } from './lib/proc.mjs'
import { commandsPerRequest, startRedis } from './lib/redis.mjs'
import { otherResourceRules, writeScenario } from './lib/scenarios.mjs'
import { describeStatuses, fixed, markdownTable, median, megabytes, percent } from './lib/stats.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const DIST_SERVER = join(ROOT, 'dist/server')
const BARE_BIN = join(ROOT, 'bench/bare-server.mjs')
const LOAD_BIN = join(ROOT, 'bench/load.mjs')
/** The mock's CLI in a copy of dist/server taken at start (see snapshotDist). */
let mockBin = join(DIST_SERVER, 'bin.js')

/** Far above anything the loader can send, so the limiter runs but never answers 429. */
const RATE_LIMIT_ABOVE_LOAD = 100_000_000

const FULL = { duration: 10, warmup: 3, rounds: 5, coldStarts: 5, flatWarmup: 100_000, flatRequests: 300_000, flatChunk: 5, quietWaitMs: 30_000, quietBudgetMs: 180_000, redoRounds: 4 }
const QUICK = { duration: 1, warmup: 0.5, rounds: 2, coldStarts: 3, flatWarmup: 0, flatRequests: 0, flatChunk: 2, quietWaitMs: 0, quietBudgetMs: 0, redoRounds: 0 }
const SOAK = { flatWarmup: 1_000_000, flatRequests: 1_000_000, flatChunk: 5 }
/** Other work above this many cores during a measured run makes its numbers suspect. */
const BACKGROUND_LIMIT = 0.1
/** Autocannon above this share of its core may be what limits the req/s, not the server. */
const LOADER_LIMIT = 0.9

/** The issue 6 targets, checked at the end of the run. */
const TARGETS = { ratio: 0.8, ratioStretch: 0.85, p99Ms: 5, ruleScaling: 0.9, coldStartMs: 250, peakRssMb: 120, rssDrift: 0.1, redisRatio: 0.35, redisP99Ms: 10, redisRoundTrips: 2 }

const HELP = `Usage: npm run bench -- [options]     (or: node bench/run.mjs [options]; needs npm run build)

Starts bare Fastify and aurion-mock (dist/) pinned to core ${SERVER_CORE}, loads each in turn with
autocannon pinned to core ${LOAD_CORE}, and prints req/s, latency, peak RSS and the ratio to bare Fastify.

  --quick            short: ${QUICK.warmup} s warm-up, ${QUICK.rounds} rounds of ${QUICK.duration} s, ${QUICK.coldStarts} cold starts, no RSS-flatness check
  --soak             RSS flatness over ${SOAK.flatRequests.toLocaleString('en')} requests after ${SOAK.flatWarmup.toLocaleString('en')} (about two minutes more)
  --duration S       measured seconds per round (default ${FULL.duration})
  --warmup S         warm-up seconds per server and round (default ${FULL.warmup})
  --rounds N         alternating rounds, bare then mock (default ${FULL.rounds})
  --connections N    autocannon connections (default 50)
  --cases LIST       comma-separated case ids, or "all" (default: the five of issue 6 and the Redis case)
  --no-cold-start    skip the cold-start measurement
  --no-wait-quiet    do not wait for other work on the machine to stop before each measured run
                     (full run: up to ${FULL.quietWaitMs / 1000} s per run, ${FULL.quietBudgetMs / 1000} s in all), nor redo rounds
                     that shared the machine (up to ${FULL.redoRounds} in all); --quick does neither
  --profile DIR      run both servers under node --cpu-prof: DIR/{bare,mock}-<case>.cpuprofile
                     (summarise with node bench/profile-summary.mjs FILE)
  --json FILE        also write every measurement as JSON
  -h, --help         this help

Case ids: get, get-20-rules, get-20-rules-redis (needs redis-server), get-429-every-other, post-idempotency, get-1000-rules,
          post-idempotency-replay (optional), get-1000-same-resource (optional)`

function parseOptions (argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      soak: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      cases: { type: 'string' },
      'no-cold-start': { type: 'boolean', default: false },
      'no-wait-quiet': { type: 'boolean', default: false },
      profile: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false }
    }
  })
  const base = { ...(values.quick ? QUICK : FULL), ...(values.soak ? SOAK : {}) }
  const number = (raw, fallback, name, min = 0) => {
    if (raw === undefined) return fallback
    const n = Number(raw)
    if (raw.trim() === '' || !Number.isFinite(n) || n < min) throw new Error(`--${name}: expected a number >= ${min}, got "${raw}"`)
    return n
  }
  return {
    help: values.help,
    quick: values.quick,
    soak: values.soak,
    duration: number(values.duration, base.duration, 'duration', 0.1),
    warmup: number(values.warmup, base.warmup, 'warmup'),
    rounds: Math.round(number(values.rounds, base.rounds, 'rounds', 1)),
    connections: Math.round(number(values.connections, 50, 'connections', 1)),
    cases: selectCases(values.cases),
    coldStarts: values['no-cold-start'] ? 0 : base.coldStarts,
    quiet: values['no-wait-quiet'] || base.quietBudgetMs === 0 ? undefined : { waitMs: base.quietWaitMs, budgetMs: base.quietBudgetMs, spentMs: 0, gaveUp: 0 },
    redoLeft: values['no-wait-quiet'] ? 0 : base.redoRounds,
    flat: base,
    profileDir: values.profile === undefined ? undefined : resolve(values.profile),
    jsonFile: values.json
  }
}

function packageVersion (name) {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version
  } catch {
    return '?'
  }
}

function describeMachine () {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : ''
  let revision = '?'
  try {
    revision = execFileSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {}
  return {
    cpu: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? '?',
    cores: cpus().length,
    kernel: release(),
    node: process.version,
    aurionMock: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    revision,
    fastify: packageVersion('fastify'),
    rateLimit: packageVersion('@fastify/rate-limit'),
    autocannon: packageVersion('autocannon')
  }
}

function ticksPerSecond () {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
}

const log = (line = '') => process.stdout.write(`${line}\n`)
const progress = (line) => process.stderr.write(`  ${line}\n`)

function profileFlags (profile, server) {
  return profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile.dir}`, `--cpu-prof-name=${server}-${profile.name}.cpuprofile`]
}

function mockArgs ({ port = 0, scenarioFile, profile, store }) {
  return [
    ...profileFlags(profile, 'mock'), mockBin, '--port', String(port), '--log-level', 'silent',
    '--rate-limit', String(RATE_LIMIT_ABOVE_LOAD), '--seed', '1',
    ...(scenarioFile === undefined ? [] : ['--scenario', scenarioFile]),
    ...(store === undefined ? [] : ['--store', store])
  ]
}

function bareArgs ({ port = 0, bodies, profile }) {
  return [...profileFlags(profile, 'bare'), BARE_BIN, '--port', String(port), '--get-body', bodies.get, '--post-body', bodies.post]
}

const startMock = (options) => startServer({ name: 'aurion-mock', nodeArgs: mockArgs(options), readyLine: /^admin: / })
const startBare = (options) => startServer({ name: 'bare fastify', nodeArgs: bareArgs(options) })

/** The exact bytes the mock answers for the benchmarked GET and POST, for the bare server to send. */
async function captureMockBodies (dir) {
  const mock = await startMock({})
  try {
    return await captureBodies(mock.url, dir)
  } finally {
    await stopServer(mock)
  }
}

/**
 * Cold starts of each server, alternating, pinned to the server core and then not pinned, after
 * one discarded start each (file cache).
 */
async function measureColdStarts (bodies, options) {
  const runs = { bare: { pinned: [], free: [] }, mock: { pinned: [], free: [] } }
  for (const [mode, core] of [['pinned', SERVER_CORE], ['free', ANY_CORE]]) {
    for (let i = 0; i <= options.coldStarts; i++) {
      if (i > 0) await quietGate(options)
      const b = await measureColdStart((port) => bareArgs({ port, bodies }), core)
      const m = await measureColdStart((port) => mockArgs({ port }), core)
      if (i > 0) { runs.bare[mode].push(b); runs.mock[mode].push(m) }
    }
  }
  return runs
}

function loadOptions (server, request, options, extra = {}) {
  return {
    url: `${server.url}${request.path}`,
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
    connections: options.connections,
    serverPid: server.pid,
    ticksPerSecond: options.ticks,
    ...extra
  }
}

/** Before a measured run: waits (within the budget) for the rest of the machine to go quiet. */
async function quietGate (options) {
  const q = options.quiet
  if (q === undefined || q.spentMs >= q.budgetMs) return
  const seen = await waitForQuiet({ maxWaitMs: Math.min(q.waitMs, q.budgetMs - q.spentMs), ticks: options.ticks })
  q.spentMs += seen.waitedMs
  if (!seen.quiet) q.gaveUp++
}

async function load (server, testCase, options, seconds, label, measured = true) {
  if (measured) await quietGate(options)
  const extra = { duration: seconds }
  if (testCase.uniqueKeys === true) {
    extra.uniqueIdempotencyKey = `bench-${server.name === 'aurion-mock' ? 'm' : 'b'}-${label}-${Date.now()}-`
    if (testCase.rotateSessionEvery !== undefined) extra.rotateSessionEvery = testCase.rotateSessionEvery
  }
  return runLoad(LOAD_BIN, loadOptions(server, testCase.request, options, extra), seconds * 1000 + 30_000)
}

/** One request before the load, so a broken setup fails loudly instead of benchmarking 401s. */
async function checkAnswer (server, testCase) {
  const { method, path, headers, body } = testCase.request
  const res = await httpRequest(`${server.url}${path}`, { method, headers: { 'idempotency-key': 'bench-check', ...headers }, body })
  if (!testCase.expect.includes(String(res.status))) {
    throw new Error(`${server.name}, case ${testCase.id}: ${method} ${path} answered ${res.status} (expected ${testCase.expect.join(' or ')}): ${res.body}`)
  }
}

function sumStatuses (runs) {
  const total = {}
  for (const r of runs) for (const [code, n] of Object.entries(r.statuses)) total[code] = (total[code] ?? 0) + n
  return total
}

function summarise (runs, peakRss) {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    serverCpu: median(runs.map((r) => r.serverCpu)),
    loaderCpu: median(runs.map((r) => r.loaderCpu)),
    backgroundCpu: Math.max(0, ...runs.map((r) => r.backgroundCpu)),
    errors: runs.reduce((n, r) => n + r.errors + r.timeouts, 0),
    statuses: sumStatuses(runs),
    peakRss,
    runs
  }
}

/**
 * One case: alternating rounds, each with a fresh pair of servers warmed up anew. Fresh processes,
 * because a server process can be lastingly slower by luck (a V8 effect inside Node's nextTick,
 * bench/RESULTS.md): with one process per case that luck would decide the whole case, with one per
 * round it is one round, and the median of the rounds is the process one can expect.
 */
async function runCase (testCase, options, dir, bodies) {
  const scenarioFile = testCase.scenario === undefined ? undefined : writeScenario(dir, testCase.id, testCase.scenario())
  const bareRuns = []
  const mockRuns = []
  let barePeak = 0
  let mockPeak = 0
  let redone = 0
  // The Redis case: one redis-server for the case, emptied before each round; its CPU shows as "other".
  const redis = testCase.store === 'redis' ? await startRedis() : undefined
  let commands
  try {
  for (let round = 1; bareRuns.length < options.rounds; round++) {
    const profile = options.profileDir === undefined ? undefined : { dir: options.profileDir, name: round === 1 ? testCase.id : `${testCase.id}-r${round}` }
    if (redis !== undefined) await redis.client.flushall()
    const [bare, mock] = await Promise.all([startBare({ bodies, profile }), startMock({ scenarioFile, profile, store: redis?.url })])
    let b, m
    try {
      await checkAnswer(bare, { ...testCase, expect: [testCase.request.method === 'POST' ? '201' : '200'] })
      await checkAnswer(mock, testCase)
      if (options.warmup > 0) {
        await load(bare, testCase, options, options.warmup, 'warmup', false)
        await load(mock, testCase, options, options.warmup, 'warmup', false)
      }
      b = await load(bare, testCase, options, options.duration, `r${round}`)
      m = await load(mock, testCase, options, options.duration, `r${round}`)
      barePeak = Math.max(barePeak, procStatusBytes(bare.pid, 'VmHWM'))
      mockPeak = Math.max(mockPeak, procStatusBytes(mock.pid, 'VmHWM'))
    } finally {
      const grace = profile === undefined ? undefined : 30_000
      await Promise.all([stopServer(bare, grace), stopServer(mock, grace)])
    }
    const redo = Math.max(b.backgroundCpu, redis === undefined ? m.backgroundCpu : 0) > BACKGROUND_LIMIT && options.redoLeft > 0
    progress(`${testCase.id} round ${round}: bare ${b.rps.toFixed(0)} req/s, mock ${m.rps.toFixed(0)} req/s (${(m.rps / b.rps).toFixed(2)}x); ` +
      `other CPU ${percent(b.backgroundCpu)} / ${percent(m.backgroundCpu)}${redo ? ': machine shared, round redone' : ''}`)
    if (redo) { redone++; options.redoLeft--; continue }
    bareRuns.push(b)
    mockRuns.push(m)
  }
  if (redis !== undefined) {
    const mock = await startMock({ scenarioFile, store: redis.url })
    try {
      commands = await commandsPerRequest(redis, mock.url, testCase.request)
    } finally {
      await stopServer(mock)
    }
  }
  } finally {
    await redis?.stop()
  }
  const ratios = mockRuns.map((m, i) => m.rps / bareRuns[i].rps)
  return {
    id: testCase.id,
    label: testCase.label,
    request: { method: testCase.request.method, path: testCase.request.path },
    expect: testCase.expect,
    ratio: median(ratios),
    ratios,
    redone,
    ...(commands === undefined ? {} : { redisCommands: commands }),
    bare: summarise(bareRuns, barePeak),
    mock: summarise(mockRuns, mockPeak)
  }
}

/** Samples a process's VmRSS every `everyMs` while `work` runs; resolves with its result and the range. */
async function sampleRss (pid, work, everyMs = 200) {
  const seen = []
  const timer = setInterval(() => seen.push(procStatusBytes(pid, 'VmRSS')), everyMs)
  try {
    const result = await work()
    seen.push(procStatusBytes(pid, 'VmRSS'))
    const valid = seen.filter(Number.isFinite)
    return { result, min: Math.min(...valid), max: Math.max(...valid) }
  } finally {
    clearInterval(timer)
  }
}

/**
 * RSS of the mock (20-rule scenario, journal on) over `flatRequests` requests after a warm-up, in
 * chunks of load: each chunk's lowest and highest VmRSS, sampled every 200 ms. The highs swing with
 * the garbage collector's timing; the lows (what is left after a collection) are what a leak
 * raises, so the drift compares the lowest VmRSS of the last third of the chunks with the first's.
 */
async function checkRssFlatness (options, dir) {
  const { flatWarmup, flatRequests, flatChunk } = options.flat
  const scenarioFile = writeScenario(dir, 'flatness', otherResourceRules(20))
  const mock = await startMock({ scenarioFile })
  const testCase = { request: { method: 'GET', path: TICKET_PATH, headers: { 'x-api-key': API_KEY } } }
  const deadline = Date.now() + 4 * 60_000
  try {
    let served = 0
    while (served < flatWarmup && Date.now() < deadline) served += (await load(mock, testCase, options, flatChunk, 'flat', false)).completed
    const warmupRequests = served
    const chunks = []
    while (served < warmupRequests + flatRequests && Date.now() < deadline) {
      const { result, min, max } = await sampleRss(mock.pid, () => load(mock, testCase, options, flatChunk, 'flat', false))
      served += result.completed
      chunks.push({ requests: served, min, max })
      progress(`rss flatness: ${served.toLocaleString('en')} requests, VmRSS ${megabytes(min)}-${megabytes(max)} MB`)
    }
    const third = Math.max(1, Math.floor(chunks.length / 3))
    const firstLow = Math.min(...chunks.slice(0, third).map((c) => c.min))
    const lastLow = Math.min(...chunks.slice(-third).map((c) => c.min))
    return {
      warmupRequests,
      measuredRequests: served - warmupRequests,
      firstLow,
      lastLow,
      lowest: Math.min(...chunks.map((c) => c.min)),
      highest: Math.max(...chunks.map((c) => c.max)),
      peakRss: procStatusBytes(mock.pid, 'VmHWM'),
      drift: (lastLow - firstLow) / firstLow,
      chunks
    }
  } finally {
    await stopServer(mock)
  }
}

/**
 * Copies dist/server to bench/.dist-PID/server, removed on exit: a build by anyone else during the
 * run (npm test builds first) cannot change the mock between cases. From there the mock still finds
 * the package root (package.json, scenarios/) and node_modules by walking up.
 */
function snapshotDist () {
  const copy = join(ROOT, 'bench', `.dist-${process.pid}`)
  process.on('exit', () => rmSync(copy, { recursive: true, force: true }))
  cpSync(DIST_SERVER, join(copy, 'server'), { recursive: true })
  return join(copy, 'server', 'bin.js')
}

function printHeader (machine, options, bodies) {
  log('# aurion-mock benchmark')
  log()
  log(`Machine: ${machine.cpu}, ${machine.cores} cores, Linux ${machine.kernel}`)
  log(`Versions: Node ${machine.node}, aurion-mock ${machine.aurionMock} (${machine.revision}), fastify ${machine.fastify}, @fastify/rate-limit ${machine.rateLimit}, autocannon ${machine.autocannon}`)
  log(`Method: servers on core ${SERVER_CORE}, autocannon on core ${LOAD_CORE} (taskset); ${options.connections} connections, keep-alive, pipelining 1; ` +
    `${options.warmup > 0 ? `${options.warmup} s warm-up per server, then ` : 'no warm-up, '}${options.rounds} alternating rounds (bare, mock) of ${options.duration} s, each with freshly started servers; medians of the rounds; ` +
    `ratio = median of the per-round mock/bare ratios. Mock: a copy of dist/ taken at start, --rate-limit ${RATE_LIMIT_ABOVE_LOAD} (never fires), other settings default (journal on, 1000 entries).`)
  log(`Load average at start: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.`)
  log(`Bodies: GET ${bodies.getBytes} bytes, POST ${bodies.postBytes} bytes; bare Fastify sends the same bytes as a string.`)
  log()
}

function caseRows (results) {
  const rows = []
  for (const r of results) {
    for (const which of ['bare', 'mock']) {
      const s = r[which]
      const unexpected = Object.keys(s.statuses).filter((code) => !(which === 'bare' ? ['200', '201'] : r.expect).includes(code))
      const flag = unexpected.length > 0 || s.errors > 0 ? ' (!)' : ''
      const busy = s.backgroundCpu > BACKGROUND_LIMIT ? ' (!)' : ''
      rows.push([
        which === 'bare' ? r.label : '',
        which === 'bare' ? 'bare fastify' : 'aurion-mock',
        fixed(s.rps, 0),
        fixed(s.p50, 2),
        fixed(s.p99, 2),
        megabytes(s.peakRss),
        percent(s.serverCpu),
        `${percent(s.loaderCpu)}${s.loaderCpu > LOADER_LIMIT ? ' (!)' : ''}`,
        `${percent(s.backgroundCpu)}${busy}`,
        `${describeStatuses(s.statuses)}${s.errors > 0 ? `, ${s.errors} errors` : ''}${flag}`,
        which === 'bare' ? '1.00' : `**${fixed(r.ratio, 2)}**`
      ])
    }
  }
  return rows
}

function printTargets (results, cold, flat, connections, quick) {
  const byId = Object.fromEntries(results.map((r) => [r.id, r]))
  const rows = []
  const check = (ok, ...from) => {
    const status = ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met'
    const shared = from.some((r) => r !== undefined && Math.max(r.bare.backgroundCpu, r.mock.backgroundCpu) > BACKGROUND_LIMIT)
    return shared && ok !== undefined ? `${status} (machine shared: unreliable)` : status
  }
  const twenty = byId['get-20-rules']
  const thousand = byId['get-1000-rules']
  rows.push([`GET + auth + 20 rules + journal >= ${TARGETS.ratio}x bare (stretch ${TARGETS.ratioStretch}x)`, twenty ? `${fixed(twenty.ratio, 2)}x` : '-', check(twenty && twenty.ratio >= TARGETS.ratio, twenty)])
  rows.push([`p99 <= ${TARGETS.p99Ms} ms at ${connections} connections (20-rule case)`, twenty ? `${fixed(twenty.mock.p99, 2)} ms` : '-', check(twenty && twenty.mock.p99 <= TARGETS.p99Ms, twenty)])
  const scaling = twenty && thousand ? thousand.ratio / twenty.ratio : undefined
  rows.push([`1,000 rules >= ${TARGETS.ruleScaling}x the 20-rule figure (ratio of the x-bare figures)`, scaling === undefined ? '-' : `${fixed(scaling, 2)}x`, check(scaling === undefined ? undefined : scaling >= TARGETS.ruleScaling, twenty, thousand)])
  const coldMedian = cold ? median(cold.mock.pinned.map((r) => r.ms)) : undefined
  const coldFree = cold ? median(cold.mock.free.map((r) => r.ms)) : undefined
  rows.push([`cold start from dist/ <= ${TARGETS.coldStartMs} ms (median; status from the pinned figure)`, coldMedian === undefined ? '-' : `${fixed(coldMedian, 0)} ms pinned, ${fixed(coldFree, 0)} ms not pinned`, check(coldMedian === undefined ? undefined : coldMedian <= TARGETS.coldStartMs)])
  // Creates keep every ticket (a stateful mock), so the POST case is shown apart from the reads.
  for (const [label, pick] of [['GET cases', (r) => r.request.method === 'GET'], ['POST case: every ticket created is kept', (r) => r.request.method !== 'GET']]) {
    const chosen = results.filter(pick)
    const sources = [...chosen.map((r) => [r.id, r.mock.peakRss]), ...(label === 'GET cases' && flat ? [['flatness', flat.peakRss]] : [])].filter(([, v]) => Number.isFinite(v))
    if (sources.length === 0) continue
    const [worstId, worst] = sources.reduce((a, b) => (b[1] > a[1] ? b : a))
    rows.push([`peak RSS under load <= ${TARGETS.peakRssMb} MB (VmHWM; ${label})`, `${megabytes(worst)} MB (${worstId})`, check(worst <= TARGETS.peakRssMb * 1024 * 1024)])
  }
  const redis = byId['get-20-rules-redis']
  if (redis !== undefined) {
    const perRequest = redis.redisCommands?.perRequest
    rows.push([`Redis store: GET + auth + 20 rules + journal >= ${TARGETS.redisRatio}x bare (issue 14)`, `${fixed(redis.ratio, 2)}x`, check(redis.ratio >= TARGETS.redisRatio)])
    rows.push([`Redis store: p99 <= ${TARGETS.redisP99Ms} ms at ${connections} connections`, `${fixed(redis.mock.p99, 2)} ms`, check(redis.mock.p99 <= TARGETS.redisP99Ms)])
    rows.push([`Redis store: commands sent to Redis per request (MONITOR; scripts count once; ${TARGETS.redisRoundTrips} round trips wanted)`,
      perRequest === undefined ? '-' : `${fixed(perRequest, 2)} (${Object.entries(redis.redisCommands.byCommand).map(([k, v]) => `${k} ${fixed(v, 2)}`).join(', ')})`, 'see bench/RESULTS.md'])
  }
  rows.push([`RSS flat (+-${TARGETS.rssDrift * 100}%) after ${flat ? flat.warmupRequests.toLocaleString('en') : '1M'} requests, over ${flat ? flat.measuredRequests.toLocaleString('en') : '1M'} more (lowest VmRSS, last third vs first)`, flat ? `${flat.drift >= 0 ? '+' : ''}${fixed(flat.drift * 100, 1)}%` : '-', check(flat ? Math.abs(flat.drift) <= TARGETS.rssDrift : undefined)])
  log('## Targets (issue 6)')
  log()
  if (quick) log('--quick: short rounds after a short warm-up, so ratios and p99 are rough; judge the targets on a full run.\n')
  log(markdownTable(['target', 'measured', 'status'], rows))
  log()
}

async function main () {
  let options
  try {
    options = parseOptions(process.argv.slice(2))
  } catch (err) {
    process.stderr.write(`bench: ${err.message}\n\n${HELP}\n`)
    process.exitCode = 2
    return
  }
  if (options.help) { log(HELP); return }
  if (!existsSync(mockBin)) {
    process.stderr.write(`bench: ${mockBin} not found: run npm run build first\n`)
    process.exitCode = 2
    return
  }
  installCleanup()
  mockBin = snapshotDist()
  pinSelf(LOAD_CORE)
  options.ticks = ticksPerSecond()
  if (options.profileDir !== undefined) mkdirSync(options.profileDir, { recursive: true })
  const dir = mkdtempSync(join(tmpdir(), 'aurion-bench-'))
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  const began = Date.now()

  const machine = describeMachine()
  const bodies = await captureMockBodies(dir)
  printHeader(machine, options, bodies)

  let cold
  if (options.coldStarts > 0) {
    progress('cold starts...')
    cold = await measureColdStarts(bodies, options)
  }
  const results = []
  for (const testCase of options.cases) {
    progress(`case ${testCase.id}...`)
    results.push(await runCase(testCase, options, dir, bodies))
  }
  let flat
  if (options.flat.flatRequests > 0) {
    progress('rss flatness...')
    flat = await checkRssFlatness(options, dir)
  }

  log('## Throughput')
  log()
  log(markdownTable(
    ['case', 'server', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'server CPU', 'loader CPU', 'other CPU', 'answers', 'x bare'],
    caseRows(results), [2, 3, 4, 5, 6, 7, 8, 10]
  ))
  log()
  log(`Per-round ratios: ${results.map((r) => `${r.id} ${r.ratios.map((x) => x.toFixed(2)).join('/')}${r.redone > 0 ? ` (${r.redone} redone)` : ''}`).join('; ')}`)
  log('server CPU: share of its core the server used while measured (near 100% = the server is the bottleneck);')
  log(`loader CPU: same for autocannon; (!) above ${percent(LOADER_LIMIT)}: the loader is near its limit too, so that req/s is a floor (for bare Fastify: the ratio a ceiling);`)
  log(`other CPU: the worst round's CPU used by anything else on the machine (other processes, hypervisor steal), in cores; (!) above ${percent(BACKGROUND_LIMIT)}: those rounds shared the machine.`)
  if (options.quiet !== undefined) log(`Waited ${(options.quiet.spentMs / 1000).toFixed(0)} s in all for a quiet machine${options.quiet.gaveUp > 0 ? `; ${options.quiet.gaveUp} measured run(s) started anyway after waiting` : ''}.`)
  log()
  if (cold) {
    log(`## Cold start (spawn to first 200 on /__mock/health, median of ${cold.mock.pinned.length})`)
    log()
    const coldRow = (name, runs) => [
      name,
      fixed(median(runs.pinned.map((r) => r.ms)), 0),
      fixed(median(runs.free.map((r) => r.ms)), 0),
      megabytes(median(runs.pinned.map((r) => r.rss))),
      `${runs.pinned.map((r) => r.ms.toFixed(0)).join(', ')} / ${runs.free.map((r) => r.ms.toFixed(0)).join(', ')}`
    ]
    log(markdownTable(['server', `pinned (core ${SERVER_CORE}) ms`, 'not pinned ms', 'RSS then MB', 'runs ms (pinned / not)'], [
      coldRow('bare fastify', cold.bare),
      coldRow('aurion-mock', cold.mock)
    ], [1, 2, 3]))
    log()
  }
  log('## RSS flatness (20-rule scenario, journal on)')
  log()
  if (flat) {
    log(`After ${flat.warmupRequests.toLocaleString('en')} warm-up requests, ${flat.measuredRequests.toLocaleString('en')} more in chunks; lowest VmRSS (after collections): first third ${megabytes(flat.firstLow)} MB, ` +
      `last third ${megabytes(flat.lastLow)} MB (${flat.drift >= 0 ? '+' : ''}${(flat.drift * 100).toFixed(1)}%); range over all chunks ${megabytes(flat.lowest)}-${megabytes(flat.highest)} MB; VmHWM ${megabytes(flat.peakRss)} MB.`)
    log(`Chunks (requests: low-high MB): ${flat.chunks.map((c) => `${Math.round(c.requests / 1000)}k: ${megabytes(c.min)}-${megabytes(c.max)}`).join(', ')}`)
  } else {
    log('skipped (--quick); the full run checks 300k requests, --soak 1M.')
  }
  log()
  printTargets(results, cold, flat, options.connections, options.quick)
  log(`Run time: ${((Date.now() - began) / 1000).toFixed(0)} s.`)
  if (options.jsonFile !== undefined) writeFileSync(options.jsonFile, JSON.stringify({ machine, options: { ...options, cases: options.cases.map((c) => c.id) }, bodies, cold, results, flat }, null, 2))
}

await main()
