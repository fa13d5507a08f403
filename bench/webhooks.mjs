// `node bench/webhooks.mjs`: API throughput with webhook deliveries flowing, against without. Modes:
//   --mode paired (default)  GETs at full load while events happen at a steady rate beside them
//        (--events-per-second, POST /__mock/events from this process), one mock and one load run
//        per round, in slots of --slot-ms (1 s) in blocks of four: with, without, without, with
//        (the other way round in even rounds). "With" slots send call.completed events, which a
//        webhook takes (each signed and delivered to a receiver here); "without" slots send
//        call.started events (the same admin call and event, no webhook for it) while this process
//        sends the receiver as many requests itself. A round's ratio is the median of its blocks'
//        ratios: neighbouring seconds share the host's noise (this host steals 5-50 % of a core under
//        load) and any drift of the process, which phases of several seconds did not (their ratios
//        moved 0.7-1.1 with nothing changed). Target (issue 15): GET throughput within 5%.
//   --mode background  the same in four phases of --duration seconds per round, rounds with host
//        steal above 2 % of a core left out and replaced: what sessions 7 and 8 measured.
//   --mode every-request  each POST /tickets is a ticket.created event delivered to the receiver
//        (against a mock without a webhook): one outgoing request per incoming one, on the same
//        core: what a delivery costs.
// Phases and slots in one process, because a Node process can be lastingly faster or slower than
// the next by luck (bench/RESULTS.md): across two processes that luck outweighs what is measured.
// Needs npm run build. Servers are pinned to the server core, this process and the load to the other.
// --profile DIR: servers run under node --cpu-prof (DIR/<name>-<round>.cpuprofile); --get-rate N:
// GETs at N req/s instead of flat out (then compare server CPU, not req/s).
// --server bare: the floor. Bare Fastify (bench/bare-server.mjs --webhooks) doing the least a
// delivery can be, the event signed and POSTed on keep-alive connections with undici's dispatch
// (as the mock), no queue, journal, retries or timeout, in the same phases: what any delivery costs
// this machine's core. Bare Fastify is fast enough that the loader, not the server, can be the
// limit flat out: compare its CPU per delivery with --get-rate, or slow its GETs to the mock's
// speed with --spin-us N (each GET busy N µs more). --bare-sender raw: the floor writes the
// request's bytes to a kept-open socket and drops the answer unparsed, below any HTTP client.
// Each round also gives the server CPU one delivery cost: the CPU of the phases (slots) with
// deliveries less the GETs' share at the CPU per GET measured without, over the deliveries the
// receiver got. --steal-limit C (paired): leave out blocks with a slot where the host took more
// than C cores. --a-a (paired): no slot delivers, an A/A run: the spread the method reads by itself.

import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, createServer, request } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { captureBodies } from './lib/bodies.mjs'
import { API_KEY, CREATE_BODY, CREATE_PATH, TICKET_PATH } from './lib/cases.mjs'
import { LOAD_CORE, httpRequest, installCleanup, pinSelf, runLoad, startServer, stopServer } from './lib/children.mjs'
import { median } from './lib/stats.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const MOCK_BIN = join(ROOT, 'dist/server/bin.js')
const LOAD_BIN = join(ROOT, 'bench/load.mjs')
const TARGET = 0.95
/** Steal above this (cores, in any phase of a round) leaves the round out. */
const STEAL_LIMIT = 0.02

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' }, duration: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '50' }, mode: { type: 'string', default: 'paired' }, 'events-per-second': { type: 'string', default: '200' },
    slots: { type: 'string', default: '60' }, 'slot-ms': { type: 'string', default: '1000' }, 'steal-limit': { type: 'string' }, 'a-a': { type: 'boolean', default: false }, 'bare-sender': { type: 'string', default: 'undici' },
    profile: { type: 'string' }, 'get-rate': { type: 'string' }, server: { type: 'string', default: 'mock' }, 'spin-us': { type: 'string', default: '0' }
  }
})
const bare = values.server === 'bare'
if (!bare && values.server !== 'mock') throw new Error('--server is mock or bare')
const mode = values.mode
if (!['paired', 'background', 'every-request'].includes(mode)) throw new Error('--mode is paired, background or every-request')
if (bare && mode === 'every-request') throw new Error('--server bare takes --mode paired or background')
/** Paired rounds leave out no block unless told: steal under load is the norm on this host, and it falls on neighbouring slots alike. */
const pairedStealLimit = values['steal-limit'] === undefined ? Infinity : Number(values['steal-limit'])
const slotCount = Number(values.slots)
const slotMs = Number(values['slot-ms'])
if (!(slotCount >= 4 && slotCount % 4 === 0)) throw new Error('--slots is a multiple of 4 (blocks of with, without, without, with)')
const eventsPerSecond = Number(values['events-per-second'])
const rounds = Number(values.rounds)
const duration = Number(values.duration)
const warmup = Number(values.warmup)
const connections = Number(values.connections)

