// onRequest: checks the caller's key (401), the denied paths and the scope (403), and only then
// attaches the session, the active scenario and the key to the request. Every check reads the
// path the router dispatches on; nothing unauthenticated creates state.

import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { Clock } from '../util/clock.js'
import { ADMIN_PREFIX, DEFAULT_SESSION, SCENARIO_HEADER, SESSION_HEADER } from './context.js'
import { AurionError } from '../errors.js'
import { checkAccess, type Scope } from '../auth/keys.js'
import { hasUnsafeSegments, routedPath } from '../auth/request-path.js'
import { clip, detached } from '../util/text.js'
import type { RejectionLog } from './rejections.js'
import type { ScenarioRegistry } from '../scenario/registry.js'
import { isPending } from '../store/maybe.js'
import type { SessionState, StateStore } from '../store/types.js'

export interface ContextHookOptions {
  store: StateStore
  scenarios: ScenarioRegistry
  keys: Readonly<Record<string, readonly Scope[]>>
  clock: Clock
  seed: number
  rejections: RejectionLog
}

/** URLs longer than this have their path copied out before it is kept. */
const LONG_URL = 1024
export const SESSION_ID = /^[A-Za-z0-9._:@-]{1,128}$/

/** `/__mock`, `/__mock/...`, and not `/__mockery`. */
function isAdmin (path: string): boolean {
  if (!path.startsWith(ADMIN_PREFIX)) return false
  const next = path.charCodeAt(ADMIN_PREFIX.length)
  return Number.isNaN(next) || next === 47 // end, '/'
}

/**
 * A header's first value. Callers read each header at its own site: one shared lookup of three
 * names would be a megamorphic property load on every request.
 */
function first (v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

export function createContextHook (options: ContextHookOptions) {
  const { store, scenarios, clock, seed, rejections } = options
  // A Map: keys arrive as fresh strings, and only own entries may match ("constructor" is no key).
  const keys = new Map(Object.entries(options.keys))

  function reject (request: FastifyRequest, path: string, error: AurionError, done: HookHandlerDoneFunction): void {
    rejections.record(clock.now(), request.method, path, error.statusCode, error.code)
    done(error)
  }

  return function contextHook (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
    request.mock = null
    let path: string
    try {
      path = routedPath(request.url)
    } catch {
      done(new AurionError('bad_request', 'Malformed URL'))
      return
    }
    // Admin routes have their own guard; other paths outside /api get the 404 handler, statelessly.
    if (isAdmin(path) || !path.startsWith('/api/')) {
      done()
      return
    }
    if (hasUnsafeSegments(path)) {
      reject(request, path, new AurionError('bad_request', 'Path must not contain empty, "." or ".." segments'), done)
      return
    }
    const headers = request.headers
    const apiKey = first(headers['x-api-key'])
    const scopes = apiKey === undefined ? undefined : keys.get(apiKey)
    if (scopes === undefined) {
      reject(request, path, new AurionError('unauthorized'), done)
      return
    }
    const access = checkAccess(scopes, request.method, path)
    if (access.kind === 'denied-path') {
      reject(request, path, new AurionError('forbidden', 'API keys are not permitted for this endpoint'), done)
      return
    }
    if (access.kind === 'missing-scope') {
      reject(request, path, new AurionError('forbidden', `API key lacks required scope: ${access.scope}`), done)
      return
    }
    const sessionId = first(headers[SESSION_HEADER]) ?? DEFAULT_SESSION
    if (sessionId !== DEFAULT_SESSION && !SESSION_ID.test(sessionId)) {
      done(new AurionError('bad_request', `${SESSION_HEADER} must be 1-128 letters, digits or ._:@-`))
      return
    }
    // The store may answer later (a shared one): both reads are asked at once, awaited only then.
    const session = store.session(sessionId)
    const wanted = first(headers[SCENARIO_HEADER]) ?? store.activeScenario(sessionId)
    if (isPending(session) || isPending(wanted)) {
      Promise.all([session, wanted]).then(([s, w]) => attach(request, path, apiKey, scopes, s, w, done), done)
      return
    }
    attach(request, path, apiKey, scopes, session, wanted, done)
  }

  function attach (request: FastifyRequest, path: string, apiKey: string | undefined, scopes: readonly Scope[], session: SessionState, wanted: string | undefined, done: HookHandlerDoneFunction): void {
    const sessionId = session.id
    const scenario = wanted === undefined ? scenarios.default : scenarios.get(wanted, sessionId)
    if (scenario === undefined) {
      done(new AurionError('bad_request', `Unknown scenario "${clip(wanted ?? '', 128)}"; loaded: ${scenarios.names(sessionId).join(', ')}`))
      return
    }
    request.mock = {
      // A path cut from a long URL would keep the whole URL alive in the journal.
      path: request.url.length > LONG_URL ? detached(path) : path,
      session,
      scenario,
      seed: scenario.scenario.seed ?? seed,
      apiKey,
      scopes,
      arrivedAt: clock.now(),
      decision: undefined,
      idempotencyKey: undefined,
      replayed: false,
      handled: false,
      journaled: false
    }
    done()
  }
}
