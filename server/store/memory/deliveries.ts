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
    // Deliveries are few next to requests: dropping from the front now and then is cheap enough.
    if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max)
  }

  /** Copies of the newest `limit` entries (every kept one without it), oldest first. */
  entries (limit?: number): DeliveryEntry[] {
    const from = limit === undefined ? 0 : Math.max(0, this.#entries.length - limit)
    return this.#entries.slice(from).map((e) => ({ ...e }))
  }
}
