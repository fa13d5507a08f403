// The memory bounds of issue 17, against the built CLI over loopback: a keyless flood with long paths
// over many session ids, and many activations of a large posted scenario. Prints peak RSS of each.
// Usage: npm run build && node bench/hostile.mjs [--requests 60000] [--activations 200]

import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import { parseArgs } from 'node:util'
import { procStatusBytes } from './lib/proc.mjs'

const { values } = parseArgs({ options: { requests: { type: 'string', default: '60000' }, activations: { type: 'string', default: '200' } } })
const REQUESTS = Number(values.requests)
const ACTIVATIONS = Number(values.activations)
const SESSIONS = 1000
const PIPELINE = 50
const KEY = 'ak_live_mock_full_access_0001'
const MB = 1024 * 1024

async function startServer () {
  const child = spawn(process.execPath, ['dist/server/bin.js', '--port', '0', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'inherit'] })
  process.on('exit', () => child.kill('SIGKILL'))
  const url = await new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (c) => {
      out += c
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out)
      if (m !== null) resolve(m[0])
    })
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)))
  })
  return { child, url, port: Number(new URL(url).port) }
}

/** Sends `count` pipelined requests on one connection and waits for every answer. */
function pipelined (port, requests) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let seen = 0
    let tail = ''
    socket.on('data', (chunk) => {
      const text = tail + chunk.toString('latin1')
      seen += text.split('HTTP/1.1 ').length - 1
      tail = text.slice(-16)
      if (seen >= requests.length) socket.end()
    })
    socket.on('close', () => resolve(seen))
    socket.on('error', reject)
    socket.write(requests.join(''))
  })
}

async function keylessFlood (server) {
  const live = await fetch(`${server.url}/api/v1/tickets`, { method: 'POST', headers: { 'x-api-key': KEY, 'x-mock-session': 'live', 'content-type': 'application/json' }, body: JSON.stringify({ subject: 's', description: 'd' }) })
  const ticket = (await live.json()).id
  const path = `/api/v1/${'x'.repeat(14_000)}`
  let peak = 0
  const started = performance.now()
  for (let sent = 0; sent < REQUESTS; sent += PIPELINE) {
    const batch = Array.from({ length: PIPELINE }, (_, i) => `GET ${path} HTTP/1.1\r\nHost: x\r\nX-Mock-Session: flood-${(sent + i) % SESSIONS}\r\n\r\n`)
    await pipelined(server.port, batch)
    peak = Math.max(peak, procStatusBytes(server.child.pid, 'VmRSS'))
  }
  const health = (await fetch(`${server.url}/__mock/health`)).status
  const kept = (await fetch(`${server.url}/api/v1/tickets/${ticket}`, { headers: { 'x-api-key': KEY, 'x-mock-session': 'live' } })).status
  const sessions = (await (await fetch(`${server.url}/__mock/sessions`)).json()).sessions.length
  console.log(`keyless flood: ${REQUESTS} pipelined requests, 14 KB paths, ${SESSIONS} session ids, ${((performance.now() - started) / 1000).toFixed(1)} s`)
  console.log(`  peak RSS ${(peak / MB).toFixed(0)} MB (VmHWM ${(procStatusBytes(server.child.pid, 'VmHWM') / MB).toFixed(0)} MB); health ${health}; live ticket ${kept}; sessions ${sessions}`)
  return peak < 300 * MB && health === 200 && kept === 200 && sessions === 1
}

async function activations (server) {
  // ~1 MB of YAML, mostly escaped double-quoted strings (what a parser keeps worst).
  const value = '"' + 'ab\\tcd\\u00e9 '.repeat(3_400) + '"'
  const rules = Array.from({ length: 20 }, (_, i) => `  - name: r${i}\n    match: { path: /api/v1/users, body: { v: ${value} } }\n    status: 500`).join('\n')
  let peak = 0
  const started = performance.now()
  let refused = 0
  for (let i = 0; i < ACTIVATIONS; i++) {
    const yaml = `version: 1\nname: big-${i}\nrules:\n${rules}\n`
    const res = await fetch(`${server.url}/__mock/scenarios/activate`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: yaml })
    if (res.status !== 200) refused++
    await res.arrayBuffer()
    peak = Math.max(peak, procStatusBytes(server.child.pid, 'VmRSS'))
  }
  const size = Buffer.byteLength(`version: 1\nname: big-0\nrules:\n${rules}\n`)
  console.log(`activations: ${ACTIVATIONS} of a ${(size / MB).toFixed(2)} MB scenario under new names, ${refused} refused, ${((performance.now() - started) / 1000).toFixed(1)} s`)
  console.log(`  peak RSS ${(peak / MB).toFixed(0)} MB`)
  return peak < 300 * MB && refused === 0
}

const flood = await startServer()
const floodOk = await keylessFlood(flood)
flood.child.kill('SIGTERM')
const posts = await startServer()
const postsOk = await activations(posts)
posts.child.kill('SIGTERM')
console.log(floodOk && postsOk ? 'all bounds held' : 'A BOUND WAS BROKEN')
process.exitCode = floodOk && postsOk ? 0 : 1
