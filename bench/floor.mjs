// `node bench/floor.mjs`: what issue 12's throughput target rests on. Three servers answer the same
// GET /api/v1/tickets/1001 with the same bytes, loaded in turn (alternating order each round, fresh
// processes each round, pinned like npm run bench):
//   bare        bare Fastify (bench/bare-server.mjs)
//   bare+limit  the same with @fastify/rate-limit, its own store, a limit never reached
//   mock        aurion-mock with auth, the limiter, 20 rules that never fire, and the journal
// and prints each one's req/s and server CPU per request, and the ratios to bare Fastify. The
// ratio of bare+limit is the ceiling of any mock that uses the plugin the documented way.
// Options: --rounds N (5), --duration S (8), --warmup S (2). Needs npm run build.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { captureBodies } from './lib/bodies.mjs'
import { API_KEY, TICKET_PATH } from './lib/cases.mjs'
import { installCleanup, runLoad, startServer, stopServer } from './lib/children.mjs'
import { otherResourceRules, writeScenario } from './lib/scenarios.mjs'
import { median } from './lib/stats.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, duration: { type: 'string', default: '8' }, warmup: { type: 'string', default: '2' } } })
const rounds = Number(values.rounds)
const duration = Number(values.duration)
const warmup = Number(values.warmup)

installCleanup()
const dir = mkdtempSync(join(tmpdir(), 'aurion-floor-'))
const scenario = writeScenario(dir, 'twenty', otherResourceRules(20))
const mockArgs = [join(ROOT, 'dist/server/bin.js'), '--port', '0', '--log-level', 'silent', '--rate-limit', '100000000', '--seed', '1']

// The bytes the mock answers, for the bare servers to send.
const probe = await startServer({ name: 'mock', nodeArgs: mockArgs, readyLine: /^admin: / })
const { get: body } = await captureBodies(probe.url, dir)
await stopServer(probe)

const SERVERS = {
  bare: { nodeArgs: [join(ROOT, 'bench/bare-server.mjs'), '--port', '0', '--get-body', body] },
  'bare+limit': { nodeArgs: [join(ROOT, 'bench/bare-server.mjs'), '--port', '0', '--get-body', body, '--rate-limit'] },
  mock: { nodeArgs: [...mockArgs, '--scenario', scenario], readyLine: /^admin: / }
}
const names = Object.keys(SERVERS)
const results = Object.fromEntries(names.map((n) => [n, []]))

const load = (server, seconds) => runLoad(join(ROOT, 'bench/load.mjs'), {
  url: `${server.url}${TICKET_PATH}`, method: 'GET', connections: 50, duration: seconds, headers: { 'x-api-key': API_KEY }, serverPid: server.pid, ticksPerSecond: 100
}, seconds * 1000 + 30_000)

try {
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? names : [...names].reverse()
    const line = []
    for (const name of order) {
      const server = await startServer({ name, ...SERVERS[name] })
      try {
        if (warmup > 0) await load(server, warmup)
        const r = await load(server, duration)
        results[name].push(r)
        line.push(`${name} ${r.rps.toFixed(0)} req/s ${(r.serverCpu / r.rps * 1e6).toFixed(1)} µs/req (loader ${(r.loaderCpu * 100).toFixed(0)}%, other ${(Math.max(0, r.backgroundCpu) * 100).toFixed(0)}%)`)
      } finally {
        await stopServer(server)
      }
    }
    process.stderr.write(`round ${round}: ${line.join('; ')}\n`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const summary = {}
for (const name of names) {
  const rs = results[name]
  summary[name] = {
    rps: median(rs.map((r) => r.rps)),
    cpuMicrosPerRequest: median(rs.map((r) => r.serverCpu / r.rps * 1e6)),
    ratio: median(rs.map((r, i) => r.rps / results.bare[i].rps)),
    p99: median(rs.map((r) => r.p99)),
    // Cores used by anything else while measured (other processes, steal): above 0.1 the round shared the machine.
    otherCpuMax: Math.max(0, ...rs.map((r) => r.backgroundCpu))
  }
}
console.log(JSON.stringify({ rounds, duration, summary }, null, 2))
for (const name of names) {
  const s = summary[name]
  console.log(`${name.padEnd(10)} ${s.rps.toFixed(0).padStart(6)} req/s  ${s.cpuMicrosPerRequest.toFixed(1).padStart(5)} µs CPU/req  p99 ${s.p99.toFixed(2)} ms  ${s.ratio.toFixed(2)}x bare  (other CPU at most ${(s.otherCpuMax * 100).toFixed(0)}%)`)
}
