// What bounds the in-memory store, and the defaults.

import type { SeedData } from '../types.js'

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
  /** Claimed keys (Idempotency-Key answers) per session; past it the oldest is forgotten. */
  maxClaims?: number
  /**
   * Records and claims added across all sessions (beyond the seed); past it the least recently
   * used other sessions are dropped. The per-session caps alone allow far more than a process should hold.
   */
  maxTotalRecords?: number
}

/** The options with every bound filled in and the seed made at most once. */
export type ResolvedOptions = Required<Omit<MemoryStoreOptions, 'seed'>> & { seed: () => SeedData }

export const DEFAULT_MAX_SESSIONS = 1000
export const DEFAULT_MAX_JOURNAL = 1000
export const DEFAULT_MAX_JOURNAL_BYTES = 512 * 1024
export const DEFAULT_FIRST_ID = 1001
export const DEFAULT_MAX_RECORDS = 10_000
export const DEFAULT_MAX_CLAIMS = 10_000
export const DEFAULT_MAX_TOTAL_RECORDS = 20_000

export function resolveOptions (options: MemoryStoreOptions): ResolvedOptions {
  // Sessions share one copy of the seed, made when the first session needs it.
  const given = options.seed
  let made: SeedData | undefined
  return {
    maxSessions: DEFAULT_MAX_SESSIONS,
    maxJournal: DEFAULT_MAX_JOURNAL,
    maxJournalBytes: DEFAULT_MAX_JOURNAL_BYTES,
    firstId: DEFAULT_FIRST_ID,
    maxRecords: DEFAULT_MAX_RECORDS,
    maxClaims: DEFAULT_MAX_CLAIMS,
    maxTotalRecords: DEFAULT_MAX_TOTAL_RECORDS,
    ...options,
    seed: () => (made ??= typeof given === 'function' ? given() : given)
  }
}

/** Told each time a session's number of added records (or claims) changes. */
export type Tally = (delta: number) => void
