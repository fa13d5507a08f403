// The Fastify side of the rate limiter: @fastify/rate-limit registered the documented way, with
// the session-window store, our bucket keys, the active scenario's limit and the Aurion 429.

import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Clock } from '../util/clock.js'
import { AurionError, rateLimitMessage } from '../errors.js'
import type { StateStore } from '../store/types.js'
import { bucketKey, createLimiterStore, limitFor, retryAfterSeconds, type Limit } from './rate-limit.js'

export interface RateLimitOptions {
  store: StateStore
  clock: Clock
  max: number
  windowMs: number
  /** Send X-RateLimit-* headers (Retry-After is always sent with a 429). */
  headers: boolean
}

/**
 * Registers @fastify/rate-limit and runs its limiter as an onRequest hook of `app` (the API's
 * scope, after authenticate): every authenticated request counts, unknown API paths too (as in
 * the plugin's README on 404s). Limits of 0 are on the allow list.
 */
export async function registerRateLimit (app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const server: Limit = { max: options.max, windowMs: options.windowMs }
  const limitOf = (request: FastifyRequest): Limit => limitFor(request.mock?.scenario.scenario.rateLimit, server)
  const headers = options.headers
  await app.register(rateLimit, {
    global: false,
    store: createLimiterStore(options.store, options.clock),
    // Registered after authenticate in the API's scope: every request here has its context.
    keyGenerator: (request) => bucketKey(request.mock!.session.id, request.mock!.apiKey ?? ''),
    allowList: (request) => limitOf(request).max === 0,
    max: (request) => limitOf(request).max,
    timeWindow: (request) => limitOf(request).windowMs,
    addHeaders: { 'x-ratelimit-limit': headers, 'x-ratelimit-remaining': headers, 'x-ratelimit-reset': headers, 'retry-after': true },
    addHeadersOnExceeding: { 'x-ratelimit-limit': headers, 'x-ratelimit-remaining': headers, 'x-ratelimit-reset': headers },
    errorResponseBuilder: (_request, context) => {
      const seconds = retryAfterSeconds(context.ttl)
      return new AurionError('rate_limit_exceeded', rateLimitMessage(seconds), { retryAfter: seconds })
    }
  })
  app.addHook('onRequest', app.rateLimit())
}
