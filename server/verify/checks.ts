// The retry checks: each judges one operation (or, for jitter, the session) against the policy.

import { backoffBoundMs, type Expect } from '../expect/index.js'
import { describeAnswer, formatSeconds, plural } from './format.js'
import type { ReceiverCheckName } from './receiver.js'
import { type Attempt, isDropped, type Operation, operationLabel, sawSuccess } from './operations.js'

/** Jitter is judged at a retry where at least this many operations backed off: fewer random waits can fall close together by chance. */
export const JITTER_MIN_OPERATIONS = 6
/** Waits that all lie within this many ms of each other are in lockstep (a wait measured twice differs by about a millisecond). */
export const JITTER_SPREAD_MS = 3
/** At most this many violations are spelled out in one message. */
const MAX_LISTED = 3

export type CheckName = 'maxAttempts' | 'respectRetryAfter' | 'noRetryOn4xx' | 'backoff' | 'jitter' | 'idempotencyKeysOnPost' | 'noDuplicates' | ReceiverCheckName

export interface AttemptEvidence {
  /** The operation, in session-wide evidence. */
  operation?: string
  n: number
  at: number
  status: number
  retryAfter?: number
  gapMs?: number
  durationMs: number
  fault?: string
  idempotencyKey?: string
  /** The scenario rule and step that answered. */
  rule?: string
  step?: number
  /** The backoff bound this retry had to wait (before tolerance), when backoff governed it. */
  backoffMs?: number
  /** This attempt broke the rule. */
  flagged?: boolean
}

export interface CheckResult {
  name: CheckName
  passed: boolean
  message: string
  evidence: { attempts: AttemptEvidence[] }
}

interface Violation {
  n: number
  text: string
}

export interface CheckContext {
  expect: Expect
  /** Every operation of the session, in order (for checks that look across operations). */
  operations: readonly Operation[]
  /** Operations with the same API key, method, path and body as `op`, `op` included, in order. */
  peers (op: Operation): readonly Operation[]
  windowMs: number
}

export interface EvidenceOptions {
  /** Names the operation, in session-wide evidence. */
  operation?: string
  flagged?: boolean
  /** The bound this attempt had to wait, if backoff governed it. */
  backoffMs?: number | undefined
}

/** One attempt as evidence. */
export function evidenceOf (attempt: Attempt, options: EvidenceOptions = {}): AttemptEvidence {
  const e = attempt.entry
  const out: AttemptEvidence = { n: attempt.n, at: attempt.at, status: e.status, durationMs: e.durationMs }
  if (options.operation !== undefined) out.operation = options.operation
  if (options.flagged === true) out.flagged = true
  if (e.retryAfter !== undefined) out.retryAfter = e.retryAfter
  if (attempt.gapMs !== undefined) out.gapMs = attempt.gapMs
  if (options.backoffMs !== undefined) out.backoffMs = options.backoffMs
  if (e.fault !== undefined) out.fault = e.fault
  if (e.idempotencyKey !== undefined) out.idempotencyKey = e.idempotencyKey
  if (e.rule !== undefined) out.rule = e.rule
  if (e.step !== undefined) out.step = e.step
  return out
}

/** Every attempt of `op` as evidence, with the backoff bounds the policy set and `flagged` marked. */
export function evidenceOfOperation (op: Operation, expect: Expect, flagged: ReadonlySet<number> = new Set(), operation?: string): AttemptEvidence[] {
  const bounds = expect.backoff ? backoffBounds(op, expect) : new Map<Attempt, number>()
  return op.attempts.map((a) => {
    const options: EvidenceOptions = { flagged: flagged.has(a.n), backoffMs: bounds.get(a) }
    if (operation !== undefined) options.operation = operation
    return evidenceOf(a, options)
  })
}

function result (name: CheckName, op: Operation, expect: Expect, violations: Violation[], passMessage: string): CheckResult {
  const listed = violations.slice(0, MAX_LISTED).map((v) => v.text)
  const more = violations.length - listed.length
  const flagged = new Set(violations.map((v) => v.n))
  return {
    name,
    passed: violations.length === 0,
    message: violations.length === 0 ? passMessage : listed.join('; ') + (more > 0 ? `; and ${more} more` : ''),
    evidence: { attempts: evidenceOfOperation(op, expect, flagged) }
  }
}

function where (a: Attempt, op: Operation): string {
  return `(attempt ${a.n} of ${operationLabel(op)})`
}

