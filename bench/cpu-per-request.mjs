// CPU time the server process spends per request, for several variants, alternating rounds: it moves
// much less than req/s on a shared machine, so it weighs layers there. Needs npm run build.
// Usage: node bench/cpu-per-request.mjs LABEL=DIR[:ENV,ENV2] ... | LABEL=bare[:rate-limit]
//   DIR: a built tree (runs DIR/dist/server/bin.js); ENV names are set to 1 in its environment.
//   bare: bench/bare-server.mjs serving the mock's GET bytes (with :rate-limit, @fastify/rate-limit too).
// Env: ROUNDS (4), AMOUNT (40000 measured requests after 15000 of warm-up).

import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const autocannon = createRequire(join(ROOT, 'package.json'))('autocannon')
const ROUNDS = Number(process.env.ROUNDS ?? 4)
const AMOUNT = Number(process.env.AMOUNT ?? 40000)
const PATH = '/api/v1/tickets/1001'
const KEY = 'ak_live_mock_full_access_0001'
const CLOCK_TICKS = 100

const variants = process.argv.slice(2).map((arg) => {
  const [label, spec] = arg.split('=')
  const [where, extra = ''] = spec.split(':')
  const flags = extra.split(',').filter(Boolean)
  return { label, where, flags }
})
if (variants.length === 0) { console.error('usage: node bench/cpu-per-request.mjs LABEL=DIR[:ENV,...] | LABEL=bare[:rate-limit] ...'); process.exit(2) }

function cpuSeconds (pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS
}

async function start (v, getBody) {
  const args = v.where === 'bare'
    ? [join(ROOT, 'bench/bare-server.mjs'), '--port', '0', '--get-body', getBody, ...(v.flags.includes('rate-limit') ? ['--rate-limit'] : [])]
    : [join(resolve(v.where), 'dist/server/bin.js'), '--port', '0', '--rate-limit', '100000000', '--seed', '1', '--log-level', 'silent']
  const env = { ...process.env, ...Object.fromEntries(v.where === 'bare' ? [] : v.flags.map((f) => [f, '1'])) }
  const child = spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env })
  let out = ''
  child.port = await new Promise((resolve) => child.stdout.on('data', (d) => {
    out += d
    const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)
    if (m) resolve(Number(m[1]))
  }))
  return child
}

const load = (port, amount) => new Promise((resolve, reject) => autocannon({ url: `http://127.0.0.1:${port}${PATH}`, headers: { 'x-api-key': KEY }, connections: 50, amount }, (err, r) => err ? reject(err) : resolve(r)))

// The bytes bare Fastify sends: the mock's own answer.
const getBody = join(tmpdir(), `aurion-get-${process.pid}.json`)
{
  const mock = await start({ where: ROOT, flags: [] }, getBody)
  writeFileSync(getBody, await (await fetch(`http://127.0.0.1:${mock.port}${PATH}`, { headers: { 'x-api-key': KEY } })).text())
  mock.kill('SIGTERM')
}

const results = new Map(variants.map((v) => [v.label, []]))
for (let round = 0; round < ROUNDS; round++) {
  for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
    const child = await start(v, getBody)
    await load(child.port, 15000)
    const before = cpuSeconds(child.pid)
    const res = await load(child.port, AMOUNT)
    const used = cpuSeconds(child.pid) - before
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
    if (res.non2xx > 0) console.log(`${v.label}: ${res.non2xx} answers were not 2xx`)
    results.get(v.label).push(used * 1e6 / res.requests.total)
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }
for (const [label, xs] of results) console.log(`${label.padEnd(14)} median ${median(xs).toFixed(1)} µs CPU/request; rounds ${xs.map((x) => x.toFixed(1)).join(' ')}`)