/** A receiver that answers every delivery 204, counting them. */
async function startReceiver () {
  let received = 0
  const server = createServer((req, res) => {
    req.resume()
    // The mock's deliveries are signed; the bench's stand-in requests (without phases) are not counted.
    req.on('end', () => { if (req.headers['x-aurion-signature'] !== undefined) received++; res.writeHead(204).end() })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}/hooks`, count: () => received, close: () => server.close() }
}

// Records are not capped in the way here: one session takes every create of a run. With --profile
// DIR, each server runs under node --cpu-prof and leaves DIR/<with|without>-<round>.cpuprofile.
const profileArgs = (name) => values.profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values.profile}`, `--cpu-prof-name=${name}.cpuprofile`]
const startMock = (name) => bare
  ? startServer({ name: 'bare', nodeArgs: [...profileArgs(name), join(ROOT, 'bench/bare-server.mjs'), '--port', '0', '--webhooks', '--get-body', bodies.get, '--spin-us', values['spin-us'], '--sender', values['bare-sender']] })
  : startServer({
    name: 'aurion-mock',
    nodeArgs: [...profileArgs(name), MOCK_BIN, '--port', '0', '--log-level', 'silent', '--rate-limit', '0', '--seed', '1', '--max-records', '10000000', '--max-total-records', '100000000'],
    readyLine: /^admin: /
  })

// Events and the receiver's stand-in traffic go on kept-alive connections: a new connection per
// request cost this process a fifth of the loader's core, which then could not keep the server busy.
const keepAlive = new Agent({ keepAlive: true, maxSockets: 8 })
function post (url, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: keepAlive, headers: { 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', resolve) })
    req.on('error', reject)
    req.end(body)
  })
}

async function subscribe (mock, url, events) {
  const res = await httpRequest(`${mock.url}/api/v1/webhooks`, {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ url, events, secret: 'whsec_bench' })
  })
  if (res.status !== 201) throw new Error(`webhook registration answered ${res.status}: ${res.body}`)
}

/**
 * Events at a steady rate (background mode), until stopped: call.completed, which the webhook
 * takes, or call.started, which it does not, while the receiver gets as many requests from this
 * process instead. The receiver's own work (in this process, on the loader's core) weighs on both
 * phases alike, so the difference is what delivering costs the mock.
 */
function eventSource (mock, receiverUrl, delivers) {
  const bodies = [false, true].map((d) => JSON.stringify({ type: d ? 'call.completed' : 'call.started', data: { id: 1, duration_seconds: 60 } }))
  const timer = setInterval(() => {
    const now = typeof delivers === 'function' ? delivers() : delivers
    void post(`${mock.url}/__mock/events`, bodies[Number(now)]).catch(() => {})
    if (!now) void post(receiverUrl, bodies[0]).catch(() => {})
  }, 1000 / eventsPerSecond)
  return () => { clearInterval(timer) }
}

async function load (mock, seconds, label, delivers) {
  if (mode !== 'every-request') {
    const stop = eventSource(mock, receiver.url, delivers)
    try {
      return await runLoad(LOAD_BIN, {
        url: `${mock.url}${TICKET_PATH}`, method: 'GET', connections, duration: seconds,
        headers: { 'x-api-key': API_KEY }, serverPid: mock.pid, ticksPerSecond: 100,
        ...(values['get-rate'] !== undefined ? { overallRate: Number(values['get-rate']) } : {})
      }, seconds * 1000 + 30_000)
    } finally {
      stop()
    }
  }
  return runLoad(LOAD_BIN, {
    url: `${mock.url}${CREATE_PATH}`, method: 'POST', body: CREATE_BODY, connections, duration: seconds,
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    uniqueIdempotencyKey: `bench-${label}-${Date.now()}-`, serverPid: mock.pid, ticksPerSecond: 100
  }, seconds * 1000 + 30_000)
}

