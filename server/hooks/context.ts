// onRequest: attaches the session, the active scenario and the caller's key to the request, and
// checks the key (401), the denied paths and the scope (403) before anything else runs.

import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { Clock } from '../clock.js'
import { ADMIN_PREFIX, DEFAULT_SESSION, SCENARIO_HEADER, SESSION_HEADER } from '../context.js'
import { AurionError } from '../errors.js'
import { checkAccess, type Scope } from '../keys.js'
import type { ScenarioRegistry } from '../scenarios.js'
import type { StateStore } from '../store/types.js'

export interface ContextHookOptions {
  store: StateStore
  scenarios: ScenarioRegistry
  keys: Readonly<Record<string, readonly Scope[]>>
  clock: Clock
  seed: number
}

const SESSION_ID = /^[A-Za-z0-9._:@-]{1,128}$/
const NO_SCOPES: readonly Scope[] = []
/** Session key under which an admin-activated, per-session scenario name is kept. */
export const SESSION_SCENARIO_KEY = 'scenario'

/** `/__mock`, `/__mock/...` or `/__mock?...`, and not `/__mockery`. */
function isAdmin (url: string): boolean {
  if (!url.startsWith(ADMIN_PREFIX)) return false
  const next = url.charCodeAt(ADMIN_PREFIX.length)
  return Number.isNaN(next) || next === 47 || next === 63 // end, '/', '?'
}

/**
 * A header's first value. Callers read each header at its own site: one shared lookup of three
 * names would be a megamorphic property load on every request.
 */
function first (v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
}

export function createContextHook (options: ContextHookOptions) {
  const { store, scenarios, clock, seed } = options
  // A Map: keys arrive as fresh strings, and only own entries may match ("constructor" is no key).
  const keys = new Map(Object.entries(options.keys))
  return function contextHook (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (isAdmin(request.url)) {
      request.mock = null
      done()
      return
    }
    const headers = request.headers
    const sessionId = first(headers[SESSION_HEADER]) ?? DEFAULT_SESSION
    if (sessionId !== DEFAULT_SESSION && !SESSION_ID.test(sessionId)) {
      done(new AurionError('bad_request', `${SESSION_HEADER} must be 1-128 letters, digits or ._:@-`))
      return
    }
    const session = store.session(sessionId)
    const wanted = first(headers[SCENARIO_HEADER]) ?? (session.get<string>(SESSION_SCENARIO_KEY) as string | undefined)
    const scenario = wanted === undefined ? scenarios.default : scenarios.get(wanted)
    if (scenario === undefined) {
      done(new AurionError('bad_request', `Unknown scenario "${wanted}"; loaded: ${scenarios.list().map((s) => s.scenario.name).join(', ')}`))
      return
    }
    const apiKey = first(headers['x-api-key'])
    const q = request.url.indexOf('?')
    const path = q === -1 ? request.url : request.url.slice(0, q)
    request.mock = {
      session,
      scenario,
      seed: scenario.scenario.seed ?? seed,
      apiKey,
      scopes: NO_SCOPES,
      arrivedAt: clock.now(),
      path,
      decision: undefined,
      idempotencyKey: undefined,
      replayed: false,
      handled: false,
      journaled: false
    }
    if (!path.startsWith('/api/')) {
      done()
      return
    }
    const scopes = apiKey === undefined ? undefined : keys.get(apiKey)
    if (scopes === undefined) {
      done(new AurionError('unauthorized'))
      return
    }
    request.mock.scopes = scopes
    const access = checkAccess(scopes, request.method, path)
    if (access.kind === 'denied-path') done(new AurionError('forbidden', 'API keys are not permitted for this endpoint'))
    else if (access.kind === 'missing-scope') done(new AurionError('forbidden', `API key lacks required scope: ${access.scope}`))
    else done()
  }
}
