// One session in memory: counters, fixed windows, claims, values, collections, journal.

import type { Claim, Collection, DeliveryEntry, Identified, JournalEntry, NewJournalEntry, SessionState, WindowCount } from '../types.js'
import { MemoryClaims } from './claims.js'
import { MemoryCollection } from './collection.js'
import { MemoryDeliveries } from './deliveries.js'
import { MemoryJournal } from './journal.js'
import type { ResolvedOptions, Tally } from './options.js'

interface Window {
  count: number
  start: number
}

export class MemorySession implements SessionState {
  readonly id: string
  readonly startedAt: number
  /** The scenario this session was given through the admin API, if any. */
  activeScenario: string | undefined
  /** Records and claims this session added beyond the seed (net of deletions). */
  added = 0
  /** Set once the store forgets it; a request still holding it then no longer counts. */
  dropped = false
  #counters = new Map<string, number>()
  #values = new Map<string, unknown>()
  #windows = new Map<string, Window>()
  #collections = new Map<string, MemoryCollection<Identified>>()
  #claims: MemoryClaims
  #journal: MemoryJournal
  #deliveries: MemoryDeliveries
  #options: ResolvedOptions
  #tally: Tally

  constructor (id: string, options: ResolvedOptions, tally: (session: MemorySession, delta: number) => void) {
    this.id = id
    this.startedAt = options.now()
    this.#options = options
    this.#tally = (delta) => {
      this.added += delta
      tally(this, delta)
    }
    this.#claims = new MemoryClaims(options.maxClaims, this.#tally)
    this.#journal = new MemoryJournal(options.maxJournal, options.maxJournalBytes)
    this.#deliveries = new MemoryDeliveries(options.maxJournal)
  }

  incr (key: string): number {
    const next = (this.#counters.get(key) ?? 0) + 1
    this.#counters.set(key, next)
    return next
  }

  get<T> (key: string): T | undefined { return this.#values.get(key) as T | undefined }
  set (key: string, value: unknown): void { this.#values.set(key, value) }
  delete (key: string): void { this.#values.delete(key) }

  countInWindow (key: string, windowMs: number, now: number): WindowCount {
    const open = this.#windows.get(key)
    if (open !== undefined && open.start + windowMs > now) {
      open.count++
      return { count: open.count, resetsAt: open.start + windowMs }
    }
    this.#windows.set(key, { count: 1, start: now })
    return { count: 1, resetsAt: now + windowMs }
  }

  claim<T> (key: string, value: T, ttlMs: number, now: number): Claim<T> { return this.#claims.claim(key, value, ttlMs, now) }
  keepClaim (key: string, value: unknown, ttlMs: number, now: number): void { this.#claims.keep(key, value, ttlMs, now) }
  releaseClaim (key: string): void { this.#claims.release(key) }

  collection<T extends Identified> (name: string): Collection<T> {
    let c = this.#collections.get(name)
    if (c === undefined) {
      c = new MemoryCollection(name, this.#options.seed()[name] ?? [], this.#options.firstId, this.#options.maxRecords, this.#tally)
      this.#collections.set(name, c)
    }
    return c as unknown as Collection<T>
  }

  appendJournal (entry: NewJournalEntry): void { this.#journal.append(entry) }
  journal (limit?: number): JournalEntry[] { return this.#journal.entries(limit) }
  appendDelivery (entry: Omit<DeliveryEntry, 'seq' | 'time'>): void { this.#deliveries.append(entry) }
  deliveries (limit?: number): DeliveryEntry[] { return this.#deliveries.entries(limit) }
}
