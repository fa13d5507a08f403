// preValidation: asks the scenario engine what to do with the request and carries out what must
// happen before the handler (latency, an early scripted answer, a dropped connection).

import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../util/clock.js'
import { decide } from '../scenario/engine.js'
import type { RequestFacts } from '../scenario/match.js'
import { resetConnection } from '../faults/reset.js'
import { closeEmpty } from '../faults/empty.js'
import { holdConnection } from '../faults/timeout.js'
import type { Journal } from './journal.js'

export interface EngineHookOptions {
  clock: Clock
  journal: Journal
  /** Sockets held by timeout faults, released when the server closes. */
  held: Set<import('node:net').Socket>
}

/** Faults that replace the whole exchange when they do not follow a committed operation. */
const CONNECTION_FAULTS = new Set(['reset', 'empty', 'timeout'])

/**
 * onSend, first: the decision's latency, added once the answer is ready and before it is stored
 * under an Idempotency-Key, so the request counts as in flight while it waits.
 */
export function createLatencyHook (clock: Clock) {
  return function latencyHook (request: FastifyRequest, _reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void): void {
    const ms = request.mock?.decision?.latencyMs ?? 0
    if (ms <= 0) {
      done(null, payload)
      return
    }
    clock.sleep(ms).then(() => done(null, payload), done)
  }
}

/** Whether the request goes on to the handler (false: answered or hijacked here). */
type Carry = boolean

export function createEngineHook (options: EngineHookOptions) {
  const { clock, journal, held } = options

  async function carryOut (request: FastifyRequest, reply: FastifyReply, path: string): Promise<Carry> {
    const ctx = request.mock!
    const facts: RequestFacts = {
      method: request.method,
      path,
      query: request.query as Record<string, unknown>,
      headers: request.headers,
      apiKey: ctx.apiKey,
      body: request.body
    }
    const d = await decide(ctx.scenario, facts, ctx.session, clock.now(), ctx.seed)
    if (d === undefined) return true
    ctx.decision = d
    if (d.commit) return true
    const fault = d.fault?.type
    if (fault !== undefined && CONNECTION_FAULTS.has(fault)) {
      // No answer will be sent, so latency is served here; otherwise the latency hook adds it.
      if (d.latencyMs > 0) await clock.sleep(d.latencyMs)
      reply.hijack()
      journal.record(request, 0, { committed: false })
      const socket = request.raw.socket
      if (fault === 'reset') resetConnection(socket)
      else if (fault === 'empty') closeEmpty(socket)
      else {
        held.add(socket)
        await holdConnection(socket, d.fault?.holdMs ?? 30_000, clock)
        held.delete(socket)
      }
      return false
    }
    if (d.answer === undefined) return true
    reply.code(d.answer.status).headers(d.answer.headers)
    const body = d.answer.body
    // A scripted content type with a JSON body: serialise it ourselves, Fastify only does so for JSON types.
    reply.send(body !== undefined && typeof body !== 'string' && d.answer.headers['content-type'] !== undefined ? JSON.stringify(body) : body)
    return false
  }

  // Callback style with a synchronous fast path: most requests meet no rule that could match.
  return function engineHook (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void {
    const ctx = request.mock
    if (ctx == null) {
      done()
      return
    }
    if (ctx.scenario.candidates(request.method, ctx.path).length === 0) {
      done()
      return
    }
    carryOut(request, reply, ctx.path).then((carry) => { if (carry) done() }, done)
  }
}
