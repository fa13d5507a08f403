// One autocannon run in its own process (pinned by the caller), its summary as JSON on stdout.
// Usage: node bench/load.mjs '<json>' — see LoadOptions in run.mjs for the fields.

import autocannon from 'autocannon'
import { cpuSecondsOf, machineCpuSeconds } from './lib/proc.mjs'

/** Latency buckets of 10 µs up to 200 ms: autocannon's own histogram rounds to whole milliseconds. */
const BUCKET_MS = 0.01
const BUCKETS = 20_000

const options = JSON.parse(process.argv[2] ?? '{}')

function percentile (histogram, total, p) {
  if (total === 0) return NaN
  const rank = Math.ceil(total * p)
  let seen = 0
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]
    if (seen >= rank) return (i + 1) * BUCKET_MS
  }
  return NaN
}

/**
 * With `uniqueIdempotencyKey` (a prefix), every request gets a fresh Idempotency-Key; with
 * `rotateSessionEvery` too, a new X-Mock-Session every that many requests, the way test runs
 * come and go (one session would fill up: the mock caps records per session).
 */
function requestsFor (o) {
  if (o.uniqueIdempotencyKey === undefined) return undefined
  let n = 0
  const prefix = o.uniqueIdempotencyKey
  const every = o.rotateSessionEvery
  return [{
    setupRequest (request) {
      n++
      request.headers['idempotency-key'] = `${prefix}${n}`
      if (every !== undefined) request.headers['x-mock-session'] = `${prefix}s${Math.floor(n / every)}`
      return request
    }
  }]
}

const histogram = new Uint32Array(BUCKETS)
let recorded = 0
const requests = requestsFor(options)
const cannonOptions = {
  url: options.url,
  connections: options.connections ?? 50,
  pipelining: 1,
  // autocannon stops at the first sample tick after `duration`; a short tick makes it stop on time.
  sampleInt: 100,
  method: options.method ?? 'GET',
  headers: options.headers ?? {},
  ...(options.body !== undefined ? { body: options.body } : {}),
  ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 10 }),
  ...(requests !== undefined ? { requests } : {}),
  ...(options.overallRate !== undefined ? { overallRate: options.overallRate } : {})
}

const ticks = options.ticksPerSecond ?? 100
const serverCpuBefore = options.serverPid === undefined ? NaN : cpuSecondsOf(options.serverPid, ticks)
const machineBefore = machineCpuSeconds(ticks)
const ownCpuBefore = process.cpuUsage()
const started = process.hrtime.bigint()
// With `slotMs`, `startAt` (epoch ms) and `slots`: completions, server CPU and the host's steal in each
// of `slots` consecutive slots from startAt, so a caller that alternates what it does by slot
// (bench/webhooks.mjs) can compare neighbouring seconds of one run, which the host's noise moves alike.
const slots = []
let slotTimer
if (options.slotMs !== undefined) {
  const snapshot = () => ({ at: Date.now(), recorded, server: cpuSecondsOf(options.serverPid, ticks), steal: machineCpuSeconds(ticks).steal })
  let last
  const tick = () => {
    const now = snapshot()
    const seconds = (now.at - last.at) / 1000
    slots.push({ seconds, rps: (now.recorded - last.recorded) / seconds, serverCpu: (now.server - last.server) / seconds, stealCpu: (now.steal - last.steal) / seconds })
    last = now
    if (slots.length < options.slots) slotTimer = setTimeout(tick, options.startAt + (slots.length + 1) * options.slotMs - Date.now())
  }
  slotTimer = setTimeout(() => {
    last = snapshot()
    slotTimer = setTimeout(tick, options.startAt + options.slotMs - Date.now())
  }, options.startAt - Date.now())
}

const instance = autocannon(cannonOptions, (err, result) => {
  clearTimeout(slotTimer)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (err) {
    process.stdout.write(JSON.stringify({ error: String(err?.message ?? err) }))
    process.exitCode = 1
    return
  }
  const ownCpu = process.cpuUsage(ownCpuBefore)
  const machine = machineCpuSeconds(ticks)
  const serverCpu = (cpuSecondsOf(options.serverPid, ticks) - serverCpuBefore) / seconds
  const loaderCpu = (ownCpu.user + ownCpu.system) / 1e6 / seconds
  const statuses = {}
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = count
  const completed = recorded
  process.stdout.write(JSON.stringify({
    seconds,
    completed,
    rps: completed / seconds,
    p50: percentile(histogram, recorded, 0.5),
    p99: percentile(histogram, recorded, 0.99),
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    serverCpu,
    loaderCpu,
    // Cores' worth of CPU used by anything else meanwhile: other processes, or steal by the host.
    backgroundCpu: (machine.busy - machineBefore.busy) / seconds - serverCpu - loaderCpu,
    stealCpu: (machine.steal - machineBefore.steal) / seconds,
    ...(options.slotMs !== undefined ? { slots } : {})
  }))
})
instance.on('response', (_client, _status, _bytes, responseTime) => {
  const i = Math.floor(responseTime / BUCKET_MS)
  histogram[i < BUCKETS ? i : BUCKETS - 1]++
  recorded++
})
