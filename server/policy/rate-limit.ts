// The real rate limiter: @fastify/rate-limit with a store that keeps its fixed windows in the
// session state and reads the mock's clock, so buckets are per session and tests control time.

import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../util/clock.js'
import { AurionError, rateLimitMessage } from '../errors.js'
import type { SessionState, StateStore } from '../store/types.js'

export interface RateLimitOptions {
  store: StateStore
  clock: Clock
  max: number
  windowMs: number
  headers: boolean
}

interface Window {
  count: number
  start: number
}

type IncrCallback = (err: Error | null, result: { current: number; ttl: number }) => void

/**
 * Bucket keys and their parts, made once per session and API key rather than per request: a
 * string built anew would be hashed anew by every Map it is looked up in.
 */
class BucketKeys {
  #keys = new Map<string, Map<string, string>>()
  #parts = new Map<string, { sessionId: string; slot: string }>()

  key (sessionId: string, apiKey: string): string {
    let perSession = this.#keys.get(sessionId)
    if (perSession === undefined) {
      // Bounded: session ids and keys come from clients. Past the cap keys are simply made again.
      if (this.#keys.size >= 10_000) this.#keys.clear()
      perSession = new Map()
      this.#keys.set(sessionId, perSession)
    }
    let key = perSession.get(apiKey)
    if (key === undefined) {
      key = `${sessionId}\n${apiKey}`
      if (perSession.size < 100) perSession.set(apiKey, key)
    }
    return key
  }

  parts (key: string): { sessionId: string; slot: string } {
    let parts = this.#parts.get(key)
    if (parts === undefined) {
      const cut = key.indexOf('\n')
      parts = { sessionId: key.slice(0, cut), slot: `rl\u0000${key.slice(cut + 1)}` }
      if (this.#parts.size >= 10_000) this.#parts.clear()
      this.#parts.set(key, parts)
    }
    return parts
  }
}

/**
 * Fixed windows kept in the session state, on the mock's clock. `incr` is the store the plugin
 * calls; `admit` is the synchronous shortcut for requests that stay within the limit.
 */
class Windows {
  readonly #store: StateStore
  readonly #clock: Clock
  readonly #keys: BucketKeys

  constructor (store: StateStore, clock: Clock, keys: BucketKeys) {
    this.#store = store
    this.#clock = clock
    this.#keys = keys
  }

  incr (key: string, cb: IncrCallback, timeWindow: number): void {
    const { sessionId, slot } = this.#keys.parts(key)
    const session = this.#store.session(sessionId)
    const now = this.#clock.now()
    const current = session.get<Window>(slot)
    if (!(current instanceof Promise)) {
      // The in-memory store answers at once: count synchronously, so no two requests interleave.
      const w = countIn(session, slot, current, timeWindow, now, Infinity)!
      cb(null, { current: w.count, ttl: w.start + timeWindow - now })
      return
    }
    current.then(async (w) => {
      const next = w !== undefined && w.start + timeWindow > now ? { count: w.count + 1, start: w.start } : { count: 1, start: now }
      await session.set(slot, next)
      cb(null, { current: next.count, ttl: next.start + timeWindow - now })
    }).catch((err: Error) => cb(err, { current: 0, ttl: 0 }))
  }

  /**
   * Counts the request and says true when it stays within `max` (at least 1), as `incr` would
   * have; says false and counts nothing when the plugin must decide: the request would go over
   * the limit (the plugin's own `incr` then counts it and refuses it) or the state answers
   * asynchronously.
   */
  admit (key: string, timeWindow: number, max: number): boolean {
    const { sessionId, slot } = this.#keys.parts(key)
    const session = this.#store.session(sessionId)
    const current = session.get<Window>(slot)
    if (current instanceof Promise) return false
    return countIn(session, slot, current, timeWindow, this.#clock.now(), max) !== undefined
  }
}

/**
 * Counts a request in the window open at `now`, in place so a request allocates nothing, or in a
 * new window; undefined, counting nothing, when the open window already holds `limit`.
 */
function countIn (session: SessionState, slot: string, current: Window | undefined, timeWindow: number, now: number, limit: number): Window | undefined {
  if (current !== undefined && current.start + timeWindow > now) {
    if (current.count >= limit) return undefined
    current.count++
    return current
  }
  const next = { count: 1, start: now }
  void session.set(slot, next)
  return next
}

function createStoreClass (windows: Windows) {
  return class SessionRateLimitStore {
    incr (key: string, cb: IncrCallback, timeWindow: number): void {
      windows.incr(key, cb, timeWindow)
    }

    child (): SessionRateLimitStore {
      return this
    }
  }
}

function settingsOf (request: FastifyRequest, options: RateLimitOptions): { max: number; windowMs: number } {
  const own = request.mock?.scenario.scenario.rateLimit
  return own === undefined ? { max: options.max, windowMs: options.windowMs } : { max: own.max, windowMs: own.windowMs }
}

type Limiter = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

/**
 * Registers @fastify/rate-limit without its global hook and runs its limiters from one hook of
 * ours: admin routes and sessions whose limit is 0 then cost nothing, and the common case (the
 * server's own limit) uses a limiter with fixed numbers, which the plugin need not await per
 * request. Scenarios with their own `rateLimit` get a second limiter that reads them.
 *
 * Requests within the limit, with the X-RateLimit headers off, are counted by `admit` without
 * entering the plugin: its promise chain (three awaits per request) cost ~8% of the server's
 * throughput, for an answer that is only "go on". Every refusal, and every request while the
 * headers are on, is the plugin's.
 */
export async function registerRateLimit (app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const headers = options.headers
  const keys = new BucketKeys()
  const windows = new Windows(options.store, options.clock, keys)
  await app.register(rateLimit, {
    global: false,
    store: createStoreClass(windows),
    keyGenerator: (request) => keys.key(request.mock!.session.id, request.mock!.apiKey ?? ''),
    addHeaders: { 'x-ratelimit-limit': headers, 'x-ratelimit-remaining': headers, 'x-ratelimit-reset': headers, 'retry-after': true },
    addHeadersOnExceeding: { 'x-ratelimit-limit': headers, 'x-ratelimit-remaining': headers, 'x-ratelimit-reset': headers },
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000))
      return new AurionError('rate_limit_exceeded', rateLimitMessage(seconds), { retryAfter: seconds })
    }
  })
  const serverLimit = app.rateLimit({ max: options.max, timeWindow: options.windowMs }) as Limiter
  const scenarioLimit = app.rateLimit({
    max: (request) => settingsOf(request, options).max,
    timeWindow: (request) => settingsOf(request, options).windowMs
  }) as Limiter
  app.addHook('onRequest', (request, reply, done) => {
    const ctx = request.mock
    if (ctx == null) {
      done()
      return
    }
    const own = ctx.scenario.scenario.rateLimit
    const max = own === undefined ? options.max : own.max
    if (max === 0) {
      done()
      return
    }
    if (!headers && windows.admit(keys.key(ctx.session.id, ctx.apiKey ?? ''), own === undefined ? options.windowMs : own.windowMs, max)) {
      done()
      return
    }
    (own === undefined ? serverLimit : scenarioLimit)(request, reply).then(() => done(), done)
  })
}