const cpu = (r, field) => r[field].toFixed(2)

/** Server CPU (µs) per delivery: the CPU with deliveries less its GETs' share at the CPU per GET without, over deliveries a second. */
const serverMicrosPerDelivery = (result, deliveredPerSecond) =>
  (result.with.serverCpu - result.with.rps * (result.without.serverCpu / result.without.rps)) / deliveredPerSecond * 1e6

/** Four phases or slots, with and without deliveries: with first in odd rounds, without first in even ones. */
const blockOf = (round) => round % 2 === 1 ? [true, false, false, true] : [false, true, true, false]

/** A mock whose webhook takes call.completed, warmed up with and without deliveries. */
async function subscribedMock (round) {
  const mock = await startMock(`mock-${round}`)
  try {
    await subscribe(mock, receiver.url, ['call.completed'])
    if (warmup > 0) { await load(mock, warmup, 'w', true); await load(mock, warmup, 'n', false) }
    return mock
  } catch (err) {
    await stopServer(mock)
    throw err
  }
}

/** One mock, phases with and without deliveries alternating (the order alternates per round). */
async function backgroundRound (round) {
  const mock = await subscribedMock(round)
  try {
    const phases = blockOf(round)
    const sum = { with: { rps: 0, p99: 0, serverCpu: 0, loaderCpu: 0, backgroundCpu: 0 }, without: { rps: 0, p99: 0, serverCpu: 0, loaderCpu: 0, backgroundCpu: 0 } }
    let delivered = 0
    let steal = 0
    for (const delivers of phases) {
      const before = receiver.count()
      const r = await load(mock, duration, `r${round}`, delivers)
      steal = Math.max(steal, r.stealCpu)
      if (delivers) delivered += receiver.count() - before
      const side = sum[delivers ? 'with' : 'without']
      for (const k of Object.keys(side)) side[k] += r[k] / 2
    }
    record(round, sum, delivered / 2, steal)
  } finally {
    await stopServer(mock)
  }
}

/**
 * One mock, one load run of `--slots` slots: events that are delivered in some slots, not in the
 * others, in blocks of four (with, without, without, with; the other way round in even rounds),
 * so each block's with and without slots are neighbours that the host's noise and any drift of
 * the process move alike. With --steal-limit, blocks with a slot the host disturbed are left out, whole.
 */
async function pairedRound (round) {
  const mock = await subscribedMock(round)
  try {
    const pattern = blockOf(round)
    const startAt = Date.now() + 1000
    const slotOf = (at) => Math.floor((at - startAt) / slotMs)
    const deliversIn = (slot) => slot >= 0 && pattern[slot % 4]
    // Deliveries the receiver got in each slot (by the bench's clock, as the load counts its slots).
    const delivered = new Array(slotCount).fill(0)
    let seen = receiver.count()
    const counter = setInterval(() => {
      const now = receiver.count()
      const slot = slotOf(Date.now())
      if (slot >= 0 && slot < slotCount) delivered[slot] += now - seen
      seen = now
    }, 50)
    // --a-a: "with" slots deliver nothing either, so the round reads what the method sees when nothing differs.
    const stop = eventSource(mock, receiver.url, () => !values['a-a'] && deliversIn(slotOf(Date.now())))
    let r
    try {
      r = await runLoad(LOAD_BIN, {
        url: `${mock.url}${TICKET_PATH}`, method: 'GET', connections, duration: (startAt - Date.now() + slotCount * slotMs) / 1000 + 0.3,
        headers: { 'x-api-key': API_KEY }, serverPid: mock.pid, ticksPerSecond: 100, slotMs, startAt, slots: slotCount,
        ...(values['get-rate'] !== undefined ? { overallRate: Number(values['get-rate']) } : {})
      }, slotCount * slotMs + 60_000)
    } finally {
      stop()
      clearInterval(counter)
    }
    const slots = r.slots.map((s, i) => ({ ...s, delivers: deliversIn(i), delivered: delivered[i] }))
    const blocks = []
    for (let b = 0; b + 4 <= slots.length; b += 4) blocks.push(slots.slice(b, b + 4))
    const clean = blocks.filter((block) => block.every((s) => s.stealCpu <= pairedStealLimit))
    const side = (delivers) => {
      const picked = clean.flat().filter((s) => s.delivers === delivers)
      const mean = (k) => picked.reduce((sum, s) => sum + s[k], 0) / picked.length
      return { rps: mean('rps'), serverCpu: mean('serverCpu'), delivered: mean('delivered'), stealCpu: mean('stealCpu') }
    }
    const sum = { with: side(true), without: side(false) }
    const blockRatios = clean.map((block) => {
      const rps = (d) => block.filter((s) => s.delivers === d).reduce((t, s) => t + s.rps, 0)
      return rps(true) / rps(false)
    })
    recordPaired(round, sum, blockRatios, blocks.length)
  } finally {
    await stopServer(mock)
  }
}

