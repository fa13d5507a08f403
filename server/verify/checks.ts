// The retry checks: each judges one operation (or, for jitter, the session) against the policy.

import type { Expect } from './expect.js'
import { describeAnswer, formatSeconds } from './format.js'
import { type Attempt, isDropped, type Operation, operationLabel, sawSuccess } from './operations.js'

/** Differences under this are clock noise, not backoff growth or jitter. */
export const NOISE_MS = 10
/** At most this many violations are spelled out in one message. */
const MAX_LISTED = 3

export type CheckName = 'maxAttempts' | 'respectRetryAfter' | 'noRetryOn4xx' | 'backoff' | 'jitter' | 'idempotencyKeysOnPost' | 'noDuplicates'

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

/** One attempt as evidence; `operation` names its operation in session-wide evidence. */
export function evidenceOf (attempt: Attempt, operation?: string, flagged = false): AttemptEvidence {
  const e = attempt.entry
  const out: AttemptEvidence = { n: attempt.n, at: attempt.at, status: e.status, durationMs: e.durationMs }
  if (operation !== undefined) out.operation = operation
  if (flagged) out.flagged = true
  if (e.retryAfter !== undefined) out.retryAfter = e.retryAfter
  if (attempt.gapMs !== undefined) out.gapMs = attempt.gapMs
  if (e.fault !== undefined) out.fault = e.fault
  if (e.idempotencyKey !== undefined) out.idempotencyKey = e.idempotencyKey
  if (e.rule !== undefined) out.rule = e.rule
  if (e.step !== undefined) out.step = e.step
  return out
}

function result (name: CheckName, op: Operation, violations: Violation[], passMessage: string): CheckResult {
  const listed = violations.slice(0, MAX_LISTED).map((v) => v.text)
  const more = violations.length - listed.length
  const flagged = new Set(violations.map((v) => v.n))
  return {
    name,
    passed: violations.length === 0,
    message: violations.length === 0 ? passMessage : listed.join('; ') + (more > 0 ? `; and ${more} more` : ''),
    evidence: { attempts: op.attempts.map((a) => evidenceOf(a, undefined, flagged.has(a.n))) }
  }
}

function where (a: Attempt, op: Operation): string {
  return `(attempt ${a.n} of ${operationLabel(op)})`
}

function plural (n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
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

/** Stayed within `maxAttempts`, i.e. gave up after the last allowed attempt. */
export function checkMaxAttempts (op: Operation, { expect }: CheckContext): CheckResult {
  const count = op.attempts.length
  const r = result('maxAttempts', op, [], `made ${plural(count, 'attempt')}, within the ${expect.maxAttempts} allowed`)
  if (count <= expect.maxAttempts) return r
  r.passed = false
  r.message = `made ${count} attempts, more than the ${expect.maxAttempts} allowed: give up after attempt ${expect.maxAttempts} and surface the last answer (${operationLabel(op)})`
  for (const a of r.evidence.attempts) if (a.n > expect.maxAttempts) a.flagged = true
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
      text: `retried after ${formatSeconds(gapMs)} but Retry-After said ${formatSeconds((prev.entry.retryAfter ?? 0) * 1000)} ${where(next, op)}`
    }))
  return result('respectRetryAfter', op, violations, `waited at least the advertised Retry-After before ${governed.length === 1 ? 'its retry' : `each of ${governed.length} retries`}`)
}

/** Retried only retryable answers: never a 4xx outside `retryableStatuses`. */
export function checkRetryable (op: Operation, { expect }: CheckContext): CheckResult | undefined {
  const pairs = retries(op)
  if (pairs.length === 0) return undefined
  const violations = pairs
    .filter(({ prev }) => !isDropped(prev.entry) && prev.entry.status >= 400 && prev.entry.status < 500 && !expect.retryableStatuses.includes(prev.entry.status))
    .map(({ prev, next }) => ({ n: next.n, text: `retried a ${describeAnswer(prev.entry, true)}, which is not retryable ${where(next, op)}` }))
  const retried = pairs.map(({ prev }) => describeAnswer(prev.entry)).join(', ')
  return result('noRetryOn4xx', op, violations, `retried only retryable answers (${retried})`)
}

/** After 5xx or dropped answers: waited at least `minBackoffMs`, and each wait longer than the one before. */
export function checkBackoff (op: Operation, { expect }: CheckContext): CheckResult | undefined {
  const governed = backoffRetries(op)
  if (governed.length === 0) return undefined
  const violations: Violation[] = []
  let before: number | undefined
  for (const { prev, next, gapMs } of governed) {
    const after = `after a ${describeAnswer(prev.entry)}`
    if (gapMs < expect.minBackoffMs - expect.toleranceMs) {
      violations.push({ n: next.n, text: `retried ${formatSeconds(gapMs)} ${after}, sooner than the ${formatSeconds(expect.minBackoffMs)} minimum backoff ${where(next, op)}` })
    } else if (before !== undefined && gapMs <= before + NOISE_MS) {
      violations.push({ n: next.n, text: `waited ${formatSeconds(gapMs)} ${after}, not longer than the ${formatSeconds(before)} before: the backoff does not grow ${where(next, op)}` })
    }
    before = gapMs
  }
  return result('backoff', op, violations, `backed off ${governed.map((g) => formatSeconds(g.gapMs)).join(', ')} after ${governed.length === 1 ? 'a failure' : 'failures'}, growing`)
}

