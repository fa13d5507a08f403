// Idempotency-Key (decision 6 of the API notes): the first answer is stored per API key and
// replayed with Idempotent-Replayed: true; a different body, or a first request still running,
// gets 409 idempotency_conflict. Only answers of a route's handler are stored (the key is claimed
// in preHandler), so 400, 401, 403, 422, 429 and scripted faults, all given earlier, leave the key
// free for a corrected retry; 5xx and 429 are not stored either, so a retry may succeed.

import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../util/clock.js'
import { AurionError } from '../errors.js'
import { canonicalJson } from '../http/journal.js'
import { createHash } from 'node:crypto'

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255
const METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** Response headers that belong to one exchange and are not replayed. */
const NOT_REPLAYED = new Set(['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'x-mock-fault', 'retry-after'])

type IdempotencyRecord = { id: string; fingerprint: string; expires: number } & (
  | { state: 'in-flight' }
  | { state: 'done'; status: number; headers: Record<string, string>; payload: string }
)

/** Idempotency records live in their own collection, which forgets its oldest past its limit. */
export const IDEMPOTENCY_COLLECTION = 'idempotency'

function fingerprintOf (request: FastifyRequest): string {
  return createHash('sha256').update(`${request.method} ${request.mock!.path}\n${canonicalJson(request.body ?? null)}`).digest('hex')
}

/** The body's fingerprint, made once at claim time and reused when the answer is stored. */
const fingerprints = new WeakMap<object, string>()

export function createIdempotencyHooks (options: { clock: Clock; ttlMs: number }) {
  const { clock, ttlMs } = options

  /**
   * Marks the key as held by this request. Every answer passes onSend, which stores or frees the
   * key, even when the client has gone (the lost response is then replayed to its retry). Only a
   * reply taken over for a dropped connection never gets there: the response's close frees its
   * key. A listener on keyed requests only, rather than an onResponse hook, which would make
   * Fastify watch every response.
   */
  function hold (request: FastifyRequest, reply: FastifyReply, slot: string): void {
    const ctx = request.mock!
    ctx.idempotencyKey = slot
    reply.raw.once('close', release)
    function release (): void {
      // Not hijacked: onSend is still coming (a client that left during latency, say).
      if (ctx.idempotencyKey !== slot || !reply.sent || reply.raw.writableEnded) return
      ctx.idempotencyKey = undefined
      Promise.resolve(ctx.session.collection(IDEMPOTENCY_COLLECTION).delete(slot)).catch(() => {})
    }
  }

  async function claim (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const ctx = request.mock!
    const raw = request.headers['idempotency-key']
    const key = Array.isArray(raw) ? raw[0] : raw
    if (key === undefined) return
    if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new AurionError('bad_request', `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`)
    }
    const slot = `${ctx.apiKey ?? ''}\u0000${key}`
    const records = ctx.session.collection<IdempotencyRecord>(IDEMPOTENCY_COLLECTION)
    const fingerprint = fingerprintOf(request)
    fingerprints.set(ctx, fingerprint)
    const now = clock.now()
    const fresh: IdempotencyRecord = { id: slot, state: 'in-flight', fingerprint, expires: now + ttlMs }
    if (await records.insert(fresh)) {
      hold(request, reply, slot)
      return
    }
    const existing = await records.get(slot)
    if (existing === undefined || existing.expires <= now) {
      await records.put(fresh)
      hold(request, reply, slot)
      return
    }
    if (existing.fingerprint !== fingerprint) {
      throw new AurionError('idempotency_conflict', 'Idempotency-Key reused with a different request body')
    }
    if (existing.state === 'in-flight') {
      throw new AurionError('idempotency_conflict', 'A request with this Idempotency-Key is still being processed; retry later')
    }
    ctx.replayed = true
    ctx.handled = false
    reply.code(existing.status).headers(existing.headers).header('idempotent-replayed', 'true')
    return reply.send(existing.payload)
  }

  async function store (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const ctx = request.mock!
    const slot = ctx.idempotencyKey!
    ctx.idempotencyKey = undefined
    const status = reply.statusCode
    const body = payload ?? ''
    const records = ctx.session.collection<IdempotencyRecord>(IDEMPOTENCY_COLLECTION)
    if (status >= 500 || status === 429 || typeof body !== 'string') {
      await records.delete(slot)
      return payload
    }
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined && !NOT_REPLAYED.has(name)) headers[name] = String(value)
    }
    const fingerprint = fingerprints.get(ctx) ?? fingerprintOf(request)
    await records.put({ id: slot, state: 'done', fingerprint, expires: clock.now() + ttlMs, status, headers, payload: body })
    return payload
  }

  // The hooks are callback style with synchronous fast paths: most requests carry no key.
  function preHandler (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void {
    const ctx = request.mock
    if (ctx == null) {
      done()
      return
    }
    ctx.handled = true
    if (!METHODS.has(request.method) || request.headers['idempotency-key'] === undefined) {
      done()
      return
    }
    // A replay has answered already: the handler must not run.
    claim(request, reply).then(() => { if (!ctx.replayed) done() }, done)
  }

  /** Stores the handler's answer under the request's key, if it holds one; gives back the payload. */
  async function keep (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    if (request.mock?.idempotencyKey === undefined) return payload
    return await store(request, reply, payload)
  }

  return { preHandler, keep }
}
