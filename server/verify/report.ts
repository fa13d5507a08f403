// Journal → retry report: operations, the checks the policy enables, and a pass/fail summary.

import {
  checkBackoff, checkIdempotencyKey, checkJitter, checkMaxAttempts, checkNoDuplicates, checkRetryable, checkRetryAfter,
  evidenceOfOperation, type AttemptEvidence, type CheckContext, type CheckName, type CheckResult
} from './checks.js'
import { type Expect, normaliseExpect } from '../expect/index.js'
import type { DeliveryEntry } from '../store/types.js'
import { buildReceiverReport, type ReceiverReport } from './receiver.js'
import { DEFAULT_WINDOW_MS, groupOperations, isDropped, type Operation, sawSuccess, type VerifyEntry } from './operations.js'

export type Outcome = 'succeeded' | 'failed' | 'gave up'

export interface OperationReport {
  id: string
  method: string
  path: string
  apiKey?: string
  /** Distinct Idempotency-Keys sent, in order. */
  idempotencyKeys: string[]
  /** How it ended for the client: a success, a final error, or a retryable answer it stopped at. */
  outcome: Outcome
  attempts: AttemptEvidence[]
  checks: CheckResult[]
  ok: boolean
}

export interface RetryReport {
  session?: string
  expect: Expect
  operations: OperationReport[]
  /** Checks across operations (jitter). */
  sessionChecks: CheckResult[]
  /** How the session's webhook receivers answered its deliveries; absent when none was sent. */
  receiver?: ReceiverReport
  /**
   * Entries the session's journals let go before this report (the oldest, past --journal-size):
   * the checks saw only the kept ones. Absent when nothing was let go.
   */
  dropped?: { requests: number; deliveries: number }
  summary: { operations: number; checks: number; passed: number; failed: number; ok: boolean }
}

/** How many entries a journal let go before its oldest kept one: stores number each session's entries from 1. */
function droppedBefore (kept: readonly { seq: number }[]): number {
  const first = kept[0]?.seq
  return first === undefined ? 0 : Math.max(0, first - 1)
}

export interface ReportOptions {
  session?: string
  /** How long after a failed attempt the same request still counts as its retry (ms). */
  windowMs?: number
  /** The session's delivery journal: its receivers are graded too. */
  deliveries?: readonly DeliveryEntry[]
}

type OperationCheck = (op: Operation, ctx: CheckContext) => CheckResult | undefined

/** Each check with the policy switch that enables it; maxAttempts always runs. */
const OPERATION_CHECKS: readonly [CheckName, OperationCheck][] = [
  ['maxAttempts', checkMaxAttempts],
  ['respectRetryAfter', checkRetryAfter],
  ['noRetryOn4xx', checkRetryable],
  ['backoff', checkBackoff],
  ['idempotencyKeysOnPost', checkIdempotencyKey],
  ['noDuplicates', checkNoDuplicates]
]

function enabled (name: CheckName, expect: Expect): boolean {
  return name === 'maxAttempts' || expect[name]
}

function bodyKey (op: Operation): string {
  return JSON.stringify([op.apiKey, op.method, op.path, op.bodyHash])
}

function outcomeOf (op: Operation, expect: Expect): Outcome {
  const last = op.attempts.at(-1)?.entry
  if (last === undefined || sawSuccess(last) || (!isDropped(last) && last.status < 400)) return 'succeeded'
  return isDropped(last) || expect.retryableStatuses.includes(last.status) ? 'gave up' : 'failed'
}

/**
 * Judges a session's journal against `expect` (default: the Aurion guidance). Only the checks
 * that apply to an operation appear in it (e.g. no backoff check without a 5xx retry).
 */
export function buildRetryReport (entries: readonly VerifyEntry[], expect: Expect = normaliseExpect(undefined), options: ReportOptions = {}): RetryReport {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS
  const operations = groupOperations(entries, { windowMs, retryableStatuses: expect.retryableStatuses })
  const byBody = new Map<string, Operation[]>()
  for (const op of operations) {
    const peers = byBody.get(bodyKey(op))
    if (peers === undefined) byBody.set(bodyKey(op), [op])
    else peers.push(op)
  }
  const ctx: CheckContext = { expect, operations, windowMs, peers: (op) => byBody.get(bodyKey(op)) ?? [op] }
  const reports = operations.map((op): OperationReport => {
    const checks = OPERATION_CHECKS
      .filter(([name]) => enabled(name, expect))
      .map(([, check]) => check(op, ctx))
      .filter((c): c is CheckResult => c !== undefined)
    const keys = [...new Set(op.attempts.flatMap((a) => a.entry.idempotencyKey ?? []))]
    const report: OperationReport = {
      id: op.id,
      method: op.method,
      path: op.path,
      idempotencyKeys: keys,
      outcome: outcomeOf(op, expect),
      attempts: evidenceOfOperation(op, expect),
      checks,
      ok: checks.every((c) => c.passed)
    }
    if (op.apiKey !== undefined) report.apiKey = op.apiKey
    return report
  })
  const jitter = expect.jitter ? checkJitter(ctx) : undefined
  const sessionChecks = jitter === undefined ? [] : [jitter]
  const receiver = buildReceiverReport(options.deliveries ?? [], expect)
  const all = [...reports.flatMap((r) => r.checks), ...sessionChecks, ...receiver?.checks ?? []]
  const failed = all.filter((c) => !c.passed).length
  const report: RetryReport = {
    expect,
    operations: reports,
    sessionChecks,
    summary: { operations: reports.length, checks: all.length, passed: all.length - failed, failed, ok: failed === 0 }
  }
  if (receiver !== undefined) report.receiver = receiver
  const dropped = { requests: droppedBefore(entries), deliveries: droppedBefore(options.deliveries ?? []) }
  if (dropped.requests + dropped.deliveries > 0) report.dropped = dropped
  if (options.session !== undefined) report.session = options.session
  return report
}
