// A small Aurion API client with the retry policy of Aurion's error-handling guide: honour
// Retry-After on 429, back off exponentially with jitter on 5xx and dropped connections, never
// retry other 4xx, and send one Idempotency-Key per ticket creation, reused on every retry.

import { randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'

export type Priority = 'low' | 'medium' | 'high' | 'urgent'
export type TicketStatus = 'open' | 'pending' | 'resolved' | 'closed'

export interface Ticket {
  id: number
  subject: string
  description: string
  status: TicketStatus
  priority: Priority
  category?: string | null
  created_at: string
  updated_at?: string
}

export interface NewTicket {
  subject: string
  description: string
  priority?: Priority
  category?: string
}

export interface Webhook {
  id: string
  url: string
  events: string[]
  /** The signing secret of the deliveries. */
  secret: string
}

export interface Page<T> {
  data: T[]
  total: number
  limit: number
  offset: number
}

/** Why the client is about to wait, and for how long. */
export interface RetryEvent {
  method: string
  path: string
  /** The attempt that failed, counting from 0. */
  attempt: number
  /** The failed answer's status, or 0 when the connection gave no answer. */
  status: number
  waitMs: number
}

export interface AurionClientOptions {
  baseUrl: string
  apiKey: string
  /** Extra headers on every request (a proxy token, or a mock session in tests). */
  headers?: Record<string, string>
  /** Attempts per call, the first included (the guidance: 4). */
  maxAttempts?: number
  /** The backoff unit: wait unit * 2^attempt plus a uniform 0..unit of jitter (the guidance: 1 s). */
  backoffUnitMs?: number
  /** The wait on a 429 that names no Retry-After (the guidance's sample uses 5 s). */
  defaultRetryAfterMs?: number
  /** Limit per attempt; an attempt that runs out counts as a dropped connection. */
  timeoutMs?: number
  /** Injected in tests to record or shorten waits. */
  sleep?: (ms: number) => Promise<void>
  /** Uniform [0, 1); injected in tests for a predictable jitter. */
  random?: () => number
  onRetry?: (event: RetryEvent) => void
}

export const DEFAULT_MAX_ATTEMPTS = 4
export const DEFAULT_BACKOFF_UNIT_MS = 1000
export const DEFAULT_RETRY_AFTER_MS = 5000
export const DEFAULT_TIMEOUT_MS = 10_000
const RETRYABLE_5XX = new Set([500, 502, 503, 504])

/** An answer the client gave up on: a non-retryable error, or the last of the allowed attempts. */
export class AurionError extends Error {
  readonly status: number
  /** Aurion's machine-readable `error` code (`validation_error`, `rate_limit_exceeded`, ...). */
  readonly code: string
  readonly details: { field: string; message: string }[]
  readonly body: unknown
  readonly attempts: number

  constructor (status: number, body: unknown, attempts: number) {
    const fields = typeof body === 'object' && body !== null ? body as Record<string, unknown> : {}
    const code = typeof fields['error'] === 'string' ? fields['error'] : status === 0 ? 'no_response' : 'unknown_error'
    const message = typeof fields['message'] === 'string' ? fields['message'] : `HTTP ${status}`
    super(`Aurion ${code} (${status}) after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${message}`)
    this.name = 'AurionError'
    this.status = status
    this.code = code
    this.details = Array.isArray(fields['details']) ? fields['details'] as { field: string; message: string }[] : []
    this.body = body
    this.attempts = attempts
  }
}

interface Answer {
  status: number
  headers: Headers | undefined
  body: unknown
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), as milliseconds. */
export function parseRetryAfter (value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

export class AurionClient {
  readonly #options: Required<Omit<AurionClientOptions, 'headers' | 'onRetry'>> & Pick<AurionClientOptions, 'headers' | 'onRetry'>

  constructor (options: AurionClientOptions) {
    this.#options = {
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      backoffUnitMs: DEFAULT_BACKOFF_UNIT_MS,
      defaultRetryAfterMs: DEFAULT_RETRY_AFTER_MS,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      sleep: (ms) => delay(ms),
      random: Math.random,
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, '')
    }
  }

  /** Creates a ticket; retries reuse `idempotencyKey` (a fresh one by default), so at most one is made. */
  async createTicket (ticket: NewTicket, idempotencyKey = `idem_${randomUUID()}`): Promise<Ticket> {
    return await this.#request('POST', '/api/v1/tickets', ticket, idempotencyKey) as Ticket
  }

  /** Subscribes `url` to Aurion events; the answer carries the signing secret, shown this once. */
  async createWebhook (subscription: { url: string; events: string[] }, idempotencyKey = `idem_${randomUUID()}`): Promise<Webhook> {
    return await this.#request('POST', '/api/v1/webhooks', subscription, idempotencyKey) as Webhook
  }

  async getTicket (id: number): Promise<Ticket> {
    return await this.#request('GET', `/api/v1/tickets/${id}`) as Ticket
  }

  async listTickets (query: Record<string, string | number> = {}): Promise<Page<Ticket>> {
    const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString()
    return await this.#request('GET', `/api/v1/tickets${search === '' ? '' : `?${search}`}`) as Page<Ticket>
  }

  /** How long to wait after `answer` to attempt `attempt` + 1; undefined when it must not be retried. */
  retryDelay (answer: Pick<Answer, 'status' | 'headers'>, attempt: number): number | undefined {
    const { status } = answer
    const retryAfter = parseRetryAfter(answer.headers?.get('retry-after') ?? null)
    if (status === 429) return retryAfter ?? this.#options.defaultRetryAfterMs
    if (status !== 0 && !RETRYABLE_5XX.has(status)) return undefined
    const unit = this.#options.backoffUnitMs
    const backoff = unit * 2 ** attempt + this.#options.random() * unit
    // A 503 may say when the service is back: never come back sooner than that.
    return Math.max(backoff, retryAfter ?? 0)
  }

  async #request (method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<unknown> {
    const { maxAttempts, sleep, onRetry } = this.#options
    for (let attempt = 0; ; attempt++) {
      const answer = await this.#attempt(method, path, body, idempotencyKey)
      if (answer.status >= 200 && answer.status < 300) return answer.body
      const wait = attempt + 1 < maxAttempts ? this.retryDelay(answer, attempt) : undefined
      if (wait === undefined) throw new AurionError(answer.status, answer.body, attempt + 1)
      onRetry?.({ method, path, attempt, status: answer.status, waitMs: wait })
      await sleep(wait)
    }
  }

  /** One exchange. A reset, a timeout or a cut or garbled body is status 0: no answer to act on. */
  async #attempt (method: string, path: string, body: unknown, idempotencyKey: string | undefined): Promise<Answer> {
    const headers: Record<string, string> = { ...this.#options.headers, 'x-api-key': this.#options.apiKey, accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey
    const init: RequestInit = { method, headers, signal: AbortSignal.timeout(this.#options.timeoutMs) }
    if (body !== undefined) init.body = JSON.stringify(body)
    let res: Response
    let text: string
    try {
      res = await fetch(`${this.#options.baseUrl}${path}`, init)
      text = await res.text()
    } catch {
      return { status: 0, headers: undefined, body: undefined }
    }
    try {
      return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) as unknown }
    } catch {
      // A success we cannot read may still have been performed: retry it (POSTs replay by key).
      // An error page that is not JSON is still that error.
      return res.ok ? { status: 0, headers: undefined, body: undefined } : { status: res.status, headers: res.headers, body: text }
    }
  }
}
