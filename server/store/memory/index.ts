// The in-memory state store: synchronous, bounded (LRU sessions, journals bounded in entries and bytes).

import { clip } from '../../util/text.js'
import { isoSeconds } from '../../util/time.js'
import { CapacityError, type Collection, type Identified, type JournalEntry, type SeedData, type SessionState, type StateStore } from '../types.js'

export interface MemoryStoreOptions {
  /** Seed records, or a function making them on first use (start-up then skips the work). */
  seed: SeedData | (() => SeedData)
  now: () => number
  /** Live sessions kept; the least recently used is dropped past it. */
  maxSessions?: number
  /** Journal entries kept per session; the oldest are dropped first. */
  maxJournal?: number
  /** Bytes of journal kept per session (as JSON, roughly); the oldest entries are dropped first. */
  maxJournalBytes?: number
  /** First integer id handed out per collection. */
  firstId?: number
  /** Records per collection per session; a create past it throws CapacityError. */
  maxRecords?: number
  /** Collections that forget their oldest record instead of refusing a new one, with their limit. */
  evicting?: Readonly<Record<string, number>>
  /**
   * Records added across all sessions (beyond the seed); past it the least recently used other
   * sessions are dropped. The per-session caps alone allow far more than a process should hold.
   */
  maxTotalRecords?: number
}

export const DEFAULT_MAX_SESSIONS = 1000
export const DEFAULT_MAX_JOURNAL = 1000
export const DEFAULT_MAX_JOURNAL_BYTES = 512 * 1024
/** Longest path and Idempotency-Key a journal entry keeps; longer ones are cut and end in "…". */
export const MAX_JOURNAL_FIELD_CHARS = 256
export const DEFAULT_FIRST_ID = 1001
export const DEFAULT_MAX_RECORDS = 10_000
export const DEFAULT_MAX_TOTAL_RECORDS = 20_000

/** Told by a collection each time its number of records changes. */
type Tally = (delta: number) => void

class MemoryCollection<T extends Identified> implements Collection<T> {
  #name: string
  #records: Map<string | number, T>
  #nextId: number
  #limit: number
  #evict: boolean
  #tally: Tally

  constructor (name: string, seed: readonly Identified[], firstId: number, limit: number, evict: boolean, tally: Tally) {
    this.#name = name
    this.#tally = tally
    this.#records = new Map(seed.map((r) => [r.id, r as T]))
    // Ids continue after the seed's (KB articles 101-120, then 121), or start at firstId.
    let max = 0
    for (const r of seed) if (typeof r.id === 'number' && r.id > max) max = r.id
    this.#nextId = max === 0 ? firstId : max + 1
    this.#limit = limit
    this.#evict = evict
  }