/** POSTs carry an Idempotency-Key and every retry reuses it (a new key starts a new operation). */
export function checkIdempotencyKey (op: Operation): CheckResult | undefined {
  if (op.method !== 'POST') return undefined
  const [first] = op.attempts
  const key = first?.entry.idempotencyKey
  const count = op.attempts.length
  if (first === undefined || key === undefined) {
    const all = count === 1 ? '' : ` on any of its ${count} attempts`
    return result('idempotencyKeysOnPost', op, [{ n: 1, text: `sent ${operationLabel(op)} without an Idempotency-Key${all}` }], '')
  }
  const violations = op.attempts
    .filter((a) => a.entry.idempotencyKey === undefined)
    .map((a) => ({ n: a.n, text: `dropped its Idempotency-Key ${JSON.stringify(key)} on retry ${where(a, op)}` }))
  return result('idempotencyKeysOnPost', op, violations, count === 1 ? `sent Idempotency-Key ${JSON.stringify(key)}` : `reused Idempotency-Key ${JSON.stringify(key)} on all ${count} attempts`)
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

/** No second resource for one request: neither within the operation nor by a retry under a new key. */
export function checkNoDuplicates (op: Operation, ctx: CheckContext): CheckResult | undefined {
  if (op.method !== 'POST') return undefined
  const made = op.attempts.filter(created)
  const [first, second] = made
  const violations: Violation[] = []
  if (first !== undefined && second !== undefined) {
    const seen = sawSuccess(first.entry) ? '' : ` though the client got a ${describeAnswer(first.entry)}`
    violations.push({ n: second.n, text: `created ${made.length} resources for one request: attempt ${first.n} was committed${idText(first)}${seen}, then attempt ${second.n} created another${idText(second)} ${where(second, op)}` })
  }
  const earlier = first === undefined ? undefined : hiddenCreateBefore(op, first, ctx)
  if (first !== undefined && earlier !== undefined) {
    const oldKey = earlier.attempt.entry.idempotencyKey
    const newKey = first.entry.idempotencyKey
    const keys = oldKey === newKey ? '' : `; the retry used ${newKey === undefined ? 'no Idempotency-Key' : `a new Idempotency-Key ${JSON.stringify(newKey)}`} instead of ${oldKey === undefined ? 'none' : JSON.stringify(oldKey)}`
    violations.push({ n: first.n, text: `created a duplicate${idText(first)}: ${earlier.op.id} had already been committed${idText(earlier.attempt)} though its client got a ${describeAnswer(earlier.attempt.entry)}${keys} ${where(first, op)}` })
  }
  const r = result('noDuplicates', op, violations, first === undefined ? 'created nothing' : `created one resource${idText(first)}`)
  if (earlier !== undefined) {
    const flagged = new Set(violations.map((v) => v.n))
    r.evidence.attempts = [
      ...earlier.op.attempts.map((a) => evidenceOf(a, earlier.op.id, a === earlier.attempt)),
      ...op.attempts.map((a) => evidenceOf(a, op.id, flagged.has(a.n)))
    ]
  }
  return r
}

/** Across operations that backed off (correctly) twice or more, the waits are not all the same. */
export function checkJitter (ctx: CheckContext): CheckResult | undefined {
  const { operations } = ctx
  // Ops whose backoff already failed are that check's finding, not also a lack of jitter.
  const series = operations
    .map((op) => ({ op, gaps: backoffRetries(op) }))
    .filter((s) => s.gaps.length >= 2 && (!ctx.expect.backoff || checkBackoff(s.op, ctx)?.passed !== false))
  if (series.length < 2) return undefined
  const length = series.reduce((n, s) => Math.min(n, s.gaps.length), Infinity)
  let varied = false
  for (let i = 0; i < length && !varied; i++) {
    const at = series.map((s) => s.gaps[i]?.gapMs ?? 0)
    varied = at.reduce((m, g) => Math.max(m, g), -Infinity) - at.reduce((m, g) => Math.min(m, g), Infinity) > NOISE_MS
  }
  const waits = (series[0]?.gaps ?? []).slice(0, length).map((g) => formatSeconds(g.gapMs)).join(', ')
  return {
    name: 'jitter',
    passed: varied,
    message: varied
      ? `backoff waits differ between the ${series.length} operations that backed off twice or more`
      : `${series.length} operations backed off with the same waits (${waits}): add random jitter so clients do not retry in lockstep`,
    evidence: {
      attempts: series.flatMap((s) => {
        const judged = new Set(s.gaps.slice(0, length).map((g) => g.next))
        return s.op.attempts.map((a) => evidenceOf(a, s.op.id, !varied && judged.has(a)))
      })
    }
  }
}
