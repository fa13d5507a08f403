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

/** A rough size of a kept entry (the memory store sizes its slots the same way): its strings' lengths plus a fixed cost for the rest. */
export function entryBytes (entry: JournalEntry): number {
  let bytes = 96
  for (const v of Object.values(entry)) if (typeof v === 'string') bytes += v.length
  return bytes
}
