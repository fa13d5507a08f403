// Groups journal entries into logical operations: the first attempt and every retry of it.

import type { JournalEntry } from '../store/types.js'

export const DEFAULT_WINDOW_MS = 60_000

/** Faults after which the client had no usable answer, whatever status the journal shows. */
const DROPPING_FAULTS = new Set(['reset', 'timeout', 'empty', 'truncate', 'malformed'])

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
  /** How long after an unsuccessful attempt an identical keyless request still counts as its retry. */
  windowMs?: number
}

/** The client got no usable answer: connection dropped, timed out, or a cut/garbled body. */
export function isDropped (entry: JournalEntry): boolean {
  return entry.status === 0 || (entry.fault !== undefined && DROPPING_FAULTS.has(entry.fault))
}

/** The client received a complete 2xx answer. */
export function sawSuccess (entry: JournalEntry): boolean {
  return !isDropped(entry) && entry.status >= 200 && entry.status < 300
}

/** "METHOD /path", as messages name an operation. */
export function operationLabel (op: Pick<Operation, 'method' | 'path'>): string {
  return `${op.method} ${op.path}`
}

function identity (e: JournalEntry): string {
  return `${e.apiKey ?? ''}\u0000${e.method}\u0000${e.path}`
}

/**
 * Groups entries (any order) into operations. Attempts with an Idempotency-Key belong to the
 * operation of that key. An attempt without one continues the latest operation with the same
 * method, path and body whose last attempt did not succeed and ended at most `windowMs` (plus any
 * Retry-After it advertised) earlier — so a retry that dropped its key stays with its operation,
 * while a repeated request after a success is a new operation. A new key always starts a new one.
 */
export function groupOperations (entries: readonly VerifyEntry[], options: GroupOptions = {}): Operation[] {
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS
  const sorted = [...entries].sort((a, b) => a.at - b.at || a.seq - b.seq)
  const operations: Operation[] = []
  const byKey = new Map<string, Operation>()
  const open = new Map<string, Operation>()
  for (const entry of sorted) {
    const id = identity(entry)
    const bodyId = `${id}\u0000${entry.bodyHash ?? ''}`
    let op: Operation | undefined
    if (entry.idempotencyKey !== undefined) {
      op = byKey.get(`${id}\u0000${entry.idempotencyKey}`)
    } else {
      const candidate = open.get(bodyId)
      const last = candidate?.attempts.at(-1)
      if (last !== undefined && !sawSuccess(last.entry) &&
        entry.at - last.endAt <= windowMs + (last.entry.retryAfter ?? 0) * 1000) op = candidate
    }
    if (op === undefined) {
      op = { id: `op-${operations.length + 1}`, method: entry.method, path: entry.path, attempts: [] }
      if (entry.apiKey !== undefined) op.apiKey = entry.apiKey
      if (entry.bodyHash !== undefined) op.bodyHash = entry.bodyHash
      operations.push(op)
      if (entry.idempotencyKey !== undefined) byKey.set(`${id}\u0000${entry.idempotencyKey}`, op)
    }
    const prev = op.attempts.at(-1)
    const attempt: Attempt = { n: op.attempts.length + 1, at: entry.at, endAt: entry.at + entry.durationMs, entry }
    if (prev !== undefined) attempt.gapMs = entry.at - prev.endAt
    op.attempts.push(attempt)
    open.set(bodyId, op)
  }
  return operations
}
