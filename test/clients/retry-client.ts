// HTTP retry clients for the test suite: one operation (global fetch, or node:http for fleets),
// retried per a policy. `sleep` is injected, so tests can pair it with the mock's ManualClock.

import { randomUUID } from 'node:crypto'
import { Agent, request } from 'node:http'
import {
  type Answer, correctPolicy, dropsKeyPolicy, ignoresRetryAfterPolicy, noBackoffPolicy, type RetryPolicy, retries4xxPolicy
} from './policies.js'

export const DEFAULT_API_KEY = 'ak_live_mock_full_access_0001'
const DEFAULT_TIMEOUT_MS = 10_000

export interface ClientRequest {
  method: string
  path: string
  body?: unknown
  apiKey?: string
  /** For POSTs; one is generated when absent. */
  idempotencyKey?: string
  headers?: Record<string, string>
}

export interface ClientOptions {
  sleep: (ms: number) => Promise<void>
  /** Uniform [0, 1) for jitter; pass `seededRandom(n)` for repeatable runs. */
  random?: () => number
  /** Real-time limit per attempt; a timed-out attempt counts as no answer (status 0). */
  timeoutMs?: number
  /** How an attempt goes over the wire: global fetch by default, `httpSend` for many clients in one process. */
  send?: Send
}

/** One request: what came back, or status 0 when no usable answer did. */
export type Send = (url: string, init: { method: string; headers: Record<string, string>; body?: string }, timeoutMs: number) => Promise<Answer & { body: unknown }>

export interface ClientResult {
  /** The last answer's status; 0 when the last attempt got no usable answer. */
  status: number
  body: unknown
  attempts: number
  /** The wait before each retry (ms). */
  waits: number[]
}

export type RetryClient = (baseUrl: string, request: ClientRequest, options: ClientOptions) => Promise<ClientResult>

function retryAfterOf (value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\d+$/.test(value.trim())) return undefined
  return Number(value)
}

function answerOf (status: number, text: string, retryAfter: string | null | undefined): Answer & { body: unknown } {
  const body: unknown = text === '' ? undefined : JSON.parse(text)
  const answer: Answer & { body: unknown } = { status, body }
  const seconds = retryAfterOf(retryAfter)
  if (seconds !== undefined) answer.retryAfter = seconds
  return answer
}

/** An attempt with global fetch. */
export const fetchSend: Send = async (url, init, timeoutMs) => {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
    return answerOf(res.status, await res.text(), res.headers.get('retry-after'))
  } catch {
    // Reset, timeout, cut or unparsable body: the client has no answer to act on.
    return { status: 0, body: undefined }
  }
}

const keepAlive = new Agent({ keepAlive: true })

/** An attempt with node:http and a keep-alive agent: a fraction of fetch's cost, for fleets of clients. */
export const httpSend: Send = (url, init, timeoutMs) => new Promise((resolve) => {
  const noAnswer = (): void => resolve({ status: 0, body: undefined })
  const req = request(url, { method: init.method, headers: init.headers, agent: keepAlive, timeout: timeoutMs }, (res) => {
    let text = ''
    res.setEncoding('utf8')
    res.on('data', (chunk: string) => { text += chunk })
    res.on('error', noAnswer)
    res.on('end', () => {
      try {
        resolve(answerOf(res.statusCode ?? 0, text, res.headers['retry-after']))
      } catch {
        noAnswer()
      }
    })
  })
  req.on('timeout', () => req.destroy())
  req.on('error', noAnswer)
  req.end(init.body)
})

/** A client that performs one operation and retries it as `policy` says. */
export function createRetryClient (policy: RetryPolicy): RetryClient {
  return async (baseUrl, request, options) => {
    const random = options.random ?? Math.random
    const key = request.method === 'POST' ? request.idempotencyKey ?? `idem_${randomUUID()}` : request.idempotencyKey
    const waits: number[] = []
    for (let n = 0; ; n++) {
      const headers: Record<string, string> = { 'x-api-key': request.apiKey ?? DEFAULT_API_KEY, ...request.headers }
      if (request.body !== undefined) headers['content-type'] = 'application/json'
      if (key !== undefined && n > 0 && policy.renewKey !== undefined) headers['idempotency-key'] = policy.renewKey(key, n)
      else if (key !== undefined && (n === 0 || policy.keepsKey(n))) headers['idempotency-key'] = key
      const init: Parameters<Send>[1] = { method: request.method, headers }
      if (request.body !== undefined) init.body = JSON.stringify(request.body)
      const answer = await (options.send ?? fetchSend)(`${baseUrl}${request.path}`, init, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
      const wait = n + 1 < policy.maxAttempts ? policy.waitBefore(answer, n, random) : undefined
      if (wait === undefined) return { status: answer.status, body: answer.body, attempts: n + 1, waits }
      waits.push(wait)
      await options.sleep(wait)
    }
  }
}

/** Follows §4.4: Retry-After, 2^n s + jitter, 4 attempts, no 4xx retries, one key per operation. */
export const correctClient = createRetryClient(correctPolicy)
/** Retries a 429 after a fixed 400 ms, whatever Retry-After says. */
export const ignoresRetryAfterClient = createRetryClient(ignoresRetryAfterPolicy)
/** Retries 5xx and dropped connections at once (honours Retry-After). */
export const noBackoffClient = createRetryClient(noBackoffPolicy)
/** Retries every error, 422 included. */
export const retries4xxClient = createRetryClient(retries4xxPolicy)
/** Sends the Idempotency-Key on the first attempt only. */
export const dropsKeyClient = createRetryClient(dropsKeyPolicy)