/** Pairs of (answer, the retry that followed it). */
function retries (op: Operation): { prev: Attempt; next: Attempt; gapMs: number }[] {
  const out: { prev: Attempt; next: Attempt; gapMs: number }[] = []
  for (let i = 1; i < op.attempts.length; i++) {
    const prev = op.attempts[i - 1]
    const next = op.attempts[i]
    if (prev !== undefined && next !== undefined) out.push({ prev, next, gapMs: next.gapMs ?? 0 })
  }
  return out
}

/** Retries governed by backoff: after a 5xx or a dropped connection that advertised no Retry-After. */
export function backoffRetries (op: Operation): { prev: Attempt; next: Attempt; gapMs: number }[] {
  return retries(op).filter(({ prev }) => prev.entry.retryAfter === undefined && (isDropped(prev.entry) || prev.entry.status >= 500))
}

/** The backoff bound of each backoff-governed retry of `op`; retry n is attempt n + 1. */
export function backoffBounds (op: Operation, expect: Expect): Map<Attempt, number> {
  return new Map(backoffRetries(op).map(({ next }) => [next, backoffBoundMs(next.n - 1, expect)]))
}

/** "attempt 2 ended in a 503", as the explanations put an answer. */
function endedIn (a: Attempt): string {
  return `attempt ${a.n} ended in a ${describeAnswer(a.entry)}`
}

function lessTolerance (expect: Expect): string {
  return expect.toleranceMs === 0 ? '' : `, less ${formatSeconds(expect.toleranceMs)} tolerance`
}

/** Why retry `n` had to wait `bound`: the first bound, the growth, or the ceiling. */
function boundReason (n: number, bound: number, expect: Expect): string {
  if (expect.maxBackoffMs !== undefined && bound === expect.maxBackoffMs && bound < expect.minBackoffMs * expect.backoffFactor ** (n - 1)) return 'the maxBackoffMs ceiling'
  if (n === 1 || expect.backoffFactor === 1) return 'minBackoffMs'
  return `minBackoffMs ${formatSeconds(expect.minBackoffMs)} × ${expect.backoffFactor}^${n - 1}`
}

/** Stayed within `maxAttempts`, i.e. gave up after the last allowed attempt. */
export function checkMaxAttempts (op: Operation, { expect }: CheckContext): CheckResult {
  const count = op.attempts.length
  const extra = op.attempts.filter((a) => a.n > expect.maxAttempts).map((a) => ({ n: a.n, text: '' }))
  const r = result('maxAttempts', op, expect, extra, `made ${plural(count, 'attempt')}, within the ${expect.maxAttempts} allowed`)
  if (!r.passed) r.message = `made ${count} attempts, more than the ${expect.maxAttempts} allowed: give up after attempt ${expect.maxAttempts} and surface the last answer (${operationLabel(op)})`
  return r
}

/** Waited at least each advertised Retry-After (less the tolerance) before retrying. */
export function checkRetryAfter (op: Operation, { expect }: CheckContext): CheckResult | undefined {
  const governed = retries(op).filter(({ prev }) => prev.entry.retryAfter !== undefined)
  if (governed.length === 0) return undefined
  const violations = governed
    .filter(({ prev, gapMs }) => gapMs < (prev.entry.retryAfter ?? 0) * 1000 - expect.toleranceMs)
    .map(({ prev, next, gapMs }) => ({
      n: next.n,
      text: `retry ${next.n - 1} came ${formatSeconds(gapMs)} after ${endedIn(prev)} with Retry-After: ${prev.entry.retryAfter ?? 0}; it had to wait at least ${formatSeconds((prev.entry.retryAfter ?? 0) * 1000)}${lessTolerance(expect)} ${where(next, op)}`
    }))
  return result('respectRetryAfter', op, expect, violations, `waited at least the advertised Retry-After before ${governed.length === 1 ? 'its retry' : `each of ${governed.length} retries`}`)
}

/** Retried only retryable answers: never a 4xx outside `retryableStatuses`. */
export function checkRetryable (op: Operation, { expect }: CheckContext): CheckResult | undefined {
  const pairs = retries(op)
  if (pairs.length === 0) return undefined
  const violations = pairs
    .filter(({ prev }) => !isDropped(prev.entry) && prev.entry.status >= 400 && prev.entry.status < 500 && !expect.retryableStatuses.includes(prev.entry.status))
    .map(({ prev, next }) => ({ n: next.n, text: `retried a ${describeAnswer(prev.entry, true)}, which is not retryable ${where(next, op)}` }))
  const retried = pairs.map(({ prev }) => describeAnswer(prev.entry)).join(', ')
  return result('noRetryOn4xx', op, expect, violations, `retried only retryable answers (${retried})`)
}

/**
 * Before retry n after a 5xx or a dropped connection, waited at least the bound
 * min(minBackoffMs · backoffFactor^(n-1), maxBackoffMs), less the tolerance. Longer waits, jitter
 * above the bound and delays on the way only add to a wait, so a correct client always passes.
 */
