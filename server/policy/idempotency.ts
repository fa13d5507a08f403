// Idempotency-Key (decision 6 of the API notes) as a policy: (request facts, session, now) ->
// verdict. The first answer is stored per API key and replayed; a different body, or a first
// request still running, is a conflict. The key is claimed in ONE store call, so of concurrent
// requests with one key exactly one proceeds. 5xx and 429 answers are not stored (the key is
// freed), so a retry may succeed. idempotency-hooks.ts carries the verdicts out in Fastify.

import { createHash } from 'node:crypto'
import { canonicalJson } from '../http/journal.js'
import { andThen } from '../store/maybe.js'
import type { MaybePromise, SessionState } from '../store/types.js'

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255
/** Methods whose Idempotency-Key is honoured. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** Response headers that belong to one exchange and are not replayed. */
const NOT_REPLAYED: ReadonlySet<string> = new Set(['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'x-mock-fault', 'retry-after'])

/** An answer as stored, and as replayed with Idempotent-Replayed: true. */
export interface StoredAnswer {
  status: number
  headers: Record<string, string>
  payload: string
}

/** What holds a key: a request still running, or the answer it gave. */
export type IdempotencyRecord = { fingerprint: string } & ({ state: 'in-flight' } | { state: 'done'; answer: StoredAnswer })

/** The facts of a request the policy reads. */
export interface KeyedRequest {
  method: string
  path: string
  apiKey: string | undefined
  /** The Idempotency-Key header as given. */
  key: string
  body: unknown
}

/** A key this request holds until its answer is stored or the key freed. */
export interface HeldKey {
  slot: string
  fingerprint: string
}

export type IdempotencyVerdict =
  | { kind: 'invalid'; message: string }
  | { kind: 'proceed'; held: HeldKey }
  | { kind: 'replay'; answer: StoredAnswer }
  | { kind: 'conflict'; message: string }

/** The Idempotency-Key a request carries when the policy applies to it (a keyed POST, PUT, PATCH or DELETE). */
export function idempotencyKeyOf (method: string, header: string | string[] | undefined): string | undefined {
  if (header === undefined || !IDEMPOTENT_METHODS.has(method)) return undefined
  return Array.isArray(header) ? header[0] : header
}

function fingerprintOf (request: KeyedRequest): string {
  return createHash('sha256').update(`${request.method} ${request.path}\n${canonicalJson(request.body ?? null)}`).digest('hex')
}

/**
 * Claims the request's key in its session at `now`: `proceed` when it is now this request's (it
 * must end in `settleIdempotencyKey` or `releaseIdempotencyKey`), `replay` with the stored answer
 * for the same body, `conflict` for another body or a first request still running.
 */
export function claimIdempotencyKey (session: SessionState, request: KeyedRequest, now: number, ttlMs: number): MaybePromise<IdempotencyVerdict> {
  const key = request.key
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return { kind: 'invalid', message: `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` }
  }
  const held: HeldKey = { slot: `${request.apiKey ?? ''}\u0000${key}`, fingerprint: fingerprintOf(request) }
  const marker: IdempotencyRecord = { fingerprint: held.fingerprint, state: 'in-flight' }
  return andThen(session.claim<IdempotencyRecord>(held.slot, marker, ttlMs, now), (claim): IdempotencyVerdict => {
    if (claim.claimed) return { kind: 'proceed', held }
    const holder = claim.holder
    if (holder.fingerprint !== held.fingerprint) return { kind: 'conflict', message: 'Idempotency-Key reused with a different request body' }
    if (holder.state === 'in-flight') return { kind: 'conflict', message: 'A request with this Idempotency-Key is still being processed; retry later' }
    return { kind: 'replay', answer: holder.answer }
  })
}

/**
 * Ends a held key with the answer its request got: stored for replay (with the headers that
 * belong to the answer), or the key freed for a 5xx, a 429 or a body that is not text.
 */
export function settleIdempotencyKey (session: SessionState, held: HeldKey, status: number, headers: Record<string, unknown>, payload: unknown, now: number, ttlMs: number): MaybePromise<void> {
  const body = payload ?? ''
  if (status >= 500 || status === 429 || typeof body !== 'string') return session.releaseClaim(held.slot)
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !NOT_REPLAYED.has(name)) kept[name] = String(value)
  }
  const record: IdempotencyRecord = { fingerprint: held.fingerprint, state: 'done', answer: { status, headers: kept, payload: body } }
  return session.keepClaim(held.slot, record, ttlMs, now)
}

/** Frees a held key without an answer (the connection was dropped before one was sent). */
export function releaseIdempotencyKey (session: SessionState, held: HeldKey): MaybePromise<void> {
  return session.releaseClaim(held.slot)
}
