// Groups journal entries into logical operations: the first attempt and every retry of it.

import type { JournalEntry } from '../store/types.js'
import { isDroppingFault } from '../faults/index.js'
import { DEFAULT_EXPECT } from '../expect/index.js'

export const DEFAULT_WINDOW_MS = 60_000

/** A journal entry with the fields verification would like the journal to add. */
export interface VerifyEntry extends JournalEntry {
  /** This request performed the operation, whatever the client got; false when it never reached the handler or was replayed. */
  committed?: boolean
  /** Id of the resource this request created (also when the client got a fault); absent for replays. */
  resourceId?: string | number
  /** Aurion error code of the answer (`validation_error`, ...), when it was an error. */
  error?: string
}

export interface Attempt {
  /** 1-based position in its operation. */
  n: number
  at: number
  /** When the mock finished answering: `at + durationMs`. */
  endAt: number
  /** Idle time between the previous attempt's answer and this attempt; undefined on the first. */
  gapMs?: number
  entry: VerifyEntry
}

export interface Operation {
  /** `op-1`, `op-2`, ... in order of first attempt. */
  id: string
  method: string
  path: string
  apiKey?: string
  bodyHash?: string
  attempts: Attempt[]
}

export interface GroupOptions {
  /** How long after an unsuccessful attempt an identical request still counts as its retry. */
  windowMs?: number
  /** Answers a client may retry (besides a dropped connection); default: the guidance's. */
  retryableStatuses?: readonly number[]
}

/** The client got no usable answer: connection dropped, timed out, or a cut/garbled body. */
export function isDropped (entry: JournalEntry): boolean {
  return entry.status === 0 || isDroppingFault(entry.fault)
}

/** The client received a complete 2xx answer. */
export function sawSuccess (entry: JournalEntry): boolean {
  return !isDropped(entry) && entry.status >= 200 && entry.status < 300
}

/** "METHOD /path", as messages name an operation. */
export function operationLabel (op: Pick<Operation, 'method' | 'path'>): string {
  return `${op.method} ${op.path}`
}

/** The client may retry this answer: a dropped connection or a retryable status. */
export function isRetryable (entry: JournalEntry, retryableStatuses: readonly number[]): boolean {
  return isDropped(entry) || retryableStatuses.includes(entry.status)
}

function identity (e: JournalEntry): string {
  return `${e.apiKey ?? ''}\u0000${e.method}\u0000${e.path}`
}

/**
 * Groups entries (any order) into operations: what the client meant, not only what it sent.
 * An attempt with an Idempotency-Key already seen belongs to that key's operation. Otherwise it
 * continues the latest operation with the same API key, method, path and body when that
 * operation's last attempt ended at most `windowMs` (plus any Retry-After it advertised) earlier
 * and got: for a keyless attempt, anything but a success (a retry that dropped its key); for an
 * attempt with a new key, a retryable answer or a dropped connection (a retry under a new key).
 * Anything else starts a new operation, so a repeat after a success, or a new key after a final
 * answer such as a 409, is a request of its own.
 */
export function groupOperations (entries: readonly VerifyEntry[], options: GroupOptions = {}): Operation[] {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS
  const retryableStatuses = options.retryableStatuses ?? DEFAULT_EXPECT.retryableStatuses
  const sorted = [...entries].sort((a, b) => a.at - b.at || a.seq - b.seq)
  const operations: Operation[] = []
  const byKey = new Map<string, Operation>()
  const open = new Map<string, Operation>()
  for (const entry of sorted) {
    const id = identity(entry)
    const bodyId = `${id}\u0000${entry.bodyHash ?? ''}`
    const keyId = entry.idempotencyKey === undefined ? undefined : `${id}\u0000${entry.idempotencyKey}`
    let op = keyId === undefined ? undefined : byKey.get(keyId)
    if (op === undefined) {
      const candidate = open.get(bodyId)
      const last = candidate?.attempts.at(-1)?.entry
      const continues = last !== undefined && entry.at - (last.at + last.durationMs) <= windowMs + (last.retryAfter ?? 0) * 1000 &&
        (keyId === undefined ? !sawSuccess(last) : isRetryable(last, retryableStatuses))
      if (continues) op = candidate
    }
    if (op === undefined) {
      op = { id: `op-${operations.length + 1}`, method: entry.method, path: entry.path, attempts: [] }
      if (entry.apiKey !== undefined) op.apiKey = entry.apiKey
      if (entry.bodyHash !== undefined) op.bodyHash = entry.bodyHash
      operations.push(op)
    }
    if (keyId !== undefined && !byKey.has(keyId)) byKey.set(keyId, op)
    const prev = op.attempts.at(-1)
    const attempt: Attempt = { n: op.attempts.length + 1, at: entry.at, endAt: entry.at + entry.durationMs, entry }
    if (prev !== undefined) attempt.gapMs = entry.at - prev.endAt
    op.attempts.push(attempt)
    open.set(bodyId, op)
  }
  return operations
}
