// The one state interface: every piece of state the mock keeps (sessions, records, counters,
// rate-limit windows, Idempotency-Key claims, the journal, scenario activation) lives behind it,
// so a shared store (Redis) can replace the in-memory one without touching its callers.
//
// Rules of the contract, for callers and implementations alike:
// - Every method may answer with a promise. The memory store answers at once; a caller carries on
//   synchronously when it got a plain value and awaits only a promise (`andThen` in ./maybe.ts).
// - What must be exact across processes is ONE call: `incr`, `countInWindow`, `claim`,
//   `Collection.insert`, `Collection.nextId`, `appendJournal`. Never read, change and write back.
// - Values are JSON data. What a store returns is read-only to the caller: an update writes a new
//   value, it never changes the one it was given.

export type { MaybePromise } from './maybe.js'
export { CapacityError, StoreError } from './errors.js'
import type { MaybePromise } from './maybe.js'

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
  /** The next integer id of this kind: after the seed's largest (1061, 1062, ...), else from 1001. Never the same twice. */
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

/**
 * What a request appends to its journal: an entry without its seq and time. An optional field may
 * be given as undefined; the store keeps only the fields that are set.
 */
export type NewJournalEntry = Omit<EntryFields, OptionalEntryField> & { [K in OptionalEntryField]?: EntryFields[K] | undefined }
type EntryFields = Omit<JournalEntry, 'seq' | 'time'>
type OptionalEntryField = { [K in keyof EntryFields]-?: object extends Pick<EntryFields, K> ? K : never }[keyof EntryFields]
/** What the delivery journal keeps of one webhook delivery attempt (server/webhooks). */
export interface DeliveryEntry {
  seq: number
  time: string
  /** When the attempt started (the clock's ms). */
  at: number
  eventId: string
  eventType: string
  webhookId: string
  url: string
  /** 1 for the first try of a delivery, counting up through its retries. */
  attempt: number
  /** What was sent: the event, a scripted copy of it, or a scripted forgery (bad signature, changed body). */
  sent: 'event' | 'duplicate' | 'bad-signature' | 'changed-body'
  /** The receiver's status; 0 when none came. */
  status: number
  durationMs: number
  /** Why there is no status: timeout, refused, network; dropped (scripted, never sent); overflow (queue full). */
  error?: string
  /** The scripted delivery fault, its rule and step. */
  fault?: string
  rule?: string
  step?: number
  /** When the next attempt is due (clock ms), if one is. */
  retryAt?: number
  /** The last attempt failed: the delivery is given up. */
  failed?: boolean
}

/** The count of a fixed window after one more event, and when that window closes (clock ms). */
export interface WindowCount {
  count: number
  resetsAt: number
}

/**
 * A window a caller will count one event in right after it gets the session (the rate limiter's),
 * given to `StateStore.session` so a shared store can count it in the same round trip.
 */
export interface WindowAhead {
  key: string
  windowMs: number
  now: number
}

/** What `claim` found: the key is now the caller's, or someone else's live value holds it. */
export type Claim<T> = { claimed: true } | { claimed: false; holder: T }

/** One session's state: counters, windows, claims, small values, resource collections and its journal. */
export interface SessionState {
  readonly id: string
  /** Set once the store has forgotten this session (least recently used, or past the record budget). */
  readonly dropped?: boolean
  /** When the session was first seen (the clock's ms). */
  readonly startedAt: number
  /** Adds one to a counter (from 0) and answers the new count: per-rule hits and steps. Counters are apart from `get`'s values. */
  incr (key: string): MaybePromise<number>
  get<T> (key: string): MaybePromise<T | undefined>
  set (key: string, value: unknown): MaybePromise<void>
  delete (key: string): MaybePromise<void>
  /**
   * Counts one event in the fixed window open under `key` at `now`, or opens a window there
   * (count 1) when none is: a window opened at t holds the events of [t, t + windowMs). Windows
   * are apart from `incr`'s counters and `get`'s values.
   */
  countInWindow (key: string, windowMs: number, now: number): MaybePromise<WindowCount>
  /**
   * Holds `key` with `value` until now + ttlMs unless a live value holds it already: of concurrent
   * claims exactly one wins, and the others get the holder's value. An expired holder is no holder.
   */
  claim<T> (key: string, value: T, ttlMs: number, now: number): MaybePromise<Claim<T>>
  /** Sets what holds a claimed key (the answer replacing an in-flight marker), live until now + ttlMs. */
  keepClaim (key: string, value: unknown, ttlMs: number, now: number): MaybePromise<void>
  /** Frees a claimed key, whoever holds it. */
  releaseClaim (key: string): MaybePromise<void>
  collection<T extends Identified> (name: string): Collection<T>
  /** Adds an entry; `seq` and `time` are filled in by the store. */
  appendJournal (entry: NewJournalEntry): MaybePromise<void>
  /** The newest `limit` entries (all kept ones without it), oldest first. */
  journal (limit?: number): MaybePromise<JournalEntry[]>
  /** Adds a webhook delivery attempt; `seq` and `time` are filled in by the store. Bounded like the journal. */
  appendDelivery (entry: Omit<DeliveryEntry, 'seq' | 'time'>): MaybePromise<void>
  /** The newest `limit` delivery attempts (all kept ones without it), oldest first. */
  deliveries (limit?: number): MaybePromise<DeliveryEntry[]>
}

export interface StateStore {
  /**
   * The session with this id, created on first use. With `ahead`, a store may count one event in
   * that window while it finds the session (a shared store saves a round trip); the next
   * `countInWindow` under that key on the session it answered then hands back that count instead
   * of counting again. Either way one event is counted per `countInWindow` call, so a caller gives
   * `ahead` only when it will make that call next.
   */
  session (id: string, ahead?: WindowAhead): MaybePromise<SessionState>
  /** The session with this id if it is live; never creates one (admin reads). */
  find (id: string): MaybePromise<SessionState | undefined>
  /** Ids of the live sessions, least recently used first. */
  sessionIds (): MaybePromise<string[]>
  /**
   * The name of the scenario active for a session: its own activation, else the server's; without
   * a session, the server's. undefined when none was activated (the operator's first scenario
   * applies). Never creates a session.
   */
  activeScenario (sessionId?: string): MaybePromise<string | undefined>
  /** Activates a scenario by name for every session (no id) or for one; undefined clears it. */
  activateScenario (name: string | undefined, sessionId?: string): MaybePromise<void>
  /** Forgets one session (with its activation), or every session; the server's activation stays. */
  reset (id?: string): MaybePromise<void>
  /** A shared store: resolves when it answers, rejects with a StoreError when it cannot be reached. */
  ping? (): Promise<void>
  /** A shared store: lets its connection go (its data stays). */
  close? (): Promise<void>
}

/** Seed records per collection name, shared read-only by every session. */
export type SeedData = Record<string, readonly Identified[]>
