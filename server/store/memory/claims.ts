// One session's claimed keys (Idempotency-Key in-flight markers and stored answers): each live
// until its expiry, bounded in number with the oldest forgotten first.

import type { Claim } from '../types.js'
import type { Tally } from './options.js'

interface Held {
  value: unknown
  expires: number
}

export class MemoryClaims {
  /** Oldest claim first. */
  #held = new Map<string, Held>()
  readonly #limit: number
  readonly #tally: Tally

  constructor (limit: number, tally: Tally) {
    this.#limit = limit
    this.#tally = tally
  }

  claim<T> (key: string, value: T, ttlMs: number, now: number): Claim<T> {
    const held = this.#held.get(key)
    if (held !== undefined && held.expires > now) return { claimed: false, holder: held.value as T }
    // An expired holder is replaced by a claim that counts as the newest.
    if (held !== undefined) this.release(key)
    this.keep(key, value, ttlMs, now)
    return { claimed: true }
  }

  keep (key: string, value: unknown, ttlMs: number, now: number): void {
    const held: Held = { value, expires: now + ttlMs }
    if (this.#held.has(key)) {
      this.#held.set(key, held)
      return
    }
    if (this.#held.size >= this.#limit) {
      const oldest = this.#held.keys().next().value
      if (oldest !== undefined) this.release(oldest)
    }
    this.#held.set(key, held)
    this.#tally(1)
  }

  release (key: string): void {
    if (this.#held.delete(key)) this.#tally(-1)
  }
}
