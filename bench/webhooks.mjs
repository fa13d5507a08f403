// `node bench/webhooks.mjs`: API throughput with webhook deliveries flowing, against the same mock
// without a webhook. Each POST /tickets is a ticket.created event; with a webhook registered, each
// is also signed and delivered to a receiver in this process. Target: within 5% (issue 15).
// Needs npm run build. Rounds alternate the two servers, each pinned to the server core.

import { createServer } from 'node:http'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { API_KEY, CREATE_BODY, CREATE_PATH } from './lib/cases.mjs'
import { httpRequest, installCleanup, runLoad, startServer, stopServer } from './lib/children.mjs'
import { median } from './lib/stats.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const MOCK_BIN = join(ROOT, 'dist/server/bin.js')
const LOAD_BIN = join(ROOT, 'bench/load.mjs')
const TARGET = 0.95

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, duration: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1' }, connections: { type: 'string', default: '50' } } })
const rounds = Number(values.rounds)
const duration = Number(values.duration)
const warmup = Number(values.warmup)
const connections = Number(values.connections)

/** A receiver that answers every delivery 204, counting them. */
async function startReceiver () {
  let received = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => { received++; res.writeHead(204).end() })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}/hooks`, count: () => received, close: () => server.close() }
}

// Records are not capped in the way here: one session takes every create of a run.
const startMock = () => startServer({
  name: 'aurion-mock',
  nodeArgs: [MOCK_BIN, '--port', '0', '--log-level', 'silent', '--rate-limit', '0', '--seed', '1', '--max-records', '10000000', '--max-total-records', '100000000'],
  readyLine: /^admin: /
})

async function subscribe (mock, url) {
  const res = await httpRequest(`${mock.url}/api/v1/webhooks`, {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ url, events: ['ticket.created'], secret: 'whsec_bench' })
  })
  if (res.status !== 201) throw new Error(`webhook registration answered ${res.status}: ${res.body}`)
}

async function load (mock, seconds, label) {
  return runLoad(LOAD_BIN, {
    url: `${mock.url}${CREATE_PATH}`, method: 'POST', body: CREATE_BODY, connections, duration: seconds,
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    uniqueIdempotencyKey: `bench-${label}-${Date.now()}-`, serverPid: mock.pid, ticksPerSecond: 100
  }, seconds * 1000 + 30_000)
}

async function deliveryCounts (mock) {
  const res = await httpRequest(`${mock.url}/__mock/report`)
  return JSON.parse(String(res.body)).receiver ?? { attempts: 0 }
}

installCleanup()
const receiver = await startReceiver()
const ratios = []
const rows = []
try {
  for (let round = 1; round <= rounds; round++) {
    const [withHooks, without] = await Promise.all([startMock(), startMock()])
    try {
      await subscribe(withHooks, receiver.url)
      if (warmup > 0) { await load(withHooks, warmup, 'w'); await load(without, warmup, 'n') }
      const before = receiver.count()
      // Alternate which goes first, so drift in the machine does not favour one side.
      const order = round % 2 === 1 ? [['with', withHooks], ['without', without]] : [['without', without], ['with', withHooks]]
      const result = {}
      for (const [name, mock] of order) result[name] = await load(mock, duration, `${name}${round}`)
      const delivered = receiver.count() - before
      const ratio = result.with.rps / result.without.rps
      ratios.push(ratio)
      rows.push({ round, with: result.with.rps, without: result.without.rps, ratio, delivered, journaled: (await deliveryCounts(withHooks)).attempts })
      process.stderr.write(`  round ${round}: with deliveries ${result.with.rps.toFixed(0)} req/s, without ${result.without.rps.toFixed(0)} req/s (${ratio.toFixed(3)}x); ${delivered} delivered during the run\n`)
    } finally {
      await Promise.all([stopServer(withHooks), stopServer(without)])
    }
  }
} finally {
  receiver.close()
}
const ratio = median(ratios)
console.log(JSON.stringify({ rounds: rows, medianRatio: ratio, target: TARGET, ok: ratio >= TARGET }, null, 2))
console.log(`POST /tickets with a webhook delivering every event: ${ratio.toFixed(3)}x the throughput without (target >= ${TARGET}): ${ratio >= TARGET ? 'met' : 'NOT met'}`)
