// The first step of the API pipeline: checks the caller's key (401), the denied paths and the scope
// (403), and only then attaches the session (X-Mock-Session or the URL's /s/<id>), the active
// scenario and the key to the request. Every check reads the path the router dispatches on;
// nothing unauthenticated creates state.

import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { checkAccess, type Scope } from '../auth/keys.js'
import { hasUnsafeSegments, routedPath } from '../auth/request-path.js'
import { AurionError } from '../errors.js'
import type { WindowAheadOf } from '../policy/rate-limit.js'
import type { ScenarioRegistry } from '../scenario/registry.js'
import { isPending } from '../store/maybe.js'
import type { SessionState, StateStore } from '../store/types.js'
import type { Clock } from '../util/clock.js'
import { clip, detached } from '../util/text.js'
import { DEFAULT_SESSION, SCENARIO_HEADER, SESSION_HEADER, SESSION_ID } from './context.js'
import type { RejectionLog } from './rejections.js'
import { agreeingSession } from './url-session.js'

/** URLs longer than this have their path copied out before it is kept. */
const LONG_URL = 1024

/** A header's first value. */
function first (v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

export interface Gate {
  /** Why a request to an /api path may not go on (400, 401, 403), or its scopes when it may. */
  check (request: FastifyRequest, path: string): AurionError | readonly Scope[]
  /** Counts a refusal (never per session) and hands it on as the request's error. */
  refuse (request: FastifyRequest, path: string, error: AurionError): AurionError
}

/** The key, denied-path and scope checks, for the API's routes and for /api paths that have none. */
export function createGate (keyTable: Readonly<Record<string, readonly Scope[]>>, clock: Clock, rejections: RejectionLog): Gate {
  // A Map: keys arrive as fresh strings, and only own entries may match ("constructor" is no key).
  const keys = new Map(Object.entries(keyTable))
  return {
    check (request, path) {
      if (hasUnsafeSegments(path)) return new AurionError('bad_request', 'Path must not contain empty, "." or ".." segments')
      const apiKey = first(request.headers['x-api-key'])
      const scopes = apiKey === undefined ? undefined : keys.get(apiKey)
      if (scopes === undefined) return new AurionError('unauthorized')
      const access = checkAccess(scopes, request.method, path)
      if (access.kind === 'denied-path') return new AurionError('forbidden', 'API keys are not permitted for this endpoint')
      if (access.kind === 'missing-scope') return new AurionError('forbidden', `API key lacks required scope: ${access.scope}`)
      return scopes
    },
    refuse (request, path, error) {
      rejections.record(clock.now(), request.method, path, error.statusCode, error.code)
      return error
    }
  }
}

export interface AuthenticateOptions {
  gate: Gate
  store: StateStore
  scenarios: ScenarioRegistry
  clock: Clock
  seed: number
  /** The limiter's window when known up front: the store may count it with the session's touch. */
  windowAhead?: WindowAheadOf
}

/** onRequest of the API routes: the gate, then the request's session and scenario (`request.mock`). */
export function createAuthenticateHook (options: AuthenticateOptions) {
  const { gate, store, scenarios, clock, seed, windowAhead } = options
  return function authenticate (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
    let path: string
    try {
      path = routedPath(request.url)
    } catch {
      done(new AurionError('bad_request', 'Malformed URL'))
      return
    }
    const verdict = gate.check(request, path)
    if (verdict instanceof AurionError) {
      done(gate.refuse(request, path, verdict))
      return
    }
    const headers = request.headers
    const named = agreeingSession(request.raw, first(headers[SESSION_HEADER]), SESSION_HEADER)
    if (named instanceof AurionError) {
      done(named)
      return
    }
    const sessionId = named ?? DEFAULT_SESSION
    if (sessionId !== DEFAULT_SESSION && !SESSION_ID.test(sessionId)) {
      done(new AurionError('bad_request', `${SESSION_HEADER} must be 1-128 letters, digits or ._:@-`))
      return
    }
    // The store may answer later (a shared one): both reads are asked at once, awaited only then;
    // the limiter's count rides along when its window is known already (the limiter runs next).
    const picked = first(headers[SCENARIO_HEADER])
    const ahead = windowAhead?.(sessionId, first(headers['x-api-key']) ?? '', picked, clock.now())
    const session = store.session(sessionId, ahead)
    const wanted = picked ?? store.activeScenario(sessionId)
    if (isPending(session) || isPending(wanted)) {
      Promise.all([session, wanted]).then(([s, w]) => attach(request, path, verdict, s, w, done), done)
      return
    }
    attach(request, path, verdict, session, wanted, done)
  }

  function attach (request: FastifyRequest, path: string, scopes: readonly Scope[], session: SessionState, wanted: string | undefined, done: HookHandlerDoneFunction): void {
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
      apiKey: first(request.headers['x-api-key']),
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
