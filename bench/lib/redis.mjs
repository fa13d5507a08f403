// The Redis of the shared-store case: a redis-server pinned beside the mock (Redis on the same
// machine), emptied between rounds, and a count of the commands each request sends it.

import { spawn } from 'node:child_process'
import { Redis } from 'ioredis'
import { freePort, httpRequest, SERVER_CORE } from './children.mjs'

const REDIS_SERVER = process.env.AURION_MOCK_REDIS_SERVER ?? '/usr/bin/redis-server'

/** Starts redis-server (no persistence) pinned to the server core; resolves with { url, client, stop }. */
export async function startRedis () {
  const port = await freePort()
  const child = spawn('taskset', ['-c', SERVER_CORE, REDIS_SERVER, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)))
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes('Ready to accept connections')) resolve()
    })
  })
  child.removeAllListeners('exit')
  child.stdout.resume()
  const url = `redis://127.0.0.1:${port}`
  const client = new Redis(url)
  return {
    url,
    client,
    stop: async () => {
      client.disconnect()
      child.kill('SIGKILL')
    }
  }
}

/**
 * Sends `n` requests one after another and counts, with MONITOR, the commands the mock sends Redis
 * for them: those a client sent (scripts count once; the commands inside them are not round trips).
 */
export async function commandsPerRequest (redis, serverUrl, request, n = 200) {
  const monitor = await redis.client.monitor()
  const sent = new Map()
  monitor.on('monitor', (_time, args, source) => {
    if (source === 'lua') return
    const name = String(args[0]).toLowerCase()
    sent.set(name, (sent.get(name) ?? 0) + 1)
  })
  for (let i = 0; i < n; i++) await httpRequest(`${serverUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body })
  // The journal write of the last request may still be on its way.
  await new Promise((resolve) => setTimeout(resolve, 200))
  monitor.disconnect()
  const total = [...sent.values()].reduce((a, b) => a + b, 0)
  return { perRequest: total / n, byCommand: Object.fromEntries([...sent].map(([k, v]) => [k, v / n])) }
}
