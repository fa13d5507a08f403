// Rate-limit windows over two replicas when scenarios bring their own limits: exact whether the
// window is known before the store answers (the request names its scenario: the count rides on the
// session's touch) or only after (the active scenario's own limit: a count of its own). And what a
// plain GET costs in Redis commands when the window is known ahead: two, the touch and the journal.

import t from 'tap'
import { Redis } from 'ioredis'
import type { MockServer } from '../../server/index.js'
import { call, serve, type JsonResponse } from '../helpers.js'
import { startRedis } from '../redis-server.js'

const STRICT = { version: 1, name: 'strict', rateLimit: { max: 5, window: '1m' }, rules: [] }
const PLAIN = { version: 1, name: 'plain', rules: [] }

const redis = await startRedis(t)

/** `n` requests at once, alternating between the replicas; the statuses counted. */
async function spread (replicas: MockServer[], n: number, send: (server: MockServer) => Promise<JsonResponse>): Promise<Record<number, number>> {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => send(replicas[i % replicas.length]!)))
  const out: Record<number, number> = {}
  for (const r of results) out[r.status] = (out[r.status] ?? 0) + 1
  return out
}

t.test('with scenarios of their own limits, windows are exact over both replicas', async (t) => {
  const start = () => serve(t, { scenario: [STRICT, PLAIN], config: { store: redis.url, storePrefix: 'own-limits:', rateLimit: 8 } })
  const replicas = [await start(), await start()]
  const get = (session: string, scenario?: string) => (s: MockServer) =>
    call(s, 'GET', '/api/v1/kb/articles', { headers: { 'x-mock-session': session, ...(scenario === undefined ? {} : { 'x-mock-scenario': scenario }) } })
  t.same(await spread(replicas, 12, get('active')), { 200: 5, 429: 7 }, 'the active scenario\'s own limit (known once the store answers)')
  t.same(await spread(replicas, 12, get('named', 'strict')), { 200: 5, 429: 7 }, 'the named scenario\'s own limit (known ahead)')
  t.same(await spread(replicas, 12, get('server', 'plain')), { 200: 8, 429: 4 }, 'a named scenario without one: the server\'s (known ahead)')
})

t.test('a plain GET sends Redis two commands when its window is known ahead: the touch, which counts it, and the journal entry', async (t) => {
  const server = await serve(t, { scenario: PLAIN, config: { store: redis.url, storePrefix: 'trips:' } })
  const get = () => call(server, 'GET', '/api/v1/tickets/1001', { headers: { 'x-mock-session': 'trips' } })
  await get()
  const client = new Redis(redis.url)
  const monitor = await client.monitor()
  t.teardown(() => { monitor.disconnect(); client.disconnect() })
  const sent: string[] = []
  monitor.on('monitor', (_time: string, args: string[], source: string) => { if (source !== 'lua') sent.push(String(args[0]).toLowerCase()) })
  for (let i = 0; i < 5; i++) t.equal((await get()).status, 200)
  // MONITOR shows a command once Redis has run it; a ping after the last request marks the end.
  await client.ping()
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.same(sent.filter((c) => c !== 'ping' && c !== 'client' && c !== 'info'), Array(10).fill('evalsha'), 'two scripts per request')
})
