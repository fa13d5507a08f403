// The rate limiter's policy: a fixed window per session and API key, counted by one atomic store
// call on the mock's clock. @fastify/rate-limit gives the verdict (count > max: 429) through its
// documented custom-store interface, which `createLimiterStore` implements; rate-limit-plugin.ts
// registers it.

import type { Clock } from '../util/clock.js'
import { andThen, isPending } from '../store/maybe.js'
import type { ScenarioRegistry } from '../scenario/registry.js'
import type { MaybePromise, StateStore, WindowAhead, WindowCount } from '../store/types.js'

/** Requests allowed per window; max 0 turns the limiter off. */
export interface Limit {
  max: number
  windowMs: number
}

/** What @fastify/rate-limit expects back from its store: the count and the ms left in the window. */
export interface LimiterCount {
  current: number
  ttl: number
}

type IncrCallback = (err: Error | null, result?: LimiterCount) => void

/**
 * Finds, before the store has said which scenario a request runs, the window its limiter will count
 * in, when that does not depend on the answer: the named scenario's limit (X-Mock-Scenario), else
 * the server's while no scenario held brings its own. A shared store then counts the request in the
 * round trip that finds its session (StateStore.session's `ahead`); undefined when the window is
 * not known yet, or the limiter is off (the plugin will not count). The one request counted
 * without reaching the limiter: one refused 400 for an activated scenario this replica lacks.
 */
export type WindowAheadOf = (sessionId: string, apiKey: string, named: string | undefined, now: number) => WindowAhead | undefined

/** The `WindowAheadOf` of a server whose own limit is `server`. */
export function createWindowAhead (scenarios: ScenarioRegistry, server: Limit): WindowAheadOf {
  return (sessionId, apiKey, named, now) => {
    let limit = server
    if (named !== undefined) {
      const scenario = scenarios.get(named, sessionId)
      if (scenario === undefined) return undefined
      limit = limitFor(scenario.scenario.rateLimit, server)
    } else if (scenarios.hasOwnRateLimits()) {
      return undefined
    }
    return limit.max === 0 ? undefined : { key: windowKey(apiKey), windowMs: limit.windowMs, now }
  }
}

/** The window of an API key's bucket within its session. */
function windowKey (apiKey: string): string {
  return `rate-limit\u0000${apiKey}`
}

/** The limit in force: the active scenario's own `rateLimit`, else the server's. */
export function limitFor (own: Limit | undefined, server: Limit): Limit {
  return own ?? server
}

/** One bucket per session and API key, as the one string the plugin hands back to its store. */
export function bucketKey (sessionId: string, apiKey: string): string {
  // Session ids never hold a newline (they are checked), so the first one splits the two.
  return `${sessionId}\n${apiKey}`
}

/** The parts of a bucket key. */
export function bucketOf (key: string): { sessionId: string; apiKey: string } {
  const cut = key.indexOf('\n')
  return { sessionId: key.slice(0, cut), apiKey: key.slice(cut + 1) }
}

/**
 * Counts one request in its bucket's window at `now`: (bucket, store, now) -> the window's count
 * and when it closes. One atomic store call besides finding the session, so it is exact across
 * concurrent requests and, with a shared store, across processes.
 */
export function countRequest (store: StateStore, key: string, windowMs: number, now: number): MaybePromise<WindowCount> {
  const { sessionId, apiKey } = bucketOf(key)
  return andThen(store.session(sessionId), (session) => session.countInWindow(windowKey(apiKey), windowMs, now))
}

/** Whole seconds until a window closes, as Retry-After and `retry_after` say it: never 0. */
export function retryAfterSeconds (ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000))
}

/**
 * The store class @fastify/rate-limit constructs (its `store` option): `incr` counts through
 * `countRequest` and answers the plugin's callback at once when the state store did.
 */
export function createLimiterStore (store: StateStore, clock: Clock) {
  return class SessionWindowStore {
    incr (key: string, cb: IncrCallback, timeWindow: number): void {
      const now = clock.now()
      const counted = countRequest(store, key, timeWindow, now)
      if (isPending(counted)) counted.then((w) => cb(null, { current: w.count, ttl: w.resetsAt - now }), (err: Error) => cb(err))
      else cb(null, { current: counted.count, ttl: counted.resetsAt - now })
    }

    /** Windows are per bucket whatever the route: a route's limiter shares the store. */
    child (): SessionWindowStore {
      return this
    }
  }
}
