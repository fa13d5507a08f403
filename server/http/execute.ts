// Carries out a scenario decision: the one place where what the engine decided becomes what the
// client gets. A decision acts at two moments of a request, so there are two entry points:
//   before the handler: a scripted answer, or a connection fault, instead of the Aurion answer;
//   after the handler:  latency, the Idempotency-Key record, a committed operation's lost answer,
//                       the fault header, the journal entry, and a body or connection fault.

import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Socket } from 'node:net'
import type { FaultIO, FaultKind } from '../faults/index.js'
import type { Decision } from '../scenario/engine.js'
import type { MaybePromise } from '../store/types.js'
import type { Clock } from '../util/clock.js'
import { FAULT_HEADER } from './context.js'
import type { Journal, Outcome } from './journal.js'

export interface ExecuteOptions {
  clock: Clock
  journal: Journal
  /** Adds the X-Mock-Fault header to answers a rule changed. */
  faultHeader: boolean
  /** Sockets held by faults, destroyed when the server closes. */
  held: Set<Socket>
  /** The fault kinds decisions may name (the registry's, or a list given to buildApp). */
  faultKinds: readonly FaultKind[]
}

/** Stores the handler's answer under the request's Idempotency-Key (the policy's), before the client's answer is decided. */
export type KeepAnswer = (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>

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

/** What the journal keeps of an answer: was the operation done, what did it create, which error. */
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

export function createExecutor (options: ExecuteOptions) {
  const { clock, journal, faultHeader, held } = options
  const kinds = new Map(options.faultKinds.map((k) => [k.type, k]))

  function faultIO (request: FastifyRequest, reply: FastifyReply, payload: Buffer): FaultIO {
    return { socket: request.raw.socket, clock, held, payload, setHeader: (name, value) => { reply.header(name, value) } }
  }

  /**
   * Before the handler. Answers with the decision's scripted answer, or drops the connection with
   * its fault; says true when the request goes on to the handler (no decision, a pass, a commit).
   */
  async function before (request: FastifyRequest, reply: FastifyReply, d: Decision): Promise<boolean> {
    if (d.commit) return true
    const kind = d.fault === undefined ? undefined : kinds.get(d.fault.type)
    if (kind?.phase === 'connection') {
      // No answer will be sent, so the latency is served here rather than after the handler.
      if (d.latencyMs > 0) await clock.sleep(d.latencyMs)
      reply.hijack()
      await journal.record(request, 0, { committed: false })
      await kind.act(faultIO(request, reply, Buffer.alloc(0)), d.fault!)
      return false
    }
    if (d.answer === undefined) return true
    reply.code(d.answer.status).headers(d.answer.headers)
    const body = d.answer.body
    // A scripted content type with a JSON body: serialise it ourselves, Fastify only does so for JSON types.
    reply.send(body !== undefined && typeof body !== 'string' && d.answer.headers['content-type'] !== undefined ? JSON.stringify(body) : body)
    return false
  }

  /** After the handler (or an early answer): what is finally sent, journaled once. */
  async function after (request: FastifyRequest, reply: FastifyReply, payload: unknown, keep: KeepAnswer): Promise<unknown> {
    // Refused before the pipeline knew the request (401, 403, a bad session id): nothing to carry out or journal.
    if (request.mock == null) return payload
    const d = request.mock.decision
    // The latency comes before the answer is stored, so the request counts as in flight while it waits.
    if (d !== undefined && d.latencyMs > 0) await clock.sleep(d.latencyMs)
    const answer = await keep(request, reply, payload)
    const handlerStatus = reply.statusCode
    if (d === undefined) {
      await journal.record(request, handlerStatus, outcomeOf(request, handlerStatus, answer, handlerStatus, answer, retryAfterOf(reply)))
      return answer
    }
    if (faultHeader && !(d.pass && d.fault === undefined && d.latencyMs === 0)) {
      reply.header(FAULT_HEADER, headerSafe(d.step === undefined ? d.rule : `${d.rule}; step=${d.step}`))
    }
    let out = answer
    if (d.commit && d.answer !== undefined) {
      // The operation is done (and its answer stored under any Idempotency-Key); the client gets this instead.
      reply.code(d.answer.status).headers(d.answer.headers)
      const body = d.answer.body
      out = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)
      if (d.answer.headers['content-type'] === undefined) reply.type(typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8')
    }
    const kind = d.fault === undefined ? undefined : kinds.get(d.fault.type)
    // A connection fault only reaches here after a committed operation (otherwise `before` dropped
    // the request): the client gets no answer at all, journaled as status 0.
    const status = kind?.phase === 'connection' ? 0 : reply.statusCode
    await journal.record(request, status, outcomeOf(request, handlerStatus, answer, reply.statusCode, out, retryAfterOf(reply)))
    if (kind === undefined) return out
    const sent = await kind.act(faultIO(request, reply, toBuffer(out)), d.fault!)
    return sent ?? out
  }

  /** Nothing to carry out: no decision, no Idempotency-Key held (refused requests have no context). */
  function isPlain (request: FastifyRequest): boolean {
    const ctx = request.mock
    return ctx == null || (ctx.decision === undefined && ctx.idempotencyKey === undefined)
  }

  /** The journal entry of a plain answer; a read that worked needs no outcome of its own. */
  function journalPlain (request: FastifyRequest, reply: FastifyReply, payload: unknown): MaybePromise<void> {
    const ctx = request.mock
    if (ctx == null) return
    const status = reply.statusCode
    if (status < 400 && status !== 201 && !reply.hasHeader('retry-after')) return journal.record(request, status, ctx.handled ? COMMITTED : NOT_COMMITTED)
    return journal.record(request, status, outcomeOf(request, status, payload, status, payload, retryAfterOf(reply)))
  }

  return { before, after, isPlain, journalPlain }
}
