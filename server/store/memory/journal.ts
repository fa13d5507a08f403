// One session's journal: the newest entries, bounded in number and in bytes, long client strings cut.
// A ring of slots of one fixed shape, refilled in place: a full journal allocates nothing per
// request, and its entries do not pile up in the old generation for the collector to sweep.

import { isoSeconds } from '../../util/time.js'
import { clip } from '../../util/text.js'
import { entryBytes, MAX_JOURNAL_FIELD_CHARS } from '../journal-entry.js'
import type { JournalEntry, NewJournalEntry } from '../types.js'

/** One kept entry; every field is present (undefined when the entry has no such field). */
class Slot {
  seq = 0
  at = 0
  method = ''
  path = ''
  status = 0
  durationMs = 0
  scenario: string | undefined = undefined
  apiKey: string | undefined = undefined
  idempotencyKey: string | undefined = undefined
  bodyHash: string | undefined = undefined
  rule: string | undefined = undefined
  step: number | undefined = undefined
  fault: string | undefined = undefined
  retryAfter: number | undefined = undefined
  committed: boolean | undefined = undefined
  resourceId: string | number | undefined = undefined
  error: string | undefined = undefined
  replayed: boolean | undefined = undefined
  /** Its size for the journal's byte bound (entryBytes). */
  bytes = 0

  fill (seq: number, e: NewJournalEntry): void {
    this.seq = seq
    this.at = e.at
    this.method = e.method
    // Cut as copies, so a cut never keeps a long request string alive.
    this.path = clip(e.path, MAX_JOURNAL_FIELD_CHARS)
    this.status = e.status
    this.durationMs = e.durationMs
    this.scenario = e.scenario
    this.apiKey = e.apiKey
    this.idempotencyKey = e.idempotencyKey === undefined ? undefined : clip(e.idempotencyKey, MAX_JOURNAL_FIELD_CHARS)
    this.bodyHash = e.bodyHash
    this.rule = e.rule
    this.step = e.step
    this.fault = e.fault
    this.retryAfter = e.retryAfter
    this.committed = e.committed
    this.resourceId = e.resourceId
    this.error = e.error
    this.replayed = e.replayed
    this.bytes = entryBytes(this)
  }

  /** Lets go of the strings of a forgotten entry. */
  clear (): void {
    this.fill(0, { at: 0, method: '', path: '', status: 0, durationMs: 0 })
    this.bytes = 0
  }

  /** The entry as the store hands it out: only the fields that are set, then its time. */
  entry (): JournalEntry {
    const e: Record<string, unknown> = { seq: this.seq, at: this.at, method: this.method, path: this.path, status: this.status, durationMs: this.durationMs }
    if (this.scenario !== undefined) e.scenario = this.scenario
    if (this.apiKey !== undefined) e.apiKey = this.apiKey
    if (this.idempotencyKey !== undefined) e.idempotencyKey = this.idempotencyKey
    if (this.bodyHash !== undefined) e.bodyHash = this.bodyHash
    if (this.rule !== undefined) e.rule = this.rule
    if (this.step !== undefined) e.step = this.step
    if (this.fault !== undefined) e.fault = this.fault
    if (this.retryAfter !== undefined) e.retryAfter = this.retryAfter
    if (this.committed !== undefined) e.committed = this.committed
    if (this.resourceId !== undefined) e.resourceId = this.resourceId
    if (this.error !== undefined) e.error = this.error
    if (this.replayed !== undefined) e.replayed = this.replayed
    e.time = isoSeconds(this.at)
    return e as unknown as JournalEntry
  }
}

export class MemoryJournal {
  /** Grows to `#capacity` slots, then is reused as a ring: `#count` entries from `#first`, oldest first. */
  readonly #slots: Slot[] = []
  #first = 0
  #count = 0
  #seq = 0
  #bytes = 0
  readonly #capacity: number
  readonly #maxBytes: number

  constructor (maxEntries: number, maxBytes: number) {
    this.#capacity = maxEntries
    this.#maxBytes = maxBytes
  }

  append (entry: NewJournalEntry): void {
    if (this.#count === this.#capacity) this.#dropOldest()
    const index = (this.#first + this.#count) % this.#capacity
    // Until the ring first wraps, the next slot is one past the last made.
    const slot = this.#slots[index] ?? (this.#slots[index] = new Slot())
    slot.fill(++this.#seq, entry)
    this.#count++
    this.#bytes += slot.bytes
    // The newest entry is always kept, even alone over the byte bound.
    while (this.#bytes > this.#maxBytes && this.#count > 1) this.#dropOldest()
  }

  #dropOldest (): void {
    const slot = this.#slots[this.#first]!
    this.#bytes -= slot.bytes
    slot.clear()
    this.#first = (this.#first + 1) % this.#capacity
    this.#count--
  }

  /** Copies of the newest `limit` entries (every kept one without it), oldest first, with their time. */
  entries (limit?: number): JournalEntry[] {
    const n = limit === undefined ? this.#count : Math.max(0, Math.min(this.#count, limit))
    const out: JournalEntry[] = []
    for (let i = this.#count - n; i < this.#count; i++) out.push(this.#slots[(this.#first + i) % this.#capacity]!.entry())
    return out
  }
}
