// The in-memory state store: synchronous, bounded (LRU sessions, a record budget across sessions,
// per-session caps on records, claims and journal entries and bytes).

import type { StateStore } from '../types.js'
import { resolveOptions, type MemoryStoreOptions, type ResolvedOptions } from './options.js'
import { MemorySession } from './session.js'

export {
  DEFAULT_FIRST_ID, DEFAULT_MAX_CLAIMS, DEFAULT_MAX_JOURNAL, DEFAULT_MAX_JOURNAL_BYTES, DEFAULT_MAX_RECORDS,
  DEFAULT_MAX_SESSIONS, DEFAULT_MAX_TOTAL_RECORDS, type MemoryStoreOptions
} from './options.js'
export { MAX_JOURNAL_FIELD_CHARS } from '../journal-entry.js'

export class MemoryStore implements StateStore {
  /** Least recently used first. */
  #sessions = new Map<string, MemorySession>()
  /** The most recently used session, always the last in `#sessions` while it is set. */
  #last: MemorySession | undefined
  #activeScenario: string | undefined
  #options: ResolvedOptions
  /** Records (and claims) added by the live sessions together. */
  #added = 0
  #tally = (session: MemorySession, delta: number): void => {
    if (session.dropped) return
    this.#added += delta
    if (delta > 0 && this.#added > this.#options.maxTotalRecords) this.#shed(session)
  }

  constructor (options: MemoryStoreOptions) {
    this.#options = resolveOptions(options)
  }

  /** Counts nothing ahead (`WindowAhead`): its countInWindow answers at once anyway. */
  session (id: string): MemorySession {
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

  find (id: string): MemorySession | undefined { return this.#sessions.get(id) }

  sessionIds (): string[] { return [...this.#sessions.keys()] }

  activeScenario (sessionId?: string): string | undefined {
    if (sessionId !== undefined) {
      const last = this.#last
      const own = (last !== undefined && last.id === sessionId ? last : this.#sessions.get(sessionId))?.activeScenario
      if (own !== undefined) return own
    }
    return this.#activeScenario
  }

  activateScenario (name: string | undefined, sessionId?: string): void {
    if (sessionId === undefined) this.#activeScenario = name
    else this.session(sessionId).activeScenario = name
  }

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
