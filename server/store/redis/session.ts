// One session in Redis, as a request sees it: its id, generation and start time as of the
// request's first store call, and every operation one script or one read.

import { isoSeconds } from '../../util/time.js'
import { entryBytes, keptEntry } from '../journal-entry.js'
import type { Claim, Collection, DeliveryEntry, Identified, JournalEntry, MaybePromise, NewJournalEntry, SessionState, WindowAhead, WindowCount } from '../types.js'
import { RedisCollection, type SessionRef } from './collection.js'
import { runCommand, runScript, type Link } from './link.js'

/** What the touch and find scripts answer about a live session. */
export interface SessionFacts {
  gen: string
  startedAt: number
  /** Its own activated scenario, if any. */
  scenario: string | undefined
  /** Kinds whose records differ from the seed. */
  changed: string[]
  /** The server's activated scenario, if any. */
  serverScenario: string | undefined
}

/** Reads the [gen, start, scenario, changed kinds] a touch or find script answers. */
export function sessionFacts (reply: unknown): SessionFacts {
  const [gen, start, scenario, changed, server] = reply as [string, string, string, string[], string]
  return { gen, startedAt: Number(start), scenario: scenario === '' ? undefined : scenario, changed, serverScenario: server === '' ? undefined : server }
}

/** A window the touch counted for the caller: its key and what countInWindow answers for it. */
export interface CountedAhead {
  key: string
  count: WindowCount
}

/** The count a touch script made ahead (its answer's last two items), when it was asked to. */
export function countedAhead (ahead: WindowAhead | undefined, reply: unknown): CountedAhead | undefined {
  if (ahead === undefined) return undefined
  const [count, resetsAt] = (reply as unknown[]).slice(5) as [number, number]
  return { key: ahead.key, count: { count, resetsAt } }
}

export class RedisSession implements SessionState, SessionRef {
  readonly id: string
  readonly startedAt: number
  readonly link: Link
  readonly args: [string, string, number]
  readonly base: string
  /** The scenario active for this session when it was read: its own, else the server's. */
  readonly activeScenario: string | undefined
  readonly #changed: Set<string>
  /** The window event the touch counted for the request that asked (taken once). */
  #ahead: CountedAhead | undefined

  constructor (id: string, facts: SessionFacts, link: Link, ahead?: CountedAhead) {
    this.id = id
    this.startedAt = facts.startedAt
    this.link = link
    this.args = [id, facts.gen, link.sessionTtlMs]
    this.base = `${link.prefix}s:${facts.gen}:`
    this.activeScenario = facts.scenario ?? facts.serverScenario
    this.#changed = new Set(facts.changed)
    this.#ahead = ahead
  }

  changed (kind: string): boolean { return this.#changed.has(kind) }
  markChanged (kind: string): void { this.#changed.add(kind) }

  incr (key: string): Promise<number> {
    return runScript(this.link, 'aurionIncr', [...this.args, key]).then(Number)
  }

  get<T> (key: string): Promise<T | undefined> {
    return runCommand(this.link, (r) => r.hget(`${this.base}val`, key)).then((v) => v === null ? undefined : JSON.parse(v) as T)
  }

  set (key: string, value: unknown): Promise<void> {
    return runScript(this.link, 'aurionSetValue', [...this.args, key, JSON.stringify(value) ?? '']).then(() => undefined)
  }

  delete (key: string): Promise<void> {
    return runScript(this.link, 'aurionSetValue', [...this.args, key, '']).then(() => undefined)
  }

  countInWindow (key: string, windowMs: number, now: number): MaybePromise<WindowCount> {
    // Counted already by the touch (StateStore.session's `ahead`): that event is this call's. Taken
    // by key alone, so a request is counted once even if its scenario changed the window meanwhile.
    const ahead = this.#ahead
    if (ahead !== undefined && ahead.key === key) {
      this.#ahead = undefined
      return ahead.count
    }
    return runScript(this.link, 'aurionCountInWindow', [...this.args, key, windowMs, now]).then((reply) => {
      const [count, resetsAt] = reply as [number, number]
      return { count, resetsAt }
    })
  }

  claim<T> (key: string, value: T, ttlMs: number, now: number): Promise<Claim<T>> {
    return this.#claims('claim', key, value, ttlMs, now).then((reply) => {
      const [won, holder] = reply as [number, string?]
      return won === 1 ? { claimed: true } : { claimed: false, holder: JSON.parse(holder!) as T }
    })
  }

  keepClaim (key: string, value: unknown, ttlMs: number, now: number): Promise<void> {
    return this.#claims('keep', key, value, ttlMs, now).then(() => undefined)
  }

  releaseClaim (key: string): Promise<void> {
    return this.#claims('release', key, null, 0, 0).then(() => undefined)
  }

  #claims (mode: string, key: string, value: unknown, ttlMs: number, now: number): Promise<unknown> {
    const { maxClaims, maxTotalRecords } = this.link.options
    return runScript(this.link, 'aurionClaim', [...this.args, mode, key, JSON.stringify(value) ?? 'null', ttlMs, now, maxClaims, maxTotalRecords])
  }

  collection<T extends Identified> (name: string): Collection<T> {
    return new RedisCollection<T>(name, this)
  }

  appendJournal (entry: NewJournalEntry): Promise<void> {
    const kept = keptEntry(0, entry)
    const { seq: _seq, ...rest } = kept
    const { maxJournal, maxJournalBytes } = this.link.options
    const appended = runScript(this.link, 'aurionAppendJournal', [...this.args, JSON.stringify(rest), entryBytes(kept), maxJournal, maxJournalBytes])
      .then(() => undefined)
    // The request path does not wait for its journal entry: a lost Redis must not become an
    // unhandled rejection there. A caller that awaits still gets the error.
    appended.catch(() => {})
    return appended
  }

  journal (limit?: number): Promise<JournalEntry[]> {
    const from = limit === undefined ? 0 : -Math.max(limit, 0)
    if (limit === 0) return Promise.resolve([])
    return runCommand(this.link, (r) => r.lrange(`${this.base}j`, from, -1)).then((items) => items.map((item) => {
      const e = JSON.parse(item.slice(item.indexOf('|') + 1)) as JournalEntry
      return { ...e, time: isoSeconds(e.at) }
    }))
  }

  appendDelivery (entry: Omit<DeliveryEntry, 'seq' | 'time'>): Promise<void> {
    return runScript(this.link, 'aurionAppendDelivery', [...this.args, JSON.stringify(entry), this.link.options.maxJournal]).then(() => undefined)
  }

  deliveries (limit?: number): Promise<DeliveryEntry[]> {
    if (limit === 0) return Promise.resolve([])
    const from = limit === undefined ? 0 : -Math.max(limit, 0)
    return runCommand(this.link, (r) => r.lrange(`${this.base}d`, from, -1)).then((items) => items.map((item) => {
      const e = JSON.parse(item) as DeliveryEntry
      return { ...e, time: isoSeconds(e.at) }
    }))
  }
}
