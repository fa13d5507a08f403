// One session's journal: the newest entries, bounded in number and in bytes, long client strings cut.

import { isoSeconds } from '../../util/time.js'
import { entryBytes, keptEntry } from '../journal-entry.js'
import type { JournalEntry } from '../types.js'

/** Forgotten slots at the front are compacted away once there are this many and they are most of the array. */
const COMPACT_AFTER = 1024

export class MemoryJournal {
  /** Oldest first, from `#start`; entries before it are forgotten and compacted away in batches. */
  #entries: Array<JournalEntry | undefined> = []
  #start = 0
  #seq = 0
  #bytes = 0
  readonly #maxEntries: number
  readonly #maxBytes: number

  constructor (maxEntries: number, maxBytes: number) {
    this.#maxEntries = maxEntries
    this.#maxBytes = maxBytes
  }

  append (entry: Omit<JournalEntry, 'seq' | 'time'>): void {
    const kept = keptEntry(++this.#seq, entry)
    this.#entries.push(kept)
    this.#bytes += entryBytes(kept)
    // The newest entry is always kept, even alone over the byte bound.
    while (this.#entries.length - this.#start > this.#maxEntries || (this.#bytes > this.#maxBytes && this.#entries.length - this.#start > 1)) {
      this.#bytes -= entryBytes(this.#entries[this.#start]!)
      this.#entries[this.#start++] = undefined
    }
    if (this.#start > COMPACT_AFTER && this.#start * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#start)
      this.#start = 0
    }
  }

  /** Copies of the newest `limit` entries (every kept one without it), oldest first, with their time. */
  entries (limit?: number): JournalEntry[] {
    const from = limit === undefined ? this.#start : Math.max(this.#start, this.#entries.length - limit)
    return (this.#entries.slice(from) as JournalEntry[]).map((e) => ({ ...e, time: isoSeconds(e.at) }))
  }
}
