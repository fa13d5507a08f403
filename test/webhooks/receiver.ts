// A webhook receiver for tests: a real HTTP server on 127.0.0.1 that records each delivery and
// answers as the test scripts it (by default: 204).

import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'

export interface Received {
  headers: IncomingHttpHeaders
  raw: string
  body: { id: string; type: string; timestamp: string; data: Record<string, unknown> }
}

export interface Receiver {
  url: string
  received: Received[]
  /** Waits (real time, polling) until `n` deliveries have arrived; fails the wait after `ms`. */
  waitFor (n: number, ms?: number): Promise<Received[]>
}

/** Answers a delivery: a status, or undefined to never answer (a receiver that hangs). */
export type Answer = (delivery: Received, index: number) => number | undefined

export async function startReceiver (t: Test, answer: Answer = () => 204, path = '/hooks/aurion'): Promise<Receiver> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      const delivery: Received = { headers: req.headers, raw, body: JSON.parse(raw) as Received['body'] }
      const status = answer(delivery, received.length)
      received.push(delivery)
      if (status !== undefined) res.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    received,
    waitFor: (n, ms = 5_000) => until(() => received.length >= n ? received.slice() : undefined, ms, `${n} deliveries (got ${received.length})`)
  }
}

/** Polls `check` until it gives a value; rejects after `ms` of real time naming what was awaited. */
export async function until<T> (check: () => T | undefined | Promise<T | undefined>, ms = 5_000, what = 'the condition'): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