export function checkBackoff (op: Operation, { expect }: CheckContext): CheckResult | undefined {
  const governed = backoffRetries(op)
  if (governed.length === 0) return undefined
  const violations: Violation[] = []
  const bounds: number[] = []
  for (const { prev, next, gapMs } of governed) {
    const n = next.n - 1
    const bound = backoffBoundMs(n, expect)
    bounds.push(bound)
    if (gapMs < bound - expect.toleranceMs) {
      violations.push({
        n: next.n,
        text: `retry ${n} came ${formatSeconds(gapMs)} after ${endedIn(prev)}; it had to wait at least ${formatSeconds(bound)} (${boundReason(n, bound, expect)})${lessTolerance(expect)} ${where(next, op)}`
      })
    }
  }
  const waits = governed.map((g) => formatSeconds(g.gapMs)).join(', ')
  const numbers = governed.map((g) => g.next.n - 1).join(', ')
  return result('backoff', op, expect, violations,
    `backed off ${waits} before ${governed.length === 1 ? `retry ${numbers}` : `retries ${numbers}`}, ${governed.length === 1 ? 'at least its bound' : 'each at least its bound'} (${bounds.map(formatSeconds).join(', ')})`)
}

function quoted (key: string | undefined): string {
  return key === undefined ? 'no key' : JSON.stringify(key)
}

/** POSTs carry an Idempotency-Key and every retry reuses it: no retry without it or under a new one. */
export function checkIdempotencyKey (op: Operation, { expect }: CheckContext): CheckResult | undefined {
  if (op.method !== 'POST') return undefined
  const [first] = op.attempts
  const key = first?.entry.idempotencyKey
  const count = op.attempts.length
  const keys = [...new Set(op.attempts.flatMap((a) => a.entry.idempotencyKey ?? []))]
  if (first === undefined || (key === undefined && keys.length === 0)) {
    const all = count === 1 ? '' : ` on any of its ${count} attempts`
    return result('idempotencyKeysOnPost', op, expect, [{ n: 1, text: `sent ${operationLabel(op)} without an Idempotency-Key${all}` }], '')
  }
  const violations: Violation[] = []
  if (key === undefined) violations.push({ n: 1, text: `sent attempt 1 without an Idempotency-Key ${where(first, op)}` })
  for (const a of op.attempts.slice(1)) {
    const own = a.entry.idempotencyKey
    if (own === key) continue
    violations.push({
      n: a.n,
      text: own === undefined
        ? `dropped its Idempotency-Key ${quoted(key)} on retry ${where(a, op)}`
        : `changed its Idempotency-Key from ${quoted(key)} to ${quoted(own)} on retry ${where(a, op)}`
    })
  }
  const r = result('idempotencyKeysOnPost', op, expect, violations, count === 1 ? `sent Idempotency-Key ${quoted(key)}` : `reused Idempotency-Key ${quoted(key)} on all ${count} attempts`)
  if (keys.length > 1) {
    const uses = new Map<string | undefined, number[]>()
    for (const a of op.attempts) uses.set(a.entry.idempotencyKey, [...(uses.get(a.entry.idempotencyKey) ?? []), a.n])
    const told = [...uses].map(([k, ns]) => `${quoted(k)} on ${ns.length === 1 ? 'attempt' : 'attempts'} ${ns.join(', ')}`).join(', ')
    r.message = `sent ${keys.length} different Idempotency-Keys for one request (${operationLabel(op)}): ${told}; reuse the first key on every retry, or an answer lost on the way becomes a duplicate`
  }
  return r
}

/** The attempt performed the operation (not a replay), whatever the client got; without `committed`, a 201 or an id says so. */
function created (a: Attempt): boolean {
  const e = a.entry
  if (e.replayed === true) return false
  return e.committed ?? (e.resourceId !== undefined || e.status === 201)
}

function idText (a: Attempt): string {
  return a.entry.resourceId === undefined ? '' : ` as id ${String(a.entry.resourceId)}`
}

/** ", under Idempotency-Key "k2" instead of "k1"" when two attempts used different keys. */
function keyChange (from: Attempt, to: Attempt): string {
  const oldKey = from.entry.idempotencyKey
  const newKey = to.entry.idempotencyKey
  if (oldKey === newKey) return ''
  return `; the retry used ${newKey === undefined ? 'no Idempotency-Key' : `a new Idempotency-Key ${quoted(newKey)}`} instead of ${quoted(oldKey)}`
}

