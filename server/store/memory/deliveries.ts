// One session's delivery journal in memory: the newest webhook delivery attempts, bounded in number.

import { isoSeconds } from '../../util/time.js'
import type { DeliveryEntry } from '../types.js'

export class MemoryDeliveries {
  #entries: DeliveryEntry[] = []
  #seq = 0
  readonly #max: number

  constructor (max: number) {
    this.#max = max
  }

  append (entry: Omit<DeliveryEntry, 'seq' | 'time'>): void {
    this.#entries.push({ ...entry, seq: ++this.#seq, time: isoSeconds(entry.at) })
    // The oldest are dropped in batches, so an append stays O(1) under a flood of deliveries.
    if (this.#entries.length >= 2 * this.#max) this.#entries.splice(0, this.#entries.length - this.#max)
  }

  /** Copies of the newest `limit` entries (every kept one without it), oldest first. */
  entries (limit?: number): DeliveryEntry[] {
    const kept = Math.min(this.#entries.length, this.#max)
    const from = this.#entries.length - Math.min(kept, limit ?? kept)
    return this.#entries.slice(from).map((e) => ({ ...e }))
  }
}
