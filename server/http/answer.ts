// onSend, last: carries out what the decision says about the answer itself (the lost response of
// a committed operation, broken or slow bodies), marks injected faults, and journals the exchange.

import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Socket } from 'node:net'
import type { Clock } from '../util/clock.js'
import { FAULT_HEADER } from './context.js'
import { closeEmpty } from '../faults/empty.js'
import { dripStream } from '../faults/drip.js'
import { malform } from '../faults/malformed.js'
import { resetConnection } from '../faults/reset.js'
import { holdConnection } from '../faults/timeout.js'
import { truncatedStream } from '../faults/truncate.js'
import type { Journal, Outcome } from './journal.js'

export interface AnswerHookOptions {
  clock: Clock
  journal: Journal
  faultHeader: boolean
  held: Set<Socket>
}

function retryAfterOf (reply: FastifyReply): number | undefined {
  const v = reply.getHeader('retry-after')
  return v === undefined ? undefined : Number(v)
}

/** A field of a JSON payload, read only for the few answers that need it (creates and errors). */
function jsonField (payload: unknown, field: string): string | number | undefined {
  if (typeof payload !== 'string' || payload === '') return undefined
  try {
    const v = (JSON.parse(payload) as Record<string, unknown>)[field]
    return typeof v === 'string' || typeof v === 'number' ? v : undefined
  } catch {
    return undefined
  }
}

function outcomeOf (request: FastifyRequest, handlerStatus: number, handlerPayload: unknown, status: number, payload: unknown, retryAfter: number | undefined): Outcome {
  const handled = request.mock?.handled === true
  const committed = handled && handlerStatus < 400
  const outcome: Outcome = { retryAfter, committed }
  if (committed && handlerStatus === 201) outcome.resourceId = jsonField(handlerPayload, 'id')
  if (status >= 400) outcome.error = jsonField(payload, 'error') as string | undefined
  return outcome
}

const COMMITTED: Outcome = Object.freeze({ retryAfter: undefined, committed: true })
const NOT_COMMITTED: Outcome = Object.freeze({ retryAfter: undefined, committed: false })

/** Rule names may hold any text; a header value may not. */
function headerSafe (text: string): string {
  // Whole code points (the u flag), so astral characters are not split into lone surrogates.
  return /^[\x20-\x7e]*$/.test(text) ? text : text.replace(/[^\x20-\x7e]/gu, (c) => encodeURIComponent(c))
}

function toBuffer (payload: unknown): Buffer {
  if (Buffer.isBuffer(payload)) return payload
  return Buffer.from(typeof payload === 'string' ? payload : '')
}

export function createAnswerHook (options: AnswerHookOptions) {
  const { clock, journal, faultHeader, held } = options
  async function carryOut (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const d = request.mock!.decision!
    const handlerStatus = reply.statusCode
    if (faultHeader && !(d.pass && d.fault === undefined && d.latencyMs === 0)) {
      reply.header(FAULT_HEADER, headerSafe(d.step === undefined ? d.rule : `${d.rule}; step=${d.step}`))
    }
    let out = payload
    if (d.commit && d.answer !== undefined) {
      // The operation is done (and its answer stored under any Idempotency-Key); the client gets this instead.
      reply.code(d.answer.status).headers(d.answer.headers)
      const body = d.answer.body
      out = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)
      if (d.answer.headers['content-type'] === undefined) reply.type(typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
    }
    const fault = d.fault
    // Connection faults only reach here after a committed operation (otherwise the engine hook
    // hijacked the request): the client gets no answer at all, journaled as status 0.
    const dropped = fault !== undefined && (fault.type === 'reset' || fault.type === 'empty' || fault.type === 'timeout')
    journal.record(request, dropped ? 0 : reply.statusCode, outcomeOf(request, handlerStatus, payload, reply.statusCode, out, retryAfterOf(reply)))
    if (fault === undefined) return out
    const socket = request.raw.socket
    switch (fault.type) {
      case 'reset':
        resetConnection(socket)
        return out
      case 'empty':
        closeEmpty(socket)
        return out
      case 'timeout':
        held.add(socket)
        await holdConnection(socket, fault.holdMs ?? 30_000, clock)
        held.delete(socket)
        return out
      case 'malformed':
        return malform(toBuffer(out).toString())
      case 'truncate': {
        const bytes = toBuffer(out)
        // With no body to cut (204, an empty answer) the connection is cut before the answer.
        if (bytes.length < 2) {
          resetConnection(socket)
          return out
        }
        reply.header('content-length', bytes.length)
        return truncatedStream(bytes, fault.keep ?? 0.5)
      }
      case 'drip':
        return dripStream(toBuffer(out), fault.chunkBytes ?? 16, fault.everyMs ?? 100, clock)
    }
  }

  // Callback style with a synchronous fast path for the requests no rule touched.
  return function answerHook (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void): void {
    const ctx = request.mock
    if (ctx == null) {
      done(null, payload)
      return
    }
    if (ctx.decision === undefined) {
      const status = reply.statusCode
      // The everyday answer (a read that worked) needs no outcome of its own.
      const plain = status < 400 && status !== 201 && !reply.hasHeader('retry-after')
      journal.record(request, status, plain ? (ctx.handled ? COMMITTED : NOT_COMMITTED) : outcomeOf(request, status, payload, status, payload, retryAfterOf(reply)))
      done(null, payload)
      return
    }
    carryOut(request, reply, payload).then((out) => done(null, out), done)
  }
}