/** An earlier operation on the same body whose create was committed but never seen by its client. */
function hiddenCreateBefore (op: Operation, first: Attempt, { peers, windowMs }: CheckContext): { op: Operation; attempt: Attempt } | undefined {
  for (const other of peers(op)) {
    if (other === op) continue
    const last = other.attempts.at(-1)
    const hidden = other.attempts.find(created)
    if (last === undefined || hidden === undefined || hidden.at >= first.at || other.attempts.some((a) => sawSuccess(a.entry))) continue
    if (first.at - last.endAt <= windowMs + (last.entry.retryAfter ?? 0) * 1000) return { op: other, attempt: hidden }
  }
  return undefined
}

/** No second resource for one request: neither within the operation nor by a later request for the same body. */
export function checkNoDuplicates (op: Operation, ctx: CheckContext): CheckResult | undefined {
  if (op.method !== 'POST') return undefined
  const { expect } = ctx
  const made = op.attempts.filter(created)
  const [first, second] = made
  const violations: Violation[] = []
  if (first !== undefined && second !== undefined) {
    const seen = sawSuccess(first.entry) ? '' : ` though the client got a ${describeAnswer(first.entry)}`
    violations.push({ n: second.n, text: `created ${made.length} resources for one request: attempt ${first.n} was committed${idText(first)}${seen}, then attempt ${second.n} created another${idText(second)}${keyChange(first, second)} ${where(second, op)}` })
  }
  const earlier = first === undefined ? undefined : hiddenCreateBefore(op, first, ctx)
  if (first !== undefined && earlier !== undefined) {
    violations.push({ n: first.n, text: `created a duplicate${idText(first)}: ${earlier.op.id} had already been committed${idText(earlier.attempt)} though its client got a ${describeAnswer(earlier.attempt.entry)}${keyChange(earlier.attempt, first)} ${where(first, op)}` })
  }
  const r = result('noDuplicates', op, expect, violations, first === undefined ? 'created nothing' : `created one resource${idText(first)}`)
  if (earlier !== undefined) {
    const flagged = new Set(violations.map((v) => v.n))
    r.evidence.attempts = [
      ...evidenceOfOperation(earlier.op, expect, new Set([earlier.attempt.n]), earlier.op.id),
      ...evidenceOfOperation(op, expect, flagged, op.id)
    ]
  }
  return r
}

/**
 * Across operations, backoff waits are not in lockstep. Judged at each retry number where at
 * least JITTER_MIN_OPERATIONS operations backed off (correctly); fails when at every judged
 * retry all those waits lie within JITTER_SPREAD_MS of each other. With the guidance's jitter
 * (0 to one unit, 100 ms or more) six waits fall that close by chance about once in 7 million.
 */
export function checkJitter (ctx: CheckContext): CheckResult | undefined {
  const { operations, expect } = ctx
  const byRetry = new Map<number, { op: Operation; next: Attempt; gapMs: number }[]>()
  for (const op of operations) {
    // Ops whose backoff already failed are that check's finding, not also a lack of jitter.
    if (expect.backoff && checkBackoff(op, ctx)?.passed === false) continue
    for (const { next, gapMs } of backoffRetries(op)) {
      const list = byRetry.get(next.n - 1) ?? []
      list.push({ op, next, gapMs })
      byRetry.set(next.n - 1, list)
    }
  }
  const judged = [...byRetry.entries()].filter(([, list]) => list.length >= JITTER_MIN_OPERATIONS).sort(([a], [b]) => a - b)
  if (judged.length === 0) return undefined
  const spreads = judged.map(([n, list]) => {
    const gaps = list.map((g) => g.gapMs)
    return { n, count: list.length, min: Math.min(...gaps), max: Math.max(...gaps) }
  })
  const varied = spreads.some((s) => s.max - s.min > JITTER_SPREAD_MS)
  const told = spreads.map((s) => `retry ${s.n}: ${s.count} operations, ${formatSeconds(s.min)} to ${formatSeconds(s.max)}`).join('; ')
  const judgedAttempts = new Set(judged.flatMap(([, list]) => list.map((g) => g.next)))
  const ops = [...new Set(judged.flatMap(([, list]) => list.map((g) => g.op)))]
  return {
    name: 'jitter',
    passed: varied,
    message: varied
      ? `backoff waits differ between operations (${told})`
      : `backoff waits in lockstep, within ${JITTER_SPREAD_MS} ms of each other (${told}): add random jitter so clients do not retry all at once`,
    evidence: {
      attempts: ops.flatMap((op) => {
        const flagged = new Set(varied ? [] : op.attempts.filter((a) => judgedAttempts.has(a)).map((a) => a.n))
        return evidenceOfOperation(op, expect, flagged, op.id)
      })
    }
  }
}
