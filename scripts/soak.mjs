#!/usr/bin/env node
// Soak test: starts the built server as a child on 127.0.0.1, sends a few minutes of mixed traffic
// across thousands of sessions (creates with Idempotency-Keys, lists, gets, 404s, 422s, scripted
// chance-based faults), samples the child's RSS from /proc and says whether it levelled off.
// Bounded in time and loopback only; it stops by itself and always kills the child.
//
//   npm run build && node scripts/soak.mjs                  # 3 minutes
//   node scripts/soak.mjs --seconds 60 --sessions 5000 --hot 5 --concurrency 32 --sample 5
//   node scripts/soak.mjs --server-arg=--max-records=10000   # server flags, repeatable; they win
//
// The server runs with its default limits except --max-records 1000 and --max-idempotency-keys
// 1000, so the hot sessions reach their per-session caps within the first minute and the run shows
// memory bounded by the caps, not merely not grown yet.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { procStatusBytes } from '../bench/lib/proc.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const BIN = join(ROOT, 'dist', 'server', 'bin.js')
const KEY = 'ak_live_mock_full_access_0001'
/**
 * Levelled off: the highest RSS of the last third of the run is within this fraction of the middle
 * third's. Peaks, not means: RSS saws up and down with garbage collection, and what must stop
 * growing is the ceiling.
 */
const LEVEL_TOLERANCE = 0.10
const REQUEST_TIMEOUT_MS = 10_000
const START_TIMEOUT_MS = 15_000
const STOP_GRACE_MS = 5_000
const DEFAULT_SERVER_ARGS = ['--max-records', '1000', '--max-idempotency-keys', '1000']

const SCENARIO = `version: 1
name: soak-chaos
description: Chance-based faults of every kind, for the soak test.
# Draws depend on (seed, rule, per-session count), so every new session meets the same first draws;
# with this seed its first requests pass, and the faults come as sessions age.
seed: 12
rules:
  - name: chaos-reset
    match: { path: /api/v1/** }
    chance: 0.01
    fault: reset
  - name: lost-create
    match: { method: POST, path: /api/v1/tickets }
    chance: 0.02
    commit: true
    status: 503
  - name: chaos-truncate
    match: { method: GET, path: /api/v1/** }
    chance: 0.02
    pass: true
    fault: { type: truncate, keep: 0.5 }
  - name: chaos-malformed
    match: { method: GET, path: /api/v1/** }
    chance: 0.02
    pass: true
    fault: malformed
  - name: chaos-drip
    match: { method: GET, path: /api/v1/kb/** }
    chance: 0.05
    pass: true
    fault: { type: drip, chunk: 256, every: 2ms }
  - name: chaos-429
    match: { path: /api/v1/** }
    chance: 0.03
    status: 429
  - name: chaos-422
    match: { method: POST, path: /api/v1/tickets }
    chance: 0.03
    status: 422
    details:
      - { field: subject, message: Scripted by the soak scenario }
  - name: chaos-5xx
    match: { path: /api/v1/** }
    chance: 0.04
    repeat: true
    sequence:
      - { status: 503 }
      - { status: 500 }
      - { status: 502 }
  - name: chaos-latency
    match: { path: /api/v1/** }
    chance: 0.05
    latency: { min: 5ms, max: 40ms }
`

function readOptions () {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '180' },
      sessions: { type: 'string', default: '5000' },
      hot: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '32' },
      sample: { type: 'string', default: '5' },
      'server-arg': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help === true) {
    process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 10).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n')
    process.exit(0)
  }
  const int = (name, min) => {
    const n = Number(values[name])
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${values[name]}`)
    return n
  }
  return {
    seconds: int('seconds', 10),
    sessions: int('sessions', 1),
    hot: int('hot', 0),
    concurrency: int('concurrency', 1),
    sampleSeconds: int('sample', 1),
    serverArgs: values['server-arg']
  }
}

/** A small seeded PRNG (mulberry32): the same traffic mix every run. */
function prng (seed) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296
  }
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1)

/** Spawns the server and resolves with its URL once the banner says it listens. */
function startServer (scenarioFile, extraArgs) {
  const args = [BIN, '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', '--rate-limit', '0', '--scenario', 'default', '--scenario', scenarioFile, ...DEFAULT_SERVER_ARGS, ...extraArgs]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line after ${START_TIMEOUT_MS} ms\n${out}${err}`)), START_TIMEOUT_MS)
    child.stdout.on('data', (d) => {
      out += d
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]
      if (url !== undefined) {
        clearTimeout(timer)
        resolve(url)
      }
    })
    child.stderr.on('data', (d) => { err += d })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`server exited early (${code ?? signal})\n${out}${err}`))
    })
  })
  return { child, ready, stderr: () => err, args: args.slice(1) }
}

/** Stops the child: SIGTERM, then SIGKILL after a grace period. */
async function stopServer (child) {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode }
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
  const result = await exited
  clearTimeout(timer)
  return result
}

