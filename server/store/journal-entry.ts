// A journal entry as a store keeps it, whichever store: bounded client strings, a size to bound by.

import { clip } from '../util/text.js'
import type { JournalEntry, NewJournalEntry } from './types.js'

/** Longest path and Idempotency-Key a journal entry keeps; longer ones are cut and end in "…". */
export const MAX_JOURNAL_FIELD_CHARS = 256

/**
 * The entry as kept: only the fields that are set, and client-given strings cut to a bounded length
 * (as copies, so a cut never keeps a long request string alive).
 */
export function keptEntry (seq: number, entry: NewJournalEntry): JournalEntry {
  const kept: Record<string, unknown> = { seq }
  for (const [k, v] of Object.entries(entry)) if (v !== undefined) kept[k] = v
  kept.path = clip(entry.path, MAX_JOURNAL_FIELD_CHARS)
  if (entry.idempotencyKey !== undefined) kept.idempotencyKey = clip(entry.idempotencyKey, MAX_JOURNAL_FIELD_CHARS)
  return kept as unknown as JournalEntry
}

/** The fields of an entry a size is read from: a kept entry, or a store's slot holding one. */
type Sized = Pick<NewJournalEntry, 'method' | 'path' | 'scenario' | 'apiKey' | 'idempotencyKey' | 'bodyHash' | 'rule' | 'fault' | 'error' | 'resourceId'>

/** A rough size of a kept entry, for the journal's byte bound: its strings' lengths plus a fixed cost for the rest. */
export function entryBytes (entry: Sized): number {
  return 96 + entry.method.length + entry.path.length + length(entry.scenario) + length(entry.apiKey) + length(entry.idempotencyKey) +
    length(entry.bodyHash) + length(entry.rule) + length(entry.fault) + length(entry.error) + length(entry.resourceId)
}

function length (v: string | number | undefined): number {
  return typeof v === 'string' ? v.length : 0
}
