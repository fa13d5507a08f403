// preValidation: asks the scenario engine what to do with the request and carries out what must
// happen before the handler (latency, an early scripted answer, a dropped connection).

import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../clock.js'
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
  return async function latencyHook (request: FastifyRequest, _reply: FastifyReply, payload: unknown): Promise<unknown> {
    const ms = request.mock?.decision?.latencyMs ?? 0
    if (ms > 0) await clock.sleep(ms)
    return payload
  }
}

export function createEngineHook (options: EngineHookOptions) {
  const { clock, journal, held } = options
  return async function engineHook (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const ctx = request.mock
    if (ctx === null || ctx.scenario.scenario.rules.length === 0) return
    const q = request.url.indexOf('?')
    const facts: RequestFacts = {
      method: request.method,
      path: q === -1 ? request.url : request.url.slice(0, q),
      query: request.query as Record<string, unknown>,
      headers: request.headers,
      apiKey: ctx.apiKey,
      body: request.body
    }
    const d = await decide(ctx.scenario, facts, ctx.session, clock.now(), ctx.seed)
    if (d === undefined) return
    ctx.decision = d
    if (d.commit) return
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
      return
    }
    if (d.answer !== undefined) {
      reply.code(d.answer.status).headers(d.answer.headers)
      const body = d.answer.body
      // A scripted content type with a JSON body: serialise it ourselves, Fastify only does so for JSON types.
      if (body !== undefined && typeof body !== 'string' && d.answer.headers['content-type'] !== undefined) return reply.send(JSON.stringify(body))
      return reply.send(body)
    }
  }
}
