// HTTP retry clients for the test suite: one operation with global fetch, retried per a policy.
// `sleep` is injected so tests pair it with the mock's ManualClock and never wait for real.

import { randomUUID } from 'node:crypto'
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
}

export interface ClientResult {
  /** The last answer's status; 0 when the last attempt got no usable answer. */
  status: number
  body: unknown
  attempts: number
  /** The wait before each retry (ms). */
  waits: number[]
}

export type RetryClient = (baseUrl: string, request: ClientRequest, options: ClientOptions) => Promise<ClientResult>

function retryAfterOf (headers: Headers): number | undefined {
  const value = headers.get('retry-after')
  if (value === null || !/^\d+$/.test(value.trim())) return undefined
  return Number(value)
}

async function attempt (url: string, init: RequestInit, timeoutMs: number): Promise<Answer & { body: unknown }> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
    const text = await res.text()
    const body: unknown = text === '' ? undefined : JSON.parse(text)
    const answer: Answer & { body: unknown } = { status: res.status, body }
    const retryAfter = retryAfterOf(res.headers)
    if (retryAfter !== undefined) answer.retryAfter = retryAfter
    return answer
  } catch {
    // Reset, timeout, cut or unparsable body: the client has no answer to act on.
    return { status: 0, body: undefined }
  }
}

/** A client that performs one operation and retries it as `policy` says. */
export function createRetryClient (policy: RetryPolicy): RetryClient {
  return async (baseUrl, request, options) => {
    const random = options.random ?? Math.random
    const key = request.method === 'POST' ? request.idempotencyKey ?? `idem_${randomUUID()}` : request.idempotencyKey
    const waits: number[] = []
    for (let n = 0; ; n++) {
      const headers: Record<string, string> = { 'x-api-key': request.apiKey ?? DEFAULT_API_KEY, ...request.headers }
      if (request.body !== undefined) headers['content-type'] = 'application/json'
      if (key !== undefined && (n === 0 || policy.keepsKey(n))) headers['idempotency-key'] = key
      const init: RequestInit = { method: request.method, headers }
      if (request.body !== undefined) init.body = JSON.stringify(request.body)
      const answer = await attempt(`${baseUrl}${request.path}`, init, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
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
