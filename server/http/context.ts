// What the API pipeline attaches to each request (a `decorateRequest` value), typed where it is
// defined, and the names the mock reads from requests. Each field has one writer, named below.

import type { Decision } from '../scenario/engine.js'
import type { CompiledScenario } from '../scenario/compile.js'
import type { SessionState } from '../store/types.js'
import type { Scope } from '../auth/keys.js'

/** Fields are written by authenticate, except: decision (decide), idempotencyKey and replayed (the idempotency policy), handled (preHandler), journaled (the journal). */
export interface MockRequestContext {
  session: SessionState
  scenario: CompiledScenario
  /** The seed of the active scenario (its own, or the server's). */
  seed: number
  apiKey: string | undefined
  scopes: readonly Scope[]
  /** The clock's time when the request arrived. */
  arrivedAt: number
  /** The URL without its query string, cut once for every layer. */
  path: string
  decision: Decision | undefined
  /** Set while an Idempotency-Key request holds its record. */
  idempotencyKey: string | undefined
  replayed: boolean
  /** The resource handler ran (not an early scripted answer, not a replay). */
  handled: boolean
  journaled: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the API pipeline's first step (authenticate); null until then, and outside the API routes. */
    mock: MockRequestContext | null
  }
}


export const ADMIN_PREFIX = '/__mock'
export const SESSION_HEADER = 'x-mock-session'
export const SCENARIO_HEADER = 'x-mock-scenario'
export const FAULT_HEADER = 'x-mock-fault'
export const DEFAULT_SESSION = 'default'
/** What a session id may be, from a header, the admin API or the URL (`/s/<id>/`, url-session.ts). */
export const SESSION_ID = /^[A-Za-z0-9._:@-]{1,128}$/
