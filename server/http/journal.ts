// Writes one journal entry per request into its session: what was asked, what fired, what went out.

import type { FastifyRequest } from 'fastify'
import { createHash } from 'node:crypto'
import type { Clock } from '../util/clock.js'
import { maskKey } from '../auth/keys.js'
import { isPending } from '../store/maybe.js'
import type { MaybePromise, NewJournalEntry } from '../store/types.js'

/** What the answer hook knows of the outcome beyond the status. */
export interface Outcome {
  /** The Retry-After the answer advertised, if any. */
  retryAfter?: number | undefined
  committed?: boolean | undefined
  resourceId?: string | number | undefined
  error?: string | undefined
}

export interface Journal {
  /**
   * Appends the request's entry to its session. A shared store's write is waited for, so a report
   * read next (from any replica) holds it; its failure is only logged: the answer goes out whatever
   * became of its entry.
   */
  record (request: FastifyRequest, status: number, outcome?: Outcome): MaybePromise<void>
}

/** A short, stable fingerprint of a JSON body (canonical key order). */
export function bodyFingerprint (body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined
  return createHash('sha256').update(canonicalJson(body)).digest('hex').slice(0, 16)
}

/** JSON with object keys sorted, so equal bodies compare equal whatever their key order. */
export function canonicalJson (value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
  return `{${entries.join(',')}}`
}

export function createJournal (clock: Clock): Journal {
  // The same few keys arrive on every request: mask each once (bounded, keys come from clients).
  const masked = new Map<string, string>()
  const mask = (key: string): string => {
    let m = masked.get(key)
    if (m === undefined) {
      m = maskKey(key)
      if (masked.size < 1000) masked.set(key, m)
    }
    return m
  }
  return {
    record (request, status, outcome = {}) {
      const ctx = request.mock
      if (ctx == null || ctx.journaled) return
      ctx.journaled = true
      const now = clock.now()
      const d = ctx.decision
      const idem = request.headers['idempotency-key']
      // One shape for every request; the store keeps only the fields that are set.
      const entry: NewJournalEntry = {
        at: ctx.arrivedAt,
        method: request.method,
        path: ctx.path,
        status,
        durationMs: now - ctx.arrivedAt,
        scenario: ctx.scenario.scenario.name,
        apiKey: ctx.apiKey === undefined ? undefined : mask(ctx.apiKey),
        idempotencyKey: typeof idem === 'string' ? idem : undefined,
        bodyHash: bodyFingerprint(request.body),
        rule: d?.rule,
        step: d?.step,
        fault: d?.fault?.type,
        retryAfter: outcome.retryAfter,
        committed: outcome.committed,
        resourceId: outcome.resourceId,
        error: outcome.error,
        replayed: ctx.replayed ? true : undefined
      }
      if (d !== undefined && (!d.pass || d.fault !== undefined || d.latencyMs > 0)) {
        request.log.info({ session: ctx.session.id, scenario: entry.scenario, rule: d.rule, step: d.step, reason: d.reason, status, fault: entry.fault, latencyMs: d.latencyMs, method: entry.method, path: entry.path }, 'injected fault')
      }
      const written = ctx.session.appendJournal(entry)
      if (isPending(written)) return written.catch((err: unknown) => { request.log.warn({ err }, 'journal entry not written') })
    }
  }
}
