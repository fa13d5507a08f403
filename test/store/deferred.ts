// A store that answers every call with a promise, settled on a later turn of the event loop, over
// an in-memory one: what a networked store looks like to its callers. Each operation happens when
// called (as one atomic step, like a Redis script); only its answer comes later.

import type { Claim, Collection, DeliveryEntry, Identified, JournalEntry, MaybePromise, NewJournalEntry, SessionState, StateStore, WindowCount } from '../../server/store/types.js'

function later<T> (run: () => MaybePromise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    let value: MaybePromise<T>
    try {
      value = run()
    } catch (err) {
      setImmediate(() => reject(err))
      return
    }
    setImmediate(() => resolve(value))
  })
}

class DeferredCollection<T extends Identified> implements Collection<T> {
  readonly #inner: Collection<T>
  constructor (inner: Collection<T>) { this.#inner = inner }
  get (id: string | number): Promise<T | undefined> { return later(() => this.#inner.get(id)) }
  all (): Promise<T[]> { return later(() => this.#inner.all()) }
  put (record: T): Promise<void> { return later(() => this.#inner.put(record)) }
  insert (record: T): Promise<boolean> { return later(() => this.#inner.insert(record)) }
  delete (id: string | number): Promise<boolean> { return later(() => this.#inner.delete(id)) }
  size (): Promise<number> { return later(() => this.#inner.size()) }
  nextId (): Promise<number> { return later(() => this.#inner.nextId()) }
}

class DeferredSession implements SessionState {
  readonly #inner: SessionState
  constructor (inner: SessionState) { this.#inner = inner }
  get id (): string { return this.#inner.id }
  get startedAt (): number { return this.#inner.startedAt }
  incr (key: string): Promise<number> { return later(() => this.#inner.incr(key)) }
  get<T> (key: string): Promise<T | undefined> { return later(() => this.#inner.get<T>(key)) }
  set (key: string, value: unknown): Promise<void> { return later(() => this.#inner.set(key, value)) }
  delete (key: string): Promise<void> { return later(() => this.#inner.delete(key)) }
  countInWindow (key: string, windowMs: number, now: number): Promise<WindowCount> { return later(() => this.#inner.countInWindow(key, windowMs, now)) }
  claim<T> (key: string, value: T, ttlMs: number, now: number): Promise<Claim<T>> { return later(() => this.#inner.claim(key, value, ttlMs, now)) }
  keepClaim (key: string, value: unknown, ttlMs: number, now: number): Promise<void> { return later(() => this.#inner.keepClaim(key, value, ttlMs, now)) }
  releaseClaim (key: string): Promise<void> { return later(() => this.#inner.releaseClaim(key)) }
  collection<T extends Identified> (name: string): Collection<T> { return new DeferredCollection(this.#inner.collection<T>(name)) }
  appendJournal (entry: NewJournalEntry): Promise<void> { return later(() => this.#inner.appendJournal(entry)) }
  journal (limit?: number): Promise<JournalEntry[]> { return later(() => this.#inner.journal(limit)) }
  appendDelivery (entry: Omit<DeliveryEntry, 'seq' | 'time'>): Promise<void> { return later(() => this.#inner.appendDelivery(entry)) }
  deliveries (limit?: number): Promise<DeliveryEntry[]> { return later(() => this.#inner.deliveries(limit)) }
}

export class DeferredStore implements StateStore {
  readonly #inner: StateStore
  /** Calls answered so far (every one of them with a promise). */
  calls = 0
  constructor (inner: StateStore) { this.#inner = inner }

  #later<T> (run: () => MaybePromise<T>): Promise<T> {
    this.calls++
    return later(run)
  }

  session (id: string): Promise<SessionState> { return this.#later(() => this.#inner.session(id)).then((s) => new DeferredSession(s)) }
  find (id: string): Promise<SessionState | undefined> { return this.#later(() => this.#inner.find(id)).then((s) => s === undefined ? undefined : new DeferredSession(s)) }
  sessionIds (): Promise<string[]> { return this.#later(() => this.#inner.sessionIds()) }
  activeScenario (sessionId?: string): Promise<string | undefined> { return this.#later(() => this.#inner.activeScenario(sessionId)) }
  activateScenario (name: string | undefined, sessionId?: string): Promise<void> { return this.#later(() => this.#inner.activateScenario(name, sessionId)) }
  reset (id?: string): Promise<void> { return this.#later(() => this.#inner.reset(id)) }
}