/** Two mocks, one with a webhook taking ticket.created; the order alternates per round. */
async function everyRequestRound (round) {
  const [withHooks, without] = await Promise.all([startMock(`with-${round}`), startMock(`without-${round}`)])
  try {
    await subscribe(withHooks, receiver.url, ['ticket.created'])
    if (warmup > 0) { await load(withHooks, warmup, 'w', true); await load(without, warmup, 'n', false) }
    const order = round % 2 === 1 ? [['with', withHooks], ['without', without]] : [['without', without], ['with', withHooks]]
    const result = {}
    let delivered = 0
    let steal = 0
    for (const [name, mock] of order) {
      const before = receiver.count()
      result[name] = await load(mock, duration, `${name}${round}`, name === 'with')
      steal = Math.max(steal, result[name].stealCpu)
      if (name === 'with') delivered = receiver.count() - before
    }
    record(round, result, delivered, steal)
  } finally {
    await Promise.all([stopServer(withHooks), stopServer(without)])
  }
}

/**
 * `delivered`: deliveries the receiver got in one phase with them (duration seconds); `steal`: the
 * most CPU the host took from this machine in any of the round's phases, in cores. A round with
 * more than STEAL_LIMIT is reported and left out: the host's other guests, not the mock, moved it.
 */
function record (round, result, delivered, steal) {
  const ratio = result.with.rps / result.without.rps
  const clean = steal <= STEAL_LIMIT
  const perRequest = (r) => (r.serverCpu / r.rps * 1e6).toFixed(1)
  // The phase's server CPU less its GETs at the CPU per GET without deliveries, per delivery.
  const perDelivery = serverMicrosPerDelivery(result, delivered / duration)
  if (clean) {
    ratios.push(ratio)
    perDeliveries.push(perDelivery)
  }
  rows.push({ round, clean, steal, with: result.with.rps, without: result.without.rps, ratio, delivered, serverMicrosPerDelivery: perDelivery, p99: { with: result.with.p99, without: result.without.p99 }, serverMicrosPerRequest: { with: perRequest(result.with), without: perRequest(result.without) } })
  process.stderr.write(`  round ${round}${clean ? '' : ` (left out: the host took ${(steal * 100).toFixed(0)} % of a core)`}: with deliveries ${result.with.rps.toFixed(0)} req/s, without ${result.without.rps.toFixed(0)} req/s (${ratio.toFixed(3)}x), p99 ${result.with.p99.toFixed(1)} / ${result.without.p99.toFixed(1)} ms; ${delivered} deliveries received, ${perDelivery.toFixed(0)} µs of server CPU each; ` +
    `server ${cpu(result.with, 'serverCpu')} / ${cpu(result.without, 'serverCpu')} cores (${perRequest(result.with)} / ${perRequest(result.without)} µs per request), loader+bench ${cpu(result.with, 'loaderCpu')}+${cpu(result.with, 'backgroundCpu')} / ${cpu(result.without, 'loaderCpu')}+${cpu(result.without, 'backgroundCpu')}\n`)
}

