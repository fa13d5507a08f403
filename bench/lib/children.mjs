// Child processes of a bench run: servers pinned to one core, load runs pinned to the other, and
// one place that kills whatever is still running when the run ends or is interrupted.

import { spawn, execFileSync } from 'node:child_process'
import { request } from 'node:http'
import { createServer } from 'node:net'
import { cpus } from 'node:os'
import { machineCpuSeconds, procStatusBytes } from './proc.mjs'

export const SERVER_CORE = '0'
export const LOAD_CORE = '1'
const STOP_GRACE_MS = 3000

const live = new Set()

/** Kills every child still running (SIGKILL, by pid). Safe to call more than once. */
export function killAll () {
  for (const child of live) {
    try { child.kill('SIGKILL') } catch {}
  }
  live.clear()
}

/** Kills the children on exit, on SIGINT/SIGTERM and on a crash. */
export function installCleanup () {
  process.on('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      killAll()
      process.stderr.write(`\nbench: ${signal}, children killed\n`)
      process.exit(130)
    })
  }
  process.on('uncaughtException', (err) => {
    killAll()
    process.stderr.write(`bench: ${err.stack ?? err}\n`)
    process.exit(1)
  })
}

/** Pins this process (every thread) to a core, so the orchestrator stays off the server's core. */
export function pinSelf (core) {
  execFileSync('taskset', ['-a', '-p', '-c', core, String(process.pid)], { stdio: 'ignore' })
}

function track (child) {
  live.add(child)
  child.once('exit', () => live.delete(child))
  return child
}

/** Every core: children inherit this process's pinning, so "not pinned" must be said explicitly. */
export const ANY_CORE = `0-${cpus().length - 1}`

/** Spawns `node args...` pinned to `core` (a taskset list; taskset execs node, so the pid is node's). */
export function spawnPinned (core, nodeArgs, options = {}) {
  return track(spawn('taskset', ['-c', core, process.execPath, ...nodeArgs], { stdio: ['ignore', 'pipe', 'pipe'], ...options }))
}

/**
 * Starts a server and resolves once its banner is out: the line `listening on URL`, and for the
 * mock the last banner line (`admin: ...`). Rejects on exit or after `timeoutMs`.
 */
export function startServer ({ name, nodeArgs, readyLine = /^listening on /, timeoutMs = 15_000 }) {
  const child = spawnPinned(SERVER_CORE, nodeArgs)
  let out = ''
  let err = ''
  return new Promise((resolve, reject) => {
    let url
    const timer = setTimeout(() => fail(new Error(`${name}: no banner after ${timeoutMs} ms`)), timeoutMs)
    function fail (e) {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`${e.message}\nstdout: ${out}\nstderr: ${err}`))
    }
    child.stderr.on('data', (d) => { err += d })
    child.stdout.on('data', (d) => {
      out += d
      url ??= /listening on (http:\/\/\S+)/.exec(out)?.[1]
      if (url !== undefined && out.split('\n').some((line) => readyLine.test(line))) {
        clearTimeout(timer)
        resolve({ name, child, pid: child.pid, url })
      }
    })
    child.once('exit', (code, signal) => fail(new Error(`${name} exited early (${signal ?? code})`)))
  })
}

/** Stops a server: SIGTERM, then SIGKILL if it has not exited within the grace period. */
export function stopServer (server, graceMs = STOP_GRACE_MS) {
  const child = server.child
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => { clearTimeout(timer); resolve() })
    child.kill('SIGTERM')
  })
}

/** Runs bench/load.mjs pinned to the load core; resolves with its JSON summary. */
export function runLoad (loadScript, options, timeoutMs) {
  const child = spawnPinned(LOAD_CORE, [loadScript, JSON.stringify(options)])
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { err += d })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`load run exceeded ${timeoutMs} ms`)) }, timeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      let result
      try { result = JSON.parse(out) } catch {}
      if (code !== 0 || result === undefined || result.error !== undefined) reject(new Error(`load run failed (${code}): ${result?.error ?? ''}${err}`))
      else resolve(result)
    })
  })
}

/** One HTTP request; resolves with status and body (never rejects on HTTP status). */
export function httpRequest (url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** A port free on 127.0.0.1 right now (for cold starts, which cannot wait for a banner). */
export function freePort () {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Cold start: milliseconds from spawn to the first 200 on `/__mock/health`, and the RSS then.
 * Polling starts when the server prints `listening on` (or after `quietMs` without it), so the
 * polls do not compete with the boot they measure. `core`: a taskset list (ANY_CORE). The process is
 * stopped afterwards.
 */
export async function measureColdStart (nodeArgsForPort, core, { timeoutMs = 10_000, quietMs = 1000 } = {}) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}/__mock/health`
  const started = performance.now()
  const child = spawnPinned(core, nodeArgsForPort(port))
  let out = ''
  const listening = new Promise((resolve) => {
    const timer = setTimeout(resolve, quietMs)
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes('listening on')) { clearTimeout(timer); resolve() }
    })
  })
  child.stderr.resume()
  try {
    await listening
    while (performance.now() - started < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`cold start: server exited (${child.exitCode})`)
      try {
        const res = await httpRequest(url)
        if (res.status === 200) return { ms: performance.now() - started, rss: procStatusBytes(child.pid, 'VmRSS') }
      } catch {}
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
    throw new Error(`cold start: no 200 from ${url} within ${timeoutMs} ms`)
  } finally {
    await stopServer({ child })
  }
}

/**
 * Waits until the machine is quiet: under `threshold` cores busy over a `sampleMs` window (the
 * bench's own servers idle meanwhile). Gives up after `maxWaitMs`; resolves with what it saw.
 */
export async function waitForQuiet ({ threshold = 0.1, sampleMs = 500, maxWaitMs = 20_000, ticks = 100 } = {}) {
  const started = Date.now()
  let busy = NaN
  do {
    const before = machineCpuSeconds(ticks)
    await new Promise((resolve) => setTimeout(resolve, sampleMs))
    busy = (machineCpuSeconds(ticks).busy - before.busy) / (sampleMs / 1000)
    if (!(busy >= threshold)) return { quiet: true, busy, waitedMs: Date.now() - started }
  } while (Date.now() - started < maxWaitMs)
  return { quiet: false, busy, waitedMs: Date.now() - started }
}
