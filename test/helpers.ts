// Test helpers: a real listening server per test, closed on teardown, and a small JSON client.
// Every answer the clients here receive is checked against the server's OpenAPI document
// (contract.ts): a test that gets an answer the document does not describe fails.

import type { Test } from 'tap'
import { startMockServer, type MockServer, type StartOptions } from '../server/index.js'
import { checkAnswer } from './contract.js'

export const FULL = 'ak_live_mock_full_access_0001'
export const READ_ONLY = 'ak_live_mock_read_only_0002'
export const TICKETS_ONLY = 'ak_live_mock_tickets_only_0003'

/** Starts a mock on a free port for the duration of test `t`. */
export async function serve (t: Test, options: StartOptions = {}): Promise<MockServer> {
  const server = await startMockServer(options)
  t.teardown(() => server.close())
  return server
}

export interface JsonResponse {
  status: number
  headers: Headers
  body: any
  text: string
}

/** A real HTTP request with fetch; JSON in and out. */
export async function call (server: MockServer, method: string, path: string, options: { key?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers }
  const key = options.key === undefined ? FULL : options.key
  if (key !== null) headers['x-api-key'] = key
  let body: string | undefined
  if (options.raw !== undefined) body = options.raw
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['content-type'] ??= 'application/json'
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) })
  const text = await res.text()
  checkAnswer(server, method, path, res.status, res.headers, text)
  let parsed: unknown
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  return { status: res.status, headers: res.headers, body: parsed, text }
}

export interface RawResult {
  status?: number
  headers?: Record<string, string | string[] | undefined>
  body?: string
  /** The client-side error code when the exchange failed (ECONNRESET, ...). */
  error?: string
  /** Bytes of body received before an error. */
  received?: number
}

function headerText (value: string | string[] | undefined): string | null {
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
}

/** A request with node:http, reporting transport failures as data instead of throwing. */
export async function rawRequest (server: MockServer, method: string, path: string, options: { key?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {}): Promise<RawResult> {
  const { request } = await import('node:http')
  const url = new URL(path, server.url)
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
  return new Promise((resolve, reject) => {
    let received = 0
    const req = request(url, {
      method,
      agent: false,
      headers: { 'x-api-key': options.key ?? FULL, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers }
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => { chunks.push(c); received += c.length })
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString()
        try {
          checkAnswer(server, method, path, res.statusCode ?? 0, { get: (name) => headerText(res.headers[name]) }, body)
        } catch (err) {
          reject(err)
          return
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
      })
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: res.statusCode ?? 0, headers: res.headers, error: err.code ?? err.message, received }))
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, error: 'aborted', received }))
    })
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message, received }))
    if (options.timeoutMs !== undefined) req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })))
    if (payload !== undefined) req.write(payload)
    req.end()
  })
}

/** Waits (briefly, on real time) until `check` holds; for "the server has reached point X" waits. */
export async function until (check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`timed out waiting until ${what}`)
}

/**
 * Awaits `work` while moving a manual clock on to each sleeper's wake-up time, as real time would:
 * latency and drips complete without any real waiting.
 */
export async function settle<T> (clock: import('../server/index.js').ManualClock, work: Promise<T>): Promise<T> {
  let done = false
  const result = work.finally(() => { done = true })
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 1))
    const due = clock.nextDue()
    if (due !== undefined) clock.advance(due)
  }
  return result
}