/**
 * A paired round: the median of its blocks' ratios (a burst of the host's in one slot moves one
 * block, not the round), beside the ratio of the mean throughputs with and without deliveries; with
 * --steal-limit, left out when fewer than half its blocks stayed under it.
 */
function recordPaired (round, result, blockRatios, blocks) {
  const ratio = median(blockRatios)
  const clean = blockRatios.length > 0 && blockRatios.length >= blocks / 2
  const perDelivery = serverMicrosPerDelivery(result, result.with.delivered)
  if (clean) {
    ratios.push(ratio)
    perDeliveries.push(perDelivery)
  }
  rows.push({ round, clean, blocksKept: blockRatios.length, blocks, ratio, blockRatios, with: result.with, without: result.without, ratioOfMeans: result.with.rps / result.without.rps, serverMicrosPerDelivery: perDelivery })
  const kept = blockRatios.length === blocks ? `${blocks} blocks` : `${blockRatios.length} of ${blocks} blocks under the steal limit`
  process.stderr.write(`  round ${round}${clean ? '' : ' (left out: the host disturbed more than half its blocks)'}: ${kept}, median ratio ${ratio.toFixed(3)}x ` +
    `(means: with deliveries ${result.with.rps.toFixed(0)} req/s, without ${result.without.rps.toFixed(0)} req/s, ${(result.with.rps / result.without.rps).toFixed(3)}x); ` +
    `${result.with.delivered.toFixed(0)} deliveries/s received, ${perDelivery.toFixed(0)} µs of server CPU each; server ${cpu(result.with, 'serverCpu')} / ${cpu(result.without, 'serverCpu')} cores, host steal ${cpu(result.with, 'stealCpu')} / ${cpu(result.without, 'stealCpu')}\n`)
}

installCleanup()
// The receiver and the event source share the loader's core, away from the servers'.
pinSelf(LOAD_CORE)
const receiver = await startReceiver()
// The floor answers the GET with the mock's own bytes.
const dir = mkdtempSync(join(tmpdir(), 'aurion-webhooks-'))
let bodies
if (bare) {
  const probe = await startServer({ name: 'aurion-mock', nodeArgs: [MOCK_BIN, '--port', '0', '--log-level', 'silent'], readyLine: /^admin: / })
  try { bodies = await captureBodies(probe.url, dir) } finally { await stopServer(probe) }
}
const ratios = []
const perDeliveries = []
const rows = []
try {
  // Rounds the host disturbed are replaced, up to as many again.
  for (let round = 1; ratios.length < rounds && round <= 2 * rounds; round++) {
    if (mode === 'paired') await pairedRound(round)
    else if (mode === 'background') await backgroundRound(round)
    else await everyRequestRound(round)
  }
} finally {
  receiver.close()
  keepAlive.destroy()
  rmSync(dir, { recursive: true, force: true })
}
const ratio = median(ratios)
const perDelivery = median(perDeliveries)
const allRatios = rows.map((r) => r.ratio)
if (ratios.length === 0) console.error(`no round left undisturbed by the host; the median of all ${rows.length} rounds, for what it is worth: ${median(allRatios).toFixed(3)}x`)
const what = mode !== 'every-request'
  ? `${bare ? 'bare Fastify + the least delivery (the floor)' : 'aurion-mock'}: GET /tickets/1001 with ${eventsPerSecond} events/s ${values['a-a'] ? 'beside it, none delivered (A/A)' : 'delivered beside it'}`
  : 'POST /tickets with a webhook delivering every event'
console.log(JSON.stringify({ mode, server: values.server, eventsPerSecond: mode !== 'every-request' ? eventsPerSecond : undefined, slots: mode === 'paired' ? { count: slotCount, ms: slotMs } : undefined, getRate: values['get-rate'], rounds: rows, medianRatio: ratio, medianRatioOfAllRounds: median(allRatios), medianServerMicrosPerDelivery: perDelivery, target: TARGET, ok: ratio >= TARGET }, null, 2))
console.log(`${what}: ${ratio.toFixed(3)}x the throughput without (target >= ${TARGET}): ${ratio >= TARGET ? 'met' : 'NOT met'}; ${perDelivery.toFixed(0)} µs of server CPU per delivery`)
