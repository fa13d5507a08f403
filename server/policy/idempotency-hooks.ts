// The Fastify side of Idempotency-Key: claims in preHandler (so only answers of a route's handler
// are stored: 400, 401, 403, 422, 429 and scripted faults, all given earlier, leave the key free
// for a corrected retry), stores or frees the key in onSend.

import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../util/clock.js'
import { AurionError } from '../errors.js'
import type { MockRequestContext } from '../http/context.js'
import { claimIdempotencyKey, idempotencyKeyOf, releaseIdempotencyKey, settleIdempotencyKey, type HeldKey } from './idempotency.js'

export function createIdempotencyHooks (options: { clock: Clock; ttlMs: number }) {
  const { clock, ttlMs } = options
  /** The key each keyed request holds, by its context. */
  const heldBy = new WeakMap<MockRequestContext, HeldKey>()

  /**
   * Marks the key as held by this request. Every answer passes onSend, which stores or frees the
   * key, even when the client has gone (the lost response is then replayed to its retry). Only a
   * reply taken over for a dropped connection never gets there: the response's close frees its
   * key. A listener on keyed requests only, rather than an onResponse hook, which would make
   * Fastify watch every response.
   */
  function hold (ctx: MockRequestContext, reply: FastifyReply, held: HeldKey): void {
    ctx.idempotencyKey = held.slot
    heldBy.set(ctx, held)
    reply.raw.once('close', () => {
      // Not hijacked: onSend is still coming (a client that left during latency, say).
      if (ctx.idempotencyKey !== held.slot || !reply.sent || reply.raw.writableEnded) return
      ctx.idempotencyKey = undefined
      Promise.resolve(releaseIdempotencyKey(ctx.session, held)).catch(() => {})
    })
  }

  async function claim (request: FastifyRequest, reply: FastifyReply, ctx: MockRequestContext, key: string): Promise<void> {
    const verdict = await claimIdempotencyKey(ctx.session, { method: request.method, path: ctx.path, apiKey: ctx.apiKey, key, body: request.body }, clock.now(), ttlMs)
    switch (verdict.kind) {
      case 'invalid':
        throw new AurionError('bad_request', verdict.message)
      case 'conflict':
        throw new AurionError('idempotency_conflict', verdict.message)
      case 'proceed':
        hold(ctx, reply, verdict.held)
        return
      case 'replay':
        ctx.replayed = true
        ctx.handled = false
        void reply.code(verdict.answer.status).headers(verdict.answer.headers).header('idempotent-replayed', 'true').send(verdict.answer.payload)
    }
  }

  // The hooks are callback style with synchronous fast paths: most requests carry no key.
  function preHandler (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void {
    const ctx = request.mock
    if (ctx == null) {
      done()
      return
    }
    ctx.handled = true
    const key = idempotencyKeyOf(request.method, request.headers['idempotency-key'])
    if (key === undefined) {
      done()
      return
    }
    // A replay has answered already: the handler must not run.
    claim(request, reply, ctx, key).then(() => { if (!ctx.replayed) done() }, done)
  }

  /** Stores the handler's answer under the request's key, if it holds one; gives back the payload. */
  async function keep (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const ctx = request.mock
    const held = ctx?.idempotencyKey === undefined ? undefined : heldBy.get(ctx)
    if (ctx == null || held === undefined) return payload
    ctx.idempotencyKey = undefined
    await settleIdempotencyKey(ctx.session, held, reply.statusCode, reply.getHeaders(), payload, clock.now(), ttlMs)
    return payload
  }

  return { preHandler, keep }
}
