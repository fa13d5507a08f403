// Wording shared by the checks and the renderers: durations and answers as people read them.

import { codeForStatus } from '../errors.js'
import type { AttemptEvidence } from './checks.js'
import type { VerifyEntry } from './operations.js'

/** "1 operation", "2 operations". */
export function plural (n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** Milliseconds as seconds, exact to the ms without trailing zeros: 400 → "0.4 s", 2000 → "2 s". */
export function formatSeconds (ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`
}

/** The Aurion error code of an error answer: the journal's, or the catalogue default for its status. */
export function errorCodeOf (entry: VerifyEntry): string {
  return entry.error ?? codeForStatus(entry.status)
}

/** What the client got, e.g. "503", "422 validation_error", "dropped connection (reset)", "201 with a truncate fault". */
export function describeAnswer (entry: VerifyEntry, withCode = false): string {
  if (entry.status === 0) return entry.fault === undefined ? 'dropped connection' : `dropped connection (${entry.fault})`
  if (entry.fault === 'truncate' || entry.fault === 'malformed') return `${entry.status} with a ${entry.fault} body`
  return withCode && entry.status >= 400 ? `${entry.status} ${errorCodeOf(entry)}` : String(entry.status)
}

/**
 * One attempt of evidence on a line: number, offset from `t0`, answer, Retry-After, gap and its
 * backoff bound, rule.
 * The Idempotency-Key is shown only where it differs from `usualKey`, the operation's first.
 */
export function describeEvidence (a: AttemptEvidence, t0: number, usualKey?: string): string {
  const parts = [`${a.operation === undefined ? '' : `${a.operation} `}#${a.n}`, `+${formatSeconds(a.at - t0)}`]
  parts.push(a.status === 0 ? `no answer${a.fault === undefined ? '' : ` (${a.fault})`}` : `${a.status}${a.fault === undefined ? '' : ` (${a.fault})`}`)
  if (a.retryAfter !== undefined) parts.push(`Retry-After ${a.retryAfter} s`)
  if (a.gapMs !== undefined) parts.push(`after ${formatSeconds(a.gapMs)}${a.backoffMs === undefined ? '' : ` (bound ${formatSeconds(a.backoffMs)})`}`)
  if (a.idempotencyKey !== usualKey) parts.push(a.idempotencyKey === undefined ? 'no key' : `key ${JSON.stringify(a.idempotencyKey)}`)
  if (a.rule !== undefined) parts.push(`rule ${a.rule}${a.step === undefined ? '' : ` step ${a.step}`}`)
  if (a.flagged === true) parts.push('<- flagged')
  return parts.join('  ')
}

/** The warning a report carries when its session's journals let entries go, or undefined. */
export function droppedNotice (dropped: { requests: number; deliveries: number } | undefined): string | undefined {
  if (dropped === undefined) return undefined
  const parts = [dropped.requests > 0 ? plural(dropped.requests, 'request') : '', dropped.deliveries > 0 ? plural(dropped.deliveries, 'delivery attempt') : ''].filter((p) => p !== '')
  return `the journal let go of the oldest ${parts.join(' and ')} of this session (--journal-size): the checks saw only the newest entries, and could miss a mistake made earlier`
}
