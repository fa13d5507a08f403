// The one state interface: every piece of per-session state lives behind it, so a shared
// (asynchronous) store can replace the in-memory one without touching its callers.

/** A value now, or later: the in-memory store answers synchronously, a networked one would not. */
export type MaybePromise<T> = T | Promise<T>

export interface Identified {
  id: string | number
}

/** A set of records of one resource kind in one session. */
export interface Collection<T extends Identified> {
  get (id: string | number): MaybePromise<T | undefined>
  /** Every record, in insertion order. */
  all (): MaybePromise<T[]>
  /** Adds or replaces a record; throws CapacityError when a new one would pass the limit. */
  put (record: T): MaybePromise<void>
  /** Adds a record only when its id is absent; true when it did. The atom behind "one winner" races. */
  insert (record: T): MaybePromise<boolean>
  delete (id: string | number): MaybePromise<boolean>
  size (): MaybePromise<number>
  /** The next integer id of this kind: after the seed's largest (1061, 1062, ...), else from 1001. */
  nextId (): MaybePromise<number>
}

/** What the journal keeps of one request. */
export interface JournalEntry {
  seq: number
  time: string
  at: number
  method: string
  path: string
  apiKey?: string
  idempotencyKey?: string
  bodyHash?: string
  status: number
  durationMs: number
  scenario?: string
  rule?: string
  step?: number
  retryAfter?: number
  fault?: string
  replayed?: boolean
  /** The request reached the handler and succeeded: the operation happened, whatever the client got. */
  committed?: boolean
  /** Id of the resource a create made (also when its answer was lost). */
  resourceId?: string | number
  /** The Aurion error code of an error answer. */
  error?: string
}

/** One session's state: counters, small values, resource collections and its journal. */
export interface SessionState {
  readonly id: string
  /** When the session was first seen (the clock's ms). */
  readonly startedAt: number
  incr (key: string): MaybePromise<number>
  get<T> (key: string): MaybePromise<T | undefined>
  set (key: string, value: unknown): MaybePromise<void>
  delete (key: string): MaybePromise<void>
  collection<T extends Identified> (name: string): Collection<T>
  /** Adds an entry; `seq` and `time` are filled in by the store. */
  appendJournal (entry: Omit<JournalEntry, 'seq' | 'time'>): MaybePromise<void>
  journal (limit?: number): MaybePromise<JournalEntry[]>
}

export interface StateStore {
  /** The session with this id, created on first use. */
  session (id: string): SessionState
  /** The session with this id if it is live; never creates one (admin reads). */
  find (id: string): SessionState | undefined
  /** Ids of the live sessions, least recently used first. */
  sessionIds (): string[]
  /** Forgets one session, or all of them. */
  reset (id?: string): MaybePromise<void>
}

export { CapacityError } from '../errors.js'

/** Seed records per collection name, shared read-only by every session. */
export type SeedData = Record<string, readonly Identified[]>
