// The in-memory state store: synchronous, bounded (LRU sessions, ring-buffer journals).

import { isoSeconds } from '../time.js'
import { CapacityError, type Collection, type Identified, type JournalEntry, type SeedData, type SessionState, type StateStore } from './types.js'

export interface MemoryStoreOptions {
  /** Seed records, or a function making them on first use (start-up then skips the work). */
  seed: SeedData | (() => SeedData)
  now: () => number
  /** Live sessions kept; the least recently used is dropped past it. */
  maxSessions?: number
  /** Journal entries kept per session; the oldest are dropped first. */
  maxJournal?: number
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
    let max = firstId - 1
    for (const r of seed) if (typeof r.id === 'number' && r.id > max) max = r.id
    this.#nextId = max + 1
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
  /** A ring: `#journalSeq` entries were ever written; the last `maxJournal` of them are kept. */
  #journal: JournalSlot[] = []
  #journalSeq = 0
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
    const seq = ++this.#journalSeq
    const max = this.#options.maxJournal
    const ring = this.#journal
    // Past the first lap the oldest slot is refilled in place: long-lived objects are not made
    // per request, so old-space garbage (and peak RSS) does not grow with the request rate.
    if (ring.length < max) ring.push(new JournalSlot(seq, entry))
    else ring[(seq - 1) % max]!.fill(seq, entry)
  }

  journal (limit?: number): JournalEntry[] {
    const max = this.#options.maxJournal
    const ring = this.#journal
    // Oldest first: past the first lap the oldest entry sits right after the newest.
    const ordered = ring.length < max ? ring : [...ring.slice(this.#journalSeq % max), ...ring.slice(0, this.#journalSeq % max)]
    const entries = limit === undefined ? ordered : ordered.slice(-limit)
    return entries.map((slot) => slot.read())
  }
}

/** Slots hold a path once per distinct path, not once per request (bounded: paths come from clients). */
const paths = new Map<string, string>()
function sharedPath (path: string): string {
  const known = paths.get(path)
  if (known !== undefined) return known
  if (paths.size < 10_000) paths.set(path, path)
  return path
}

/** A journal entry in a fixed shape, so a slot can be refilled without changing its hidden class. */
class JournalSlot {
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

  constructor (seq: number, entry: Omit<JournalEntry, 'seq' | 'time'>) {
    this.fill(seq, entry)
  }

  fill (seq: number, e: Omit<JournalEntry, 'seq' | 'time'>): void {
    this.seq = seq
    this.at = e.at
    this.method = e.method
    this.path = sharedPath(e.path)
    this.status = e.status
    this.durationMs = e.durationMs
    this.scenario = e.scenario
    this.apiKey = e.apiKey
    this.idempotencyKey = e.idempotencyKey
    this.bodyHash = e.bodyHash
    this.rule = e.rule
    this.step = e.step
    this.fault = e.fault
    this.retryAfter = e.retryAfter
    this.committed = e.committed
    this.resourceId = e.resourceId
    this.error = e.error
    this.replayed = e.replayed
  }

  /** A plain entry with only the fields that are set; the readable time is made when read. */
  read (): JournalEntry {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(this)) if (v !== undefined) out[k] = v
    out.time = isoSeconds(this.at)
    return out as unknown as JournalEntry
  }
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