  get (id: string | number): T | undefined { return this.#records.get(id) }
  all (): T[] { return [...this.#records.values()] }
  delete (id: string | number): boolean {
    const deleted = this.#records.delete(id)
    if (deleted) this.#tally(-1)
    return deleted
  }

  nextId (): number { return this.#nextId++ }
  size (): number { return this.#records.size }

  put (record: T): void {
    if (this.#records.has(record.id)) {
      this.#records.set(record.id, record)
      return
    }
    this.#add(record)
  }

  insert (record: T): boolean {
    if (this.#records.has(record.id)) return false
    this.#add(record)
    return true
  }

  #add (record: T): void {
    this.#makeRoom()
    this.#records.set(record.id, record)
    this.#tally(1)
  }

  #makeRoom (): void {
    if (this.#records.size < this.#limit) return
    if (!this.#evict) throw new CapacityError(this.#name, this.#limit)
    const oldest = this.#records.keys().next().value
    if (oldest !== undefined && this.#records.delete(oldest)) this.#tally(-1)
  }
}

class MemorySession implements SessionState {
  readonly id: string
  readonly startedAt: number
  #values = new Map<string, unknown>()
  #collections = new Map<string, MemoryCollection<Identified>>()
  /** Oldest first, from `#journalStart`; entries before it are forgotten and compacted away in batches. */
  #journal: Array<JournalEntry | undefined> = []
  #journalStart = 0
  #journalSeq = 0
  #journalBytes = 0
  #options: Required<MemoryStoreOptions>
  #tally: Tally
  /** Records this session added beyond the seed (net of deletions). */
  added = 0
  /** Set once the store forgets it; a request still holding it then no longer counts. */
  dropped = false

  constructor (id: string, options: Required<MemoryStoreOptions>, tally: (session: MemorySession, delta: number) => void) {
    this.id = id
    this.startedAt = options.now()
    this.#options = options
    this.#tally = (delta) => {
      this.added += delta
      tally(this, delta)
    }
  }

  incr (key: string): number {
    const next = ((this.#values.get(key) as number | undefined) ?? 0) + 1
    this.#values.set(key, next)
    return next
  }

  get<T> (key: string): T | undefined { return this.#values.get(key) as T | undefined }
  set (key: string, value: unknown): void { this.#values.set(key, value) }
  delete (key: string): void { this.#values.delete(key) }

  collection<T extends Identified> (name: string): Collection<T> {
    let c = this.#collections.get(name)
    if (c === undefined) {
      // Seed records are shared and never mutated: updates put a new object.
      const evictAt = this.#options.evicting[name]
      c = new MemoryCollection(name, (this.#options.seed as () => SeedData)()[name] ?? [], this.#options.firstId, evictAt ?? this.#options.maxRecords, evictAt !== undefined, this.#tally)
      this.#collections.set(name, c)
    }
    return c as unknown as Collection<T>
  }

  appendJournal (entry: Omit<JournalEntry, 'seq' | 'time'>): void {
    const kept = keptEntry(++this.#journalSeq, entry)
    this.#journal.push(kept)
    this.#journalBytes += entryBytes(kept)
    const { maxJournal, maxJournalBytes } = this.#options
    while (this.#journal.length - this.#journalStart > maxJournal || (this.#journalBytes > maxJournalBytes && this.#journal.length - this.#journalStart > 1)) {
      this.#journalBytes -= entryBytes(this.#journal[this.#journalStart]!)
      this.#journal[this.#journalStart++] = undefined
    }
    if (this.#journalStart > 1024 && this.#journalStart * 2 > this.#journal.length) {
      this.#journal = this.#journal.slice(this.#journalStart)
      this.#journalStart = 0
    }
  }

  journal (limit?: number): JournalEntry[] {
    const from = limit === undefined ? this.#journalStart : Math.max(this.#journalStart, this.#journal.length - limit)
    return (this.#journal.slice(from) as JournalEntry[]).map((e) => ({ ...e, time: isoSeconds(e.at) }))
  }
}

/**
 * The entry as kept: only the fields that are set, and client-given strings cut to a bounded length
 * (as copies, so a cut never keeps a long request string alive).
 */
function keptEntry (seq: number, entry: Omit<JournalEntry, 'seq' | 'time'>): JournalEntry {
  const kept: Record<string, unknown> = { seq }
  for (const [k, v] of Object.entries(entry)) if (v !== undefined) kept[k] = v
  kept.path = clip(entry.path, MAX_JOURNAL_FIELD_CHARS)
  if (entry.idempotencyKey !== undefined) kept.idempotencyKey = clip(entry.idempotencyKey, MAX_JOURNAL_FIELD_CHARS)
  return kept as unknown as JournalEntry
}

/** A rough size of a kept entry: its strings' lengths plus a fixed cost for the rest. */
function entryBytes (entry: JournalEntry): number {
  let bytes = 96
  for (const v of Object.values(entry)) if (typeof v === 'string') bytes += v.length
  return bytes
}

export class MemoryStore implements StateStore {
  #sessions = new Map<string, MemorySession>()
  /** The most recently used session, always the last in `#sessions` while it is set. */
  #last: MemorySession | undefined
  #options: Required<MemoryStoreOptions>
  /** Records added by the live sessions together. */
  #added = 0
  #tally = (session: MemorySession, delta: number): void => {
    if (session.dropped) return
    this.#added += delta
    if (delta > 0 && this.#added > this.#options.maxTotalRecords) this.#shed(session)
  }

  constructor (options: MemoryStoreOptions) {
    // Sessions share one copy of the seed, made when the first session needs it.
    const given = options.seed
    let made: SeedData | undefined
    const seed = (): SeedData => (made ??= typeof given === 'function' ? given() : given)
    this.#options = {
      maxSessions: DEFAULT_MAX_SESSIONS,
      maxJournal: DEFAULT_MAX_JOURNAL,
      maxJournalBytes: DEFAULT_MAX_JOURNAL_BYTES,
      firstId: DEFAULT_FIRST_ID,
      maxRecords: DEFAULT_MAX_RECORDS,
      maxTotalRecords: DEFAULT_MAX_TOTAL_RECORDS,
      evicting: {},
      ...options,
      seed
    }
  }

  session (id: string): SessionState {
    // Most traffic stays in one session: skip the LRU bookkeeping while it does.
    const last = this.#last
    if (last !== undefined && last.id === id) return last
    let s = this.#sessions.get(id)
    if (s === undefined) {
      s = new MemorySession(id, this.#options, this.#tally)
      if (this.#sessions.size >= this.#options.maxSessions) {
        const oldest = this.#sessions.values().next().value
        if (oldest !== undefined) this.#drop(oldest)
      }
    } else {
      // Re-insert so Map order is least recently used first.
      this.#sessions.delete(id)
    }
    this.#sessions.set(id, s)
    this.#last = s
    return s
  }

  find (id: string): SessionState | undefined { return this.#sessions.get(id) }

  sessionIds (): string[] { return [...this.#sessions.keys()] }

  reset (id?: string): void {
    if (id === undefined) {
      for (const s of this.#sessions.values()) this.#drop(s)
      return
    }
    const s = this.#sessions.get(id)
    if (s !== undefined) this.#drop(s)
  }

  /** Past the record budget: forgets the least recently used sessions but `keep`, the one adding. */
  #shed (keep: MemorySession): void {
    for (const s of this.#sessions.values()) {
      if (this.#added <= this.#options.maxTotalRecords) return
      if (s !== keep) this.#drop(s)
    }
  }

  #drop (s: MemorySession): void {
    this.#sessions.delete(s.id)
    if (this.#last === s) this.#last = undefined
    s.dropped = true
    this.#added -= s.added
  }
}