/** One HTTP exchange; transport failures are data (the scenario resets and truncates on purpose). */
function send (agent, base, method, path, { session, body, headers = {}, scenario }) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = request(`${base}${path}`, {
      method,
      agent,
      headers: {
        'x-api-key': KEY,
        'x-mock-session': session,
        ...(scenario !== undefined ? { 'x-mock-scenario': scenario } : {}),
        ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        ...headers
      },
      timeout: REQUEST_TIMEOUT_MS
    }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        let json
        try { json = JSON.parse(Buffer.concat(chunks).toString()) } catch {}
        resolve({ status: res.statusCode, json })
      })
      res.on('error', () => resolve({ status: res.statusCode, error: 'body' }))
      res.on('aborted', () => resolve({ status: res.statusCode, error: 'body' }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (e) => resolve({ error: e.code ?? e.message }))
    if (payload !== undefined) req.write(payload)
    req.end()
  }).catch((err) => {
    // A request that cannot even be built is a bug of this script: stop loudly.
    throw new Error(`${method} ${path}: ${err.message}`)
  })
}

async function main () {
  const options = readOptions()
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first`)
  const dir = mkdtempSync(join(tmpdir(), 'aurion-soak-'))
  const scenarioFile = join(dir, 'soak-chaos.yaml')
  writeFileSync(scenarioFile, SCENARIO)
  const server = startServer(scenarioFile, options.serverArgs)
  const cleanup = () => {
    try { server.child.kill('SIGKILL') } catch {}
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', cleanup)
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      cleanup()
      process.stderr.write(`soak: ${signal}, server killed\n`)
      process.exit(130)
    })
  }
  // Whatever happens, nothing outlives the time asked for by much.
  const hardStop = setTimeout(() => {
    process.stderr.write('soak: hard time limit reached\n')
    cleanup()
    process.exit(1)
  }, (options.seconds + 60) * 1000)
  hardStop.unref()

  const base = await server.ready
  const pid = server.child.pid
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency })
  const rand = prng(42)
  const pick = (n) => Math.floor(rand() * n)

  // State the traffic builds on: per session, the ids it created and the keys it used.
  const created = new Map()
  const keys = new Map()
  let keySeq = 0
  const stats = { requests: 0, transport: 0, statuses: new Map(), replayed: 0 }
  const count = (r) => {
    stats.requests++
    if (r.error !== undefined) stats.transport++
    if (r.status !== undefined) stats.statuses.set(r.status, (stats.statuses.get(r.status) ?? 0) + 1)
  }

  function sessionFor () {
    // A fifth of the traffic goes to a few hot sessions (journals, idempotency stores and created
    // records grow there), the rest is spread over thousands (the LRU of sessions churns).
    if (options.hot > 0 && rand() < 0.2) return `hot-${pick(options.hot)}`
    return `s-${pick(options.sessions)}`
  }

  async function oneRequest () {
    const session = sessionFor()
    const scenario = rand() < 0.4 ? 'soak-chaos' : undefined
    const ctx = { session, scenario }
    const roll = rand()
    const mine = created.get(session) ?? []
    if (roll < 0.22) {
      // Create with an Idempotency-Key; sometimes retry an earlier key (a replay, or a 409).
      const used = keys.get(session) ?? []
      const reuse = used.length > 0 && rand() < 0.15
      const key = reuse ? used[pick(used.length)] : `soak-${++keySeq}`
      const body = { subject: `Soak ticket ${reuse ? key : keySeq}`, description: 'Created by scripts/soak.mjs', priority: ['low', 'medium', 'high'][pick(3)] }
      const r = await send(agent, base, 'POST', '/api/v1/tickets', { ...ctx, body, headers: { 'idempotency-key': key } })
      if (!reuse) {
        used.push(key)
        if (used.length > 50) used.shift()
        keys.set(session, used)
      }
      if (r.status === 201 && typeof r.json?.id === 'number') {
        mine.push(r.json.id)
        if (mine.length > 50) mine.shift()
        created.set(session, mine)
      }
      return r
    }
    if (roll < 0.40) {
      const q = [`limit=${1 + pick(100)}`, `offset=${pick(80)}`, ...(rand() < 0.3 ? ['status=open'] : []), ...(rand() < 0.2 ? ['search=soak'] : [])]
      return send(agent, base, 'GET', `/api/v1/tickets?${q.join('&')}`, ctx)
    }
    if (roll < 0.55) {
      const id = mine.length > 0 && rand() < 0.5 ? mine[pick(mine.length)] : 1001 + pick(60)
      return send(agent, base, 'GET', `/api/v1/tickets/${id}`, ctx)
    }
    if (roll < 0.60) return send(agent, base, 'GET', `/api/v1/tickets/${900_000 + pick(1000)}`, ctx)
    if (roll < 0.65) return send(agent, base, 'POST', '/api/v1/tickets', { ...ctx, body: { subject: '', priority: 'critical' } })
    if (roll < 0.70) {
      const id = mine.length > 0 ? mine[pick(mine.length)] : 1001 + pick(60)
      return send(agent, base, 'PUT', `/api/v1/tickets/${id}`, { ...ctx, body: { status: ['open', 'pending', 'resolved'][pick(3)] } })
    }
    if (roll < 0.74) return send(agent, base, 'POST', `/api/v1/tickets/${1001 + pick(60)}/notes`, { ...ctx, body: { body: 'A note from the soak', private: rand() < 0.5 } })
    if (roll < 0.84) return send(agent, base, 'GET', rand() < 0.5 ? `/api/v1/kb/articles?limit=${1 + pick(20)}` : `/api/v1/kb/articles/${101 + pick(20)}`, ctx)
    if (roll < 0.89) return send(agent, base, 'GET', rand() < 0.5 ? '/api/v1/users?limit=10' : `/api/v1/users/${1 + pick(25)}`, ctx)
    if (roll < 0.93) return send(agent, base, 'GET', `/api/v1/calls?limit=${1 + pick(20)}&sort_by=duration_seconds`, ctx)
    if (roll < 0.96) return send(agent, base, 'POST', '/api/v1/webhooks', { ...ctx, body: { url: `https://example.com/hook/${pick(1_000_000)}`, events: ['ticket.created'] } })
    if (roll < 0.98) return send(agent, base, 'GET', '/api/v1/usage/summary', ctx)
    return send(agent, base, 'GET', `/__mock/journal?session=${session}&limit=20`, { session })
  }

  const started = Date.now()
  const deadline = started + options.seconds * 1000
  const samples = []
  const sample = () => {
    const t = (Date.now() - started) / 1000
    const rss = procStatusBytes(pid, 'VmRSS')
    const previous = samples.at(-1)
    const rate = previous === undefined ? stats.requests / Math.max(t, 0.001) : (stats.requests - previous.requests) / Math.max(t - previous.t, 0.001)
    samples.push({ t, requests: stats.requests, rss })
    process.stdout.write(`${t.toFixed(0).padStart(6)}  ${String(stats.requests).padStart(10)}  ${rate.toFixed(0).padStart(7)}  ${mb(rss).padStart(8)}\n`)
  }
  process.stdout.write(`soak: ${options.seconds} s against ${base} (pid ${pid}), ${options.sessions} sessions + ${options.hot} hot, concurrency ${options.concurrency}\n`)
  process.stdout.write(`server: node ${server.args.map((a) => (a === scenarioFile ? 'soak-chaos.yaml' : a)).join(' ')}\n`)
  process.stdout.write(`${'time s'.padStart(6)}  ${'requests'.padStart(10)}  ${'req/s'.padStart(7)}  ${'RSS MB'.padStart(8)}\n`)
  sample()
  const sampler = setInterval(sample, options.sampleSeconds * 1000)

  const workers = Array.from({ length: options.concurrency }, async () => {
    while (Date.now() < deadline) count(await oneRequest())
  })
  await Promise.all(workers)
  clearInterval(sampler)
  sample()

  const health = await send(agent, base, 'GET', '/__mock/health', { session: 'soak-health' })
  const peak = procStatusBytes(pid, 'VmHWM')
  agent.destroy()
  const exit = await stopServer(server.child)

  // Verdict: the peak RSS of the last third against the middle third's.
  const span = samples.at(-1).t
  const mean = (list) => list.reduce((sum, x) => sum + x.rss, 0) / Math.max(1, list.length)
  const peakOf = (list) => Math.max(...list.map((x) => x.rss))
  const middle = samples.filter((x) => x.t >= span / 3 && x.t < (2 * span) / 3)
  const last = samples.filter((x) => x.t >= (2 * span) / 3)
  const growth = (peakOf(last) - peakOf(middle)) / peakOf(middle)
  const levelled = Number.isFinite(growth) && growth <= LEVEL_TOLERANCE
  const elapsed = (Date.now() - started) / 1000
  const statuses = [...stats.statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' ')
  process.stdout.write([
    '',
    `requests: ${stats.requests} in ${elapsed.toFixed(0)} s (${(stats.requests / elapsed).toFixed(0)}/s); transport faults (resets, cut bodies): ${stats.transport}`,
    `statuses: ${statuses}`,
    `health after the soak: ${health.status ?? health.error}; server exit after SIGTERM: ${exit.code ?? exit.signal}`,
    `RSS MB: at start ${mb(samples[0].rss)}; middle third mean ${mb(mean(middle))}, peak ${mb(peakOf(middle))}; last third mean ${mb(mean(last))}, peak ${mb(peakOf(last))}; VmHWM ${mb(peak)}`,
    `verdict: ${levelled ? 'RSS levelled off' : 'RSS still growing'} (last-third peak ${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} % vs middle-third peak; tolerance +${LEVEL_TOLERANCE * 100} %)`,
    ''
  ].join('\n'))
  if (server.stderr().trim() !== '') process.stdout.write(`server stderr:\n${server.stderr().trim().split('\n').slice(-10).join('\n')}\n`)
  process.exitCode = levelled && health.status === 200 ? 0 : 1
}

main().catch((err) => {
  process.stderr.write(`soak: ${err.stack ?? err}\n`)
  // The exit handler kills the server.
  process.exit(1)
})
